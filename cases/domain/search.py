# SQL in this module is assembled from model metadata and fixed names only; every value from
# a request travels as a query parameter.
# ruff: noqa: S608
"""The library's search table on PostgreSQL, and the case-folding SQLite fallback helpers.

On PostgreSQL every published case has one row in ``cases_librarysearch``
(``cases.models.LibrarySearchEntry``): its weighted full-text document (title A; summary and lead
organisation B; narrative and partners C; factor self-assessments D) built with the text-search
configuration of the case's language (``english``, ``french``, ``german``, ``spanish``, and
``simple`` for every other language) and its facet values, the tags as arrays of vocabulary ids.
Searching and counting read this narrow table (a few hundred bytes a row; the document itself is
stored out of line and only its index is read) instead of the wide case rows. The compact rank
vector of title and summary lives in ``cases_libraryrank``, inside its row (``STORAGE MAIN``):
ranking a common term reads it for every hit and nothing else (see docs/performance.md). The
document and the search configuration are indexed together (GIN with ``btree_gin``), so a query
parsed once per configuration finds, in one index pass per configuration, the cases written in
it. ``cases_libraryterm`` holds, for each lexeme of a rank vector, the ``ts_rank`` that vector
gets for that lexeme alone, indexed in rank order: a search for one word reads its page of
results from that index instead of ranking all its hits (``cases.domain.queries.library``).

``update_search_vectors`` keeps the table current; ``cases.domain.derived`` calls it.

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

from cases.domain.queries.published import STRONG_FACTOR_VALUE, published_cases
from cases.models import (
    NARRATIVE_FIELDS,
    TERM_MAX_LENGTH,
    Case,
    CaseLanguage,
    LibraryRankEntry,
    LibrarySearchEntry,
    LibraryTermEntry,
    Provenance,
)

# Case language -> PostgreSQL text-search configuration; every other language is searched
# without stemming or stop words.
SEARCH_CONFIGS = {
    CaseLanguage.ENGLISH.value: "english",
    CaseLanguage.FRENCH.value: "french",
    CaseLanguage.GERMAN.value: "german",
    CaseLanguage.SPANISH.value: "spanish",
}
FALLBACK_CONFIG = "simple"
ALL_CONFIGS = (*SEARCH_CONFIGS.values(), FALLBACK_CONFIG)
SEARCH_CONFIG = SEARCH_CONFIGS[CaseLanguage.ENGLISH.value]  # the portal's own language
SEARCH_TABLE = LibrarySearchEntry._meta.db_table
RANK_TABLE = LibraryRankEntry._meta.db_table
TERM_TABLE = LibraryTermEntry._meta.db_table
_BATCH = 2000


def search_config(language: str) -> str:
    return SEARCH_CONFIGS.get(language, FALLBACK_CONFIG)


def _config_case_sql() -> str:
    arms = " ".join(f"WHEN '{code}' THEN '{config}'" for code, config in SEARCH_CONFIGS.items())
    return f"(CASE c.language {arms} ELSE '{FALLBACK_CONFIG}' END)"


def _through(relation: str) -> tuple[str, str]:
    field = Case._meta.get_field(relation)
    through = field.remote_field.through._meta
    return through.db_table, through.get_field(field.m2m_reverse_field_name()).column


# The row's tags in one array, each vocabulary id offset by its facet (facet number x
# TAG_OFFSET), so that counting every tag facet of a set of hits is one pass over the hits.
TAG_OFFSET = 1_000_000_000
TAG_FACETS = {
    1: ("collaboration", "collaboration_types"),
    2: ("phase", "coproduction_phases"),
    3: ("coproduction_level", "coproduction_levels"),
    4: ("sector", "policy_sectors"),
    5: ("factor", None),
}


def tag_facet(key: int) -> tuple[str, int]:
    """The facet and the vocabulary id that a ``tag_keys`` value stands for."""
    number, item = divmod(key, TAG_OFFSET)
    return TAG_FACETS[number][0], item


def _strong_factors_sql(expression: str) -> str:
    return (
        f"SELECT {expression} FROM cases_factorprofilevalue pv"
        f" WHERE pv.case_id = c.id AND pv.value >= {int(STRONG_FACTOR_VALUE)}"
    )


def _tag_keys() -> str:
    parts = []
    for number, (_facet, relation) in TAG_FACETS.items():
        expression = f"{number * TAG_OFFSET}"
        if relation is None:
            parts.append(_strong_factors_sql(f"{expression} + pv.factor_id"))
        else:
            table, column = _through(relation)
            parts.append(f"SELECT {expression} + t.{column} FROM {table} t WHERE t.case_id = c.id")
    return f"ARRAY({' UNION ALL '.join(parts)})"


def _array(relation: str) -> str:
    table, column = _through(relation)
    return f"ARRAY(SELECT t.{column} FROM {table} t WHERE t.case_id = c.id ORDER BY 1)"


_NARRATIVE_SQL = " || ' ' || ".join(f"coalesce(c.{field}, '')" for field in NARRATIVE_FIELDS)
_COLUMNS = (
    "case_id, language, search_config, search_vector, published_at, year, country,"
    " level, outcome, edition_id, category_id, innovation_stage_id, collaboration, phase,"
    " coproduction_level, sector, strong_factor, tag_keys, provenance, real_order"
)
_UPDATED = ", ".join(
    f"{column.strip()} = EXCLUDED.{column.strip()}" for column in _COLUMNS.split(",")[1:]
)

# Real cases with their text first, then real cases known by their facts only, then synthetic
# demo cases: the unsearched library's default order ("real-first").
_REAL_ORDER_SQL = (
    f"(CASE WHEN c.provenance = '{Provenance.SYNTHETIC.value}' THEN 2"
    " WHEN coalesce(c.summary, '') = '' THEN 1 ELSE 0 END)"
)

# Built from module constants and model metadata only; case ids travel as query parameters.
_UPSERT_SQL = f"""
INSERT INTO {SEARCH_TABLE} ({_COLUMNS})
SELECT c.id, c.language, x.cfg::text,
    setweight(to_tsvector(x.cfg, coalesce(c.title, '')), 'A')
 || setweight(to_tsvector(x.cfg, coalesce(c.summary, '') || ' ' || coalesce(
        (SELECT o.name FROM cases_organisation o WHERE o.id = c.lead_organisation_id), '')), 'B')
 || setweight(to_tsvector(x.cfg, {_NARRATIVE_SQL} || ' ' || coalesce(
        (SELECT string_agg(p.name || ' ' || coalesce(p.role, ''), ' ')
           FROM cases_partner p WHERE p.case_id = c.id), '')), 'C')
 || setweight(to_tsvector(x.cfg, coalesce(
        (SELECT string_agg(coalesce(fa.text, '') || ' ' || coalesce(fa.evidence, ''), ' ')
           FROM cases_factorassessment fa WHERE fa.case_id = c.id), '')), 'D'),
    c.published_at, c.year, c.country, c.level, c.outcome, c.edition_id, c.category_id,
    c.innovation_stage_id,
    {_array("collaboration_types")}, {_array("coproduction_phases")},
    {_array("coproduction_levels")}, {_array("policy_sectors")},
    ARRAY({_strong_factors_sql("pv.factor_id")} ORDER BY 1),
    {_tag_keys()},
    c.provenance, {_REAL_ORDER_SQL}
