"""Derived data of cases (search document, factor profile, library year), refreshed in one place.

Saves through the ORM refresh it through signals (``cases.domain.signals``); bulk inserts,
which send no signals, call ``refresh_derived_data`` themselves.
"""

import re
from collections.abc import Iterable

from django.db.models.functions import ExtractYear

from cases.domain.profiles import refresh_factor_profiles
from cases.domain.queries.library import library_changed
from cases.domain.search import update_search_vectors
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
    library_changed()
