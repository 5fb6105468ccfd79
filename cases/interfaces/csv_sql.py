"""The CSV export's lines built by PostgreSQL, for exports of many cases.

The Python path (``cases.interfaces.exporters``) builds one dict and 43 cells per case and reads
the many-valued fields in six extra queries per chunk: about a millisecond per case. Here the
database writes each finished CSV line (the same cells, formula neutralisation, joins of many
values, number and date formats, and quoting as Python's ``csv`` module with its defaults), and
Python only passes the lines on: the cost is close to reading the rows.

The export's cases and their order still come from the library's queryset (the published gate,
the filters, the sort): its ids stream through a server-side cursor, and each batch of ids is
turned into lines by one query. ``tests/library/test_exports.py`` holds both paths to the same
output.
"""

# SQL here is assembled from model metadata and fixed strings; the base URL and the ids travel
# as query parameters.
# ruff: noqa: S608

from collections.abc import Iterable, Iterator

from django.urls import reverse

from cases.domain.queries.library import OUTCOME_BY_VALUE
from cases.domain.queries.routing import library_connection
from cases.models import Case, EcosystemFactor

BATCH = 2000
_FORMULA_START = "('=', '+', '-', '@', E'\\t', E'\\r', E'\\n')"


def _cell(value: str) -> str:
    """SQL for one CSV cell from ``value`` (a text column, never NULL): ``neutralise`` (a
    spreadsheet shows it as text), then quoted the way csv.writer does by default
    (QUOTE_MINIMAL). ``value`` is repeated, so it must be a plain column reference."""
    neutral = (
        f"(CASE WHEN left({value}, 1) IN {_FORMULA_START} THEN '''' || {value} ELSE {value} END)"
    )
    return (
        f"CASE WHEN {value} ~ E'[\",\\r\\n]'"
        f" THEN '\"' || replace({neutral}, '\"', '\"\"') || '\"' ELSE {neutral} END"
    )


def _joined(relation: str) -> str:
    field = Case._meta.get_field(relation)
    through = field.remote_field.through._meta
    vocabulary = field.related_model._meta.db_table
    target = through.get_field(field.m2m_reverse_field_name()).column
    return (
        f"array_to_string(ARRAY(SELECT k.slug FROM {through.db_table} t JOIN {vocabulary} k"
        f" ON k.id = t.{target} WHERE t.case_id = c.id ORDER BY k.\"order\", k.slug), '; ')"
    )


def _iso_datetime(column: str) -> str:
    utc = f"({column} AT TIME ZONE 'UTC')"
    return (
        f"to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS')"
        f" || CASE WHEN mod(date_part('microseconds', {utc})::bigint, 1000000) <> 0"
        f" THEN '.' || to_char({utc}, 'US') ELSE '' END || '+00:00'"
    )


def _outcome() -> str:
    arms = " ".join(
        f"WHEN '{value}' THEN '{slug}'" for value, slug in OUTCOME_BY_VALUE.items() if slug
    )
    return f"(CASE c.outcome {arms} ELSE c.outcome END)"


def _cells() -> list[str]:
    """One SQL expression per exported field, in ``EXPORT_FIELDS`` order."""
    return [
        "c.slug",
        "c.title",
        "u.url",
        "c.summary",
        "o.name",
        "c.country",
        "c.level",
        "e.slug",
        "e.name",
        "c.year",
        "cat.slug",
        _outcome(),
        "c.place",
        "st.slug",
        _joined("collaboration_types"),
        _joined("coproduction_phases"),
        _joined("coproduction_levels"),
        _joined("policy_sectors"),
        "array_to_string(ARRAY(SELECT p.name FROM cases_partner p WHERE p.case_id = c.id"
        " ORDER BY p.\"order\", p.id), '; ')",
        'array_to_string(ARRAY(SELECT DISTINCT p.sector COLLATE "C" FROM cases_partner p'
        " WHERE p.case_id = c.id ORDER BY 1), '; ')",
        "to_char(c.start_date, 'YYYY-MM-DD')",
        "to_char(c.end_date, 'YYYY-MM-DD')",
        "CASE WHEN c.ongoing THEN 'yes' ELSE 'no' END",
        "c.website",
        "c.provenance",
        "c.licence",
        "c.language",
        f"CASE WHEN c.published_at IS NULL THEN '' ELSE {_iso_datetime('c.published_at')} END",
    ]


# A profile value as Python writes float(Decimal): "3.0", "2.5", "1.25".
_VALUE = (
    "CASE WHEN v.value IS NULL THEN '' WHEN v.value = trunc(v.value)"
    " THEN trunc(v.value)::bigint::text || '.0' ELSE v.value::float8::text END"
)


def _line_sql(factor_ids: list[int]) -> str:
    # The raw values are computed once per case (OFFSET 0 keeps PostgreSQL from folding the
    # subquery into the cell expressions, which would repeat its subqueries), then quoted.
    expressions = _cells()
    raw = ", ".join(
        f"coalesce(({expression})::text, '') AS v{index}"
        for index, expression in enumerate(expressions)
    )
    line = " || ',' || ".join(_cell(f"x.v{index}") for index in range(len(expressions)))
    if factor_ids:
        # Values and sources need no quoting and never start like a formula.
        line += " || ',' || pf.vals || ',' || pf.sources"
    order = ", ".join(str(pk) for pk in factor_ids) or "0"
    return f"""
SELECT {line} || E'\\r\\n'
FROM unnest(%s::bigint[]) WITH ORDINALITY AS ids(id, position)
JOIN cases_case c ON c.id = ids.id
CROSS JOIN LATERAL (SELECT %s || c.slug || %s AS url) u
LEFT JOIN cases_organisation o ON o.id = c.lead_organisation_id
LEFT JOIN cases_edition e ON e.id = c.edition_id
LEFT JOIN cases_category cat ON cat.id = c.category_id
LEFT JOIN cases_innovationstage st ON st.id = c.innovation_stage_id
CROSS JOIN LATERAL (SELECT {raw} OFFSET 0) x
LEFT JOIN LATERAL (
    SELECT string_agg({_VALUE}, ',' ORDER BY array_position(ARRAY[{order}]::bigint[], f.id))
               AS vals,
           string_agg(coalesce(v.source, ''), ','
                      ORDER BY array_position(ARRAY[{order}]::bigint[], f.id)) AS sources
    FROM {EcosystemFactor._meta.db_table} f
    LEFT JOIN cases_factorprofilevalue v ON v.factor_id = f.id AND v.case_id = c.id
) pf ON true
ORDER BY ids.position
"""


def csv_lines(ids: Iterable[int], base_url: str, factor_ids: list[int]) -> Iterator[str]:
    """The CSV lines of the cases ``ids`` (in that order), one string per batch."""
    placeholder = "case-slug-placeholder"
    prefix, suffix = (base_url + reverse("library-any:case", kwargs={"slug": placeholder})).split(
        placeholder
    )
    sql = _line_sql(factor_ids)
    connection = library_connection()
    batch: list[int] = []

    def lines(chunk):
        with connection.cursor() as cursor:
            cursor.execute(sql, [chunk, prefix, suffix])
            return "".join(row[0] for row in cursor.fetchall())

    for pk in ids:
        batch.append(pk)
        if len(batch) >= BATCH:
            yield lines(batch)
            batch = []
    if batch:
        yield lines(batch)
