"""The provisional ranking of an edition: aggregates of the evaluators' weighted totals.

Everything is read in a fixed number of queries whatever the number of entries, then computed
in Python: per entry the mean, median and standard deviation of the weighted totals, per
evaluator a z-score that corrects harsh and lenient evaluators, and a disagreement flag.
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg

from cases.models import (
    Assignment,
    Case,
    CaseStatus,
    EcosystemFactor,
    FactorScore,
    ReviewStatus,
)


@dataclass
class RankedEntry:
    case: Case
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
        mean = statistics.fmean(values)
        spread = statistics.pstdev(values) if len(values) > 1 else 0.0
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


def edition_ranking(edition) -> list[RankedEntry]:
    """Every eligible entry of the edition with its aggregates, ranked within its category."""
    cases = list(
        Case.objects.filter(edition=edition, status=CaseStatus.ELIGIBLE)
        .select_related("category", "lead_organisation")
        .only(
            "id",
            "title",
            "registration_number",
            "country",
            "outcome",
            "place",
            "is_published",
            "publication_consent",
            "version",
            "category__id",
            "category__name",
            "category__slug",
            "category__order",
            "lead_organisation__id",
            "lead_organisation__name",
        )
    )
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
        values = [float(total) for _evaluator, total in entry.totals]
        entry.mean = statistics.fmean(values)
        entry.median = statistics.median(values)
        entry.stddev = statistics.stdev(values) if len(values) > 1 else 0.0
        entry.spread = max(values) - min(values)
        entry.disagreement = entry.spread > threshold
        entry.z_scores = [
            (evaluator_id, z_score(total, calibration[evaluator_id]))
            for evaluator_id, total in entry.totals
        ]
        entry.normalised = statistics.fmean(z for _evaluator, z in entry.z_scores)

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
    return factors