FROM cases_case c CROSS JOIN LATERAL (SELECT {_config_case_sql()}::regconfig AS cfg) x
WHERE c.id IN ({{published}}){{only}}
ON CONFLICT (case_id) DO UPDATE SET {_UPDATED}
"""
_RANK_UPSERT_SQL = f"""
INSERT INTO {RANK_TABLE} (case_id, rank_vector)
SELECT c.id,
    setweight(to_tsvector(x.cfg, coalesce(c.title, '')), 'A')
 || setweight(to_tsvector(x.cfg, coalesce(c.summary, '')), 'B')
FROM cases_case c CROSS JOIN LATERAL (SELECT {_config_case_sql()}::regconfig AS cfg) x
WHERE c.id IN ({{published}}){{only}}
ON CONFLICT (case_id) DO UPDATE SET rank_vector = EXCLUDED.rank_vector
"""
_DELETE_SQL = f"DELETE FROM {SEARCH_TABLE} s WHERE s.case_id NOT IN ({{published}}){{only}}"

# A lexeme as a one-term tsquery, as ``websearch_to_tsquery`` parses a one-word search: quoted,
# its quotes and backslashes doubled, so that the text is read back unchanged (no stemming).
_LEXEME_QUERY_SQL = (
    r"('''' || replace(replace(u.lexeme, '\', '\\'), '''', '''''') || '''')::tsquery"
)
# The term rows of the search rows (of the cases ``{only}`` selects): each lexeme of the rank
# vector with the rank of that vector for the lexeme alone. A rank of 0 gets no row (a hit
# ranked 0 comes after every ranked hit, like those whose rank vector lacks the word).
_FRESH_TERMS_SQL = f"""
SELECT * FROM (
    SELECT s.case_id, s.search_config, u.lexeme, s.published_at,
        ts_rank(r.rank_vector, {_LEXEME_QUERY_SQL}) AS score
    FROM {SEARCH_TABLE} s JOIN {RANK_TABLE} r ON r.case_id = s.case_id, unnest(r.rank_vector) u
    WHERE length(u.lexeme) <= {TERM_MAX_LENGTH}{{only}}
) f WHERE f.score > 0
"""
_SAME_TERM = (
    "{a}.case_id = {b}.case_id AND {a}.lexeme = {b}.lexeme"
    " AND {a}.search_config = {b}.search_config AND {a}.score = {b}.score"
    " AND {a}.published_at = {b}.published_at"
)
# One statement brings the term rows of the selected cases up to date, writing only what
# changed: most refreshes (a partner, a tag, a profile value) leave title and summary alone.
# Rows kept are equal to a fresh row, so a fresh row is inserted unless an equal row exists
# (both parts see the table as it was before the statement). ON CONFLICT: a concurrent refresh
# of the same case may have inserted the same row.
_TERMS_SQL = f"""
WITH fresh AS MATERIALIZED ({_FRESH_TERMS_SQL}),
gone AS (
    DELETE FROM {TERM_TABLE} t WHERE {{only_terms}}NOT EXISTS
        (SELECT FROM fresh f WHERE {_SAME_TERM.format(a="f", b="t")})
)
INSERT INTO {TERM_TABLE} (case_id, search_config, lexeme, score, published_at)
SELECT f.case_id, f.search_config, f.lexeme, f.score, f.published_at FROM fresh f
WHERE NOT EXISTS (SELECT FROM {TERM_TABLE} t WHERE {_SAME_TERM.format(a="t", b="f")})
ON CONFLICT DO NOTHING
"""


def search_is_native() -> bool:
    return connection.vendor == "postgresql"


def _published_ids_sql() -> tuple[str, tuple]:
    return published_cases().order_by().values("id").query.sql_with_params()


def update_search_vectors(case_ids: Iterable[int] | None = None) -> None:
    """Bring the search table up to date for the given cases (all cases when ``None``): a row
    for each published one, none for the others, and their rank vectors and term rows. Does
    nothing on SQLite."""
    if not search_is_native():
        return
    published, published_params = _published_ids_sql()
    with connection.cursor() as cursor:
        if case_ids is None:
            for sql in (_UPSERT_SQL, _RANK_UPSERT_SQL, _DELETE_SQL):
                cursor.execute(sql.format(published=published, only=""), published_params)
            cursor.execute(_TERMS_SQL.format(only="", only_terms=""))
            return
        ids = sorted(set(case_ids))
        for start in range(0, len(ids), _BATCH):
            batch = [ids[start : start + _BATCH]]
            for sql in (_UPSERT_SQL, _RANK_UPSERT_SQL):
                cursor.execute(
                    sql.format(published=published, only=" AND c.id = ANY(%s)"),
                    [*published_params, *batch],
                )
            cursor.execute(
                _DELETE_SQL.format(published=published, only=" AND s.case_id = ANY(%s)"),
                [*published_params, *batch],
            )
            # After the delete: an unpublished case's rows went with its search row.
            cursor.execute(
                _TERMS_SQL.format(
                    only=" AND s.case_id = ANY(%s)", only_terms="t.case_id = ANY(%s) AND "
                ),
                [*batch, *batch],
            )


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
