import csv
import io
import json

import pytest
from django.urls import reverse

from cases.interfaces.exporters import neutralise
from cases.models import CollaborationType, EcosystemFactor, FactorProfileValue
from tests.factories import PartnerFactory, PublishedCaseFactory

pytestmark = pytest.mark.django_db


def read_csv(response):
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body[1:])))


def test_csv_export_row_per_case_with_joined_values(client):
    case = PublishedCaseFactory(title="Ciudad abierta: presupuesto", country="ES")
    for slug in ("public-citizen", "public-research"):
        case.collaboration_types.add(CollaborationType.objects.get(slug=slug))
    PartnerFactory(case=case, name="Universidad de Sevilla", sector="academic")
    PartnerFactory(case=case, name="Vecinos Unidos", sector="citizens")
    factor = EcosystemFactor.objects.get(slug="partnership-design")
    FactorProfileValue.objects.create(case=case, factor=factor, value=3, source="consensus")
    response = client.get(reverse("library:export_csv"))
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    (row,) = read_csv(response)
    assert row["title"] == "Ciudad abierta: presupuesto"
    # In vocabulary order.
    assert row["collaboration_types"] == "public-research; public-citizen"
    assert row["partners"] == "Universidad de Sevilla; Vecinos Unidos"
    assert row["partner_sectors"] == "academic; citizens"
    assert row["factor_partnership-design"] == "3.0"
    assert row["factor_partnership-design_source"] == "consensus"
    assert row["licence"] == "CC-BY-4.0"
    # The address without a language prefix: it opens in each reader's own language.
    assert row["url"] == f"http://testserver/library/{case.slug}/"


def test_csv_export_follows_tag_changes_after_publication(client):
    """The database's CSV lines read a case's tags from the search table: an edit of the tags
    of a published case shows in the next export."""
    case = PublishedCaseFactory()
    case.collaboration_types.set([CollaborationType.objects.get(slug="public-citizen")])
    (row,) = read_csv(client.get(reverse("library:export_csv")))
    assert row["collaboration_types"] == "public-citizen"
    case.collaboration_types.set(
        CollaborationType.objects.filter(slug__in=("public-research", "cross-border"))
    )
    (row,) = read_csv(client.get(reverse("library:export_csv")))
    assert row["collaboration_types"] == "; ".join(
        CollaborationType.objects.filter(slug__in=("public-research", "cross-border"))
        .order_by("order", "slug")
        .values_list("slug", flat=True)
    )
    case.collaboration_types.clear()
    (row,) = read_csv(client.get(reverse("library:export_csv")))
    assert row["collaboration_types"] == ""


def test_csv_neutralises_formulas(client):
    PublishedCaseFactory(title='=HYPERLINK("http://evil")', summary="+1+1", website="")
    (row,) = read_csv(client.get(reverse("library:export_csv")))
    assert row["title"] == '\'=HYPERLINK("http://evil")'
    assert row["summary"] == "'+1+1"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("plain", "plain"),
        (None, ""),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_exports_follow_the_list_filters(client):
    PublishedCaseFactory(title="Austrian", country="AT")
    PublishedCaseFactory(title="Spanish", country="ES")
    rows = read_csv(client.get(reverse("library:export_csv"), {"country": "AT"}))
    assert [row["title"] for row in rows] == ["Austrian"]
    body = b"".join(client.get(reverse("library:export_json"), {"country": "ES"}).streaming_content)
    document = json.loads(body)
    assert [case["title"] for case in document["cases"]] == ["Spanish"]
    assert document["query"] == {"country": ["ES"]}


def test_json_export_documents_slugs_and_licence(client):
    case = PublishedCaseFactory(outcome="winner", place=2)
    case.collaboration_types.add(CollaborationType.objects.get(slug="multi-stakeholder"))
    response = client.get(reverse("library:export_json"))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    document = json.loads(b"".join(response.streaming_content))
    (record,) = document["cases"]
    assert record["slug"] == case.slug
    assert record["outcome"] == "winner"
    assert record["place"] == 2
    assert record["collaboration_types"] == ["multi-stakeholder"]
    assert record["licence"] == "CC-BY-4.0"
    assert set(record["factor_profile"]) == set(
        EcosystemFactor.objects.values_list("slug", flat=True)
    )


