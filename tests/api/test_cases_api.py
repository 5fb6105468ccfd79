import pytest
from django.urls import reverse

from cases.models import (
    CollaborationType,
    EcosystemFactor,
    FactorAssessment,
    FactorProfileValue,
    PolicySector,
)
from tests.factories import (
    CaseFactory,
    FactorAssessmentFactory,
    PartnerFactory,
    PublishedCaseFactory,
)

pytestmark = pytest.mark.django_db

LIST = "/api/v1/cases/"


def test_list_item_has_every_documented_field(client):
    case = PublishedCaseFactory(title="Open budget", country="ES", start_date="2021-03-01")
    case.collaboration_types.add(CollaborationType.objects.get(slug="public-citizen"))
    case.policy_sectors.add(PolicySector.objects.order_by("order").first())
    PartnerFactory(case=case, name="Vecinos", sector="citizens", country="ES")
    factor = EcosystemFactor.objects.get(slug="partnership-design")
    FactorProfileValue.objects.create(case=case, factor=factor, value=3, source="consensus")
    response = client.get(LIST)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["count"] == 1
    assert body["next"] is None
    (item,) = body["results"]
    assert item["slug"] == case.slug
    assert item["title"] == "Open budget"
    assert item["organisation"] == case.lead_organisation.name
    assert item["country"] == "ES"
    assert item["level"] == "local"
    assert item["edition"]["slug"] == case.edition.slug
    assert item["category"]["slug"] == case.category.slug
    assert item["outcome"] == "submitted"
    assert item["start_date"] == "2021-03-01"
    assert [c["slug"] for c in item["collaboration_types"]] == ["public-citizen"]
    assert len(item["policy_sectors"]) == 1
    assert item["partners"] == [{"name": "Vecinos", "sector": "citizens", "country": "ES"}]
    assert len(item["factor_profile"]) == 8
    design = next(row for row in item["factor_profile"] if row["factor"] == "partnership-design")
    assert design == {"factor": "partnership-design", "value": 3.0, "source": "consensus"}
    assert all(row["value"] is None for row in item["factor_profile"] if row is not design)
    assert item["licence"] == "CC-BY-4.0"
    assert item["permalink"] == "http://testserver" + case.get_absolute_url()
    assert item["url"] == f"http://testserver/api/v1/cases/{case.slug}/"
    assert item["updated_at"]
    for name in ("coproduction_phases", "coproduction_levels", "end_date", "published_at"):
        assert name in item


def test_only_published_cases_appear(client, hidden_cases, reindex):
    visible = PublishedCaseFactory(summary="hiddenword is here too")
    reindex()
    body = client.get(LIST, {"q": "hiddenword"}).json()
    assert [item["slug"] for item in body["results"]] == [visible.slug]
    for case in hidden_cases:
        assert client.get(f"{LIST}{case.slug}/").status_code == 404


def test_filters_match_the_library_page(client):
    from django.http import QueryDict

    from cases.domain.queries.library import library_cases
    from cases.interfaces.filters import LibraryFilterSet

    kind = CollaborationType.objects.get(slug="public-research")
    wanted = PublishedCaseFactory(country="DE")
    wanted.collaboration_types.add(kind)
    PublishedCaseFactory(country="DE")
    other = PublishedCaseFactory(country="FR")
    other.collaboration_types.add(kind)
    query = "collaboration=public-research&country=DE"
    body = client.get(f"{LIST}?{query}").json()
    expected = set(
        library_cases(LibraryFilterSet(QueryDict(query)).criteria).values_list("slug", flat=True)
    )
    assert {item["slug"] for item in body["results"]} == expected == {wanted.slug}
    assert body["query"] == {"collaboration": ["public-research"], "country": ["DE"]}


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("collaboration=no-such-type", "collaboration"),
        ("year_from=abc", "year_from"),
        ("year_from=1200", "year_from"),
        ("sort=sideways", "sort"),
        ("colaboration=public-private", "colaboration"),
        ("page_size=101", "page_size"),
        ("page_size=0", "page_size"),
        ("page_size=x", "page_size"),
        ("cursor=forged", "cursor"),
        ("q=" + "x" * 300, "q"),
        ("q=%21%21%21", "q"),
        ("year_from=2020&year_to=2010", "year_from"),
    ],
)
def test_bad_parameters_answer_400_with_a_message(client, query, parameter):
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400
    assert body["detail"]
    assert parameter in body["errors"]
    assert all(isinstance(message, str) and message for message in body["errors"][parameter])


