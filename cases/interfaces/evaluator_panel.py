"""The scoring page's "compare with the library" panel: an entry's self-assessment beside the
library's published cases of the same collaboration type, and its three nearest published cases.

Blind review: the panel reads only the entry's own self-assessment and the public library; it
never reads any review or score of the entry.
"""

from dataclasses import dataclass

from cases.domain.queries.analytics import MIN_CASES, median_rating, rating_counts_for_types
from cases.domain.queries.library import published_cases
from cases.domain.similarity import entry_features, nearest_published
from cases.interfaces.similarity import SimilarItem, neighbour_items
from cases.models import EcosystemFactor, FactorAssessment

PANEL_SIMILAR = 3


@dataclass
class PanelRow:
    factor: EcosystemFactor
    self_rating: int | None
    not_applicable: bool
    cases: int  # library cases with a value for the factor
    median: float | None  # None when fewer than MIN_CASES


@dataclass
class LibraryComparison:
    type_labels: list[str]
    rows: list[PanelRow]
    similar: list[SimilarItem]
    min_cases: int = MIN_CASES


def library_comparison(case) -> LibraryComparison:
    types = list(case.collaboration_types.all())
    counts = rating_counts_for_types([kind.pk for kind in types])
    assessments = {
        item.factor_id: item
        for item in FactorAssessment.objects.filter(case=case).only(
            "factor_id", "self_rating", "not_applicable"
        )
    }
    rows = []
    for factor in EcosystemFactor.objects.order_by("order"):
        factor_counts = counts.get(factor.pk, [0, 0, 0, 0, 0])
        total = sum(factor_counts)
        assessment = assessments.get(factor.pk)
        rows.append(
            PanelRow(
                factor=factor,
                self_rating=assessment.self_rating if assessment else None,
                not_applicable=bool(assessment and assessment.not_applicable),
                cases=total,
                median=median_rating(factor_counts) if total >= MIN_CASES else None,
            )
        )
    neighbours = nearest_published(entry_features(case), PANEL_SIMILAR)
    found = {
        item.pk: item
        for item in published_cases()
        .filter(pk__in=[neighbour.case_id for neighbour in neighbours])
        .only("id", "slug", "title", "country", "year", "provenance")
    }
    return LibraryComparison(
        type_labels=[kind.display_label for kind in types],
        rows=rows,
        similar=neighbour_items(neighbours, found),
    )
