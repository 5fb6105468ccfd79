"""Benchmark of the public case library at 100,000 cases (PostgreSQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/DBNAME .venv/bin/python benchmarks/library.py

Fills the database (migrating it first) with synthetic published cases from
``cases.demo.synthetic.generate_synthetic_cases`` until it holds ``--cases`` of them, spread
over six editions, then reports the median server time of each library request, measured
through Django's test client (URL routing, middleware, view, queries, template rendering;
no network). Results go to standard output as a Markdown table for docs/performance.md.

Options: --cases N (default 100000), --runs N (default 25), --seed S (default 2024).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

FILL_BATCH = 5000
EDITIONS = (
    ("bench-2019", "Benchmark award 2019", "2019"),
    ("bench-2020", "Benchmark award 2020", "2020"),
    ("bench-2021", "Benchmark award 2021", "2021"),
    ("bench-2022", "Benchmark award 2022", "2022"),
    ("bench-2023", "Benchmark award 2023-24", "2023-24"),
    ("bench-2025", "Benchmark award 2025-26", "2025-26"),
)
CATEGORIES = (
    ("innovation-public-administration", "Innovation in public administration"),
    ("green-transition", "Green transition and sustainability"),
    ("digital-transformation", "Digital transformation"),
)


def setup_django():
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL database; the benchmark fills it with cases.")
    import django

    django.setup()
    from django.conf import settings

    # Measure what production runs: no query log, no debug pages.
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


def ensure_editions():
    import datetime

    from django.utils import timezone

    from cases.models import Category, Edition, EditionPhase

    editions = []
    for index, (slug, name, label) in enumerate(EDITIONS):
        opened = timezone.make_aware(datetime.datetime(int(label[:4]), 3, 1))
        edition, _created = Edition.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "year_label": label,
                "phase": EditionPhase.CLOSED,
                "submissions_open_at": opened,
                "deadline": opened + datetime.timedelta(days=90 + index),
            },
        )
        for order, (category_slug, category_name) in enumerate(CATEGORIES):
            Category.objects.get_or_create(
                edition=edition,
                slug=category_slug,
                defaults={"name": category_name, "order": order},
            )
        editions.append(edition)
    return editions


def fill(target: int, seed: int) -> None:
    from django.db import connection

    from cases.demo.synthetic import generate_synthetic_cases
    from cases.models import Case

    editions = ensure_editions()
    have = Case.objects.filter(is_published=True).count()
    if have >= target:
        print(f"The database already holds {have} published cases.", file=sys.stderr)
        return
    started = time.perf_counter()
    while have < target:
        batch = min(FILL_BATCH, target - have)
        generate_synthetic_cases(count=batch, seed=seed, editions=editions)
        have += batch
        print(f"  {have} cases ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    # The bulk load inserts cases and then updates their derived columns, which leaves the case
    # table three times its live size; compact it as maintenance after a bulk load would.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM FULL ANALYZE cases_case")
        cursor.execute("VACUUM ANALYZE")
    print(f"Filled to {have} cases in {time.perf_counter() - started:.0f} s.", file=sys.stderr)


def measure(
    client, url: str, runs: int, *, stream: bool = False, cold: bool = True
) -> tuple[float, int, int]:
    """Median milliseconds over ``runs`` requests (after one warm-up), status, body bytes.

    ``cold`` empties Django's cache before every request, so the facet counts are computed
    each time (the figure a first visitor of a new search gets)."""
    from django.core.cache import cache

    timings = []
    status = size = 0
    for run in range(runs + 1):
        if cold:
            cache.clear()
        started = time.perf_counter()
        response = client.get(url)
        body = b"".join(response.streaming_content) if stream else response.content
        elapsed = (time.perf_counter() - started) * 1000
        status, size = response.status_code, len(body)
        if run:
            timings.append(elapsed)
    return statistics.median(timings), status, size


def pick_common_term() -> tuple[str, int]:
    """A frequent word of the synthetic texts (the expensive case for ranked search)."""
    from cases.domain.queries.library import LibraryCriteria, facet_counts

    best = ("climate", 0)
    for word in ("climate", "service", "citizens", "data", "energy", "housing"):
        total = facet_counts(LibraryCriteria(q=word)).total
        if 5000 <= total <= 30000:
            return word, total
        if total > best[1]:
            best = (word, total)
    return best


def pick_export_filter(target_rows: int = 10000) -> tuple[str, int]:
    """A country or edition filter whose result set is closest to ``target_rows``."""
    from cases.domain.queries.library import LibraryCriteria, facet_counts, facet_vocabulary

    counts = facet_counts(LibraryCriteria())
    vocabulary = facet_vocabulary()
    candidates = []
    for facet in ("edition", "country", "collaboration", "sector"):
        for option in vocabulary[facet]:
            rows = sum(counts.count(facet, key) for key in option.keys)
            if rows:
                candidates.append((abs(rows - target_rows), f"{facet}={option.value}", rows))
    candidates.sort()
    _distance, query, rows = candidates[0]
    return query, rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=25)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    setup_django()

    from django.core.management import call_command
    from django.test import Client

    from cases.domain.queries.library import LibraryCriteria, facet_counts
    from cases.models import Case

    call_command("migrate", verbosity=0)
    fill(args.cases, args.seed)
    total = Case.objects.filter(is_published=True).count()

    term, hits = pick_common_term()
    faceted = f"q={term}&country=DE&collaboration=public-citizen&phase=co-design"
    faceted_hits = facet_counts(
        LibraryCriteria(
            q=term, country=("DE",), collaboration=("public-citizen",), phase=("co-design",)
        )
    ).total
    export_query, export_rows = pick_export_filter()
    slugs = list(
        Case.objects.filter(is_published=True).order_by("?").values_list("slug", flat=True)[:40]
    )

    client = Client()
    rows = []

    def record(label, url, runs=args.runs, stream=False, cold=True):
        median, status, size = measure(client, url, runs, stream=stream, cold=cold)
        if status != 200:
            sys.exit(f"{url} answered {status}")
        rows.append((label, median, runs, size))
        print(f"  {label}: {median:.1f} ms", file=sys.stderr)

    record("Unfiltered list, page 1 with facet counts", "/library/")
    record("Unfiltered list, facet counts from the cache", "/library/?page=2", cold=False)
    record(f'Text search "{term}" ({hits:,} hits), ranked', f"/library/?q={term}")
    record(f'Text search "{term}" + 3 facets ({faceted_hits:,} hits)', f"/library/?{faceted}")
    record(f'Text search "{term}", sorted newest first', f"/library/?q={term}&sort=newest")
    record(
        f'Text search "{term}" + 3 facets, page 2 (counts cached)',
        f"/library/?{faceted}&page=2",
        cold=False,
    )
    # Case pages and comparisons over different cases, so no run reuses a warm row.
    case_timings = []
    for slug in slugs[:20]:
        median, status, _size = measure(client, f"/library/{slug}/", 3)
        case_timings.append(median)
    rows.append(("Case page (20 different cases)", statistics.median(case_timings), 60, 0))
    compare_timings = []
    for start in range(0, 40, 4):
        url = "/library/compare/?cases=" + ",".join(slugs[start : start + 4])
        median, status, _size = measure(client, url, 3)
        compare_timings.append(median)
    rows.append(
        ("4-case comparison (10 different sets)", statistics.median(compare_timings), 30, 0)
    )
    record(
        f"CSV export of {export_rows:,} rows ({export_query})",
        f"/library/export.csv?{export_query}",
        runs=5,
        stream=True,
    )
    record("Statistics page", "/library/stats/", runs=5)

    print(f"\nPublished cases: {total:,}; load average at the end: {os.getloadavg()}\n")
    print("| request | median | runs |")
    print("|---|---:|---:|")
    for label, median, runs, _size in rows:
        print(f"| {label} | {median:.1f} ms | {runs} |")


if __name__ == "__main__":
    main()
