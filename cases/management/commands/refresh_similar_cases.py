"""Recompute the similarity features and every published case's similar cases.

Publishing or changing a case refreshes its own list and its neighbours' on the way; after a
bulk import (``generate_cases``), which stores features only, run this once.
"""

from django.core.management.base import BaseCommand

from cases.domain.derived import refresh_all_similar_cases


class Command(BaseCommand):
    help = "Recompute the stored similar cases of every published case."

    def handle(self, *args, **options):
        def progress(done, total):
            self.stdout.write(f"{done:,} of {total:,} cases")

        count = refresh_all_similar_cases(progress=progress)
        self.stdout.write(self.style.SUCCESS(f"Similar cases of {count:,} cases refreshed."))
