"""Benchmark of similar cases and factor analytics at 100,000 cases (PostgreSQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/DBNAME .venv/bin/python benchmarks/insight.py

Expects a database filled by ``benchmarks/library.py`` (run that first). Stores the similarity
features of every case once (timed), then reports medians of: refreshing one published case's
similar cases (what publishing or changing a case costs), the case page with its stored similar
cases, the factor analytics without and with filters, and the statistics page. Results go to
standard output as a Markdown table for docs/performance.md.

The refresh is measured against its floor: interleaved with each refresh, the bare SQL of its
candidate scan (the one statement that reads every published row), so that load on the shared
machine weighs on both alike; the load average is printed too. Before timing, the lists of the
sampled cases and of their candidates are computed (once; kept in the database), as they are in
a library whose lists are ready: a refresh then merges the case into its neighbours' lists.

Options: --runs N (default 25), --sample N cases refreshed (default 40), --profile (a Python
profile of the refreshes, to standard error), --refresh-only, --change (before each refresh,
the case's title gains or loses a word, as an edit would: its words, its scores and so its list
and its neighbours' lists change, so the refresh writes; without it, a refresh finds what a
save that changes nothing similarity reads finds).
"""

# ruff: noqa: S608  (bare SQL built from integers and constants)
import argparse
import cProfile
import os
import pstats
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


def _load(values) -> str:
    return ", ".join(f"{value:.2f}" for value in values)


ROUND_TRIPS: list[float] = []  # ms of a bare "SELECT 1", next to each refresh


def _candidate_scan(case_id: int) -> tuple[float, float]:
    """Bare SQL of one refresh's candidates (ms): the statement that orders every published row
    by the structural distance (the scan the search avoids), and the search by tag masks
    (``_pool``, whose statements read only the rows near the case's tags)."""
    from django.db import connection, transaction

    from cases.domain.similarity import POOL_SIZE, _pool, _stored_features, _structural_sql

    features = _stored_features([case_id])[case_id]
    expression, params = _structural_sql(features)
    sql = (
        "SELECT s.case_id FROM cases_similarityfeatures s "
        "WHERE s.is_published AND s.case_id <> %s "
        f"ORDER BY {expression}, s.case_id LIMIT %s"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        start = time.perf_counter()
        cursor.execute("SELECT 1")
        cursor.fetchall()
        ROUND_TRIPS.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        cursor.execute(sql, [case_id, *params, POOL_SIZE])
        cursor.fetchall()
        full = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        _pool(features)
        return full, (time.perf_counter() - start) * 1000


def _edit_title(case_id: int) -> None:
    """Add a word to the case's title, or take it away again (no signals: the refresh is
    timed by itself)."""
    from cases.models import Case

    title = Case.objects.values_list("title", flat=True).get(pk=case_id)
    word = " renewal"
    Case.objects.filter(pk=case_id).update(
        title=title.removesuffix(word) if title.endswith(word) else title + word
    )


def prepare_lists(sample: list[int]) -> int:
    """Compute the lists of the sampled cases and of their candidates that are not ready."""
    from django.db import transaction

    from cases.domain.similarity import _pool, _recompute, _stored_features
    from cases.models import SimilarityFeatures

    wanted = set(sample)
    for case_id in sample:
        pool = _pool(_stored_features([case_id])[case_id])
        wanted.update(getattr(row, "case_id", row) for row in pool)  # rows, or ids before
    missing = sorted(
        SimilarityFeatures.objects.filter(case_id__in=wanted, list_ready=False).values_list(
            "case_id", flat=True
        )
    )
    for start in range(0, len(missing), 200):
        with transaction.atomic():
            _recompute(missing[start : start + 200])
        print(f"  lists computed: {min(start + 200, len(missing))}/{len(missing)}", file=sys.stderr)
    return len(missing)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=25)
    parser.add_argument("--sample", type=int, default=40)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--refresh-only", action="store_true")
    parser.add_argument("--change", action="store_true")
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
    prepared = prepare_lists(sample)
    from django.db import connection

    with connection.cursor() as cursor:
        # As autovacuum would after the lists were filled: the planner then reads lists by id.
        cursor.execute("ANALYZE cases_similarcase, cases_similarityfeatures")
    load_before = os.getloadavg()
    samples, floors, searches = [], [], []
    profiler = cProfile.Profile() if options.profile else None
    for case_id in sample:
        full, search = _candidate_scan(case_id)
        floors.append(full)
        searches.append(search)
        if options.change:
            _edit_title(case_id)
        if profiler:
            profiler.enable()
        start = time.perf_counter()
        refresh_similarity([case_id])
        samples.append((time.perf_counter() - start) * 1000)
        if profiler:
            profiler.disable()
    load_after = os.getloadavg()
    median, floor = statistics.median(samples), statistics.median(floors)
    search = statistics.median(searches)
    p90 = sorted(samples)[int(len(samples) * 0.9)]
    print(
        f"\nPublished cases: {len(ids):,}; {len(sample)} refreshes"
        f"{' of edited cases' if options.change else ''} ({prepared} lists computed "
        f"first). Load average before: {_load(load_before)}; after: {_load(load_after)} "
        "(2 cores).\n"
    )
    print("| measure (one case) | median | 90th percentile |")
    print("|---|---:|---:|")
    print(f"| refresh: features, list, neighbours' lists | {median:.1f} ms | {p90:.1f} ms |")
    print(
        f"| candidate search by tag masks (`_pool`) | {search:.1f} ms | "
        f"{sorted(searches)[int(len(searches) * 0.9)]:.1f} ms |"
    )
    print(
        f"| bare SQL ordering every published row (the floor of a scan) | {floor:.1f} ms | "
        f"{sorted(floors)[int(len(floors) * 0.9)]:.1f} ms |"
    )
    print(
        f"\nRefresh / scan floor: {median / floor:.2f}x. One round trip to the database "
        f"(SELECT 1) took {statistics.median(ROUND_TRIPS):.2f} ms (median) meanwhile.\n"
    )
    if profiler:
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(30)
    if options.refresh_only:
        return
    rows.append(("refresh one case's similar cases (median)", median))
    rows.append(("the same, 90th percentile", p90))
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
