"""Bulk import of cases (past editions, another library's export) from CSV or Excel.

Two steps, so that nothing is written before the coordinator has seen what would happen:

1. :func:`check_file` reads the file (tablib), checks every row and stores the outcome as a
   :class:`~cases.models.CaseImport`: for each row, *create*, *update* or its errors (missing
   title or key, unknown edition, category, country, level, outcome or vocabulary value, a
   factor rating out of range ...). That is the dry run; it writes no case.
2. :func:`queue_import` hands a clean check to the queue, whose task :func:`run_import` writes
   every row in one transaction. A row is identified by the import's ``source`` and its
   ``key`` column (an :class:`~cases.models.ImportedRecord`), so importing the same file again
   updates the same cases instead of duplicating them. Imported cases carry their provenance
   (``provenance = imported``, a source note, the record). Derived data (years, profiles,
   search documents, cached counts) is refreshed afterwards by another task.
"""

import csv
import hashlib
import io
import time
from datetime import date

import tablib
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from cases.domain.evaluation.audit import log_decision
from cases.domain.evaluation.errors import EvaluationError, InvalidInput
from cases.domain.queue import enqueue_after_commit
from cases.models import (
    Case,
    CaseImport,
    CaseStatus,
    Category,
    CollaborationType,
    DecisionAction,
    EcosystemFactor,
    Edition,
    FactorAssessment,
    GovernmentLevel,
    ImportedRecord,
    ImportStatus,
    InnovationStage,
    Organisation,
    Outcome,
    PolicySector,
    Provenance,
    normalise_name,
)

TEXT_COLUMNS = ("summary", "problem", "solution", "results")
COLUMNS = (
    "key",
    "title",
    "edition",
    "category",
    "country",
    "level",
    "organisation",
    *TEXT_COLUMNS,
    "start_date",
    "outcome",
    "place",
    "website",
    "policy_sectors",
    "collaboration_types",
    "innovation_stage",
)
FACTOR_PREFIX = "factor:"
RATING_RANGE = (0, 4)
MAX_ROWS = 20000


class ImportRefused(EvaluationError):
    status = 409
    default_message = gettext_lazy("This import cannot run: check the file again.")


def template_columns() -> list[str]:
    factors = EcosystemFactor.objects.order_by("order").values_list("slug", flat=True)
    return [*COLUMNS, *(FACTOR_PREFIX + slug for slug in factors)]


def template_csv() -> str:
    """The header row and one example row, for coordinators to fill."""
    columns = template_columns()
    example = {
        "key": "2019-017",
        "title": "One-stop shop for new residents",
        "country": "PT",
        "level": GovernmentLevel.LOCAL,
        "organisation": "Municipality of Example",
        "summary": "What the project did, in a few sentences.",
        "start_date": "2018-03-01",
        "outcome": Outcome.CERTIFICATE,
        "policy_sectors": "; ".join(PolicySector.objects.values_list("slug", flat=True)[:2]),
    }
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns)
    writer.writeheader()
    writer.writerow({column: example.get(column, "") for column in columns})
    return buffer.getvalue()


def read_table(name: str, content: bytes) -> tablib.Dataset:
    try:
        if name.lower().endswith(".xlsx"):
            return tablib.Dataset().load(io.BytesIO(content), format="xlsx")
        text = content.decode("utf-8-sig")
        return tablib.Dataset().load(text, format="csv")
    except UnicodeDecodeError as error:
        raise InvalidInput(_("The CSV file must be encoded in UTF-8.")) from error
    except Exception as error:
        raise InvalidInput(
            _("The file cannot be read as a table: %(error)s") % {"error": error}
        ) from error


class Lookups:
    """Every table a row is checked against, read once per file."""

    def __init__(self, user, may_use_edition):
        self.editions = {e.slug: e for e in Edition.objects.all()}
        self.allowed_editions = {
            slug for slug, edition in self.editions.items() if may_use_edition(user, edition)
        }
        self.categories = {
            (edition_id, slug): pk
            for pk, edition_id, slug in Category.objects.values_list("pk", "edition_id", "slug")
        }
        self.sectors = dict(PolicySector.objects.values_list("slug", "pk"))
        self.collaboration = dict(CollaborationType.objects.values_list("slug", "pk"))
        self.stages = dict(InnovationStage.objects.values_list("slug", "pk"))
        self.factors = dict(EcosystemFactor.objects.values_list("slug", "pk"))
        self.countries = {code for code, _name in countries} | {"EU"}


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.replace(",", ";").split(";") if part.strip()]


