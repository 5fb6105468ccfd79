"""Benchmark of the public case library at 100,000 cases (PostgreSQL), against its floor.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/DBNAME .venv/bin/python benchmarks/library.py

Fills the database (migrating it first) with synthetic published cases from
``cases.demo.synthetic.generate_synthetic_cases`` until it holds ``--cases`` of them, spread
over six editions, then measures each library request through Django's test client (URL
routing, middleware, view, queries, template rendering; no network) and, interleaved with it
run by run, the minimal bare SQL that answers the same question on the same database (a page
of 25 and its total; the case and what its page lists; the rows of an export), so that load
on the machine weighs on both alike. Facet counts and statistics are never served from the cache
(``LIBRARY_CACHE_COUNTS = False``): every figure is computed per request unless it comes from a
table kept current by publication.
Prints both medians, their ratio, the issue's target and the load average, as Markdown for
docs/performance.md.

Options: --cases N (default 100000), --runs N (default 21), --seed S (default 2024),
--only PARTS (comma-separated, of: list, stats, search, faceted, rare, case, compare, export,
full-export; default all: migrates and fills the database first; with --only it only reads a
database already filled).
"""

# ruff: noqa: S608  (bare SQL built from fixed strings; values travel as parameters)
import argparse
import os
import resource
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

    # Measure what production runs: no query log, no debug pages. Facet counts and statistics
    # are never taken from the cache: each request computes what it shows, unless it comes from
    # a table kept current by publication (the vocabularies' labels may come from the cache).
    settings.DEBUG = False
    settings.LIBRARY_CACHE_COUNTS = False
    # The site prepares exports of more than LIBRARY_INLINE_EXPORT_ROWS cases in the task queue,
    # with the same writer; lifted here so that the writer is timed through its URL.
    settings.LIBRARY_INLINE_EXPORT_ROWS = sys.maxsize
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


def _request(client, url: str, stream: bool) -> tuple[float, float, int, int]:
    """(milliseconds to the whole body, milliseconds to the first byte, status, bytes)."""
    started = time.perf_counter()
    response = client.get(url)
    if stream:
        size = 0
        first = None
        for piece in response.streaming_content:
            if first is None:
                first = time.perf_counter()
            size += len(piece)
    else:
        size = len(response.content)
        first = time.perf_counter()
    done = time.perf_counter()
    return (done - started) * 1000, ((first or done) - started) * 1000, response.status_code, size


def _sql(statements) -> float:
    """Run bare SQL statements (sql, params), fetching every row; milliseconds."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            cursor.fetchall()
    return (time.perf_counter() - started) * 1000


def measure(client, url: str, floor, runs: int, *, stream: bool = False) -> dict:
    """Medians over ``runs`` interleaved pairs (after one warm-up pair): the request with an
    empty cache, then its floor (a list of SQL statements, or a function returning ms)."""
    project, first_bytes, bare = [], [], []
    status = size = 0
    for run in range(runs + 1):
        elapsed, first, status, size = _request(client, url, stream)
        floor_ms = floor() if callable(floor) else _sql(floor)
        if run:
            project.append(elapsed)
            first_bytes.append(first)
            bare.append(floor_ms)
    if status != 200:
        sys.exit(f"{url} answered {status}")
    return {
        "project": statistics.median(project),
        "first_byte": statistics.median(first_bytes),
        "floor": statistics.median(bare),
        "size": size,
        "runs": runs,
    }


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


# --- the floor: minimal SQL for each question ----------------------------------------------

_PAGE_COLUMNS = (
    "c.id, c.slug, c.title, c.summary, c.country, c.level, c.outcome, c.place, c.year,"
    " c.provenance, c.published_at, e.name, e.slug, e.year_label, cat.name, o.name"
)
_PAGE_JOINS = (
    " LEFT JOIN cases_edition e ON e.id = c.edition_id"
    " LEFT JOIN cases_category cat ON cat.id = c.category_id"
    " LEFT JOIN cases_organisation o ON o.id = c.lead_organisation_id"
)


def floor_list():
    return [
        (
            f"SELECT {_PAGE_COLUMNS} FROM cases_case c{_PAGE_JOINS} WHERE c.is_published"
            " ORDER BY c.published_at DESC, c.id DESC LIMIT 25",
            [],
        ),
        ("SELECT count(*) FROM cases_case WHERE is_published", []),
    ]


def floor_search(term: str, facets: str = ""):
    """A ranked page and its total over the search table, English configuration only."""
    match = "s.search_vector @@ websearch_to_tsquery('english', %s)" + facets
    return [
        (
            f"SELECT {_PAGE_COLUMNS} FROM (SELECT s.case_id,"
            " ts_rank(r.rank_vector, websearch_to_tsquery('english', %s)) AS rank"
            " FROM cases_librarysearch s JOIN cases_libraryrank r ON r.case_id = s.case_id"
            f" WHERE {match}"
            " ORDER BY rank DESC, s.published_at DESC, s.case_id DESC LIMIT 25) p"
            f" JOIN cases_case c ON c.id = p.case_id{_PAGE_JOINS} ORDER BY p.rank DESC",
            [term, term],
        ),
        (f"SELECT count(*) FROM cases_librarysearch s WHERE {match}", [term]),
    ]


def floor_statistics():
    """The library's figures counted live, in the four grouped queries they need."""
    published = "SELECT id FROM cases_case WHERE is_published"
    return [
        (
            "SELECT c.edition_id, t.collaborationtype_id, count(*)"
            " FROM cases_case_collaboration_types t JOIN cases_case c ON c.id = t.case_id"
            " WHERE c.is_published GROUP BY 1, 2",
            [],
        ),
        ("SELECT country, count(*) FROM cases_case WHERE is_published GROUP BY 1", []),
        (
            "SELECT coproductionphase_id, count(*) FROM cases_case_coproduction_phases"
            f" WHERE case_id IN ({published}) GROUP BY 1",
            [],
        ),
        (
            "SELECT factor_id, count(*), count(*) FILTER (WHERE value >= 3), avg(value)"
            f" FROM cases_factorprofilevalue WHERE case_id IN ({published}) GROUP BY 1",
            [],
        ),
    ]


