"""The raw counts behind the factor analytics (``cases.domain.queries.analytics``).

Counted live for a filtered set of cases, or read from the figures table for the whole library
(``cases.domain.derived`` stores them there after each change, so the unfiltered statistics page
counts nothing per request). Means are kept as a count and a sum, so that both sources give the
same figures.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Case as CaseWhen
from django.db.models import Count, IntegerField, Q, QuerySet, Sum, Value, When

from cases.domain.queries.published import STRONG_FACTOR_VALUE
from cases.models import Case, FactorProfileValue, Outcome

# The outcome groups compared: the distinguished (winners and nominees) against the rest.
DISTINGUISHED = (Outcome.WINNER, Outcome.NOMINEE)
DISTINGUISHED_GROUP, REST_GROUP = 0, 1


@dataclass
class AnalyticsCounts:
    total: int = 0
    # (factor id, rating 0-4) -> cases whose profile value rounds to that rating
    ratings: dict[tuple[int, int], int] = field(default_factory=dict)
    # collaboration type id -> cases of that type
    type_cases: dict[int, int] = field(default_factory=dict)
    # (collaboration type id, factor id) -> (profile values, their sum)
    type_sums: dict[tuple[int, int], tuple[int, Decimal]] = field(default_factory=dict)
    # outcome group (DISTINGUISHED_GROUP / REST_GROUP) -> cases
    group_cases: dict[int, int] = field(default_factory=dict)
    # (outcome group, factor id) -> (profile values, their sum)
    group_sums: dict[tuple[int, int], tuple[int, Decimal]] = field(default_factory=dict)
    # (factor id, factor id) -> cases strong on both (the diagonal: strong on the factor)
    pairs: dict[tuple[int, int], int] = field(default_factory=dict)


def rating_bucket():
    """The 0-4 rating a stored profile value rounds to (half up)."""
    return CaseWhen(
        When(value__lt=Decimal("0.5"), then=Value(0)),
        When(value__lt=Decimal("1.5"), then=Value(1)),
        When(value__lt=Decimal("2.5"), then=Value(2)),
        When(value__lt=Decimal("3.5"), then=Value(3)),
        default=Value(4),
        output_field=IntegerField(),
    )


def _outcome_group(prefix: str = ""):
    return CaseWhen(
        When(Q(**{f"{prefix}outcome__in": DISTINGUISHED}), then=Value(DISTINGUISHED_GROUP)),
        default=Value(REST_GROUP),
        output_field=IntegerField(),
    )


def count_factor_analytics(selected: QuerySet[Case]) -> AnalyticsCounts:
    """Every count the factor analytics show, for the cases ``selected`` (seven grouped queries
    whatever the library's size)."""
    selected = selected.order_by()
    ids = selected.values("id")
    values = FactorProfileValue.objects.filter(case_id__in=ids)
    counts = AnalyticsCounts(total=selected.count())
    counts.ratings = {
        (row["factor_id"], row["rating"]): row["n"]
        for row in values.annotate(rating=rating_bucket())
        .values("factor_id", "rating")
        .annotate(n=Count("id"))
        .order_by()
    }
    through = Case.collaboration_types.through
    counts.type_cases = dict(
        through.objects.filter(case_id__in=ids)
        .values("collaborationtype_id")
        .annotate(n=Count("case_id", distinct=True))
        .order_by()
        .values_list("collaborationtype_id", "n")
    )
    counts.type_sums = {
        (row["case__collaboration_types"], row["factor_id"]): (row["n"], row["total"])
        for row in values.filter(case__collaboration_types__isnull=False)
        .values("case__collaboration_types", "factor_id")
        .annotate(n=Count("id"), total=Sum("value"))
        .order_by()
    }
    counts.group_cases = dict(
        selected.annotate(group=_outcome_group())
        .values("group")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("group", "n")
    )
    counts.group_sums = {
        (row["group"], row["factor_id"]): (row["n"], row["total"])
        for row in values.annotate(group=_outcome_group("case__"))
        .values("group", "factor_id")
        .annotate(n=Count("id"), total=Sum("value"))
        .order_by()
    }
    counts.pairs = _strong_pairs(ids)
    return counts


def _strong_pairs(ids) -> dict[tuple[int, int], int]:
    """(factor, factor) -> cases strong on both, in one self-join over the strong values."""
    strong = FactorProfileValue.objects.filter(
        case_id__in=ids, value__gte=STRONG_FACTOR_VALUE
    ).values("case_id", "factor_id")
    inner_sql, params = strong.query.sql_with_params()
    sql = (
        f"WITH s AS ({inner_sql}) "  # noqa: S608 (ORM-built SQL, values as parameters)
        "SELECT a.factor_id, b.factor_id, COUNT(*) FROM s a JOIN s b ON a.case_id = b.case_id "
        "GROUP BY a.factor_id, b.factor_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(first, second): count for first, second, count in cursor.fetchall()}
