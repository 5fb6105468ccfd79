"""Derived data of cases (search document, factor profile), refreshed in one place.

Saves through the ORM refresh it through signals (``cases.domain.signals``); bulk inserts,
which send no signals, call ``refresh_derived_data`` themselves.
"""

from collections.abc import Iterable

from cases.domain.profiles import refresh_factor_profiles
from cases.domain.search import update_search_vectors


def refresh_derived_data(case_ids: Iterable[int]) -> None:
    ids = sorted(set(case_ids))
    refresh_factor_profiles(ids)
    update_search_vectors(ids)
