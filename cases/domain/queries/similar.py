"""Read paths of similar cases: the stored neighbours of a published case, published only."""

from cases.domain.queries.library import published_cases
from cases.models import CollaborationType, CoproductionPhase, SimilarCase

# Columns a similar-case link shows.
SIMILAR_FIELDS = (
    "similar__id",
    "similar__slug",
    "similar__title",
    "similar__country",
    "similar__year",
    "similar__provenance",
    "similar__outcome",
    "similar__place",
)


def stored_similar_cases(case_id: int, *, limit: int | None = None) -> list[SimilarCase]:
    """The stored neighbours of ``case_id`` that are still published, best first (one query)."""
    rows = (
        SimilarCase.objects.filter(case_id=case_id, similar__in=published_cases())
        .select_related("similar")
        .only("id", "case_id", "rank", "score", "reason", *SIMILAR_FIELDS)
        .order_by("rank")
    )
    return list(rows[:limit] if limit else rows)


def reason_vocabulary() -> tuple[dict[int, str], dict[int, str]]:
    """Labels of collaboration types and co-production phases by primary key (two queries)."""
    return (
        {kind.pk: kind.display_label for kind in CollaborationType.objects.all()},
        {phase.pk: phase.display_label for phase in CoproductionPhase.objects.all()},
    )
