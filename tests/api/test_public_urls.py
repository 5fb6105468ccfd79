"""The policy table of the open-data URLs: every one is public to anonymous visitors, answers
GET, and refuses writes with 405."""

import pytest

from tests.factories import PublishedCaseFactory

pytestmark = pytest.mark.django_db

# URL (with {slug} for a published case) -> status of an anonymous GET
PUBLIC_GETS = {
    "/api/v1/cases/": 200,
    "/api/v1/cases/{slug}/": 200,
    "/api/v1/facets/": 200,
    "/api/v1/editions/": 200,
    "/api/v1/vocabularies/": 200,
    "/api/v1/stats/": 200,
    "/api/v1/no-such-endpoint/": 404,
    "/api/schema/": 200,
    "/api/docs/": 200,
    "/api/redoc/": 200,
    "/library/{slug}/cite.bib": 200,
    "/library/{slug}/cite.ris": 200,
    "/library/{slug}/cite.json": 200,
    "/library/export.bib": 200,
    "/library/export.ris": 200,
    "/library/export.csl.json": 200,
    "/library/feed/": 200,
    "/library/data/": 200,
    "/library/data/epsa-case-library.zip": 404,  # until the first build
    "/sitemap.xml": 200,
    "/sitemap-cases.xml": 200,
    "/robots.txt": 200,
}


@pytest.fixture
def slug():
    return PublishedCaseFactory().slug


@pytest.mark.parametrize(("url", "status"), PUBLIC_GETS.items())
def test_anonymous_get(client, slug, url, status):
    response = client.get(url.format(slug=slug))
    assert response.status_code == status


@pytest.mark.parametrize("url", PUBLIC_GETS)
@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_writes_are_refused(client, slug, url, method):
    response = getattr(client, method)(url.format(slug=slug))
    assert response.status_code == 405


@pytest.mark.parametrize("url", [u for u, status in PUBLIC_GETS.items() if status == 200])
def test_signed_in_users_read_the_same(client, slug, url):
    from tests.factories import UserFactory

    client.force_login(UserFactory(roles=["evaluator"]))
    assert client.get(url.format(slug=slug)).status_code == 200
