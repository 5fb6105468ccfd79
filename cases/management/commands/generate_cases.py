"""``manage.py generate_cases --count N --seed S [--edition SLUG ...]``."""

import time

from django.core.management.base import BaseCommand, CommandError

from cases.demo.synthetic import generate_synthetic_cases
from cases.models import Edition


class Command(BaseCommand):
    help = (
        "Create N published synthetic cases with bulk inserts, deterministically from a seed. "
        "Repeated runs with the same seed continue the numbering."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="How many cases to create.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--edition",
            action="append",
            default=[],
            metavar="SLUG",
            help="Spread the cases over this edition's categories (repeatable). "
            "Without it the cases belong to no edition.",
        )

    def handle(self, *args, count, seed, edition, **options):
        if count < 1:
            raise CommandError("--count must be at least 1.")
        editions = list(Edition.objects.filter(slug__in=edition))
        unknown = sorted(set(edition) - {found.slug for found in editions})
        if unknown:
            raise CommandError(f"Unknown edition slug(s): {', '.join(unknown)}")
        started = time.perf_counter()
        created = generate_synthetic_cases(count=count, seed=seed, editions=editions)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {created} synthetic cases (seed {seed}) in {elapsed:.1f} s."
            )
        )
