"""Benchmark of similar cases and factor analytics at 100,000 cases (PostgreSQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/DBNAME .venv/bin/python benchmarks/insight.py

Expects a database filled by ``benchmarks/library.py`` (run that first). Stores the similarity
features of every case once (timed), then reports medians of: refreshing one published case's
similar cases (what publishing or changing a case costs), the case page with its stored similar
cases, the factor analytics without and with filters, and the statistics page. Results go to
standard output as a Markdown table for docs/performance.md.

Options: --runs N (default 25), --sample N cases refreshed (default 40).
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")


def setup_django():
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL database filled by benchmarks/library.py.")
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


def timed(function, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=25)
    parser.add_argument("--sample", type=int, default=40)
    options = parser.parse_args()
    setup_django()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client

    from cases.domain.queries.analytics import factor_analytics
    from cases.domain.queries.library import LibraryCriteria
    from cases.domain.similarity import refresh_features, refresh_similarity
    from cases.models import Case, SimilarityFeatures

    call_command("migrate", verbosity=0)
    ids = list(Case.objects.filter(is_published=True).values_list("pk", flat=True))
    rows = []
    if SimilarityFeatures.objects.count() < len(ids):
        start = time.perf_counter()
        refresh_features(ids)
        rows.append(
            (f"features of all {len(ids):,} cases, once", (time.perf_counter() - start) * 1000)
        )
    sample = random.Random(7).sample(ids, options.sample)
    samples = []
    for case_id in sample:
        start = time.perf_counter()
        refresh_similarity([case_id])
        samples.append((time.perf_counter() - start) * 1000)
    rows.append(("refresh one case's similar cases (median)", statistics.median(samples)))
    rows.append(("the same, 90th percentile", sorted(samples)[int(len(samples) * 0.9)]))
    client = Client()
    slug = Case.objects.get(pk=sample[0]).slug
    rows.append(
        (
            "case page with its similar cases",
            timed(lambda: client.get(f"/library/{slug}/"), options.runs),
        )
    )
    criteria = LibraryCriteria()
    rows.append(("factor analytics, all cases", timed(lambda: factor_analytics(criteria), 5)))
    filtered = LibraryCriteria(collaboration=("public-private",), gov_level=("local",))
    rows.append(
        ("factor analytics, 2 facets", timed(lambda: factor_analytics(filtered), options.runs))
    )

    def stats_page():
        cache.clear()
        client.get("/library/stats/?collaboration=public-private")

    rows.append(("statistics page, 1 facet, cold cache", timed(stats_page, 5)))
    print("| measure | median (ms) |\n|---|---:|")
    for label, value in rows:
        print(f"| {label} | {value:.1f} |")


if __name__ == "__main__":
    main()
