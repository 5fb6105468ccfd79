"""Derived data of the library, in one home that its writers and its readers import.

What is derived from the cases and kept current here:
- each case's library year (``Case.year``) and factor profile (``cases.domain.profiles``);
- on PostgreSQL, the search table (``cases.domain.search``): one narrow row per published case;
- ``LibraryFigure``: the counts of the unfiltered library (landing-page facets, statistics);
- a generation number in the cache, under which readers cache what they computed: every change
  increments it, so a cached figure never outlives the data it was computed from.

Saves through the ORM refresh through signals (``cases.domain.signals``); bulk writes, which send
no signals, call ``refresh_derived_data`` or ``library_changed`` themselves.

The figures table is rebuilt by the task queue once the writing transaction has committed
(``on_commit``; at 100,000 cases a rebuild counts for a few seconds), so that neither the writer
nor concurrent writers wait on it; readers on other connections see the previous figures until
the worker has rebuilt them. Until then, readers on the writer's own connection (a test,
or code that reads right after writing) see that their transaction changed the library and count
live instead of reading the table.
"""

import re
import secrets
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear

from cases.domain import profiles
from cases.domain.queries.analytics_counts import AnalyticsCounts, count_factor_analytics
from cases.domain.queries.published import STRONG_FACTOR_VALUE, published_cases
from cases.domain.search import update_search_vectors
from cases.domain.similarity import (
    ensure_similar_list,
    refresh_all_similar_lists,
    refresh_features,
    refresh_similarity,
)
from cases.models import Case, Edition, FactorProfileValue, LibraryFigure

_BATCH = 2000
_YEAR = re.compile(r"(1[89]|20|21)\d\d")
GENERATION_KEY = "library:generation"
CACHE_SECONDS = 300
# Set on a connection whose open transaction changed the library (see the module docstring).
_DIRTY = "_epsa_library_changed"
# Any fixed number: serialises rebuilds of the figures table on PostgreSQL.
_FIGURES_LOCK = 7_311_013


# --- years ----------------------------------------------------------------------------------


def edition_year(year_label: str) -> int | None:
    """The first four-digit year in an edition's label ("2023-24" -> 2023)."""
    match = _YEAR.search(year_label or "")
    return int(match.group(0)) if match else None


def case_year(case: Case) -> int | None:
    """The year the library files a case under: its edition's, else the year it started."""
    if case.edition_id and case.edition is not None:
        year = edition_year(case.edition.year_label)
        if year:
            return year
    # Before a save the field may still hold the string it was given ("2015-03-01").
    start = Case._meta.get_field("start_date").to_python(case.start_date)
    return start.year if start else None


def refresh_case_years(case_ids: Iterable[int] | None = None) -> None:
    """Recompute ``Case.year`` of the given cases (all cases when ``None``) in a few UPDATEs."""
    years = {
        pk: edition_year(label) for pk, label in Edition.objects.values_list("pk", "year_label")
    }
    if case_ids is None:
        batches = [Case.objects.all()]
    else:
        ids = sorted(set(case_ids))
        batches = [
            Case.objects.filter(pk__in=ids[start : start + _BATCH])
            for start in range(0, len(ids), _BATCH)
        ]
    for batch in batches:
        batch.update(year=ExtractYear("start_date"))
        for edition_id, year in years.items():
            if year:
                batch.filter(edition_id=edition_id).update(year=year)


# --- the generation, and the cache as a second line -----------------------------------------


def _first_generation() -> int:
    # Random rather than 1, so that a generation never repeats after the cache was emptied
    # (values kept in a process under an old generation must not come back as current).
    return secrets.randbelow(2**62) + 1


def library_generation() -> int:
    return cache.get_or_set(GENERATION_KEY, _first_generation, None)


def _bump_generation() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, _first_generation(), None)


def cached(name: str, compute, *, counts: bool = True):
    """``compute()`` through the cache, under the library's current generation.

    ``counts`` marks figures computed from the cases; ``settings.LIBRARY_CACHE_COUNTS = False``
    (the benchmark) computes those on every call."""
    if counts and not getattr(settings, "LIBRARY_CACHE_COUNTS", True):
        return compute()
    key = f"library:{name}:{connection.alias}:{library_generation()}"
    if not counts and key in _process_memo:
        return _process_memo[key]
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    if not counts:
        if len(_process_memo) >= _PROCESS_MEMO_SIZE:
            _process_memo.clear()
        _process_memo[key] = value
    return value


