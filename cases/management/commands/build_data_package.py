"""Rebuild the library's data package (/library/data/) from the published cases."""

from django.core.management.base import BaseCommand

from cases.domain.datapackage import build_data_package, data_package_path


class Command(BaseCommand):
    help = "Write the Frictionless Data Package of the published library (zip)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default=None,
            help="The portal's public address for the case URLs (default: SITE_URL).",
        )

    def handle(self, *args, base_url=None, **options):
        info = build_data_package(base_url=base_url)
        rows = ", ".join(f"{name} {count}" for name, count in info["rows"].items())
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {data_package_path()} ({info['bytes']} bytes; {rows}).")
        )
