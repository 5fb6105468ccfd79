"""Factor analytics of the library for a set of criteria: the figures behind ``/library/stats/``
and the API's statistics.

- **Distribution**: for each enabling-ecosystem factor, how many cases have a profile value that
  rounds to 0, 1, 2, 3 and 4 (consensus means such as 2.5 round half up, to 3).
- **Mean profile by collaboration type** and **by outcome** (winners and nominees against all
  other published cases): the mean profile value per factor, with the number of cases behind it.
- **Co-occurrence of strengths**: for each pair of factors, how many cases are strong on both
  (a profile value of 3 or more); the diagonal counts the cases strong on the factor.

Every figure carries its number of cases. A figure resting on fewer than ``MIN_CASES`` cases is
suppressed (shown as "fewer than 5"), so that small groups are not over-read. The computations
are a handful of grouped queries whatever the library's size; results are cached per set of
criteria under the library's cache generation, like the facet counts.
"""

import hashlib
from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from cases.domain import derived
from cases.domain.queries.analytics_counts import (
    DISTINGUISHED,
    DISTINGUISHED_GROUP,
    REST_GROUP,
    AnalyticsCounts,
    count_factor_analytics,
    rating_bucket,
)
from cases.domain.queries.library import (
    STRONG_FACTOR_VALUE,
    LibraryCriteria,
    library_cases,
)
from cases.models import CollaborationType, EcosystemFactor, FactorProfileValue

MIN_CASES = 5
RATINGS = (0, 1, 2, 3, 4)
# The outcome groups compared, by their index: the distinguished (winners and nominees) against
# the rest.
OUTCOME_GROUPS = ("distinguished", "rest")


@dataclass
class Figure:
    """One number and the cases behind it; ``value`` is None when suppressed or empty."""

    cases: int
    value: float | None

    @property
    def suppressed(self) -> bool:
        return 0 < self.cases < MIN_CASES


def _figure(cases: int, value) -> Figure:
    if cases < MIN_CASES or value is None:
        return Figure(cases, None)
    return Figure(cases, round(float(value), 2))


def _count(cases: int) -> Figure:
    return Figure(cases, None if cases < MIN_CASES else float(cases))


@dataclass
class FactorInfo:
    pk: int
    slug: str
    label: str


@dataclass
class GroupProfile:
    key: str  # collaboration type slug, or an outcome group
    label: str
    cases: int  # cases in the group (with or without a profile)
    means: list[Figure]  # per factor, in factor order


@dataclass
class FactorAnalytics:
    total: int
    factors: list[FactorInfo]
    # per factor (in order): cases per rating 0-4
    distribution: list[list[Figure]]
    by_collaboration: list[GroupProfile]
    by_outcome: list[GroupProfile]
    # [row factor][column factor]: cases strong on both
    cooccurrence: list[list[Figure]]
    min_cases: int = MIN_CASES
    strong_from: int = int(STRONG_FACTOR_VALUE)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        """Plain data for the API: suppressed figures have ``value: null``."""
        slugs = [factor.slug for factor in self.factors]

        def figure(item: Figure) -> dict:
            return {"cases": item.cases, "value": item.value, "suppressed": item.suppressed}

        def group(item: GroupProfile) -> dict:
            return {
                "key": item.key,
                "label": item.label,
                "cases": item.cases,
                "mean_profile": {
                    slug: figure(mean) for slug, mean in zip(slugs, item.means, strict=True)
                },
            }

        return {
            "total": self.total,
            "min_cases": self.min_cases,
            "strong_from": self.strong_from,
            "factors": [asdict(factor) for factor in self.factors],
            "distribution": {
                slug: {str(rating): figure(cell) for rating, cell in zip(RATINGS, row, strict=True)}
                for slug, row in zip(slugs, self.distribution, strict=True)
            },
            "mean_profile_by_collaboration_type": [group(item) for item in self.by_collaboration],
            "mean_profile_by_outcome": [group(item) for item in self.by_outcome],
            "strong_cooccurrence": {
                slug: {other: figure(cell) for other, cell in zip(slugs, row, strict=True)}
                for slug, row in zip(slugs, self.cooccurrence, strict=True)
            },
        }


def factor_analytics(criteria: LibraryCriteria) -> FactorAnalytics:
    """The factor analytics of the published cases the criteria select: those of the whole
    library from the figures table (one query), the others counted (seven grouped queries)."""
    if criteria.is_unfiltered:
        counts = derived.library_figures(with_analytics=True).analytics
    else:
        counts = count_factor_analytics(library_cases(criteria))
    return _assemble(counts)


def _mean(count_and_sum) -> Figure:
    n, total = count_and_sum
    return _figure(n, Decimal(total) / n if n else None)