# What is not a count (the vocabularies' labels) is also kept in the process, under the same
# generation: unpickling a few hundred options from the shared cache cost 1-5 ms a page.
# Callers treat these values as read-only.
_process_memo: dict[str, object] = {}
_PROCESS_MEMO_SIZE = 64


def library_changed() -> None:
    """The published library changed: forget cached figures now, and once the change has
    committed have the queue rebuild the figures table (one rebuild per transaction)."""
    _bump_generation()
    if connection.in_atomic_block:
        setattr(connection, _DIRTY, True)
        transaction.on_commit(_rebuild_after_commit)
    else:
        _enqueue_rebuild()


def _rebuild_after_commit() -> None:
    if not getattr(connection, _DIRTY, False):
        return  # an earlier callback of the same transaction enqueued the rebuild
    setattr(connection, _DIRTY, False)
    _enqueue_rebuild()


def _enqueue_rebuild() -> None:
    from cases.tasks import rebuild_library_figures

    rebuild_library_figures.enqueue()


def rebuild_library_figures() -> int:
    """Recount the figures table (the queue's task); returns how many figures it holds."""
    count = refresh_library_figures()
    _bump_generation()  # what readers cached while the table was being rebuilt is stale
    return count


# --- refreshes ------------------------------------------------------------------------------


def refresh_search_entries(case_ids: Iterable[int] | None) -> None:
    """The search table rows of these cases (all cases when ``None``); PostgreSQL only."""
    update_search_vectors(case_ids)
    library_changed()


@transaction.atomic
def refresh_profiles(
    case_ids: Iterable[int], *, consensus: Mapping[int, Mapping[int, Decimal]] | None = None
) -> None:
    """Rebuild the stored profiles of ``case_ids`` (see ``cases.domain.profiles``) and what the
    library derives from them (the strong factors in the search table, the figures)."""
    ids = sorted(set(case_ids))
    profiles.refresh_factor_profiles(ids, consensus=consensus)
    refresh_search_entries(ids)


def refresh_derived_data(case_ids: Iterable[int]) -> None:
    ids = sorted(set(case_ids))
    refresh_case_years(ids)
    profiles.refresh_factor_profiles(ids)
    refresh_search_entries(ids)
    refresh_similarity(ids)


_pending = threading.local()


def _pending_ids() -> set[int]:
    if not hasattr(_pending, "ids"):
        _pending.ids = set()
    return _pending.ids


def similarity_changed(case_ids: Iterable[int]) -> None:
    """The facts similar cases are computed from (profile, tags, title, summary, publication)
    changed for ``case_ids``: once the transaction commits, the task queue refreshes their
    features and lists (``cases.tasks.refresh_similar_cases``; the worker, or at once with the
    immediate backend).

    Calls within one transaction are gathered, so a save followed by tag changes refreshes once.
    """
    ids = {int(pk) for pk in case_ids if pk}
    if not ids:
        return
    _pending_ids().update(ids)
    transaction.on_commit(_flush_similarity, robust=True)


def _flush_similarity() -> None:
    from cases.tasks import refresh_similar_cases

    ids = sorted(_pending_ids())
    _pending_ids().clear()
    if ids:
        refresh_similar_cases.enqueue(case_ids=ids)


def refresh_similar(case_ids: Iterable[int]) -> None:
    """Refresh the similarity features and lists of ``case_ids`` (the queue's task runs this)."""
    refresh_similarity(case_ids)


def similar_list_ready(case_id: int) -> None:
    """Make sure a published case's similar cases are stored (a bulk import leaves them for
    the ``refresh_similar_cases`` command; a page that comes first computes its own)."""
    ensure_similar_list(case_id)


def refresh_all_similar_cases(*, progress=None) -> int:
    """Features of every case that is not a draft, then every published case's list."""
    from cases.models import CaseStatus

    refresh_features(Case.objects.exclude(status=CaseStatus.DRAFT).values_list("pk", flat=True))
    return refresh_all_similar_lists(progress=progress)


