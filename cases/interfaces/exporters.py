"""CSV and JSON exports of a filtered set of published cases, streamed chunk by chunk.

Rows are read as plain values with ``.iterator(chunk_size=...)``: on PostgreSQL a server-side
cursor, opened inside a transaction that lasts as long as the export, so that rows flow from
the first one (a cursor opened outside a transaction is WITH HOLD, and PostgreSQL builds its
whole result before sending any). The many-valued fields are read for each chunk with one query
per relation, so an export of 100,000 cases never holds more than one chunk in memory, and
builds no model objects. Each chunk goes out as one piece of the response, not one per line.
Field names are documented on the page /library/export/ (``FIELD_DOCUMENTATION`` below, which
a test keeps in step with the exported fields) and in docs/library-export.md.
"""

import csv
import io
import json
from collections.abc import Iterable, Iterator

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cases.domain.queries.library import OUTCOME_BY_VALUE
from cases.domain.queries.routing import library_connection
from cases.interfaces.csv_sql import csv_lines
from cases.models import (
    Case,
    CollaborationType,
    CoproductionLevel,
    CoproductionPhase,
    EcosystemFactor,
    FactorProfileValue,
    InnovationStage,
    Partner,
    PolicySector,
)

CHUNK_SIZE = 1000
MULTI_VALUE_SEPARATOR = "; "
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")

EXPORT_FIELDS = (
    "slug",
    "title",
    "url",
    "summary",
    "lead_organisation",
    "country",
    "government_level",
    "edition",
    "edition_name",
    "year",
    "category",
    "outcome",
    "place",
    "innovation_stage",
    "collaboration_types",
    "coproduction_phases",
    "coproduction_levels",
    "policy_sectors",
    "partners",
    "partner_sectors",
    "start_date",
    "end_date",
    "ongoing",
    "website",
    "provenance",
    "licence",
    "language",
    "published_at",
)

# What each exported field means, in export order: the page library:export_fields shows it.
FIELD_DOCUMENTATION = (
    ("slug", _("The case's stable identifier; its page is /library/<slug>/.")),
    ("title", _("Title of the case.")),
    ("url", _("Absolute permalink of the case page (cite this).")),
    ("summary", _("Executive summary (empty for imported fact-only cases).")),
    ("lead_organisation", _("Name of the lead public organisation.")),
    ("country", _("ISO 3166 alpha-2 code of the case's country; EU for EU institutions.")),
    ("government_level", _("eu-institution, national, regional or local.")),
    ("edition", _("Slug of the award edition (empty for imported cases).")),
    ("edition_name", _("Name of the award edition.")),
    (
        "year",
        _("The year the library files the case under: its edition's year, else the start year."),
    ),
    ("category", _("Slug of the award category.")),
    (
        "outcome",
        _(
            "winner, nominee, certificate, special-recognition or submitted "
            "(eligible, no distinction)."
        ),
    ),
    ("place", _("Winners only: the jury's place, 1 to 3.")),
    ("innovation_stage", _("Slug of the OECD OPSI innovation stage.")),
    ("collaboration_types", _("Slugs of the collaboration types, e.g. public-citizen.")),
    (
        "coproduction_phases",
        _(
            "Slugs of the co-production phases: co-commissioning, co-design, co-delivery, "
            "co-assessment."
        ),
    ),
    ("coproduction_levels", _("Slugs of the co-production levels: individual, group, collective.")),
    ("policy_sectors", _("Slugs of the policy sectors.")),
    ("partners", _("Names of the partner organisations, in the case's order.")),
    (
        "partner_sectors",
        _(
            "The distinct sectors of the partners: public, private, third-sector, academic, "
            "citizens."
        ),
    ),
    ("start_date", _("ISO 8601 start date; empty when not known.")),
    ("end_date", _("ISO 8601 end date; empty when not known.")),
    ("ongoing", _("Whether the project is still running.")),
    ("website", _("The project's website.")),
    (
        "provenance",
        _(
            "submitted (through the portal), imported (from published records) or synthetic "
            "(demo data)."
        ),
    ),
    ("licence", _("Licence of the case text: CC-BY-4.0, CC-BY-SA-4.0 or all-rights-reserved.")),
    ("language", _("The language the case is written in: an ISO 639-1 code, or other.")),
    ("published_at", _("When the case was published in the library (ISO 8601 with time zone).")),
    (
        "factor_<factor slug>",
        _(
            "CSV: one column per enabling-ecosystem factor, its profile value from 0 to 4; "
            "empty where the case has none. JSON: the object factor_profile, factor slug to "
            "value or null."
        ),
    ),
    (
        "factor_<factor slug>_source",
        _(
            "CSV: where each value comes from: consensus (mean of the evaluators' scores, "
            "rescaled) or self-assessment (the applicant's rating). JSON: the object "
            "factor_profile_source."
        ),
    ),
)


