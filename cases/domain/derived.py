"""Derived data of cases (search document, factor profile, library year), refreshed in one place.

Saves through the ORM refresh it through signals (``cases.domain.signals``); bulk inserts,
which send no signals, call ``refresh_derived_data`` themselves.
"""

import re
import threading
from collections.abc import Iterable

from django.db import transaction
from django.db.models.functions import ExtractYear

from cases.domain.profiles import refresh_factor_profiles
from cases.domain.queries.library import library_changed
from cases.domain.search import update_search_vectors
from cases.domain.similarity import (
    ensure_similar_list,
    refresh_all_similar_lists,
    refresh_features,
    refresh_similarity,
)
from cases.models import Case, Edition

_BATCH = 2000
_YEAR = re.compile(r"(1[89]|20|21)\d\d")


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


def refresh_derived_data(case_ids: Iterable[int]) -> None:
    ids = sorted(set(case_ids))
    refresh_case_years(ids)
    refresh_factor_profiles(ids)
    update_search_vectors(ids)
    refresh_similarity(ids)
    library_changed()


_pending = threading.local()


def _pending_ids() -> set[int]:
    if not hasattr(_pending, "ids"):
        _pending.ids = set()
    return _pending.ids


def similarity_changed(case_ids: Iterable[int]) -> None:
    """The facts similar cases are computed from (profile, tags, title, summary, publication)
    changed for ``case_ids``: refresh their features and lists once the transaction commits.

    Calls within one transaction are gathered, so a save followed by tag changes refreshes once.
    """
    ids = {int(pk) for pk in case_ids if pk}
    if not ids:
        return
    _pending_ids().update(ids)
    transaction.on_commit(_flush_similarity)


def _flush_similarity() -> None:
    ids = sorted(_pending_ids())
    _pending_ids().clear()
    if ids:
        refresh_similarity(ids)


def similar_list_ready(case_id: int) -> None:
    """Make sure a published case's similar cases are stored (a bulk import leaves them for
    the ``refresh_similar_cases`` command; a page that comes first computes its own)."""
    ensure_similar_list(case_id)


def refresh_all_similar_cases(*, progress=None) -> int:
    """Features of every case that is not a draft, then every published case's list."""
    from cases.models import CaseStatus

    refresh_features(Case.objects.exclude(status=CaseStatus.DRAFT).values_list("pk", flat=True))
    return refresh_all_similar_lists(progress=progress)
