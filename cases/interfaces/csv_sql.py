"""The CSV export's lines built by PostgreSQL, for exports of many cases.

The Python path (``cases.interfaces.exporters``) builds one dict and 43 cells per case and reads
the many-valued fields in six extra queries per chunk: about a millisecond per case. Here the
database writes each finished CSV line (the same cells, formula neutralisation, joins of many
values, number and date formats, and quoting as Python's ``csv`` module with its defaults), and
Python only passes the lines on.

The export's cases and their order still come from the library's queryset (the published gate,
the filters, the sort): its ids stream through a server-side cursor, and each batch of ids is
turned into lines by one query. In that query each related table is read once for the whole
batch, its rows sorted once and aggregated per case in that order (a sort per case and field,
as ``string_agg(... ORDER BY ...)`` or ``ARRAY(SELECT ... ORDER BY ...)`` per row do, cost more
than everything else together), and the factor profile is pivoted without sorting. What is left
is mostly reading the related rows (about seven index probes per case).
``tests/library/test_exports.py`` holds both paths to the same output.
"""

# SQL here is assembled from model metadata and fixed strings; the base URL and the ids travel
# as query parameters.
# ruff: noqa: S608

from collections.abc import Iterable, Iterator

from django.urls import reverse

from cases.domain.queries.library import OUTCOME_BY_VALUE
from cases.domain.queries.routing import library_connection
from cases.models import Case, FactorProfileValue, Sector

BATCH = 2000
_FORMULA_START = "('=', '+', '-', '@', E'\\t', E'\\r', E'\\n')"
# A cell needs work when it starts like a formula or holds a character csv.writer quotes for.
_NEEDS_WORK = "E'^[-=+@\\t\\r\\n]|[\",\\r\\n]'"


def _cell(value: str) -> str:
    """SQL for one CSV cell from ``value`` (a text column, never NULL): ``neutralise`` (a
    spreadsheet shows it as text), then quoted the way csv.writer does by default
    (QUOTE_MINIMAL). Most cells need neither, which one regular expression tells. ``value`` is
    repeated, so it must be a plain column reference."""
    neutral = (
        f"(CASE WHEN left({value}, 1) IN {_FORMULA_START} THEN '''' || {value} ELSE {value} END)"
    )
    return (
        f"(CASE WHEN {value} !~ {_NEEDS_WORK} THEN {value}"
        f" WHEN {value} ~ E'[\",\\r\\n]' THEN '\"' || replace({neutral}, '\"', '\"\"') || '\"'"
        f" ELSE {neutral} END)"
    )


def _grouped(select: str, table: str, where: str, order: str) -> str:
    """One row per case of the batch with its joined values, in ``order`` within the case.
    The rows are sorted once in a subquery and aggregated in that order, rather than sorted
    case by case inside the aggregate (a sort per case and field was most of the export's
    time). PostgreSQL aggregates rows in the order its input delivers them; nothing re-sorts
    here, and every reading of the batch goes through the materialised ``ids``, which is never
    read by parallel workers, so no partial aggregates are merged out of order. The test of the
    edge cases holds the order of many values against the Python path."""
    return (
        f"(SELECT s.case_id, {select} FROM (SELECT * FROM {table}"
        f" WHERE {where} ORDER BY {order}) s GROUP BY s.case_id)"
    )


def _vocabulary(relation: str, alias: str) -> str:
    field = Case._meta.get_field(relation)
    through = field.remote_field.through._meta
    vocabulary = field.related_model._meta.db_table
    target = through.get_field(field.m2m_reverse_field_name()).column
    rows = (
        f'(SELECT t.case_id, k.slug, k."order" FROM {through.db_table} t'
        f" JOIN {vocabulary} k ON k.id = t.{target} WHERE t.case_id IN (SELECT id FROM ids))"
    )
    grouped = _grouped(
        "string_agg(s.slug, '; ') AS v", f"{rows} r", "true", 'r.case_id, r."order", r.slug'
    )
    return f"LEFT JOIN {grouped} {alias} ON {alias}.case_id = c.id"


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


_VOCABULARIES = (
    "collaboration_types",
    "coproduction_phases",
    "coproduction_levels",
    "policy_sectors",
)


def _cells() -> list[tuple[str, bool]]:
    """One SQL expression per exported field, in ``EXPORT_FIELDS`` order, and whether it can
    hold text that needs neutralising or quoting (the numbers, dates and yes/no written here
    never do)."""
    return [
        ("c.slug", True),
        ("c.title", True),
        ("u.url", True),
        ("c.summary", True),
        ("o.name", True),
        ("c.country", True),
        ("c.level", True),
        ("e.slug", True),
        ("e.name", True),
        ("c.year", False),
        ("cat.slug", True),
        (_outcome(), True),
        ("c.place", False),
        ("st.slug", True),
        *((f"m{index}.v", True) for index in range(len(_VOCABULARIES))),
        ("pa.names", True),
        ("pa.sectors", True),
        ("to_char(c.start_date, 'YYYY-MM-DD')", False),
        ("to_char(c.end_date, 'YYYY-MM-DD')", False),
        ("CASE WHEN c.ongoing THEN 'yes' ELSE 'no' END", False),
        ("c.website", True),
        ("c.provenance", True),
        ("c.licence", True),
        ("c.language", True),
        (
            f"CASE WHEN c.published_at IS NULL THEN '' ELSE {_iso_datetime('c.published_at')} END",
            False,
        ),
    ]