def test_exports_contain_only_published_cases(client, hidden_cases):
    PublishedCaseFactory(title="Visible")
    rows = read_csv(client.get(reverse("library:export_csv")))
    assert [row["title"] for row in rows] == ["Visible"]
    body = b"".join(client.get(reverse("library:export_json")).streaming_content).decode()
    assert "hiddenword" not in body
    assert "Visible" in body


def test_export_reads_rows_in_chunks(client, monkeypatch):
    from cases.interfaces import exporters

    monkeypatch.setattr(exporters, "CHUNK_SIZE", 2)
    calls = []
    original = type(PublishedCaseFactory._meta.model.objects.all()).iterator

    def spy(self, chunk_size=None):
        calls.append(chunk_size)
        return original(self, chunk_size=chunk_size)

    monkeypatch.setattr(type(PublishedCaseFactory._meta.model.objects.all()), "iterator", spy)
    for _index in range(5):
        PublishedCaseFactory()
    rows = read_csv(client.get(reverse("library:export_csv")))
    assert len(rows) == 5
    assert calls == [2]


def test_bad_export_parameters_still_export(client):
    PublishedCaseFactory(title="Kept")
    rows = read_csv(client.get(reverse("library:export_csv"), {"country": "ZZ", "page": "x"}))
    assert [row["title"] for row in rows] == ["Kept"]


def test_exports_of_a_search_keep_the_ranked_order(client, reindex):
    PublishedCaseFactory(title="Tidal energy pilot", summary="A harbour test.")
    PublishedCaseFactory(title="Harbour crossing", summary="Ferries and tidal timetables.")
    PublishedCaseFactory(title="Unrelated", summary="Nothing to see.")
    reindex()
    rows = read_csv(client.get(reverse("library:export_csv"), {"q": "tidal", "sort": "relevance"}))
    assert [row["title"] for row in rows] == ["Tidal energy pilot", "Harbour crossing"]
    body = b"".join(
        client.get(
            reverse("library:export_json"), {"q": "tidal", "sort": "title"}
        ).streaming_content
    )
    assert [case["title"] for case in json.loads(body)["cases"]] == [
        "Harbour crossing",
        "Tidal energy pilot",
    ]


def test_export_fields_page_documents_every_exported_field(client):
    case = PublishedCaseFactory()
    response = client.get(reverse("library:export_fields"))
    assert response.status_code == 200
    html = response.content.decode()
    csv_columns = list(read_csv(client.get(reverse("library:export_csv")))[0])
    factor_slugs = [factor.slug for factor in EcosystemFactor.objects.order_by("order")]
    for column in csv_columns:
        if column.startswith("factor_"):
            continue
        assert f"<code>{column}</code>" in html, column
    assert "<code>factor_&lt;factor slug&gt;</code>" in html
    assert "<code>factor_&lt;factor slug&gt;_source</code>" in html
    for slug in factor_slugs:
        assert f"<code>{slug}</code>" in html
    record = json.loads(b"".join(client.get(reverse("library:export_json")).streaming_content))
    for key in record:
        assert f"<code>{key}</code>" in html, key
    for key in record["cases"][0]:
        if not key.startswith("factor_"):
            assert f"<code>{key}</code>" in html, key
    assert record["cases"][0]["slug"] == case.slug


def test_list_links_the_export_documentation(client):
    PublishedCaseFactory()
    html = client.get(reverse("library:list")).content.decode()
    assert f'href="{reverse("library:export_fields")}"' in html


def test_json_export_header_points_to_the_documentation(client):
    PublishedCaseFactory()
    document = json.loads(b"".join(client.get(reverse("library:export_json")).streaming_content))
    assert document["documentation"] == "http://testserver" + reverse("library:export_fields")
    assert client.get(document["documentation"]).status_code == 200