# --- the figures of the unfiltered library --------------------------------------------------

# Facets stored on the case row: facet name -> column.
_ROW_FACETS = {
    "country": "country",
    "gov_level": "level",
    "outcome": "outcome",
    "edition": "edition_id",
    "category": "category_id",
    "stage": "innovation_stage_id",
    "language": "language",
    "provenance": "provenance",
}
# Facets stored as many-to-many relations of Case: facet -> the relation's field name.
M2M_FACETS = {
    "collaboration": "collaboration_types",
    "phase": "coproduction_phases",
    "coproduction_level": "coproduction_levels",
    "sector": "policy_sectors",
}
FACET_TOTAL = "facet:total"
COLLABORATION_BY_EDITION = "stat:collaboration-by-edition"
FACTOR_COVERAGE = "stat:factor-coverage"
# The counts behind the factor analytics of the whole library (``AnalyticsCounts``).
ANALYTICS_PREFIX = "analytics:"
ANALYTICS_RATING = "analytics:rating"  # key factor, key2 rating: n
ANALYTICS_TYPE_CASES = "analytics:type-cases"  # key collaboration type: n
ANALYTICS_TYPE_SUM = "analytics:type-sum"  # key type, key2 factor: n values, amount their sum
ANALYTICS_GROUP_CASES = "analytics:group-cases"  # key outcome group: n
ANALYTICS_GROUP_SUM = "analytics:group-sum"  # key group, key2 factor: n, amount
ANALYTICS_PAIR = "analytics:pair"  # key factor, key2 factor: n strong on both


@dataclass
class LibraryFigures:
    total: int
    # facet -> stored key (vocabulary id as text, country code ...) -> cases
    facets: dict[str, dict[str, int]]
    # (edition id or None, collaboration type id) -> cases
    collaboration_by_edition: dict[tuple[int | None, int], int]
    # factor id -> (cases with a value, cases strong on it, mean value or None)
    factor_coverage: dict[int, tuple[int, int, float | None]]
    analytics: AnalyticsCounts


def _key(value) -> str:
    return "" if value is None else str(value)


def compute_library_figures(*, with_analytics: bool = True) -> list[LibraryFigure]:
    """Count the published library: the rows of the figures table (about 15 grouped queries,
    and seven more for the factor analytics)."""
    published = published_cases().order_by()
    ids = published.values("id")
    rows = [LibraryFigure(kind=FACET_TOTAL, n=published.count())]
    for facet, column in _ROW_FACETS.items():
        for value, n in published.values_list(column).annotate(n=Count("id")).order_by():
            if value is not None:
                rows.append(LibraryFigure(kind=f"facet:{facet}", key=_key(value), n=n))
    for facet, relation in M2M_FACETS.items():
        field = Case._meta.get_field(relation)
        through = field.remote_field.through
        target = f"{field.m2m_reverse_field_name()}_id"
        grouped = (
            through.objects.filter(case_id__in=ids)
            .values_list(target)
            .annotate(n=Count("id"))
            .order_by()
        )
        rows += [LibraryFigure(kind=f"facet:{facet}", key=_key(v), n=n) for v, n in grouped]
    collaboration = Case.collaboration_types.through.objects.filter(case_id__in=ids)
    rows += [
        LibraryFigure(kind=COLLABORATION_BY_EDITION, key=_key(edition), key2=_key(kind), n=n)
        for edition, kind, n in collaboration.values_list(
            "case__edition_id", "collaborationtype_id"
        )
        .annotate(n=Count("id"))
        .order_by()
    ]
    coverage = (
        FactorProfileValue.objects.filter(case_id__in=ids)
        .values_list("factor_id")
        .annotate(
            n=Count("id"),
            strong=Count("id", filter=Q(value__gte=STRONG_FACTOR_VALUE)),
            total=Sum("value"),
        )
        .order_by()
    )
    for factor, n, strong, total in coverage:
        rows.append(
            LibraryFigure(kind=FACTOR_COVERAGE, key=_key(factor), n=n, n2=strong, amount=total or 0)
        )
        if strong:
            rows.append(LibraryFigure(kind="facet:factor", key=_key(factor), n=strong))
    if with_analytics:
        rows += _analytics_rows(count_factor_analytics(published))
    return rows


