import csv
import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse

from cases.domain.datapackage import TABLES, build_data_package, data_package_path
from cases.models import CollaborationType, EcosystemFactor, FactorProfileValue, Licence
from tests.factories import PartnerFactory, PublishedCaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_data_dir(settings, tmp_path):
    settings.OPEN_DATA_ROOT = tmp_path / "open-data"
    return settings.OPEN_DATA_ROOT


@pytest.fixture
def library(hidden_cases):
    case = PublishedCaseFactory(title="Open budget", problem="Queues.", country="ES")
    case.collaboration_types.add(CollaborationType.objects.get(slug="public-citizen"))
    PartnerFactory(case=case, name="Vecinos", sector="citizens", country="ES")
    PartnerFactory(case=case, name="Uni", sector="academic", country="")
    factor = EcosystemFactor.objects.get(slug="partnership-design")
    FactorProfileValue.objects.create(case=case, factor=factor, value="3.5", source="consensus")
    closed = PublishedCaseFactory(
        title="Closed text",
        summary="Private words",
        licence=Licence.ALL_RIGHTS,
        edition=None,
        category=None,
    )
    return case, closed


def _tables(path):
    with zipfile.ZipFile(path) as archive:
        descriptor = json.loads(archive.read("datapackage.json"))
        tables = {
            name: list(csv.DictReader(io.StringIO(archive.read(f"{name}.csv").decode())))
            for name in TABLES
        }
    return descriptor, tables


def test_package_holds_every_table_of_published_cases(open_data_dir, library):
    case, closed = library
    info = build_data_package(base_url="https://portal.example")
    descriptor, tables = _tables(data_package_path())
    assert {resource["name"] for resource in descriptor["resources"]} == set(TABLES)
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["created"].endswith("Z")
    assert descriptor["hash"].startswith("sha256:")
    assert info["hash"] == descriptor["hash"]
    for resource in descriptor["resources"]:
        for field in resource["schema"]["fields"]:
            assert field["type"] and field["description"], (resource["name"], field["name"])
    slugs = {row["slug"] for row in tables["cases"]}
    assert slugs == {case.slug, closed.slug}  # never the hidden ones
    row = next(row for row in tables["cases"] if row["slug"] == case.slug)
    assert row["url"] == f"https://portal.example/library/{case.slug}/"
    assert row["problem"] == "Queues."
    closed_row = next(row for row in tables["cases"] if row["slug"] == closed.slug)
    assert closed_row["summary"] == "" and closed_row["title"] == "Closed text"
    assert [(p["case"], p["order"], p["name"]) for p in tables["partners"]] == [
        (case.slug, "1", "Vecinos"),
        (case.slug, "2", "Uni"),
    ]
    assert tables["collaboration_types"] == [
        {
            "case": case.slug,
            "collaboration_type": "public-citizen",
            "label": "Public–citizen co-production",
        }
    ]
    assert tables["factor_profiles"] == [
        {"case": case.slug, "factor": "partnership-design", "value": "3.50", "source": "consensus"}
    ]
    assert case.edition.slug in {row["slug"] for row in tables["editions"]}


def test_package_is_valid_for_frictionless(open_data_dir, library, tmp_path):
    from frictionless import validate

    build_data_package(base_url="https://portal.example")
    with zipfile.ZipFile(data_package_path()) as archive:
        archive.extractall(tmp_path / "unzipped")
    report = validate(str(tmp_path / "unzipped" / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note", "fieldName", "rowNumber"])


def test_resource_hashes_match_the_files(open_data_dir, library):
    import hashlib

    build_data_package()
    descriptor, _tables_ = _tables(data_package_path())
    with zipfile.ZipFile(data_package_path()) as archive:
        for resource in descriptor["resources"]:
            content = archive.read(resource["path"])
            assert resource["hash"] == "sha256:" + hashlib.sha256(content).hexdigest()
            assert resource["bytes"] == len(content)


def test_command_builds_and_the_page_serves_the_last_build(client, open_data_dir, library):
    page = client.get(reverse("library:data"))
    assert "has not been built yet" in page.content.decode()
    assert client.get(reverse("library:data_download")).status_code == 404
    out = io.StringIO()
    call_command("build_data_package", stdout=out)
    assert "cases 2" in out.getvalue()
    page = client.get(reverse("library:data")).content.decode()
    assert "sha256:" in page
    assert "factor_profiles.csv" in page
    download = client.get(reverse("library:data_download"))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    body = b"".join(download.streaming_content)
    assert zipfile.ZipFile(io.BytesIO(body)).namelist()[0] == "datapackage.json"


def test_the_page_never_builds_the_package(client, open_data_dir, library, monkeypatch):
    from cases.domain import datapackage

    def refuse(**kwargs):
        raise AssertionError("built inside a request")

    monkeypatch.setattr(datapackage, "build_data_package", refuse)
    assert client.get(reverse("library:data")).status_code == 200


def test_publication_gives_title_slugs_and_rebuilds_the_package_after_commit(
    open_data_dir, django_capture_on_commit_callbacks
):
    from cases.domain.evaluation.phases import set_phase
    from cases.domain.evaluation.publication import publish_cases, publish_results
    from cases.models import EditionPhase
    from tests.factories import CoordinatorFactory, EligibleCaseFactory, EvaluationEditionFactory

    edition = EvaluationEditionFactory(phase=EditionPhase.CONSENSUS)
    coordinator = CoordinatorFactory(editions=[edition])
    case = EligibleCaseFactory(
        edition=edition, publication_consent=True, title="Harbour pact", slug="epsa-x-app-1f"
    )
    set_phase(edition=edition, by=coordinator, phase=EditionPhase.JURY)
    publish_results(edition=edition, by=coordinator)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        publish_cases(edition=edition, by=coordinator)
    case.refresh_from_db()
    assert case.slug == "harbour-pact"
    assert not data_package_path().exists()  # nothing built before the commit
    for callback in callbacks:
        callback()
    _descriptor, tables = _tables(data_package_path())
    assert [row["slug"] for row in tables["cases"]] == ["harbour-pact"]
