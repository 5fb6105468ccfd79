import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import CollaborationType, EcosystemFactor, FactorProfileValue
from tests.factories import EditionFactory, PartnerFactory, PublishedCaseFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/cases/"


def test_etag_and_last_modified_answer_304(client):
    PublishedCaseFactory()
    first = client.get(LIST)
    assert first.status_code == 200
    etag = first["ETag"]
    assert etag.startswith('"')
    assert first["Last-Modified"]
    again = client.get(LIST, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    since = client.get(LIST, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_etag_changes_with_the_content(client):
    case = PublishedCaseFactory(title="Before")
    etag = client.get(f"{LIST}{case.slug}/")["ETag"]
    case.title = "After"
    case.save()
    response = client.get(f"{LIST}{case.slug}/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response.json()["title"] == "After"


def test_anonymous_throttle_answers_429_with_retry_after(client, settings):
    settings.API_ANON_RATE = "3/minute"
    for _ in range(3):
        assert client.get("/api/v1/vocabularies/").status_code == 200
    response = client.get("/api/v1/vocabularies/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    body = response.json()
    assert body["status"] == 429
    assert body["retry_after"] == int(response["Retry-After"])


def test_cors_is_open_for_get_only(client):
    response = client.get(LIST, HTTP_ORIGIN="https://research.example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        LIST,
        HTTP_ORIGIN="https://research.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    allowed = {method.strip() for method in preflight["Access-Control-Allow-Methods"].split(",")}
    assert allowed == {"GET", "HEAD", "OPTIONS"}
    assert "Access-Control-Allow-Credentials" not in preflight
    page = client.get("/library/", HTTP_ORIGIN="https://research.example.org")
    assert "Access-Control-Allow-Origin" not in page


def _rich_case():
    case = PublishedCaseFactory()
    case.collaboration_types.add(*CollaborationType.objects.all()[:2])
    PartnerFactory(case=case)
    PartnerFactory(case=case)
    for factor in EcosystemFactor.objects.all()[:3]:
        FactorProfileValue.objects.create(case=case, factor=factor, value=2, source="consensus")
    return case


def _queries(client, url):
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("path", [LIST + "?page_size=100", "/api/v1/facets/", "/api/v1/stats/"])
def test_query_count_is_the_same_for_1_and_100_cases(client, path):
    _rich_case()
    one = _queries(client, path)
    for _ in range(99):
        _rich_case()
    assert client.get(LIST + "?page_size=100").json()["count"] == 100
    assert _queries(client, path) == one


def test_facets_count_like_the_page(client):
    from cases.domain.queries.library import LibraryCriteria, facet_counts

    kind = CollaborationType.objects.get(slug="public-private")
    for country in ("DE", "DE", "FR"):
        PublishedCaseFactory(country=country).collaboration_types.add(kind)
    body = client.get("/api/v1/facets/", {"country": "DE"}).json()
    assert body["total"] == 2
    country = next(facet for facet in body["facets"] if facet["name"] == "country")
    counts = {option["value"]: option["count"] for option in country["options"]}
    # Under the other filters only: the country facet still counts France.
    assert counts == {"DE": 2, "FR": 1}
    assert next(o for o in country["options"] if o["value"] == "DE")["selected"] is True
    expected = facet_counts(LibraryCriteria(country=("DE",)))
    collaboration = next(facet for facet in body["facets"] if facet["name"] == "collaboration")
    (option,) = collaboration["options"]
    assert option["count"] == expected.count("collaboration", kind.pk) == 2


def test_editions_vocabularies_and_stats(client):
    edition = EditionFactory(name="EPSA 2031", slug="epsa-2031", year_label="2031")
    case = PublishedCaseFactory(edition=edition, country="AT")
    case.collaboration_types.add(CollaborationType.objects.get(slug="cross-border"))
    editions = client.get("/api/v1/editions/").json()
    row = next(item for item in editions if item["slug"] == "epsa-2031")
    assert row["year"] == 2031
    assert row["published_cases"] == 1
    assert row["categories"] == [{"slug": case.category.slug, "name": case.category.name}]
    vocabularies = client.get("/api/v1/vocabularies/").json()
    assert len(vocabularies["factors"]) == 8
    assert all(item["description"] for item in vocabularies["factors"])
    assert {item["slug"] for item in vocabularies["outcomes"]} == {
        "winner",
        "nominee",
        "certificate",
        "special-recognition",
        "submitted",
    }
    assert len(vocabularies["collaboration_types"]) == 8
    stats = client.get("/api/v1/stats/").json()
    assert stats["total"] == 1
    assert stats["by_country"] == [{"country": "AT", "cases": 1}]
    assert stats["collaboration_by_edition"] == [
        {"edition": "epsa-2031", "collaboration_type": "cross-border", "cases": 1}
    ]
    assert len(stats["factor_coverage"]) == 8


def test_endpoints_without_parameters_refuse_them(client):
    response = client.get("/api/v1/stats/", {"country": "DE"})
    assert response.status_code == 400
    assert "country" in response.json()["errors"]


def test_head_answers_like_get_without_a_body(client):
    PublishedCaseFactory()
    get = client.get(LIST)
    head = client.head(LIST)
    assert head.status_code == 200
    assert head["ETag"] == get["ETag"]
    assert head.content == b""


def test_every_page_links_to_the_open_data_and_the_api(client):
    html = client.get("/").content.decode()
    assert 'href="/en/library/data/"' in html  # the library's address in the page's language
    assert 'href="/api/docs/"' in html