# Columns of the case row itself (ORM paths); the many-valued fields are read per chunk.
_ROW_FIELDS = (
    "id",
    "slug",
    "title",
    "summary",
    "country",
    "level",
    "year",
    "outcome",
    "place",
    "start_date",
    "end_date",
    "ongoing",
    "website",
    "provenance",
    "licence",
    "language",
    "published_at",
    "innovation_stage_id",
    "lead_organisation__name",
    "edition__slug",
    "edition__name",
    "category__slug",
)

# Record field -> (many-to-many relation of Case, vocabulary model).
_M2M_EXPORTS = {
    "collaboration_types": ("collaboration_types", CollaborationType),
    "coproduction_phases": ("coproduction_phases", CoproductionPhase),
    "coproduction_levels": ("coproduction_levels", CoproductionLevel),
    "policy_sectors": ("policy_sectors", PolicySector),
}


class _Lookups:
    """Vocabulary slugs read once per export instead of joined into every row."""

    def __init__(self, base_url: str):
        self.factors = list(EcosystemFactor.objects.order_by("order").values_list("pk", "slug"))
        self.stages = dict(InnovationStage.objects.values_list("pk", "slug"))
        # id -> (display order, slug) per vocabulary, so that lists come out in vocabulary order
        self.vocabularies = {
            name: {
                pk: (order, slug)
                for pk, order, slug in model.objects.values_list("pk", "order", "slug")
            }
            for name, (_relation, model) in _M2M_EXPORTS.items()
        }
        placeholder = "case-slug-placeholder"
        self.case_url = base_url + reverse("library-any:case", kwargs={"slug": placeholder})
        self.placeholder = placeholder


# Per-chunk reads of related rows: identifiers come from model metadata, the case ids travel as
# query parameters. Plain SQL here, because building an ORM filter over a thousand ids costs
# more than running it.
_SELECT_BY_CASE = "SELECT {columns} FROM {table} WHERE {case} {matching}{order}"


def _rows_for_cases(model, columns: list[str], ids: list[int], order: list[str] | None = None):
    meta = model._meta
    connection = library_connection()
    quote = connection.ops.quote_name
    sql = _SELECT_BY_CASE.format(
        columns=", ".join(quote(meta.get_field(name).column) for name in columns),
        table=quote(meta.db_table),
        case=quote(meta.get_field("case").column),
        # PostgreSQL takes the chunk's ids as one array parameter.
        matching="= ANY(%s)"
        if connection.vendor == "postgresql"
        else f"IN ({', '.join(['%s'] * len(ids))})",
        order=(
            " ORDER BY " + ", ".join(quote(meta.get_field(name).column) for name in order)
            if order
            else ""
        ),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [ids] if connection.vendor == "postgresql" else ids)
        return cursor.fetchall()


def _related(ids: list[int], lookups: _Lookups) -> dict[str, dict[int, list]]:
    """The many-valued fields of one chunk of cases: one query per relation."""
    related: dict[str, dict[int, list]] = {}
    for name, (relation, _model) in _M2M_EXPORTS.items():
        m2m = getattr(Case, relation).field
        through = m2m.remote_field.through
        vocabulary = lookups.vocabularies[name]
        by_case: dict[int, list] = {}
        for case_id, item_id in _rows_for_cases(
            through, ["case", m2m.m2m_reverse_field_name()], ids
        ):
            by_case.setdefault(case_id, []).append(vocabulary[item_id])
        related[name] = {
            key: [slug for _o, slug in sorted(items)] for key, items in by_case.items()
        }
    partners: dict[int, list] = {}
    for case_id, name, sector in _rows_for_cases(
        Partner, ["case", "name", "sector"], ids, order=["case", "order", "id"]
    ):
        partners.setdefault(case_id, []).append((name, sector))
    related["partners"] = partners
    profiles: dict[int, dict] = {}
    for case_id, factor_id, value, source in _rows_for_cases(
        FactorProfileValue, ["case", "factor", "value", "source"], ids
    ):
        profiles.setdefault(case_id, {})[factor_id] = (value, source)
    related["profiles"] = profiles
    return related


def _iso(value):
    return value.isoformat() if value else None


def case_record(row: dict, related: dict, lookups: _Lookups) -> dict:
    """One case as a flat dict of export fields (lists for many-valued fields)."""
    case_id = row["id"]
    partners = related["partners"].get(case_id, [])
    profile = related["profiles"].get(case_id, {})
    record = {
        "slug": row["slug"],
        "title": row["title"],
        "url": lookups.case_url.replace(lookups.placeholder, row["slug"]),
        "summary": row["summary"],
        "lead_organisation": row["lead_organisation__name"] or "",
        "country": row["country"] or "",
        "government_level": row["level"],
        "edition": row["edition__slug"] or "",
        "edition_name": row["edition__name"] or "",
        "year": row["year"],
        "category": row["category__slug"] or "",
        "outcome": OUTCOME_BY_VALUE.get(row["outcome"], row["outcome"]),
        "place": row["place"],
        "innovation_stage": lookups.stages.get(row["innovation_stage_id"], ""),
        **{name: related[name].get(case_id, []) for name in _M2M_EXPORTS},
        "partners": [name for name, _sector in partners],
        "partner_sectors": sorted({sector for _name, sector in partners}),
        "start_date": _iso(row["start_date"]),
        "end_date": _iso(row["end_date"]),
        "ongoing": row["ongoing"],
        "website": row["website"],
        "provenance": row["provenance"],
        "licence": row["licence"],
        "language": row["language"],
        "published_at": _iso(row["published_at"]),
    }
    factors = {}
    sources = {}
    for factor_id, slug in lookups.factors:
        value, source = profile.get(factor_id, (None, None))
        factors[slug] = float(value) if value is not None else None
        sources[slug] = source
    record["factor_profile"] = factors
    record["factor_profile_source"] = sources
    return record


