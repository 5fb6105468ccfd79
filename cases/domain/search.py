"""The library's weighted full-text document, kept in ``Case.search_vector`` on PostgreSQL.

Weights: title A; summary and lead organisation B; narrative and partners C; factor
self-assessments D. The search matches against that document (GIN index, migration 0005_library).
Ranking reads ``Case.rank_vector`` instead: title A and summary B only. The full document of
a case is several kilobytes and stored out of line (TOAST), so ranking every hit of a common
term on it means reading all of them; the compact vector (~0.5 kB) stays in the case row
(see the design notes in docs/performance.md).

SQLite has no tsvector: there the library searches with a slower but correct fallback (see
``cases.domain.queries.library``). SQLite's own LIKE and lower() fold ASCII letters only, so
every SQLite connection gets a ``epsa_fold`` SQL function (``register_sqlite_functions``,
connected to ``connection_created`` in ``cases.apps``) that folds case the way Python does:
the fallback compares folded text with folded search terms, so "BRINBRÜCK" finds "brinbrück".
"""

import unicodedata
from collections.abc import Iterable

from django.db import connection
from django.db.models import Func, TextField

from cases.models import NARRATIVE_FIELDS

SEARCH_CONFIG = "english"
_BATCH = 2000

_NARRATIVE_SQL = " || ' ' || ".join(f"coalesce(c.{field}, '')" for field in NARRATIVE_FIELDS)

# Built from module constants only; case ids are passed as query parameters.
_UPDATE_SQL = f"""
UPDATE cases_case AS c SET
   rank_vector =
    setweight(to_tsvector('{SEARCH_CONFIG}', coalesce(c.title, '')), 'A')
 || setweight(to_tsvector('{SEARCH_CONFIG}', coalesce(c.summary, '')), 'B'),
   search_vector =
    setweight(to_tsvector('{SEARCH_CONFIG}', coalesce(c.title, '')), 'A')
 || setweight(to_tsvector('{SEARCH_CONFIG}', coalesce(c.summary, '') || ' ' || coalesce(
        (SELECT o.name FROM cases_organisation o WHERE o.id = c.lead_organisation_id), '')), 'B')
 || setweight(to_tsvector('{SEARCH_CONFIG}', {_NARRATIVE_SQL} || ' ' || coalesce(
        (SELECT string_agg(p.name || ' ' || coalesce(p.role, ''), ' ')
           FROM cases_partner p WHERE p.case_id = c.id), '')), 'C')
 || setweight(to_tsvector('{SEARCH_CONFIG}', coalesce(
        (SELECT string_agg(coalesce(fa.text, '') || ' ' || coalesce(fa.evidence, ''), ' ')
           FROM cases_factorassessment fa WHERE fa.case_id = c.id), '')), 'D')
"""  # noqa: S608


def search_is_native() -> bool:
    return connection.vendor == "postgresql"


SQLITE_FOLD_FUNCTION = "epsa_fold"


def fold(text: str | None) -> str:
    """``text`` for caseless comparison: Unicode case folding over the composed form
    ("Straße" and "STRASSE" both give "strasse"; a decomposed "é" equals a composed one).

    SQL NULL (a case without a lead organisation) folds to the empty string, so that a
    negated term (``-word``) reads "does not contain" there too instead of "unknown"."""
    if text is None:
        return ""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", str(text)).casefold())


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: give a new SQLite connection the ``epsa_fold`` function."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FOLD_FUNCTION, 1, fold, deterministic=True)


class Folded(Func):
    """SQL ``epsa_fold(expression)``: the case-folded text (SQLite connections only)."""

    function = SQLITE_FOLD_FUNCTION
    arity = 1
    output_field = TextField()


def update_search_vectors(case_ids: Iterable[int] | None = None) -> None:
    """Recompute the search document of the given cases (all cases when ``None``)."""
    if not search_is_native():
        return
    with connection.cursor() as cursor:
        if case_ids is None:
            cursor.execute(_UPDATE_SQL)
            return
        ids = sorted(set(case_ids))
        for start in range(0, len(ids), _BATCH):
            cursor.execute(_UPDATE_SQL + " WHERE c.id = ANY(%s)", [ids[start : start + _BATCH]])