def test_error_message_is_the_library_page_notice(client):
    page = client.get(reverse("library:list"), {"collaboration": "no-such-type"})
    api = client.get(LIST, {"collaboration": "no-such-type"}).json()
    (message,) = api["errors"]["collaboration"]
    assert message in page.content.decode()


def test_cursor_pages_are_stable_when_a_case_is_published(client):
    cases = [PublishedCaseFactory() for _ in range(5)]
    first = client.get(LIST, {"page_size": 2}).json()
    assert [item["slug"] for item in first["results"]] == [c.slug for c in cases[::-1][:2]]
    PublishedCaseFactory()  # newest: would shift an offset page
    second = client.get(first["next"]).json()
    assert [item["slug"] for item in second["results"]] == [c.slug for c in cases[::-1][2:4]]
    third = client.get(second["next"]).json()
    assert [item["slug"] for item in third["results"]] == [cases[0].slug]
    assert third["next"] is None


@pytest.mark.parametrize("sort", ["title", "oldest", "newest", "relevance"])
def test_cursor_walks_every_sort_without_gaps(client, sort, reindex):
    for index in range(7):
        PublishedCaseFactory(title=f"{'BADC'[index % 4]} water project {index}")
    reindex()
    params = {"page_size": 3, "sort": sort, "q": "water"}
    url, seen = LIST, []
    response = client.get(url, params)
    while True:
        body = response.json()
        seen += [item["slug"] for item in body["results"]]
        if not body["next"]:
            break
        response = client.get(body["next"])
    assert len(seen) == len(set(seen)) == 7
    one_page = client.get(LIST, {"page_size": 100, "sort": sort, "q": "water"}).json()
    assert seen == [item["slug"] for item in one_page["results"]]


def test_cursor_of_another_sort_is_refused(client):
    for _ in range(3):
        PublishedCaseFactory()
    cursor_url = client.get(LIST, {"page_size": 1}).json()["next"]
    cursor = cursor_url.split("cursor=")[1]
    response = client.get(LIST, {"sort": "title", "cursor": cursor, "page_size": 1})
    assert response.status_code == 400
    assert "cursor" in response.json()["errors"]


def test_detail_has_the_full_public_text(client):
    case = PublishedCaseFactory(problem="Long queues.", solution="One desk.", results="")
    factor = EcosystemFactor.objects.get(slug="policy-environment")
    FactorAssessmentFactory(case=case, factor=factor, text="Supportive law.", evidence="Act 12")
    response = client.get(f"{LIST}{case.slug}/")
    assert response.status_code == 200
    body = response.json()
    assert [section["name"] for section in body["sections"]] == ["problem", "solution"]
    assert body["sections"][0]["text"] == "Long queues."
    (assessment,) = body["self_assessments"]
    assert assessment["factor"] == "policy-environment"
    assert assessment["text"] == "Supportive law."
    assert body["citation"]["apa"].startswith(case.lead_organisation.name)
    assert body["citation"]["bibtex"].endswith(f"/library/{case.slug}/cite.bib")
    assert "contact_email" not in body
    assert FactorAssessment.objects.count() == 1


def test_unknown_case_is_a_json_404(client):
    response = client.get(f"{LIST}no-such-case/")
    assert response.status_code == 404
    assert response.json()["status"] == 404


def test_unknown_api_address_is_a_json_404(client):
    response = client.get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_draft_is_never_reachable_even_by_slug(client):
    draft = CaseFactory(title="Secret draft")
    assert client.get(f"{LIST}{draft.slug}/").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/cases/",
        "/api/v1/facets/",
        "/api/v1/editions/",
        "/api/v1/vocabularies/",
        "/api/v1/stats/",
    ],
)
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_refused_405(client, path, method):
    response = getattr(client, method)(path, data="{}", content_type="application/json")
    assert response.status_code == 405
    assert response.json()["status"] == 405


def test_cursor_keys_follow_names_and_expressions():
    from django.db.models import F

    from cases.domain.queries.public_api import _keys
    from cases.models import Case

    assert _keys(Case.objects.order_by("-published_at", "id")) == ["-published_at", "id"]
    assert _keys(Case.objects.order_by(F("title").asc(), F("id").desc())) == ["title", "-id"]