def _chunks(queryset: QuerySet) -> Iterator[list[dict]]:
    """The queryset's rows in chunks, read inside one transaction (see the module docstring)."""
    with transaction.atomic(using=queryset.db):
        chunk: list[dict] = []
        for row in queryset.values(*_ROW_FIELDS).iterator(chunk_size=CHUNK_SIZE):
            chunk.append(row)
            if len(chunk) >= CHUNK_SIZE:
                yield chunk
                chunk = []
        if chunk:
            yield chunk


def _record_chunks(queryset: QuerySet, base_url: str) -> Iterator[list[dict]]:
    """Export records in the queryset's order, one chunk at a time."""
    lookups = _Lookups(base_url)
    for chunk in _chunks(queryset):
        related = _related([row["id"] for row in chunk], lookups)
        yield [case_record(row, related, lookups) for row in chunk]


def export_records(queryset: QuerySet, base_url: str) -> Iterator[dict]:
    """The export records of ``queryset`` (citation downloads and the data package use them)."""
    for chunk in _record_chunks(queryset, base_url):
        yield from chunk


# --- CSV ------------------------------------------------------------------------------------


def neutralise(value) -> str:
    """A cell a spreadsheet shows as text, never runs: formula-like text gets a leading '."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def csv_header(factor_slugs: Iterable[str]) -> list[str]:
    factor_slugs = list(factor_slugs)
    return (
        list(EXPORT_FIELDS)
        + [f"factor_{slug}" for slug in factor_slugs]
        + [f"factor_{slug}_source" for slug in factor_slugs]
    )


def _cell(value) -> str:
    """``neutralise``, with the common cases first (most cells are plain text or empty)."""
    if value.__class__ is str:
        return "'" + value if value.startswith(FORMULA_PREFIXES) else value
    if value is None:
        return ""
    if value.__class__ is list:
        return _cell(MULTI_VALUE_SEPARATOR.join(value))
    return neutralise(value)


def _csv_cells(record: dict, factor_slugs: list[str]) -> list[str]:
    row = [_cell(record[name]) for name in EXPORT_FIELDS]
    profile, sources = record["factor_profile"], record["factor_profile_source"]
    row += [_cell(profile[slug]) for slug in factor_slugs]
    row += [_cell(sources[slug]) for slug in factor_slugs]
    return row


def _ids(queryset: QuerySet) -> Iterator[int]:
    """The queryset's ids in its order, through a cursor inside a transaction."""
    with transaction.atomic(using=queryset.db):
        yield from queryset.values_list("id", flat=True).iterator(chunk_size=CHUNK_SIZE)


def csv_rows(
    queryset: QuerySet, base_url: str, *, in_database: bool | None = None
) -> Iterator[str]:
    """The CSV text of the export, header first (UTF-8 with a byte-order mark for Excel), one
    piece per chunk of cases. On PostgreSQL the database writes the lines
    (``cases.interfaces.csv_sql``); ``in_database=False`` forces the Python path."""
    factors = list(EcosystemFactor.objects.order_by("order").values_list("pk", "slug"))
    factor_slugs = [slug for _pk, slug in factors]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(csv_header(factor_slugs))
    yield "\ufeff" + buffer.getvalue()
    if in_database is None:
        in_database = library_connection().vendor == "postgresql"
    if in_database:
        yield from csv_lines(_ids(queryset), base_url, [pk for pk, _slug in factors])
        return
    for records in _record_chunks(queryset, base_url):
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(_csv_cells(record, factor_slugs) for record in records)
        yield buffer.getvalue()


# --- JSON -----------------------------------------------------------------------------------


def json_chunks(queryset: QuerySet, base_url: str, *, query: dict) -> Iterator[str]:
    """A JSON document ``{"source", "documentation", "licence_note", "query", "cases": [...]}``,
    piece by piece."""
    head = {
        "source": base_url + reverse("library:list"),
        "documentation": base_url + reverse("library:export_fields"),
        "licence_note": (
            "Each case carries its own licence in its 'licence' field; cite the case URL."
        ),
        "query": query,
    }
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "cases": ['
    separator = "\n"
    for records in _record_chunks(queryset, base_url):
        yield separator + ",\n".join(json.dumps(record, ensure_ascii=False) for record in records)
        separator = ",\n"
    yield "\n]}\n"
