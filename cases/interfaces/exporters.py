"""CSV and JSON exports of a filtered set of published cases, streamed row by row.

Rows are read with ``.iterator(chunk_size=...)`` (a server-side cursor on PostgreSQL) and the
many-valued fields are prefetched per chunk, so an export of 100,000 cases never holds more
than one chunk in memory. Field names are documented in docs/library-export.md.
"""

import csv
import json
from collections.abc import Iterable, Iterator

from django.db.models import Prefetch, QuerySet
from django.urls import reverse

from cases.domain.queries.library import OUTCOME_BY_VALUE
from cases.models import (
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


def export_queryset(queryset: QuerySet) -> QuerySet:
    """The columns and relations an export row needs, and nothing else."""
    return (
        queryset.only(
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
            "lead_organisation__name",
            "edition__slug",
            "edition__name",
            "category__slug",
            "innovation_stage_id",
        )
        .select_related("lead_organisation", "edition", "category")
        .prefetch_related(
            Prefetch("collaboration_types", queryset=CollaborationType.objects.only("slug")),
            Prefetch("coproduction_phases", queryset=CoproductionPhase.objects.only("slug")),
            Prefetch("coproduction_levels", queryset=CoproductionLevel.objects.only("slug")),
            Prefetch("policy_sectors", queryset=PolicySector.objects.only("slug")),
            Prefetch(
                "partners",
                queryset=Partner.objects.only("id", "case_id", "name", "sector", "order"),
            ),
            Prefetch(
                "profile_values",
                queryset=FactorProfileValue.objects.only("case_id", "factor_id", "value", "source"),
            ),
        )
    )


class _Lookups:
    """Vocabulary slugs read once per export instead of once per row."""

    def __init__(self):
        self.factors = list(EcosystemFactor.objects.order_by("order").values_list("pk", "slug"))
        self.stages = dict(InnovationStage.objects.values_list("pk", "slug"))


def _slugs(items) -> list[str]:
    return [item.slug for item in items.all()]


def case_record(case, lookups: _Lookups, base_url: str) -> dict:
    """One case as a flat dict of export fields (lists for many-valued fields)."""
    partners = list(case.partners.all())
    profile = {value.factor_id: value for value in case.profile_values.all()}
    record = {
        "slug": case.slug,
        "title": case.title,
        "url": base_url + reverse("library:case", kwargs={"slug": case.slug}),
        "summary": case.summary,
        "lead_organisation": case.lead_organisation.name if case.lead_organisation else "",
        "country": str(case.country.code or ""),
        "government_level": case.level,
        "edition": case.edition.slug if case.edition else "",
        "edition_name": case.edition.name if case.edition else "",
        "year": case.year,
        "category": case.category.slug if case.category else "",
        "outcome": OUTCOME_BY_VALUE.get(case.outcome, case.outcome),
        "place": case.place,
        "innovation_stage": lookups.stages.get(case.innovation_stage_id, ""),
        "collaboration_types": _slugs(case.collaboration_types),
        "coproduction_phases": _slugs(case.coproduction_phases),
        "coproduction_levels": _slugs(case.coproduction_levels),
        "policy_sectors": _slugs(case.policy_sectors),
        "partners": [partner.name for partner in partners],
        "partner_sectors": sorted({partner.sector for partner in partners}),
        "start_date": case.start_date.isoformat() if case.start_date else None,
        "end_date": case.end_date.isoformat() if case.end_date else None,
        "ongoing": case.ongoing,
        "website": case.website,
        "provenance": case.provenance,
        "licence": case.licence,
        "published_at": case.published_at.isoformat() if case.published_at else None,
    }
    factors = {}
    sources = {}
    for factor_id, slug in lookups.factors:
        value = profile.get(factor_id)
        factors[slug] = float(value.value) if value else None
        sources[slug] = value.source if value else None
    record["factor_profile"] = factors
    record["factor_profile_source"] = sources
    return record


def _records(queryset: QuerySet, base_url: str) -> Iterator[dict]:
    lookups = _Lookups()
    for case in export_queryset(queryset).iterator(chunk_size=CHUNK_SIZE):
        yield case_record(case, lookups, base_url)


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
    """A JSON document ``{"source", "licence_note", "query", "cases": [...]}``, piece by piece."""
    head = {
        "source": base_url + reverse("library:list"),
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
