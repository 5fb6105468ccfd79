"""The whole published library as a Frictionless Data Package (a citable, documented dataset).

``build_data_package()`` writes one zip: ``datapackage.json`` (every field with its type and
meaning, the licence, the date and a content hash) and one CSV per table. It reads the
published cases only, row by row, and replaces the previous zip atomically, so a download
never sees half a file. It runs from the ``build_data_package`` management command and after
each publication commits (``request_data_package_build``), never inside a visitor's request:
``/library/data/`` only serves the last file built.

Case texts under "all rights reserved" are left out of the package (their facts stay in it);
the other texts keep the licence their ``licence`` column names.
"""

import csv
import datetime
import hashlib
import io
import json
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cases.domain.queries.library import OUTCOME_BY_VALUE, published_cases
from cases.models import (
    NARRATIVE_FIELDS,
    Case,
    Edition,
    FactorProfileValue,
    Licence,
    Partner,
)

PACKAGE_NAME = "epsa-case-library"
ZIP_NAME = f"{PACKAGE_NAME}.zip"
INFO_NAME = f"{PACKAGE_NAME}.json"
CHUNK_SIZE = 2000
PACKAGE_LICENCE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International",
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: object  # a lazy translation
    required: bool = False


# The tables of the package: name -> (title, description, columns, primary key, foreign keys).
CASE_COLUMNS = (
    Column(
        "slug", "string", _("Stable identifier of the case; its page is /library/<slug>/."), True
    ),
    Column("title", "string", _("Title of the case."), True),
    Column("url", "string", _("Permalink of the case page (cite this).")),
    Column(
        "summary", "string", _("Executive summary; empty when the text is not openly licensed.")
    ),
    *(
        Column(
            name,
            "string",
            format_lazy(
                "{} {}",
                Case._meta.get_field(name).verbose_name,
                _("(a narrative section); empty when the text is not openly licensed."),
            ),
        )
        for name in NARRATIVE_FIELDS
    ),
    Column("lead_organisation", "string", _("Name of the lead public organisation.")),
    Column("country", "string", _("ISO 3166-1 alpha-2 country code; EU for EU institutions.")),
    Column("government_level", "string", _("eu-institution, national, regional or local.")),
    Column("edition", "string", _("Slug of the award edition (editions.csv); empty if imported.")),
    Column("year", "integer", _("Year the library files the case under.")),
    Column("category", "string", _("Slug of the award category within its edition.")),
    Column(
        "outcome",
        "string",
        _("winner, nominee, certificate, special-recognition or submitted (no distinction)."),
    ),
    Column("place", "integer", _("Winners only: the jury's place, 1 to 3.")),
    Column("innovation_stage", "string", _("Slug of the OECD OPSI innovation stage.")),
    Column("policy_sectors", "string", _("Slugs of the policy sectors, separated by '; '.")),
    Column(
        "coproduction_phases", "string", _("Slugs of the co-production phases, '; '-separated.")
    ),
    Column(
        "coproduction_levels", "string", _("Slugs of the co-production levels, '; '-separated.")
    ),
    Column("start_date", "date", _("Start date of the project.")),
    Column("end_date", "date", _("End date of the project.")),
    Column("ongoing", "boolean", _("Whether the project is still running.")),
    Column("website", "string", _("Website of the project.")),
    Column("provenance", "string", _("submitted (through the portal), imported or synthetic.")),
    Column(
        "licence",
        "string",
        _("Licence of the case text: CC-BY-4.0, CC-BY-SA-4.0 or all-rights-reserved."),
    ),
    Column("published_at", "datetime", _("When the case was published in the library (UTC).")),
)
PARTNER_COLUMNS = (
    Column("case", "string", _("Slug of the case (cases.csv)."), True),
    Column("order", "integer", _("Position of the partner in the case's list."), True),
    Column("name", "string", _("Name of the partner organisation."), True),
    Column("sector", "string", _("public, private, third-sector, academic or citizens.")),
    Column("country", "string", _("ISO 3166-1 alpha-2 country code of the partner.")),
)
COLLABORATION_COLUMNS = (
    Column("case", "string", _("Slug of the case (cases.csv)."), True),
    Column("collaboration_type", "string", _("Slug of the collaboration type."), True),
    Column("label", "string", _("Label of the collaboration type.")),
)
PROFILE_COLUMNS = (
    Column("case", "string", _("Slug of the case (cases.csv)."), True),
    Column("factor", "string", _("Slug of the enabling-ecosystem factor."), True),
    Column("value", "number", _("Profile value from 0 (absent) to 4 (strong)."), True),
    Column(
        "source",
        "string",
        _(
            "consensus (mean of the evaluators' scores) or self-assessment "
            "(the applicant's rating)."
        ),
    ),
)
EDITION_COLUMNS = (
    Column("slug", "string", _("Stable identifier of the edition."), True),
    Column("name", "string", _("Name of the edition."), True),
    Column("year_label", "string", _("Year or years of the edition, e.g. 2023-24.")),
    Column("theme", "string", _("Theme of the edition's call.")),
)

