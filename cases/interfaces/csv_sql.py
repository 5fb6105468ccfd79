"""The CSV export's lines built by PostgreSQL, for exports of many cases.

The Python path (``cases.interfaces.exporters``) builds one dict and 43 cells per case and reads
the many-valued fields in six extra queries per chunk: about a millisecond per case. Here the
database writes each finished CSV line (the same cells, formula neutralisation, joins of many
values, number and date formats, and quoting as Python's ``csv`` module with its defaults), and
Python only puts the lines in order and passes them on.

The export's cases and their order still come from the library's queryset (the published gate,
the filters, the sort): its ids stream through a server-side cursor, and each batch of ids is
turned into lines by one query. What costs is reading related rows, an index probe per case
and table, so the query reads as few tables per case as it can: the case row, its search table
row (``cases_librarysearch``, whose arrays hold the tags: one probe instead of four join
tables; each distinct array's slugs are joined once per batch), its partners and its profile
values. Each related table is read once for the whole batch and aggregated per case without a
sort per case (partners sorted once, the profile pivoted by filtered aggregates, the partners'
sectors as a bit mask). Cells that can never need quoting are written as they are; the short
texts of a line are tested for formulas and quoting with one regular expression together, the
summary with byte searches. ``tests/library/test_exports.py`` holds both paths to the same
output.
"""

# SQL here is assembled from model metadata and fixed strings; the base URL and the ids travel
# as query parameters.
# ruff: noqa: S608

from collections.abc import Iterable, Iterator

from django.urls import reverse

from cases.domain.queries.library import OUTCOME_BY_VALUE
from cases.domain.queries.routing import library_connection
from cases.domain.search import SEARCH_TABLE, TAG_FACETS
from cases.models import Case, FactorProfileValue, Sector

BATCH = 2000
_FORMULA_START = "('=', '+', '-', '@', E'\\t', E'\\r', E'\\n')"
# A cell needs work when it starts like a formula or holds a character csv.writer quotes for.
_NEEDS_WORK = "E'^[-=+@\\t\\r\\n]|[\",\\r\\n]'"
# The same for texts joined by unit separators (\x1f): a formula start after any of them.
_SHORT_NEEDS_WORK = "E'(^|\\x1f)[-=+@\\t\\r\\n]|[\",\\r\\n]'"


def _neutral(value: str) -> str:
    return f"(CASE WHEN left({value}, 1) IN {_FORMULA_START} THEN '''' || {value} ELSE {value} END)"


def _quoted(value: str) -> str:
    return f"'\"' || replace({_neutral(value)}, '\"', '\"\"') || '\"'"


def _cell(value: str) -> str:
    """SQL for one CSV cell from ``value`` (a text column, never NULL): ``neutralise`` (a
    spreadsheet shows it as text), then quoted the way csv.writer does by default
    (QUOTE_MINIMAL). Most cells need neither, which one regular expression tells. ``value`` is
    repeated, so it must be a plain column reference."""
    return (
        f"(CASE WHEN {value} !~ {_NEEDS_WORK} THEN {value}"
        f" WHEN {value} ~ E'[\",\\r\\n]' THEN {_quoted(value)}"
        f" ELSE {_neutral(value)} END)"
    )


def _long_cell(value: str) -> str:
    """``_cell`` for long free text, which mostly holds a comma and is quoted: byte searches
    that stop at the first comma, instead of regular expressions over the whole text."""
    needs_quotes = " OR ".join(
        f"strpos({value}, {char}) > 0" for char in ("','", "'\"'", "E'\\n'", "E'\\r'")
    )
    return f"(CASE WHEN {needs_quotes} THEN {_quoted(value)} ELSE {_neutral(value)} END)"


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