def check_row(raw: dict, lookups: Lookups) -> tuple[dict, list[str]]:
    """A row made clean (strings, ids), and the list of its errors."""
    value = {column: str(raw.get(column) or "").strip() for column in raw}
    errors, row = [], {}
    row["key"] = value.get("key", "")[:100]
    if not row["key"]:
        errors.append(_("the key is missing"))
    row["title"] = value.get("title", "")
    if not row["title"]:
        errors.append(_("the title is missing"))
    elif len(row["title"]) > 300:
        errors.append(_("the title is longer than 300 characters"))
    edition_slug = value.get("edition", "")
    row["edition"] = None
    if edition_slug:
        edition = lookups.editions.get(edition_slug)
        if edition is None:
            errors.append(_("unknown edition “%(value)s”") % {"value": edition_slug})
        elif edition_slug not in lookups.allowed_editions:
            errors.append(_("you do not coordinate edition “%(value)s”") % {"value": edition_slug})
        else:
            row["edition"] = edition.pk
    category = value.get("category", "")
    row["category"] = None
    if category:
        pk = lookups.categories.get((row["edition"], category))
        if pk is None:
            errors.append(_("unknown category “%(value)s” for this edition") % {"value": category})
        row["category"] = pk
    country = value.get("country", "").upper()
    if country and country not in lookups.countries:
        errors.append(
            _("unknown country “%(value)s” (use ISO codes such as PT)") % {"value": country}
        )
    row["country"] = country
    level = value.get("level", "")
    if level and level not in GovernmentLevel.values:
        errors.append(_("unknown level of government “%(value)s”") % {"value": level})
    row["level"] = level
    row["organisation"] = value.get("organisation", "")[:300]
    for column in TEXT_COLUMNS:
        row[column] = value.get(column, "")
    row["start_date"] = None
    if value.get("start_date"):
        try:
            row["start_date"] = date.fromisoformat(value["start_date"][:10]).isoformat()
        except ValueError:
            errors.append(
                _("the start date “%(value)s” is not YYYY-MM-DD") % {"value": value["start_date"]}
            )
    outcome = value.get("outcome", "") or Outcome.NONE
    if outcome not in Outcome.values:
        errors.append(_("unknown outcome “%(value)s”") % {"value": outcome})
    row["outcome"] = outcome
    row["place"] = None
    if value.get("place"):
        try:
            row["place"] = int(float(value["place"]))
        except ValueError:
            row["place"] = -1
        if row["place"] not in (1, 2, 3) or outcome != Outcome.WINNER:
            errors.append(_("a place (1, 2 or 3) is only for winners"))
    row["website"] = value.get("website", "")[:200]
    for column, table in (
        ("policy_sectors", lookups.sectors),
        ("collaboration_types", lookups.collaboration),
    ):
        slugs = _split(value.get(column, ""))
        unknown = [slug for slug in slugs if slug not in table]
        if unknown:
            errors.append(
                _("unknown %(column)s value: %(values)s")
                % {"column": column, "values": ", ".join(unknown)}
            )
        row[column] = [table[slug] for slug in slugs if slug in table]
    stage = value.get("innovation_stage", "")
    row["innovation_stage"] = lookups.stages.get(stage)
    if stage and row["innovation_stage"] is None:
        errors.append(_("unknown innovation_stage value: %(value)s") % {"value": stage})
    row["factors"] = {}
    for column, text in value.items():
        if not column.startswith(FACTOR_PREFIX) or not text:
            continue
        slug = column[len(FACTOR_PREFIX) :]
        if slug not in lookups.factors:
            errors.append(_("unknown factor column “%(value)s”") % {"value": column})
            continue
        try:
            rating = int(float(text))
        except ValueError:
            rating = None
        if rating is None or not RATING_RANGE[0] <= rating <= RATING_RANGE[1]:
            errors.append(
                _("factor %(factor)s: “%(value)s” is out of range (0 to 4)")
                % {"factor": slug, "value": text}
            )
            continue
        row["factors"][str(lookups.factors[slug])] = rating
    return row, errors


