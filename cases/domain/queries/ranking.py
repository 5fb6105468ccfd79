"""The provisional ranking of an edition: aggregates of the evaluators' weighted totals.

Everything is read in a fixed number of queries whatever the number of entries, then computed
in Python: per entry the mean, median and standard deviation of the weighted totals, per
evaluator a z-score that corrects harsh and lenient evaluators, and a disagreement flag.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg

from cases.models import (
    Assignment,
    Case,
    CaseStatus,
    Category,
    EcosystemFactor,
    FactorScore,
    ReviewStatus,
    outcome_label,
)


@dataclass
class RankedCase:
    """The few facts of an entry the ranking shows, read as plain values (no model instances:
    building 2,000 of them costs more than the whole query)."""

    pk: int
    title: str
    registration_number: str | None
    country: str
    outcome: str
    place: int | None
    category: Category | None

    @property
    def category_id(self):
        return self.category.pk if self.category else None

    @property
    def outcome_label(self) -> str:
        return outcome_label(self.outcome, self.place)


@dataclass
class RankedEntry:
    case: RankedCase
    totals: list = field(default_factory=list)  # [(evaluator id, Decimal total)]
    z_scores: list = field(default_factory=list)  # [(evaluator id, float)]
    assigned: int = 0
    mean: float | None = None
    median: float | None = None
    stddev: float | None = None
    spread: float | None = None
    normalised: float | None = None
    disagreement: bool = False
    position: int | None = None  # within the category
    factor_profile: list = field(default_factory=list)  # [(factor, mean or None)]
    profile_label: str = ""  # the factor profile as text, for screen readers
    profile_bars: list = field(default_factory=list)  # [(short label, value text, % of 4)]

    @property
    def totals_parts(self) -> list[str]:
        """Each raw total with its z-score, one string per evaluator (never broken inside)."""
        z_by_evaluator = dict(self.z_scores)
        return [
            f"{total:.2f}"
            if z_by_evaluator.get(evaluator) is None
            else f"{total:.2f} (z {z_by_evaluator[evaluator]:.2f})"
            for evaluator, total in self.totals
        ]

    @property
    def totals_text(self) -> str:
        """Each raw total with its z-score beside it: "6.00 (z -1.00), 9.00 (z 1.00)"."""
        z_by_evaluator = dict(self.z_scores)
        parts = []
        for evaluator, total in self.totals:
            z = z_by_evaluator.get(evaluator)
            parts.append(f"{total:.2f}" if z is None else f"{total:.2f} (z {z:.2f})")
        return ", ".join(parts) or "—"

    @property
    def submitted(self) -> int:
        return len(self.totals)

    @property
    def is_complete(self) -> bool:
        return self.assigned > 0 and self.submitted >= self.assigned


def evaluator_calibration(totals_by_evaluator) -> dict[int, tuple[float, float]]:
    """Mean and population standard deviation of each evaluator's totals."""
    calibration = {}
    for evaluator_id, totals in totals_by_evaluator.items():
        values = [float(total) for total in totals]
        mean = math.fsum(values) / len(values)
        spread = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / len(values))
        calibration[evaluator_id] = (mean, spread)
    return calibration


def z_score(total, calibration) -> float:
    """How far a total is from its evaluator's own mean, in their standard deviations.

    An evaluator with one review, or with identical totals, cannot be calibrated: 0.
    """
    mean, spread = calibration
    if spread == 0:
        return 0.0
    return (float(total) - mean) / spread