# A profile value as Python writes float(Decimal): "3.0", "2.5", "1.25".
_VALUE = (
    "CASE WHEN v.value IS NULL THEN '' WHEN v.value = trunc(v.value)"
    " THEN trunc(v.value)::bigint::text || '.0' ELSE v.value::float8::text END"
)
_IN_BATCH = "case_id IN (SELECT id FROM ids)"
# The partners' distinct sectors, sorted as Python sorts strings, from the same pass over the
# partners as their names: one flag per sector of the choices, in that order; a sector outside
# the choices (none is, unless written around the model) takes the general, slower way.
_KNOWN_SECTORS = sorted(Sector.values, key=lambda value: value.encode())
_SECTORS = (
    "CASE WHEN bool_and(s.sector IN ({known})) THEN concat_ws('; ', {flags}) ELSE"
    " (SELECT string_agg(d.sector, '; ') FROM (SELECT DISTINCT p.sector COLLATE \"C\" AS sector"
    " FROM cases_partner p WHERE p.case_id = s.case_id ORDER BY 1) d) END"
).format(
    known=", ".join(f"'{value}'" for value in _KNOWN_SECTORS),
    flags=", ".join(
        f"CASE WHEN bool_or(s.sector = '{value}') THEN '{value}' END" for value in _KNOWN_SECTORS
    ),
)


def _profile(factor_ids: list[int]) -> tuple[str, list[str]]:
    """The join of the factor profile (one column per factor, pivoted without sorting) and
    its two parts of the line. Values and sources need no quoting and never start like a
    formula."""
    if not factor_ids:
        return "", []
    values = ", ".join(
        f"coalesce(max(CASE WHEN v.factor_id = {pk} THEN {_VALUE} END), '')" for pk in factor_ids
    )
    sources = ", ".join(
        f"coalesce(max(CASE WHEN v.factor_id = {pk} THEN v.source END), '')" for pk in factor_ids
    )
    empty = "," * (len(factor_ids) - 1)
    join = (
        f"LEFT JOIN (SELECT v.case_id, concat_ws(',', {values}) AS vals,"
        f" concat_ws(',', {sources}) AS sources"
        f" FROM {FactorProfileValue._meta.db_table} v WHERE v.{_IN_BATCH}"
        " GROUP BY v.case_id) pf ON pf.case_id = c.id"
    )
    return join, [f"coalesce(pf.vals, '{empty}')", f"coalesce(pf.sources, '{empty}')"]


def _line_sql(factor_ids: list[int]) -> str:
    # The raw values are computed once per case (OFFSET 0 keeps PostgreSQL from folding the
    # subquery into the cell expressions, which would repeat them), then quoted.
    cells = _cells()
    raw = ", ".join(
        f"coalesce(({expression})::text, '') AS v{index}"
        for index, (expression, _text) in enumerate(cells)
    )
    profile_join, profile_cells = _profile(factor_ids)
    # One concat_ws per line: a chain of || copies the growing line once per cell.
    line = ", ".join(
        [
            _cell(f"x.v{index}") if text else f"x.v{index}"
            for index, (_expression, text) in enumerate(cells)
        ]
        + profile_cells
    )
    vocabularies = "\n".join(
        _vocabulary(relation, f"m{index}") for index, relation in enumerate(_VOCABULARIES)
    )
    partners = _grouped(
        f"string_agg(s.name, '; ') AS names, {_SECTORS} AS sectors",
        "cases_partner",
        _IN_BATCH,
        'case_id, "order", id',
    )
    return f"""
WITH ids AS MATERIALIZED (
    SELECT id, position FROM unnest(%s::bigint[]) WITH ORDINALITY AS u(id, position)
)
SELECT concat_ws(',', {line}) || E'\\r\\n'
FROM ids
JOIN cases_case c ON c.id = ids.id
CROSS JOIN LATERAL (SELECT %s || c.slug || %s AS url) u
LEFT JOIN cases_organisation o ON o.id = c.lead_organisation_id
LEFT JOIN cases_edition e ON e.id = c.edition_id
LEFT JOIN cases_category cat ON cat.id = c.category_id
LEFT JOIN cases_innovationstage st ON st.id = c.innovation_stage_id
{vocabularies}
LEFT JOIN {partners} pa ON pa.case_id = c.id
{profile_join}
CROSS JOIN LATERAL (SELECT {raw} OFFSET 0) x
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