@transaction.atomic
def check_file(*, source: str, name: str, content: bytes, by, may_use_edition) -> CaseImport:
    """The dry run: check every row of the file and record what importing it would do."""
    source = slugify(source)[:60]
    if not source:
        raise InvalidInput(_("Name the source of the rows."))
    table = read_table(name, content)
    headers = [str(h or "").strip() for h in (table.headers or [])]
    if "key" not in headers or "title" not in headers:
        raise InvalidInput(
            _("The file needs at least the columns key and title (see the template).")
        )
    if table.height > MAX_ROWS:
        raise InvalidInput(_("At most %(max)d rows per file.") % {"max": MAX_ROWS})
    lookups = Lookups(by, may_use_edition)
    known = set(ImportedRecord.objects.filter(source=source).values_list("key", flat=True))
    rows, report, seen, error_count = [], [], set(), 0
    for number, values in enumerate(table.dict, start=2):
        raw = {str(k or "").strip(): v for k, v in dict(values).items()}
        row, errors = check_row(raw, lookups)
        if row["key"] and row["key"] in seen:
            errors.append(_("the key “%(key)s” appears twice in the file") % {"key": row["key"]})
        seen.add(row["key"])
        action = "error" if errors else ("update" if row["key"] in known else "create")
        error_count += bool(errors)
        report.append(
            {
                "row": number,
                "key": row["key"],
                "title": row["title"],
                "action": action,
                "errors": errors,
            }
        )
        if not errors:
            rows.append(row)
    return CaseImport.objects.create(
        source=source,
        file_name=name[:200],
        rows=rows,
        report=report,
        error_count=error_count,
        created_by=by,
    )


@transaction.atomic
def queue_import(*, case_import: CaseImport, by) -> CaseImport:
    """Hand a clean check to the queue (once: a second click changes nothing)."""
    from cases.tasks import import_cases

    locked = CaseImport.objects.select_for_update().get(pk=case_import.pk)
    if locked.status != ImportStatus.CHECKED:
        return locked
    if locked.error_count:
        raise ImportRefused(_("Correct the rows with errors and check the file again."))
    if not locked.rows:
        raise ImportRefused(_("The file has no row to import."))
    locked.status = ImportStatus.QUEUED
    locked.save(update_fields=["status"])
    enqueue_after_commit(import_cases, import_id=locked.pk)
    return locked


def import_slug(source: str, key: str) -> str:
    """A slug unique per source and key (the digest keeps keys that slugify alike apart)."""
    digest = hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()[:8]
    return f"{source[:40]}-{slugify(key)[:60]}-{digest}"


def _case_values(row: dict, source: str) -> dict:
    return {
        "title": row["title"],
        "edition_id": row["edition"],
        "category_id": row["category"],
        "country": row["country"],
        "level": row["level"],
        **{column: row[column] for column in TEXT_COLUMNS},
        "start_date": date.fromisoformat(row["start_date"]) if row["start_date"] else None,
        "outcome": row["outcome"],
        "place": row["place"],
        "website": row["website"],
        "innovation_stage_id": row["innovation_stage"],
        "provenance": Provenance.IMPORTED,
        "source_note": _("Imported from %(source)s (key %(key)s).")
        % {"source": source, "key": row["key"]},
    }


def _organisations(rows) -> dict[str, Organisation]:
    """The organisations named by the rows: found by name, or created (with the country and
    level of the first row naming them)."""
    first = {}
    for row in rows:
        if row["organisation"]:
            first.setdefault(row["organisation"], row)
    found = {}
    for organisation in Organisation.objects.filter(name__in=list(first)).order_by("pk"):
        found.setdefault(organisation.name, organisation)
    missing = [name for name in first if name not in found]
    Organisation.objects.bulk_create(
        [
            # bulk_create skips save(): the name the uniqueness rule compares is set here.
            Organisation(
                name=name,
                normalised_name=normalise_name(name),
                country=first[name]["country"],
                level=first[name]["level"],
            )
            for name in missing
        ],
        batch_size=1000,
    )
    for organisation in Organisation.objects.filter(name__in=missing).order_by("pk"):
        found.setdefault(organisation.name, organisation)
    return found