def floor_case(slugs):
    def run():
        return _sql(
            [
                ("SELECT * FROM cases_case WHERE slug = %s AND is_published", [slugs[0]]),
                (
                    "SELECT p.* FROM cases_partner p JOIN cases_case c ON c.id = p.case_id"
                    " WHERE c.slug = %s ORDER BY p.order",
                    [slugs[0]],
                ),
                (
                    "SELECT v.* FROM cases_factorprofilevalue v JOIN cases_case c"
                    " ON c.id = v.case_id WHERE c.slug = %s",
                    [slugs[0]],
                ),
            ]
        )

    return run


def floor_compare(slugs):
    return [
        (
            f"SELECT {_PAGE_COLUMNS} FROM cases_case c{_PAGE_JOINS}"
            " WHERE c.slug = ANY(%s) AND c.is_published",
            [slugs],
        ),
        (
            "SELECT v.* FROM cases_factorprofilevalue v JOIN cases_case c ON c.id = v.case_id"
            " WHERE c.slug = ANY(%s)",
            [slugs],
        ),
    ]


def floor_export(where: str, params):
    """The export's rows through a server-side cursor inside a transaction."""

    def run():
        from django.db import connection, transaction

        started = time.perf_counter()
        with (
            transaction.atomic(),
            connection.connection.cursor(name="floor_export") as cursor,
        ):
            cursor.itersize = 2000
            cursor.execute(
                f"SELECT {_PAGE_COLUMNS}, c.start_date, c.end_date, c.website, c.licence"
                f" FROM cases_case c{_PAGE_JOINS} WHERE c.is_published{where}"
                " ORDER BY c.published_at DESC, c.id DESC",
                params,
            )
            for _row in cursor:
                pass
        return (time.perf_counter() - started) * 1000

    return run


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--only", default="", help="comma-separated parts to measure")
    args = parser.parse_args()
    only = {part.strip() for part in args.only.split(",") if part.strip()}
    unknown = only - set(PARTS)
    if unknown:
        parser.error(f"unknown parts: {', '.join(sorted(unknown))}; choose from {', '.join(PARTS)}")

    def wanted(part: str) -> bool:
        return not only or part in only

    setup_django()

    from django.core.management import call_command
    from django.test import Client

    from cases.domain.queries.library import LibraryCriteria, facet_counts
    from cases.models import Case

    if not only:
        # Measuring only some parts reads a database already filled: no migration, no fill.
        call_command("migrate", verbosity=0)
        fill(args.cases, args.seed)
    total = Case.objects.filter(is_published=True).count()

    if wanted("search") or wanted("faceted"):
        term, hits = pick_common_term()
        faceted = f"q={term}&country=DE&collaboration=public-citizen&phase=co-design"
        faceted_hits = facet_counts(
            LibraryCriteria(
                q=term, country=("DE",), collaboration=("public-citizen",), phase=("co-design",)
            )
        ).total
    if wanted("export"):
        export_query, export_rows = pick_export_filter()
    slugs = list(
        Case.objects.filter(is_published=True).order_by("?").values_list("slug", flat=True)[:40]
    )

    client = Client()
    rows = []
    load_before = os.getloadavg()

    def record(label, url, floor, target, runs=args.runs, stream=False):
        result = measure(client, url, floor, runs, stream=stream)
        rows.append((label, result, target))
        print(
            f"  {label}: {result['project']:.1f} ms (floor {result['floor']:.1f} ms)",
            file=sys.stderr,
        )
        return result

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM cases_collaborationtype WHERE slug = 'public-citizen'")
        citizen = cursor.fetchone()[0]
        cursor.execute("SELECT id FROM cases_coproductionphase WHERE slug = 'co-design'")
        codesign = cursor.fetchone()[0]
    facet_sql = (
        f" AND s.country = 'DE' AND s.collaboration && ARRAY[{citizen}]::bigint[]"
        f" AND s.phase && ARRAY[{codesign}]::bigint[]"
    )

    if wanted("list"):
        record("Unfiltered list with facet counts", "/library/", floor_list(), 30)
    if wanted("stats"):
        record("Statistics page", "/library/stats/", floor_statistics(), 50)
    if wanted("search"):
        record(
            f'"{term}" ({hits:,} hits) ranked, page and facet counts',
            f"/library/?q={term}",
            floor_search(term),
            150,
        )
    if wanted("faceted"):
        record(
            f'"{term}" + 3 facets ({faceted_hits:,} hits)',
            f"/library/?{faceted}",
            floor_search(term, facet_sql),
            60,
        )
    if wanted("rare"):
        rare = pick_rare_term()
        record(
            f'Rare term "{rare[0]}" ({rare[1]} hits)',
            f"/library/?q={rare[0]}",
            floor_search(rare[0]),
            15,
        )
    # Case pages and comparisons over different cases, so no run reuses a warm row.
    if wanted("case"):
        case_results = [
            measure(client, f"/library/{slug}/", floor_case([slug]), 3) for slug in slugs[:20]
        ]
        rows.append(("Case page (20 different cases)", _medians(case_results, 60), 8))
    if wanted("compare"):
        compare_results = [
            measure(
                client,
                "/library/compare/?cases=" + ",".join(slugs[start : start + 4]),
                floor_compare(slugs[start : start + 4]),
                3,
            )
            for start in range(0, 40, 4)
        ]
        rows.append(("4-case comparison (10 different sets)", _medians(compare_results, 30), 10))
    full = None
    if wanted("export"):
        _record_export(record, export_query, export_rows)
    rss_before = _rss_mb()
    if wanted("full-export"):
        full = record(
            f"CSV export of all {total:,} cases",
            "/library/export.csv",
            floor_export("", []),
            6000,
            runs=3,
            stream=True,
        )
    rss_after = _rss_mb()

    print(
        f"\nPublished cases: {total:,}. Load average before: {_load(load_before)}; "
        f"after: {_load(os.getloadavg())} (2 cores).\n"
    )
    print("| request | project | bare SQL, same question | ratio | target | runs |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, result, target in rows:
        ratio = result["project"] / result["floor"] if result["floor"] else float("inf")
        print(
            f"| {label} | {result['project']:,.1f} ms | {result['floor']:,.1f} ms | "
            f"{ratio:.1f}x | ≤ {target:,} ms | {result['runs']} |"
        )
    if full is not None:
        print(
            f"\nFull export: first byte after {full['first_byte']:.0f} ms (target ≤ 100 ms), "
            f"{full['size'] / 1e6:.1f} MB; peak memory of this process {rss_before:.0f} MB "
            f"before the full exports, {rss_after:.0f} MB after (target: grows by ≤ 50 MB)."
        )


def _record_export(record, export_query: str, export_rows: int) -> None:
    field, value = export_query.split("=")
    export_where = {
        "edition": " AND e.slug = %s",
        "country": " AND c.country = %s",
        "collaboration": " AND c.id IN (SELECT case_id FROM cases_case_collaboration_types t"
        " JOIN cases_collaborationtype k ON k.id = t.collaborationtype_id WHERE k.slug = %s)",
        "sector": " AND c.id IN (SELECT case_id FROM cases_case_policy_sectors t"
        " JOIN cases_policysector k ON k.id = t.policysector_id WHERE k.slug = %s)",
    }[field]
    record(
        f"CSV export of {export_rows:,} rows ({export_query})",
        f"/library/export.csv?{export_query}",
        floor_export(export_where, [value]),
        700,
        runs=5,
        stream=True,
    )


PARTS = (
    "list",
    "stats",
    "search",
    "faceted",
    "rare",
    "case",
    "compare",
    "export",
    "full-export",
)


def _medians(results, runs) -> dict:
    return {
        "project": statistics.median(r["project"] for r in results),
        "floor": statistics.median(r["floor"] for r in results),
        "first_byte": statistics.median(r["first_byte"] for r in results),
        "size": 0,
        "runs": runs,
    }


def _load(values) -> str:
    return " / ".join(f"{value:.1f}" for value in values)


def pick_rare_term() -> tuple[str, int]:
    """A word with a few dozen hits (the cheap case: the index does all the work)."""
    from cases.domain.queries.library import LibraryCriteria, facet_counts

    for word in ("fenosa", "roswick", "zelania", "mormer", "lighthouse", "orchard", "ferry"):
        total = facet_counts(LibraryCriteria(q=word)).total
        if 1 <= total <= 500:
            return word, total
    return "lighthouse", 0


if __name__ == "__main__":
    main()