def _analytics_rows(counts: AnalyticsCounts) -> list[LibraryFigure]:
    def pair_rows(kind, values):
        return [
            LibraryFigure(kind=kind, key=_key(first), key2=_key(second), n=n)
            for (first, second), n in values.items()
        ]

    def single_rows(kind, values):
        return [LibraryFigure(kind=kind, key=_key(key), n=n) for key, n in values.items()]

    def sum_rows(kind, values):
        return [
            LibraryFigure(kind=kind, key=_key(first), key2=_key(second), n=n, amount=total or 0)
            for (first, second), (n, total) in values.items()
        ]

    return [
        *pair_rows(ANALYTICS_RATING, counts.ratings),
        *single_rows(ANALYTICS_TYPE_CASES, counts.type_cases),
        *sum_rows(ANALYTICS_TYPE_SUM, counts.type_sums),
        *single_rows(ANALYTICS_GROUP_CASES, counts.group_cases),
        *sum_rows(ANALYTICS_GROUP_SUM, counts.group_sums),
        *pair_rows(ANALYTICS_PAIR, counts.pairs),
    ]


def refresh_library_figures() -> int:
    """Recount the unfiltered library into the figures table."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_FIGURES_LOCK])
        rows = compute_library_figures()
        LibraryFigure.objects.all().delete()
        LibraryFigure.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def library_figures(*, with_analytics: bool = False) -> LibraryFigures:
    """The counts of the unfiltered library: one query on the figures table, or counted live
    when this connection's open transaction changed the library or the table is still empty.
    The factor analytics' counts (``figures.analytics``) are read only when asked for."""
    if connection.in_atomic_block and getattr(connection, _DIRTY, False):
        return _figures(_values(compute_library_figures(with_analytics=with_analytics)))
    stored = LibraryFigure.objects.all()
    if not with_analytics:
        stored = stored.exclude(kind__startswith=ANALYTICS_PREFIX)
    rows = list(stored.values_list(*_FIELDS))
    if not rows:
        computed = compute_library_figures()
        if not connection.in_atomic_block:
            LibraryFigure.objects.bulk_create(computed, batch_size=500, ignore_conflicts=True)
        rows = _values(computed)
    return _figures(rows)


_FIELDS = ("kind", "key", "key2", "n", "n2", "amount")


def _values(rows: Iterable[LibraryFigure]) -> list[tuple]:
    return [tuple(getattr(row, name) for name in _FIELDS) for row in rows]


def _add_analytics(analytics: AnalyticsCounts, kind, key, key2, n, amount) -> None:
    if kind == ANALYTICS_RATING:
        analytics.ratings[(key, key2)] = n
    elif kind == ANALYTICS_TYPE_CASES:
        analytics.type_cases[key] = n
    elif kind == ANALYTICS_TYPE_SUM:
        analytics.type_sums[(key, key2)] = (n, Decimal(amount))
    elif kind == ANALYTICS_GROUP_CASES:
        analytics.group_cases[key] = n
    elif kind == ANALYTICS_GROUP_SUM:
        analytics.group_sums[(key, key2)] = (n, Decimal(amount))
    elif kind == ANALYTICS_PAIR:
        analytics.pairs[(key, key2)] = n


def _figures(rows: Iterable[tuple]) -> LibraryFigures:
    analytics = AnalyticsCounts()
    figures = LibraryFigures(
        total=0, facets={}, collaboration_by_edition={}, factor_coverage={}, analytics=analytics
    )
    for kind, key, key2, n, n2, amount in rows:
        if kind == FACET_TOTAL:
            figures.total = analytics.total = n
        elif kind.startswith(ANALYTICS_PREFIX):
            _add_analytics(analytics, kind, int(key), int(key2) if key2 else None, n, amount)
        elif kind == COLLABORATION_BY_EDITION:
            figures.collaboration_by_edition[(int(key) if key else None, int(key2))] = n
        elif kind == FACTOR_COVERAGE:
            mean = float(Decimal(amount) / n) if n and amount else None
            figures.factor_coverage[int(key)] = (n, n2, mean)
        else:
            figures.facets.setdefault(kind.removeprefix("facet:"), {})[key] = n
    return figures
