"""``manage.py extract_messages``: collect every translatable message of the Python sources and
templates, and merge them into each language's ``locale/<lang>/LC_MESSAGES/django.po``.

Needs no GNU gettext (see cases.management.translations). ``make messages`` runs it, then
``compile_translations``. New messages arrive untranslated (or fuzzy, with a similar old
translation as a start); tests/test_translations.py lists them until they are translated.
"""

from django.core.management.base import BaseCommand

from cases.management import translations


class Command(BaseCommand):
    help = "Extract translatable messages into locale/<lang>/LC_MESSAGES/django.po (no gettext)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--todo",
            action="store_true",
            help="Also list each message still to translate or review, per language.",
        )

    def handle(self, *args, todo=False, **options):
        template = translations.extract_catalog()
        count = sum(1 for message in template if message.id)
        self.stdout.write(f"{count} messages in the sources.")
        for language in translations.target_languages():
            added, removed = translations.merge(template, language)
            problems = translations.catalog_problems(language)
            self.stdout.write(
                f"{language}: {added} new, {removed} removed, "
                f"{len(problems)} to translate or review "
                f"({translations.po_path(language).relative_to(translations.base_dir())})"
            )
            if todo:
                for problem in problems:
                    self.stdout.write(f"  {problem}")
