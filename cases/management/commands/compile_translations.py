"""``manage.py compile_translations``: compile each ``django.po`` into the ``django.mo`` that
Django reads, with Babel (no GNU gettext needed). The ``.mo`` files are committed, and
tests/test_translations.py fails when one is not the compiled form of its ``.po``."""

from django.core.management.base import BaseCommand

from cases.management import translations


class Command(BaseCommand):
    help = "Compile locale/<lang>/LC_MESSAGES/django.po into django.mo (no gettext)."

    def handle(self, *args, **options):
        for language in translations.target_languages():
            changed = translations.compile_language(language)
            state = "compiled" if changed else "up to date"
            self.stdout.write(f"{language}: {state}")
