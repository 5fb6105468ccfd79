"""Write docs/api.md from the API's OpenAPI schema (``--check`` only compares)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cases.interfaces.api_docs import api_markdown

DOCS_PATH = Path(settings.BASE_DIR) / "docs" / "api.md"


class Command(BaseCommand):
    help = "Write docs/api.md from the OpenAPI schema of the public API."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Fail if docs/api.md differs from the schema."
        )

    def handle(self, *args, check=False, **options):
        text = api_markdown()
        if check:
            if not DOCS_PATH.exists() or DOCS_PATH.read_text(encoding="utf-8") != text:
                raise CommandError("docs/api.md differs from the schema: run manage.py api_docs.")
            self.stdout.write("docs/api.md matches the schema.")
            return
        DOCS_PATH.write_text(text, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {DOCS_PATH}."))