def _tags(relation: str, alias: str) -> str:
    """The join of a case's tags of one vocabulary as one text (``alias``.v), in the order the
    Python path sorts them (order, then slug as Python compares strings), read from the search
    table's array of the case (already read for the line) rather than the join table. Few cases
    differ in their tags, so PostgreSQL keeps the text of each distinct array (a Memoize node)
    instead of sorting the vocabulary once per case."""
    vocabulary = Case._meta.get_field(relation).related_model._meta.db_table
    return (
        f"LEFT JOIN LATERAL (SELECT string_agg(k.slug, '; ' ORDER BY k.\"order\","
        f' k.slug COLLATE "C") AS v FROM {vocabulary} k'
        f" WHERE k.id = ANY(s.{_TAG_COLUMNS[relation]})) {alias} ON true"
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


# Exported many-valued field -> its array column in the search table.
_TAG_COLUMNS = {relation: column for column, relation in TAG_FACETS.values() if relation}
_VOCABULARIES = (
    "collaboration_types",
    "coproduction_phases",
    "coproduction_levels",
    "policy_sectors",
)


# How a cell is checked for text that needs neutralising or quoting: never (numbers, dates and
# yes/no written here), on its own (long free text, which mostly holds a comma and is quoted),
# or in one test with the line's other short texts (see ``_line_sql``).
PLAIN, OWN, SHORT = "plain", "own", "short"


def _cells() -> list[tuple[str, str]]:
    """One SQL expression per exported field, in ``EXPORT_FIELDS`` order, and how it is
    checked (``PLAIN``, ``OWN`` or ``SHORT``)."""
    return [
        ("c.slug", SHORT),
        ("c.title", SHORT),
        ("%(url_prefix)s || c.slug || %(url_suffix)s", SHORT),
        ("c.summary", OWN),
        ("o.name", SHORT),
        ("c.country", SHORT),
        ("c.level", SHORT),
        ("e.slug", SHORT),
        ("e.name", SHORT),
        ("c.year", PLAIN),
        ("cat.slug", SHORT),
        (_outcome(), SHORT),
        ("c.place", PLAIN),
        ("st.slug", SHORT),
        *((f"m{index}.v", SHORT) for index in range(len(_VOCABULARIES))),
        ("pa.names", SHORT),
        ("pa.sectors", SHORT),
        ("to_char(c.start_date, 'YYYY-MM-DD')", PLAIN),
        ("to_char(c.end_date, 'YYYY-MM-DD')", PLAIN),
        ("CASE WHEN c.ongoing THEN 'yes' ELSE 'no' END", PLAIN),
        ("c.website", SHORT),
        ("c.provenance", SHORT),
        ("c.licence", SHORT),
        ("c.language", SHORT),
        (
            f"CASE WHEN c.published_at IS NULL THEN '' ELSE {_iso_datetime('c.published_at')} END",
            PLAIN,
        ),
    ]


# A profile value as Python writes float(Decimal): "3.0", "2.5", "1.25", from the decimal's
# text ("3.00", "2.50", "1.25"; the column has two decimal places) without its trailing zeros
# but one (``v.r`` is that text right-trimmed of zeros: "3.", "2.5", "1.25"). Cheaper than
# arithmetic on the numeric.
_VALUE = "CASE WHEN right(v.r, 1) = '.' THEN v.r || '0' ELSE v.r END"
_SOURCE = 'v.source::text COLLATE "C"'
# Rows of the batch's cases: where the order of the rows matters (partners' names), read
# through the materialised ``ids`` (see ``_grouped``); elsewhere one index scan over the array.
_IN_IDS = "case_id IN (SELECT id FROM ids)"
_IN_BATCH = "case_id = ANY(%(ids)s::bigint[])"
# The partners' distinct sectors, sorted as Python sorts strings, from the same pass over the
# partners as their names: each partner row sets the bit of its sector among the choices (one
# aggregate per row; PostgreSQL computes the repeated identical aggregate once), and the case's
# bits give its sectors in that order. A sector outside the choices (none is, unless written
# around the model) sets the highest bit and takes the general, slower way.
_KNOWN_SECTORS = sorted(Sector.values, key=lambda value: value.encode())
_OTHER_SECTOR = 1 << len(_KNOWN_SECTORS)
_SECTOR_BITS = "bit_or(CASE s.sector {arms} ELSE {other} END)".format(
    arms=" ".join(f"WHEN '{value}' THEN {1 << bit}" for bit, value in enumerate(_KNOWN_SECTORS)),
    other=_OTHER_SECTOR,
)
_SECTORS = (
    "CASE WHEN {bits} < {other} THEN concat_ws('; ', {flags}) ELSE"
    " (SELECT string_agg(d.sector, '; ') FROM (SELECT DISTINCT p.sector COLLATE \"C\" AS sector"
    " FROM cases_partner p WHERE p.case_id = s.case_id ORDER BY 1) d) END"
).format(
    bits=_SECTOR_BITS,
    other=_OTHER_SECTOR,
    flags=", ".join(
        f"CASE WHEN {_SECTOR_BITS} & {1 << bit} <> 0 THEN '{value}' END"
        for bit, value in enumerate(_KNOWN_SECTORS)
    ),
)


def _profile(factor_ids: list[int]) -> tuple[str, list[str]]:
    """The join of the factor profile (one column per factor, pivoted without sorting) and its
    two parts of the line. Each profile row passes the filter of its factor's two aggregates
    only, whose arguments are computed for it alone. Values and sources need no quoting and
    never start like a formula."""
    if not factor_ids:
        return "", []

    def column(expression: str) -> str:
        return ", ".join(
            f"coalesce(min({expression}) FILTER (WHERE v.factor_id = {pk}), '')"
            for pk in factor_ids
        )

    empty = "," * (len(factor_ids) - 1)
    join = (
        f"LEFT JOIN (SELECT v.case_id, concat_ws(',', {column(_VALUE)}) AS vals,"
        f" concat_ws(',', {column(_SOURCE)}) AS sources"
        " FROM (SELECT case_id, factor_id, rtrim(value::text, '0') AS r, source"
        f" FROM {FactorProfileValue._meta.db_table} WHERE {_IN_BATCH}) v"
        " GROUP BY v.case_id) pf ON pf.case_id = c.id"
    )
    return join, [f"coalesce(pf.vals, '{empty}')", f"coalesce(pf.sources, '{empty}')"]


def _line_sql(factor_ids: list[int]) -> str:
    """The query of a batch's lines; its parameters are the batch's ids and the two parts of
    a case's address around its slug."""
    profile_join, profile_cells = _profile(factor_ids)
    cells = _cells() + [(expression, PLAIN) for expression in profile_cells]
    # The raw values are computed once per case in a subquery (OFFSET 0 keeps PostgreSQL from
    # folding it into the expressions that use them, which would repeat them), then tested and
    # written one level up.
    raw = ", ".join(
        f"coalesce(({expression})::text, '') AS v{index}"
        for index, (expression, _check) in enumerate(cells)
    )
    # The short texts of a line are tested together, joined by a unit separator: where none
    # starts like a formula or holds a quote, comma, CR or LF (almost every line), each is
    # written as it is, and only the other lines test them one by one. One regular expression
    # per line instead of one per cell. A unit separator inside a value can only make the
    # joint test fail, never pass wrongly.
    short = ", ".join(f"x.v{index}" for index, (_e, check) in enumerate(cells) if check == SHORT)
    plain = f"concat_ws(E'\\x1f', {short}) !~ {_SHORT_NEEDS_WORK}"

    def written(index: int, check: str) -> str:
        value = f"y.v{index}"
        if check == PLAIN:
            return value
        if check == OWN:
            return _long_cell(value)
        return f"CASE WHEN y.plain THEN {value} ELSE {_cell(value)} END"

    # One concat_ws per line: a chain of || copies the growing line once per cell.
    line = ", ".join(written(index, check) for index, (_expression, check) in enumerate(cells))
    tags = "\n".join(_tags(relation, f"m{index}") for index, relation in enumerate(_VOCABULARIES))
    partners = _grouped(
        f"string_agg(s.name, '; ') AS names, {_SECTORS} AS sectors",
        "cases_partner",
        _IN_IDS,
        'case_id, "order", id',
    )
    return f"""
WITH ids AS MATERIALIZED (
    SELECT id, position FROM unnest(%(ids)s::bigint[]) WITH ORDINALITY AS u(id, position)
)
SELECT y.position, concat_ws(',', {line}) || E'\\r\\n'
FROM (
SELECT x.*, {plain} AS plain
FROM (
SELECT ids.position, {raw}
FROM ids
JOIN cases_case c ON c.id = ids.id
LEFT JOIN {SEARCH_TABLE} s ON s.case_id = c.id
LEFT JOIN cases_organisation o ON o.id = c.lead_organisation_id
LEFT JOIN cases_edition e ON e.id = c.edition_id
LEFT JOIN cases_category cat ON cat.id = c.category_id
LEFT JOIN cases_innovationstage st ON st.id = c.innovation_stage_id
{tags}
LEFT JOIN {partners} pa ON pa.case_id = c.id
{profile_join}
OFFSET 0) x
OFFSET 0) y
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
            # The ids as one array literal: psycopg2 would write a list as ARRAY[...] of 2,000
            # constants, which PostgreSQL parses and estimates one by one (planning went from
            # about 12 ms to 4 ms a batch).
            ids = "{" + ",".join(str(int(pk)) for pk in chunk) + "}"
            cursor.execute(sql, {"ids": ids, "url_prefix": prefix, "url_suffix": suffix})
            # Put in order here: sorting a batch of whole lines in PostgreSQL cost more (and
            # would spill to disk past work_mem).
            ordered = [""] * len(chunk)
            for position, line in cursor.fetchall():
                ordered[position - 1] = line
            return "".join(ordered)

    for pk in ids:
        batch.append(pk)
        if len(batch) >= BATCH:
            yield lines(batch)
            batch = []
    if batch:
        yield lines(batch)
