"""Read paths of the public API: the library's own queries, cut into stable cursor pages.

Everything here starts from the library's single gate (``library_cases`` and
``published_case_for_page`` read ``published_cases()`` only), so the API can show nothing the
library page would not.

Pages are keyset pages ("after this row, in this order"), not offsets: a case published while a
client walks the results does not shift the later pages, so no row is returned twice or skipped.
The keys are whatever ``ordered()`` sorts by (for instance ``-published_at, -id``, or the
relevance rank first), so the API follows the page's sort orders as they change.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core import signing
from django.core.cache import cache
from django.db import connection
from django.db.models import F, Prefetch, Q, QuerySet
from django.db.models.expressions import OrderBy, RawSQL
from django.utils import timezone

from cases.domain.queries.library import (
    LibraryCriteria,
    library_cases,
    library_generation,
    ordered,
    published_case_for_page,
    published_cases,
)
from cases.models import (
    Case,
    CaseSlugHistory,
    CollaborationType,
    CoproductionLevel,
    CoproductionPhase,
    FactorProfileValue,
    Partner,
    PolicySector,
)

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 25
_CURSOR_SALT = "cases.api.cursor"

# Columns an API list item shows; never the narrative, the contacts or the search vectors.
ITEM_FIELDS = (
    "id",
    "slug",
    "title",
    "summary",
    "country",
    "level",
    "outcome",
    "place",
    "year",
    "start_date",
    "end_date",
    "ongoing",
    "licence",
    "provenance",
    "published_at",
    "updated_at",
    "edition__slug",
    "edition__name",
    "edition__year_label",
    "category__slug",
    "category__name",
    "lead_organisation__name",
    "innovation_stage__slug",
    "innovation_stage__label",
)


def _vocabulary(model):
    return model.objects.only("id", "slug", "label", "order")


def with_item_relations(queryset: QuerySet) -> QuerySet:
    """``queryset`` with everything an API list item shows: a fixed number of queries."""
    return (
        queryset.only(*ITEM_FIELDS)
        .select_related("edition", "category", "lead_organisation", "innovation_stage")
        .prefetch_related(
            Prefetch("collaboration_types", queryset=_vocabulary(CollaborationType)),
            Prefetch("coproduction_phases", queryset=_vocabulary(CoproductionPhase)),
            Prefetch("coproduction_levels", queryset=_vocabulary(CoproductionLevel)),
            Prefetch("policy_sectors", queryset=_vocabulary(PolicySector)),
            Prefetch(
                "partners",
                queryset=Partner.objects.only(
                    "id", "case_id", "name", "sector", "country", "order"
                ),
            ),
            Prefetch(
                "profile_values",
                queryset=FactorProfileValue.objects.select_related("factor").order_by(
                    "factor__order"
                ),
            ),
        )
    )


class BadCursor(ValueError):
    """The cursor was not made by this server, or for another sort order."""


@dataclass
class CursorPage:
    cases: list[Case]
    next_cursor: str | None


def _encode(value):
    if isinstance(value, datetime.datetime):
        return {"t": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"d": value.isoformat()}
    if isinstance(value, Decimal):
        return {"n": str(value)}
    return value


def _decode(value):
    if isinstance(value, dict):
        if "t" in value:
            return datetime.datetime.fromisoformat(value["t"])
        if "d" in value:
            return datetime.date.fromisoformat(value["d"])
        if "n" in value:
            return Decimal(value["n"])
    return value


def _keys(queryset: QuerySet) -> list[str]:
    """The sort keys as ``name`` / ``-name``, whether ordered by names or by ``F().desc()``."""
    keys = []
    for key in queryset.query.order_by:
        if isinstance(key, str):
            keys.append(key)
        elif isinstance(key, OrderBy) and isinstance(key.expression, F):
            keys.append(("-" if key.descending else "") + key.expression.name)
        else:
            raise TypeError(f"cursor pages cannot follow the sort key {key!r}")
    return keys


def _comparable(value):
    """``value`` as the database compares it with the column it came from.

    PostgreSQL's ranks are ``real`` (4-byte) numbers; read back they become Python floats
    printed to the shortest text that gives the same ``real``. Compared as a double, that text
    differs from the stored rank, so equal ranks would not compare equal: cast it back."""
    if isinstance(value, float) and connection.vendor == "postgresql":
        return RawSQL("CAST(%s AS real)", (value,))  # noqa: S611 (a fixed cast, value as a parameter)
    return value


def _after(keys: list[str], values: list) -> Q:
    """Rows strictly after ``values`` in the order ``keys``: (a > x) or (a = x and b > y) ..."""
    condition = Q()
    equal = Q()
    for key, raw in zip(keys, values, strict=True):
        value = _comparable(raw)
        name = key.lstrip("-")
        step = Q(**{f"{name}__{'lt' if key.startswith('-') else 'gt'}": value})
        condition |= equal & step
        equal &= Q(**{name: value})
    return condition


def cursor_page(
    criteria: LibraryCriteria, *, cursor: str | None = None, size: int = DEFAULT_PAGE_SIZE
) -> CursorPage:
    """One page of the cases the criteria select, in their sort order, after ``cursor``."""
    queryset = ordered(library_cases(criteria), criteria)
    keys = _keys(queryset)
    if cursor:
        try:
            payload = signing.loads(cursor, salt=_CURSOR_SALT)
        except signing.BadSignature as error:
            raise BadCursor from error
        if not isinstance(payload, dict) or payload.get("k") != keys:
            raise BadCursor
        values = [_decode(value) for value in payload.get("v", [])]
        if len(values) != len(keys):
            raise BadCursor
        queryset = queryset.filter(_after(keys, values))
    rows = list(with_item_relations(queryset)[: size + 1])
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        values = [_encode(getattr(last, key.lstrip("-"))) for key in keys]
        next_cursor = signing.dumps({"k": keys, "v": values}, salt=_CURSOR_SALT, compress=True)
    return CursorPage(cases=rows, next_cursor=next_cursor)


def published_case_for_api(slug: str) -> Case | None:
    """One published case with its full public text (what its library page shows)."""
    return published_case_for_page(slug)


def current_slug(former_slug: str) -> str | None:
    """The slug a published case has now, if ``former_slug`` was one of its earlier slugs."""
    return (
        CaseSlugHistory.objects.filter(slug=former_slug, case__in=published_cases())
        .values_list("case__slug", flat=True)
        .first()
    )


def library_last_modified() -> datetime.datetime:
    """When the published library last changed, as far as this server has seen.

    Every change to the library increments its generation number (``library_changed``); the
    first request that sees a new generation records the time, which stays that generation's
    modification time for every worker sharing the cache."""
    generation = library_generation()
    key = f"library:modified:{connection.alias}:{generation}"
    # Kept for a week: should it expire while the generation is unchanged, the time only moves
    # later, which costs clients one full response, never a stale one.
    return cache.get_or_set(key, timezone.now, 7 * 24 * 3600)