def run_import(*, import_id: int) -> dict:
    """Write the rows of a queued import in one transaction; idempotent (a done import is
    skipped, and rows are matched on source and key)."""
    started = time.monotonic()
    with transaction.atomic():
        case_import = CaseImport.objects.select_for_update().get(pk=import_id)
        if case_import.status != ImportStatus.QUEUED:
            return {"skipped": case_import.status}
        created, updated = _write_rows(case_import)
        case_import.status = ImportStatus.DONE
        case_import.created_count, case_import.updated_count = len(created), len(updated)
        case_import.finished_at = timezone.now()
        case_import.seconds = round(time.monotonic() - started, 2)
        case_import.save()
        ids = created + updated
        for edition in Edition.objects.filter(cases__pk__in=ids).distinct():
            log_decision(
                edition=edition,
                actor=case_import.created_by,
                action=DecisionAction.CASES_IMPORTED,
                after=_("%(created)d created, %(updated)d updated from %(source)s")
                % {"created": len(created), "updated": len(updated), "source": case_import.source},
            )
        from cases.tasks import refresh_derived

        enqueue_after_commit(refresh_derived, case_ids=ids)
    return {"created": len(created), "updated": len(updated)}


def mark_failed(*, import_id: int, error: BaseException) -> None:
    """Record why an import could not run (its transaction was rolled back: nothing written)."""
    CaseImport.objects.filter(pk=import_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.FAILED,
        error=f"{type(error).__name__}: {error}"[:2000],
        finished_at=timezone.now(),
    )


def _write_rows(case_import: CaseImport) -> tuple[list[int], list[int]]:
    rows, source, now = case_import.rows, case_import.source, timezone.now()
    organisations = _organisations(rows)
    records = {
        record.key: record
        for record in ImportedRecord.objects.filter(source=source, key__in=[r["key"] for r in rows])
    }
    new_rows = [row for row in rows if row["key"] not in records]
    old_rows = [row for row in rows if row["key"] in records]
    new_cases = Case.objects.bulk_create(
        [
            Case(
                **_case_values(row, source),
                lead_organisation=organisations.get(row["organisation"]),
                slug=import_slug(source, row["key"]),
                status=CaseStatus.ELIGIBLE,
                is_published=True,
                published_at=now,
                publication_consent=True,
                created_at=now,
                updated_at=now,
            )
            for row in new_rows
        ],
        batch_size=500,
    )
    if any(case.pk is None for case in new_cases):  # a database that returns no ids
        slugs = [case.slug for case in new_cases]
        by_slug = dict(Case.objects.filter(slug__in=slugs).values_list("slug", "pk"))
        for case in new_cases:
            case.pk = case.id = by_slug[case.slug]
    ImportedRecord.objects.bulk_create(
        [
            ImportedRecord(source=source, key=row["key"], case_id=case.pk, case_import=case_import)
            for row, case in zip(new_rows, new_cases, strict=True)
        ],
        batch_size=1000,
    )
    old_cases = []
    fields = (
        [*_case_values(old_rows[0], source).keys(), "lead_organisation_id", "updated_at"]
        if old_rows
        else []
    )
    for row in old_rows:
        case = Case(pk=records[row["key"]].case_id)
        for name, value in _case_values(row, source).items():
            setattr(case, name, value)
        case.lead_organisation = organisations.get(row["organisation"])
        case.updated_at = now
        old_cases.append(case)
    if old_cases:
        Case.objects.bulk_update(old_cases, fields, batch_size=500)
        ImportedRecord.objects.filter(source=source, key__in=[r["key"] for r in old_rows]).update(
            case_import=case_import, updated_at=now
        )
    pairs = list(zip(new_rows, [c.pk for c in new_cases], strict=True)) + [
        (row, records[row["key"]].case_id) for row in old_rows
    ]
    _write_relations(pairs, replace=[records[row["key"]].case_id for row in old_rows])
    return [c.pk for c in new_cases], [records[row["key"]].case_id for row in old_rows]


def _write_relations(pairs, replace):
    sectors = Case.policy_sectors.through
    collaboration = Case.collaboration_types.through
    if replace:
        sectors.objects.filter(case_id__in=replace).delete()
        collaboration.objects.filter(case_id__in=replace).delete()
        FactorAssessment.objects.filter(case_id__in=replace).delete()
    sectors.objects.bulk_create(
        [
            sectors(case_id=pk, policysector_id=s)
            for row, pk in pairs
            for s in set(row["policy_sectors"])
        ],
        batch_size=2000,
    )
    collaboration.objects.bulk_create(
        [
            collaboration(case_id=pk, collaborationtype_id=c)
            for row, pk in pairs
            for c in set(row["collaboration_types"])
        ],
        batch_size=2000,
    )
    FactorAssessment.objects.bulk_create(
        [
            FactorAssessment(case_id=pk, factor_id=int(factor), self_rating=rating)
            for row, pk in pairs
            for factor, rating in row["factors"].items()
        ],
        batch_size=2000,
    )