def test_postgresql_writes_the_same_csv_as_python(client):
    """On PostgreSQL the database writes the CSV lines; they must equal the Python path's,
    byte for byte, including formulas, quotes, line breaks, many values and numbers."""
    from django.db import connection

    from cases.domain.queries.library import LibraryCriteria, library_cases, ordered
    from cases.interfaces.exporters import csv_rows

    tricky = PublishedCaseFactory(
        title='Quotes "inside", commas, and a\nline break',
        summary="-starts like a formula",
        website="",
        outcome="winner",
        place=1,
        country="",
        start_date=None,
    )
    for slug in ("public-citizen", "public-research"):
        tricky.collaboration_types.add(CollaborationType.objects.get(slug=slug))
    PartnerFactory(case=tricky, name="=cmd()", sector="private")
    PartnerFactory(case=tricky, name="Alpha; Beta", sector="academic")
    factors = list(EcosystemFactor.objects.order_by("order")[:3])
    for factor, value in zip(factors, ("3", "2.5", "1.25"), strict=True):
        FactorProfileValue.objects.create(
            case=tricky, factor=factor, value=value, source="self-assessment"
        )
    PublishedCaseFactory(title="Plain", summary="", outcome="none", ongoing=True)
    criteria = LibraryCriteria()
    queryset = ordered(library_cases(criteria), criteria)
    python = "".join(csv_rows(queryset, "http://testserver", in_database=False))
    if connection.vendor != "postgresql":
        assert "".join(csv_rows(queryset, "http://testserver")) == python
        return
    assert "".join(csv_rows(queryset, "http://testserver", in_database=True)) == python


def test_postgresql_csv_matches_python_on_edge_cases(monkeypatch, hidden_cases):
    """Edge cases of the database's CSV lines, over several batches: formulas in every kind of
    text cell, missing values (NULL) next to empty text, many values in vocabulary order and
    partners' sectors sorted and distinct, quotes, commas, CR and LF, non-ASCII text, partial
    factor profiles; and no text of an unpublished case."""
    from django.db import connection

    from cases.domain.queries.library import LibraryCriteria, library_cases, ordered
    from cases.interfaces import csv_sql
    from cases.interfaces.exporters import csv_rows
    from cases.models import CoproductionPhase, PolicySector

    formulas = PublishedCaseFactory(
        title='=HYPERLINK("http://evil")',
        summary="+1+1",
        website="@SUM(A1)",
        lead_organisation__name="-Minus, Inc.",
        edition__name="\tTabbed edition",
    )
    PartnerFactory(case=formulas, name="\rCarriage", sector="public")
    PartnerFactory(case=formulas, name='Quote " mark', sector="citizens")
    PartnerFactory(case=formulas, name="Zeta\r\nLines", sector="academic")
    PartnerFactory(case=formulas, name="Same sector", sector="academic")
    missing = PublishedCaseFactory(
        title="Ünïcödé — 東京 🚲",
        summary='Line one\nline two\r\nline three, with "quotes"',
        lead_organisation=None,
        edition=None,
        category=None,
        website="",
        place=None,
        start_date=None,
        end_date=None,
    )
    missing.coproduction_phases.add(
        *CoproductionPhase.objects.filter(slug__in=("co-assessment", "co-design", "co-delivery"))
    )
    missing.policy_sectors.add(*PolicySector.objects.order_by("-slug")[:3])
    factors = list(EcosystemFactor.objects.order_by("order"))
    FactorProfileValue.objects.create(
        case=missing, factor=factors[-1], value="0", source="consensus"
    )
    FactorProfileValue.objects.create(
        case=formulas, factor=factors[1], value="3.75", source="self-assessment"
    )
    odd = PublishedCaseFactory(title="Only\rCR", summary="\rCR first", website="\nLF first")
    # A sector outside the choices (written around the model) sorts as Python sorts it.
    PartnerFactory(case=odd, name="Odd sector", sector="public")
    PartnerFactory(case=odd, name="Capital sector", sector="Public")
    for index in range(4):
        PublishedCaseFactory(title=f"Filler {index}", summary="" if index % 2 else "Text")
    criteria = LibraryCriteria()
    queryset = ordered(library_cases(criteria), criteria)
    python = "".join(csv_rows(queryset, "http://testserver", in_database=False))
    assert "hiddenword" not in python
    assert "'=HYPERLINK" in python and "'-Minus, Inc." in python
    rows = list(csv.DictReader(io.StringIO(python[1:])))
    assert len(rows) == 7
    by_title = {row["title"]: row for row in rows}
    assert by_title['\'=HYPERLINK("http://evil")']["partner_sectors"] == (
        "academic; citizens; public"
    )
    assert by_title["Ünïcödé — 東京 🚲"]["lead_organisation"] == ""
    if connection.vendor != "postgresql":
        assert "".join(csv_rows(queryset, "http://testserver")) == python
        return
    # Batches of three cases, so that lines are written by several queries and come in order.
    monkeypatch.setattr(csv_sql, "BATCH", 3)
    assert "".join(csv_rows(queryset, "http://testserver", in_database=True)) == python