def edition_ranking(edition, categories=None) -> list[RankedEntry]:
    """Every eligible entry of the edition with its aggregates, ranked within its category.

    ``categories``: the edition's categories when the caller has read them already.
    """
    if categories is None:
        categories = Category.objects.filter(edition=edition)
    categories = {category.pk: category for category in categories}
    rows = (
        Case.objects.filter(edition=edition, status=CaseStatus.ELIGIBLE)
        .order_by()
        .values_list(
            "id", "title", "registration_number", "country", "outcome", "place", "category_id"
        )
    )
    cases = [
        RankedCase(pk, title, number, country, outcome, place, categories.get(category_id))
        for pk, title, number, country, outcome, place, category_id in rows
    ]
    entries = {case.pk: RankedEntry(case=case) for case in cases}
    by_evaluator = defaultdict(list)
    rows = Assignment.objects.filter(case__edition=edition, is_active=True).values_list(
        "case_id", "evaluator_id", "review__status", "review__weighted_total"
    )
    for case_id, evaluator_id, status, total in rows:
        entry = entries.get(case_id)
        if entry is None:
            continue
        entry.assigned += 1
        if status == ReviewStatus.SUBMITTED and total is not None:
            entry.totals.append((evaluator_id, total))
            by_evaluator[evaluator_id].append(total)
    calibration = evaluator_calibration(by_evaluator)
    threshold = float(edition.disagreement_threshold)
    for entry in entries.values():
        if not entry.totals:
            continue
        values = sorted(float(total) for _evaluator, total in entry.totals)
        count = len(values)
        entry.mean = math.fsum(values) / count
        middle = count // 2
        entry.median = values[middle] if count % 2 else (values[middle - 1] + values[middle]) / 2
        # Sample standard deviation (n - 1), as for a small set of raters.
        entry.stddev = (
            math.sqrt(math.fsum((v - entry.mean) ** 2 for v in values) / (count - 1))
            if count > 1
            else 0.0
        )
        entry.spread = max(values) - min(values)
        entry.disagreement = entry.spread > threshold
        entry.z_scores = [
            (evaluator_id, z_score(total, calibration[evaluator_id]))
            for evaluator_id, total in entry.totals
        ]
        entry.normalised = math.fsum(z for _evaluator, z in entry.z_scores) / count

    ranked = sorted(entries.values(), key=ranking_key)
    position, category = 0, object()
    for entry in ranked:
        if entry.case.category_id != category:
            position, category = 0, entry.case.category_id
        if entry.mean is not None:
            position += 1
            entry.position = position
    return ranked


def ranking_key(entry):
    category = entry.case.category
    return (
        (category.order, category.name) if category else (0, ""),
        entry.mean is None,
        -(entry.mean or 0),
        -(entry.normalised or 0),
        entry.case.registration_number or "",
    )


SORTS = {
    "rank": ranking_key,
    "mean": lambda e: (e.mean is None, -(e.mean or 0), e.case.registration_number or ""),
    "normalised": lambda e: (
        e.normalised is None,
        -(e.normalised or 0),
        e.case.registration_number or "",
    ),
    "stddev": lambda e: (e.stddev is None, -(e.stddev or 0), e.case.registration_number or ""),
    "spread": lambda e: (e.spread is None, -(e.spread or 0), e.case.registration_number or ""),
    "number": lambda e: e.case.registration_number or "",
}


def attach_factor_profiles(entries):
    """Mean evaluator score per factor for the given entries, in two queries."""
    factors = list(EcosystemFactor.objects.all())
    means = defaultdict(dict)
    rows = (
        FactorScore.objects.filter(
            review__assignment__case_id__in=[entry.case.pk for entry in entries],
            review__assignment__is_active=True,
            review__status=ReviewStatus.SUBMITTED,
        )
        .values("review__assignment__case_id", "factor_id")
        .annotate(mean=Avg("score"))
    )
    for row in rows:
        means[row["review__assignment__case_id"]][row["factor_id"]] = row["mean"]
    for entry in entries:
        values = means.get(entry.case.pk, {})
        entry.factor_profile = [
            (factor, Decimal(str(values[factor.pk])) if values.get(factor.pk) is not None else None)
            for factor in factors
        ]
        entry.profile_bars = [
            (
                factor.display_short,
                f"{value:.1f}" if value is not None else "—",
                int(value * 25) if value is not None else 0,
            )
            for factor, value in entry.factor_profile
        ]
        entry.profile_label = ", ".join(
            f"{factor.display_short} {value:.1f}"
            for factor, value in entry.factor_profile
            if value is not None
        )
    return factors