def _assemble(counts: AnalyticsCounts) -> FactorAnalytics:
    factors = [
        FactorInfo(factor.pk, factor.slug, factor.display_short)
        for factor in EcosystemFactor.objects.order_by("order", "pk")
    ]
    distribution = [
        [_count(counts.ratings.get((factor.pk, rating), 0)) for rating in RATINGS]
        for factor in factors
    ]
    by_collaboration = [
        GroupProfile(
            kind.slug,
            kind.display_label,
            counts.type_cases.get(kind.pk, 0),
            [_mean(counts.type_sums.get((kind.pk, factor.pk), (0, 0))) for factor in factors],
        )
        for kind in CollaborationType.objects.order_by("order", "slug")
    ]
    group_labels = (_("Winners and nominees"), _("Other published cases"))
    by_outcome = [
        GroupProfile(
            OUTCOME_GROUPS[group],
            group_labels[group],
            counts.group_cases.get(group, 0),
            [_mean(counts.group_sums.get((group, factor.pk), (0, 0))) for factor in factors],
        )
        for group in (DISTINGUISHED_GROUP, REST_GROUP)
    ]
    cooccurrence = [
        [_count(counts.pairs.get((row.pk, column.pk), 0)) for column in factors] for row in factors
    ]
    return FactorAnalytics(
        total=counts.total,
        factors=factors,
        distribution=distribution,
        by_collaboration=by_collaboration,
        by_outcome=by_outcome,
        cooccurrence=cooccurrence,
    )


def cached_factor_analytics(criteria: LibraryCriteria) -> FactorAnalytics:
    """``factor_analytics`` through the cache (the sort order does not change the figures)."""
    from django.utils.translation import get_language

    digest = hashlib.sha256(repr(replace(criteria, sort="")).encode()).hexdigest()
    return derived.cached(
        f"analytics:{get_language()}:{digest}", lambda: factor_analytics(criteria)
    )


# --- the cases behind a figure ----------------------------------------------------------------


def cases_behind(
    criteria: LibraryCriteria,
    *,
    rating: tuple[str, int] | None = None,
    strong: tuple[str, ...] = (),
    rated: str | None = None,
    collaboration: str | None = None,
    outcome_group: str | None = None,
):
    """The published cases a figure counts: the criteria, narrowed by a factor rating (0-4,
    as the distribution rounds it), strengths on every one of ``strong``, a collaboration type
    or an outcome group. Unordered; callers choose the columns."""
    queryset = library_cases(criteria)
    if rating is not None:
        slug, value = rating
        low = Decimal(value) - Decimal("0.5")
        high = Decimal(value) + Decimal("0.5")
        condition = Q(factor__slug=slug, value__lt=high)
        if value > 0:
            condition &= Q(value__gte=low)
        queryset = queryset.filter(
            pk__in=FactorProfileValue.objects.filter(condition).values("case_id")
        )
    for slug in strong:
        queryset = queryset.filter(
            pk__in=FactorProfileValue.objects.filter(
                factor__slug=slug, value__gte=STRONG_FACTOR_VALUE
            ).values("case_id")
        )
    if rated:
        queryset = queryset.filter(
            pk__in=FactorProfileValue.objects.filter(factor__slug=rated).values("case_id")
        )
    if collaboration:
        queryset = queryset.filter(collaboration_types__slug=collaboration)
    if outcome_group == "distinguished":
        queryset = queryset.filter(outcome__in=DISTINGUISHED)
    elif outcome_group == "rest":
        queryset = queryset.exclude(outcome__in=DISTINGUISHED)
    return queryset


def rating_counts_for_types(type_ids) -> dict[int, list[int]]:
    """Factor id -> published cases per rounded rating 0-4, among the published cases with any
    of the collaboration types ``type_ids`` (all published cases when empty)."""
    from cases.domain.queries.library import published_cases

    cases = published_cases()
    if type_ids:
        cases = cases.filter(collaboration_types__in=list(type_ids))
    counts: dict[int, list[int]] = {}
    for row in (
        FactorProfileValue.objects.filter(case_id__in=cases.values("id"))
        .annotate(rating=rating_bucket())
        .values("factor_id", "rating")
        .annotate(n=Count("case_id", distinct=True))
        .order_by()
    ):
        counts.setdefault(row["factor_id"], [0] * len(RATINGS))[row["rating"]] = row["n"]
    return counts


def median_rating(counts: list[int]) -> float | None:
    """The median of ratings given as counts per rating 0-4 (None when no case is counted)."""
    total = sum(counts)
    if not total:
        return None

    def nth(position: int) -> int:
        seen = 0
        for rating, count in enumerate(counts):
            seen += count
            if seen > position:
                return rating
        return len(counts) - 1

    if total % 2:
        return float(nth(total // 2))
    return (nth(total // 2 - 1) + nth(total // 2)) / 2
