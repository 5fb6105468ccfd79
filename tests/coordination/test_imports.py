"""Bulk import of cases: template, dry run with every error, idempotent import through the
queue, provenance; and a file of 5,000 rows."""

import csv
import io
import time

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.domain import imports
from cases.models import (
    Case,
    CaseImport,
    DecisionAction,
    DecisionLog,
    EcosystemFactor,
    FactorAssessment,
    ImportedRecord,
    ImportStatus,
    PolicySector,
    Provenance,
)
from cases.rules import coordinates_edition
from tests.committing import committed
from tests.factories import CategoryFactory, CoordinatorFactory, EditionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return EditionFactory(slug="epsa-2019")


@pytest.fixture
def coordinator(edition):
    return CoordinatorFactory(editions=[edition])


def csv_bytes(rows, columns=None):
    columns = columns or imports.template_columns()
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns)
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue().encode()


def good_row(n, **changes):
    sector = PolicySector.objects.order_by("slug").first().slug
    return {
        "key": f"K{n}",
        "title": f"Imported case {n}",
        "edition": "epsa-2019",
        "country": "PT",
        "level": "local",
        "organisation": f"Municipality {n % 7}",
        "summary": "A summary.",
        "start_date": "2018-03-01",
        "outcome": "certificate",
        "policy_sectors": sector,
        "factor:policy-environment": "3",
    } | changes


def check(content, by, name="cases.csv", source="archive"):
    return imports.check_file(
        source=source, name=name, content=content, by=by, may_use_edition=coordinates_edition
    )


def run(case_import, by):
    with committed():
        imports.queue_import(case_import=case_import, by=by)
    case_import.refresh_from_db()
    return case_import


def test_the_dry_run_lists_every_error_and_writes_nothing(edition, coordinator):
    rows = [
        good_row(1),
        good_row(2, title="", country="XX", level="galactic"),
        good_row(3, edition="unknown-edition", outcome="gold", policy_sectors="nope"),
        good_row(4, **{"factor:policy-environment": "9"}),
        good_row(1, title="Duplicate key"),
        good_row(5, place="2"),
    ]
    case_import = check(csv_bytes(rows), coordinator)
    report = {row["row"]: row for row in case_import.report}
    assert report[2]["action"] == "create" and report[2]["errors"] == []
    assert "the title is missing" in report[3]["errors"]
    assert any("unknown country" in e for e in report[3]["errors"])
    assert any("unknown level" in e for e in report[3]["errors"])
    assert any("unknown edition" in e for e in report[4]["errors"])
    assert any("unknown outcome" in e for e in report[4]["errors"])
    assert any("unknown policy_sectors" in e for e in report[4]["errors"])
    assert any("out of range" in e for e in report[5]["errors"])
    assert any("appears twice" in e for e in report[6]["errors"])
    assert any("only for winners" in e for e in report[7]["errors"])
    assert case_import.error_count == 5
    assert Case.objects.count() == 0
    with pytest.raises(imports.ImportRefused):
        imports.queue_import(case_import=case_import, by=coordinator)


def test_a_clean_import_creates_then_updates_the_same_cases(edition, coordinator):
    CategoryFactory(edition=edition, slug="digital")
    first = run(
        check(csv_bytes([good_row(1, category="digital"), good_row(2)]), coordinator), coordinator
    )
    assert first.status == ImportStatus.DONE and first.created_count == 2
    case = Case.objects.get(imported_record__key="K1")
    assert case.provenance == Provenance.IMPORTED and case.is_published
    assert case.category.slug == "digital" and case.lead_organisation.name == "Municipality 1"
    assert "archive" in case.source_note and case.year == 2026  # derived data refreshed
    assert FactorAssessment.objects.get(case=case).self_rating == 3
    assert DecisionLog.objects.filter(action=DecisionAction.CASES_IMPORTED).count() == 1
    again = check(csv_bytes([good_row(1, title="Renamed"), good_row(3)]), coordinator)
    assert [row["action"] for row in again.report] == ["update", "create"]
    again = run(again, coordinator)
    assert (again.created_count, again.updated_count) == (1, 1)
    assert Case.objects.count() == 3 and ImportedRecord.objects.count() == 3
    assert Case.objects.get(pk=case.pk).title == "Renamed"
    assert FactorAssessment.objects.filter(case=case).count() == 1
    run(again, coordinator)  # queued twice: nothing changes
    assert Case.objects.count() == 3


def test_excel_files_are_read_too(edition, coordinator):
    table = tablib.Dataset(headers=["key", "title", "country"])
    table.append(["X1", "From Excel", "EU"])
    case_import = check(table.export("xlsx"), coordinator, name="cases.xlsx")
    assert case_import.error_count == 0 and case_import.report[0]["action"] == "create"


def test_an_edition_the_coordinator_does_not_run_is_refused(edition):
    other = CoordinatorFactory(editions=[EditionFactory()])
    case_import = check(csv_bytes([good_row(1)]), other)
    assert any("do not coordinate" in e for e in case_import.report[0]["errors"])


def test_pages_template_dry_run_and_import(client, edition, coordinator):
    client.force_login(UserFactory())
    assert client.get(reverse("coordination:import")).status_code == 403
    client.force_login(coordinator)
    template = client.get(reverse("coordination:import_template"))
    assert template.status_code == 200
    header = template.content.decode().splitlines()[0]
    assert header.startswith("key,title,edition") and "factor:policy-environment" in header
    upload = SimpleUploadedFile("bad.csv", csv_bytes([good_row(1, title="")]))
    response = client.post(
        reverse("coordination:import_check"), {"source": "archive", "file": upload}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "the title is missing" in page and "Import 1 row" not in page
    upload = SimpleUploadedFile("notes.txt", b"hello")
    response = client.post(
        reverse("coordination:import_check"), {"source": "archive", "file": upload}
    )
    assert (
        response.status_code == 400 and "Upload a .csv or .xlsx file." in response.content.decode()
    )
    upload = SimpleUploadedFile("good.csv", csv_bytes([good_row(1)]))
    response = client.post(
        reverse("coordination:import_check"), {"source": "archive", "file": upload}
    )
    detail = response["Location"]
    assert "Import 1 row" in client.get(detail).content.decode()
    case_import = CaseImport.objects.latest("pk")
    with committed():
        response = client.post(reverse("coordination:import_run", args=[case_import.pk]))
    assert response.status_code == 302
    assert "1 cases created" in client.get(detail).content.decode()
    client.force_login(CoordinatorFactory())
    assert client.get(detail).status_code == 404


def test_a_file_of_5000_rows(edition, coordinator):
    factors = list(EcosystemFactor.objects.values_list("slug", flat=True))
    rows = [good_row(n, **{f"factor:{slug}": str(n % 5) for slug in factors}) for n in range(5000)]
    started = time.perf_counter()
    case_import = check(csv_bytes(rows), coordinator)
    checked = time.perf_counter()
    assert case_import.error_count == 0
    case_import = run(case_import, coordinator)
    done = time.perf_counter()
    assert case_import.created_count == 5000
    assert Case.objects.filter(provenance=Provenance.IMPORTED).count() == 5000
    assert FactorAssessment.objects.count() == 5000 * len(factors)
    print(f"5000 rows: dry run {checked - started:.1f} s, import {done - checked:.1f} s")
