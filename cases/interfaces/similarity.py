"""The one-line reason a case is listed as similar, in the reader's language."""

from dataclasses import dataclass

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.domain.derived import similar_list_ready
from cases.domain.queries.similar import reason_vocabulary, stored_similar_cases
from cases.domain.similarity import SIMILAR_PROFILE_DIFFERENCE, Neighbour


@dataclass
class SimilarItem:
    case: object  # a Case with the list columns loaded
    score: float
    reason: str


def reason_text(reason: dict, type_labels: dict[int, str], phase_labels: dict[int, str]) -> str:
    parts = []
    types = [type_labels[pk] for pk in reason.get("types", ()) if pk in type_labels]
    if types:
        parts.append(
            ngettext(
                "same collaboration type (%(labels)s)",
                "same collaboration types (%(labels)s)",
                len(types),
            )
            % {"labels": ", ".join(types)}
        )
    phases = [phase_labels[pk] for pk in reason.get("phases", ()) if pk in phase_labels]
    if phases:
        parts.append(
            ngettext("same phase (%(labels)s)", "same phases (%(labels)s)", len(phases))
            % {"labels": ", ".join(phases)}
        )
    difference = reason.get("profile_difference")
    if difference is not None and difference <= SIMILAR_PROFILE_DIFFERENCE:
        parts.append(
            _("similar profile (%(difference)s apart per factor on average)")
            % {"difference": f"{difference:.1f}"}
        )
    words = reason.get("words") or []
    if words:
        parts.append(_("shares: %(words)s") % {"words": ", ".join(words)})
    if not parts:
        return _("Closest of the remaining cases by the combined measure.")
    return capfirst(", ".join(parts))


def similar_items(case_id: int, *, limit: int | None = None) -> list[SimilarItem]:
    """The stored similar cases of a published case, with their reasons (three queries)."""
    rows = stored_similar_cases(case_id, limit=limit)
    if not rows:
        return []
    types, phases = reason_vocabulary()
    return [
        SimilarItem(row.similar, row.score, reason_text(row.reason, types, phases)) for row in rows
    ]


def neighbour_items(neighbours: list[Neighbour], cases_by_id: dict) -> list[SimilarItem]:
    """Reasons for neighbours computed on the spot (an entry that is not in the library)."""
    types, phases = reason_vocabulary()
    return [
        SimilarItem(cases_by_id[item.case_id], item.score, reason_text(item.reason, types, phases))
        for item in neighbours
        if item.case_id in cases_by_id
    ]


def page_similar_items(page) -> list[SimilarItem]:
    """The similar cases of a case page read by ``cases.domain.queries.case_pages.case_page``,
    with their reasons; a list not stored yet is computed first (as a bulk import leaves it)."""
    stored = page.read.similar
    if stored is None:
        similar_list_ready(page.read.case.pk)
        return similar_items(page.read.case.pk)
    return [
        SimilarItem(
            row.similar, row.score, reason_text(row.reason, page.type_labels, page.phase_labels)
        )
        for row in stored
    ]
