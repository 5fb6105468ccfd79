"""CSV and JSON exports of a filtered set of published cases, streamed row by row.

Rows are read as plain values with ``.iterator(chunk_size=...)`` (a server-side cursor on
PostgreSQL); the many-valued fields are read for each chunk with one query per relation, so an
export of 100,000 cases never holds more than one chunk in memory, and builds no model objects.
Field names are documented on the page /library/export/ (``FIELD_DOCUMENTATION`` below, which
a test keeps in step with the exported fields) and in docs/library-export.md.
"""

import csv
import json
from collections.abc import Iterable, Iterator

from django.db import connection
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cases.domain.queries.library import OUTCOME_BY_VALUE
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
        self.case_url = base_url + reverse("library:case", kwargs={"slug": placeholder})
        self.placeholder = placeholder


# Per-chunk reads of related rows: identifiers come from model metadata, the case ids travel as
# query parameters. Plain SQL here, because building an ORM filter over a thousand ids costs
# more than running it.
_SELECT_BY_CASE = "SELECT {columns} FROM {table} WHERE {case} IN ({placeholders}){order}"


def _rows_for_cases(model, columns: list[str], ids: list[int], order: list[str] | None = None):
    meta = model._meta
    quote = connection.ops.quote_name
    sql = _SELECT_BY_CASE.format(
        columns=", ".join(quote(meta.get_field(name).column) for name in columns),
        table=quote(meta.db_table),
        case=quote(meta.get_field("case").column),
        placeholders=", ".join(["%s"] * len(ids)),
        order=(
            " ORDER BY " + ", ".join(quote(meta.get_field(name).column) for name in order)
            if order
            else ""
        ),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, ids)
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


def _records(queryset: QuerySet, base_url: str) -> Iterator[dict]:
    """Export records in the queryset's order, one chunk of rows in memory at a time."""
    lookups = _Lookups(base_url)
    chunk: list[dict] = []
    for row in queryset.values(*_ROW_FIELDS).iterator(chunk_size=CHUNK_SIZE):
        chunk.append(row)
        if len(chunk) >= CHUNK_SIZE:
            yield from _complete(chunk, lookups)
            chunk = []
    if chunk:
        yield from _complete(chunk, lookups)


def export_records(queryset: QuerySet, base_url: str) -> Iterator[dict]:
    """The export records of ``queryset`` (citation downloads and the data package use them)."""
    return _records(queryset, base_url)


def _complete(chunk: list[dict], lookups: _Lookups) -> Iterator[dict]:
    related = _related([row["id"] for row in chunk], lookups)
    for row in chunk:
        yield case_record(row, related, lookups)


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


class _Line:
    """A file-like object whose write() returns the line instead of storing it."""

    def write(self, value):
        return value


def csv_header(factor_slugs: Iterable[str]) -> list[str]:
    factor_slugs = list(factor_slugs)
    return (
        list(EXPORT_FIELDS)
        + [f"factor_{slug}" for slug in factor_slugs]
        + [f"factor_{slug}_source" for slug in factor_slugs]
    )


def csv_rows(queryset: QuerySet, base_url: str) -> Iterator[str]:
    """The CSV lines of the export, header first (UTF-8 with a byte-order mark for Excel)."""
    writer = csv.writer(_Line())
    factor_slugs = list(EcosystemFactor.objects.order_by("order").values_list("slug", flat=True))
    yield "\ufeff" + writer.writerow(csv_header(factor_slugs))
    for record in _records(queryset, base_url):
        row = []
        for name in EXPORT_FIELDS:
            value = record[name]
            if isinstance(value, list):
                value = MULTI_VALUE_SEPARATOR.join(value)
            row.append(neutralise(value))
        row += [neutralise(record["factor_profile"].get(slug)) for slug in factor_slugs]
        row += [neutralise(record["factor_profile_source"].get(slug)) for slug in factor_slugs]
        yield writer.writerow(row)


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
    first = True
    for record in _records(queryset, base_url):
        yield ("\n" if first else ",\n") + json.dumps(record, ensure_ascii=False)
        first = False
    yield "\n]}\n"