TABLES = {
    "cases": (_("Published cases"), CASE_COLUMNS, ["slug"]),
    "partners": (_("Partner organisations of the cases"), PARTNER_COLUMNS, ["case", "order"]),
    "collaboration_types": (
        _("Collaboration types of the cases"),
        COLLABORATION_COLUMNS,
        ["case", "collaboration_type"],
    ),
    "factor_profiles": (
        _("Enabling-ecosystem factor profiles of the cases"),
        PROFILE_COLUMNS,
        ["case", "factor"],
    ),
    "editions": (_("Award editions"), EDITION_COLUMNS, ["slug"]),
}
FOREIGN_KEYS = {
    "cases": [{"fields": "edition", "reference": {"resource": "editions", "fields": "slug"}}],
    "partners": [{"fields": "case", "reference": {"resource": "cases", "fields": "slug"}}],
    "collaboration_types": [
        {"fields": "case", "reference": {"resource": "cases", "fields": "slug"}}
    ],
    "factor_profiles": [{"fields": "case", "reference": {"resource": "cases", "fields": "slug"}}],
}


def data_package_dir() -> Path:
    return Path(settings.OPEN_DATA_ROOT)


def data_package_path() -> Path:
    return data_package_dir() / ZIP_NAME


def data_package_info() -> dict | None:
    """What the last build wrote (date, hash, size, rows per table), or None before the first."""
    try:
        return json.loads((data_package_dir() / INFO_NAME).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None


# --- the rows of each table -----------------------------------------------------------------


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _slugs_by_case(relation: str, ids) -> dict[int, list[str]]:
    m2m = getattr(Case, relation)
    through = m2m.through
    target = m2m.field.m2m_reverse_field_name()
    rows = (
        through.objects.filter(case_id__in=ids)
        .order_by(f"{target}__order", f"{target}__slug")
        .values_list("case_id", f"{target}__slug")
    )
    found: dict[int, list[str]] = {}
    for case_id, slug in rows:
        found.setdefault(case_id, []).append(slug)
    return found


def _case_rows(base_url: str):
    columns = (
        "id",
        "slug",
        "title",
        "summary",
        *NARRATIVE_FIELDS,
        "lead_organisation__name",
        "country",
        "level",
        "edition__slug",
        "year",
        "category__slug",
        "outcome",
        "place",
        "innovation_stage__slug",
        "start_date",
        "end_date",
        "ongoing",
        "website",
        "provenance",
        "licence",
        "published_at",
    )
    queryset = published_cases().order_by("published_at", "id").values(*columns)
    chunk: list[dict] = []

    def flush():
        ids = [row["id"] for row in chunk]
        related = {
            name: _slugs_by_case(name, ids)
            for name in ("policy_sectors", "coproduction_phases", "coproduction_levels")
        }
        for row in chunk:
            open_text = row["licence"] != Licence.ALL_RIGHTS
            texts = [row[name] if open_text else "" for name in ("summary", *NARRATIVE_FIELDS)]
            published = row["published_at"].astimezone(datetime.UTC).replace(microsecond=0)
            yield [
                row["slug"],
                row["title"],
                base_url + reverse("library-any:case", kwargs={"slug": row["slug"]}),
                *texts,
                row["lead_organisation__name"],
                row["country"],
                row["level"],
                row["edition__slug"],
                row["year"],
                row["category__slug"],
                OUTCOME_BY_VALUE.get(row["outcome"], row["outcome"]),
                row["place"],
                row["innovation_stage__slug"],
                *("; ".join(related[name].get(row["id"], [])) for name in related),
                row["start_date"],
                row["end_date"],
                row["ongoing"],
                row["website"],
                row["provenance"],
                row["licence"],
                published.isoformat().replace("+00:00", "Z"),
            ]

    for row in queryset.iterator(chunk_size=CHUNK_SIZE):
        chunk.append(row)
        if len(chunk) >= CHUNK_SIZE:
            yield from flush()
            chunk = []
    if chunk:
        yield from flush()


def _partner_rows():
    rows = (
        Partner.objects.filter(case__in=published_cases())
        .order_by("case__published_at", "case_id", "order", "id")
        .values_list("case__slug", "name", "sector", "country")
    )
    previous, position = None, 0
    for slug, name, sector, country in rows.iterator(chunk_size=CHUNK_SIZE):
        position = position + 1 if slug == previous else 1
        previous = slug
        yield [slug, position, name, sector, country]


def _collaboration_rows():
    through = Case.collaboration_types.through
    rows = (
        through.objects.filter(case__in=published_cases())
        .order_by("case__published_at", "case_id", "collaborationtype__order")
        .values_list("case__slug", "collaborationtype__slug", "collaborationtype__label")
    )
    yield from (list(row) for row in rows.iterator(chunk_size=CHUNK_SIZE))


def _profile_rows():
    rows = (
        FactorProfileValue.objects.filter(case__in=published_cases())
        .order_by("case__published_at", "case_id", "factor__order")
        .values_list("case__slug", "factor__slug", "value", "source")
    )
    yield from (list(row) for row in rows.iterator(chunk_size=CHUNK_SIZE))


def _edition_rows():
    rows = Edition.objects.order_by("slug").values_list("slug", "name", "year_label", "theme")
    yield from (list(row) for row in rows)


# --- building -------------------------------------------------------------------------------


def _write_table(path: Path, columns, rows) -> tuple[int, str, int]:
    """Write one CSV; return its row count, sha256 and size in bytes."""
    digest = hashlib.sha256()
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([column.name for column in columns])
        for row in rows:
            writer.writerow([_cell(value) for value in row])
            count += 1
            if buffer.tell() > 1 << 20:
                handle.write(buffer.getvalue())
                buffer.seek(0)
                buffer.truncate()
        handle.write(buffer.getvalue())
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return count, digest.hexdigest(), path.stat().st_size


def _schema(name: str) -> dict:
    _title, columns, primary_key = TABLES[name]
    fields = []
    for column in columns:
        field = {"name": column.name, "type": column.type, "description": str(column.description)}
        if column.required:
            field["constraints"] = {"required": True}
        if column.type == "boolean":
            field["trueValues"], field["falseValues"] = ["true"], ["false"]
        fields.append(field)
    schema = {"fields": fields, "primaryKey": primary_key, "missingValues": [""]}
    if name in FOREIGN_KEYS:
        schema["foreignKeys"] = FOREIGN_KEYS[name]
    return schema


def build_data_package(*, base_url: str | None = None) -> dict:
    """Write the data package zip of the published library; return its description."""
    base_url = (base_url or settings.SITE_URL).rstrip("/")
    sources = {
        "cases": _case_rows(base_url),
        "partners": _partner_rows(),
        "collaboration_types": _collaboration_rows(),
        "factor_profiles": _profile_rows(),
        "editions": _edition_rows(),
    }
    created = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    target_dir = data_package_dir()
    target_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target_dir) as work:
        work_dir = Path(work)
        resources = []
        rows = {}
        for name, (title, columns, _key) in TABLES.items():
            path = work_dir / f"{name}.csv"
            count, sha256, size = _write_table(path, columns, sources[name])
            rows[name] = count
            resources.append(
                {
                    "name": name,
                    "title": str(title),
                    "path": f"{name}.csv",
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "bytes": size,
                    "hash": f"sha256:{sha256}",
                    "schema": _schema(name),
                }
            )
        content_hash = hashlib.sha256(
            "".join(resource["hash"] for resource in resources).encode()
        ).hexdigest()
        descriptor = {
            "name": PACKAGE_NAME,
            "title": "EPSA Portal case library",
            "description": (
                "The published cases of the EPSA Portal case library: collaborative-governance "
                "innovations in the public sector, with their partners, collaboration types, "
                "enabling-ecosystem factor profiles and award editions. Case texts under 'all "
                "rights reserved' are left out; the other texts carry the licence of their "
                "'licence' column."
            ),
            "homepage": base_url + reverse("library:data"),
            "version": created.strftime("%Y.%m.%d"),
            "created": created.isoformat().replace("+00:00", "Z"),
            "licenses": [PACKAGE_LICENCE],
            "sources": [{"title": "EPSA Portal", "path": base_url + reverse("library:list")}],
            "keywords": ["public sector innovation", "collaborative governance", "co-production"],
            "hash": f"sha256:{content_hash}",
            "resources": resources,
        }
        (work_dir / "datapackage.json").write_text(
            json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        zip_work = work_dir / ZIP_NAME
        with zipfile.ZipFile(zip_work, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.write(work_dir / "datapackage.json", "datapackage.json")
            for name in TABLES:
                archive.write(work_dir / f"{name}.csv", f"{name}.csv")
        info = {
            "created": descriptor["created"],
            "hash": descriptor["hash"],
            "bytes": zip_work.stat().st_size,
            "rows": rows,
            "licence": PACKAGE_LICENCE,
            "tables": {
                name: [
                    {
                        "name": column.name,
                        "type": column.type,
                        "description": str(column.description),
                    }
                    for column in columns
                ]
                for name, (_title, columns, _key) in TABLES.items()
            },
        }
        os.replace(zip_work, data_package_path())
        info_work = work_dir / INFO_NAME
        info_work.write_text(json.dumps(info, indent=2), encoding="utf-8")
        os.replace(info_work, data_package_dir() / INFO_NAME)
    return info


def request_data_package_build() -> None:
    """Rebuild the data package in the task queue's worker once the current transaction
    commits (after a publication)."""
    from cases.domain.queue import enqueue_after_commit
    from cases.tasks import build_open_data_package

    enqueue_after_commit(build_open_data_package)
