import json
import re
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from cases.domain.slugs import give_title_slug, slug_for_title
from cases.models import CaseSlugHistory, Provenance
from tests.factories import CaseFactory, PublishedCaseFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def _json_ld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match
    return json.loads(match.group(1))


def test_case_page_has_json_ld_and_a_json_alternate(client):
    case = PublishedCaseFactory(
        title="Open </script> budget", country="ES", start_date="2020-01-01"
    )
    html = client.get(case.get_absolute_url()).content.decode()
    data = _json_ld(html)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "CreativeWork"
    assert data["name"] == "Open </script> budget"
    assert data["about"]["@type"] == "GovernmentService"
    assert data["about"]["provider"]["name"] == case.lead_organisation.name
    assert data["spatialCoverage"]["name"] == "Spain"
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert data["temporalCoverage"].startswith("2020-01-01/")
    assert "</script> budget" not in html.split("<body")[0]  # escaped inside the script
    api_url = f"http://testserver/api/v1/cases/{case.slug}/"
    assert (
        '<link rel="alternate" type="application/json" title="This case as JSON (API)" '
        f'href="{api_url}">' in html
    )


def test_sitemap_lists_published_cases_only(client, hidden_cases):
    case = PublishedCaseFactory()
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    section = client.get("/sitemap-cases.xml")
    text = section.content.decode()
    assert f"http://testserver{case.get_absolute_url()}" in text
    for hidden in hidden_cases:
        assert hidden.slug not in text
    assert "/library/" in client.get("/sitemap-library.xml").content.decode()
    for code in ("en", "fr", "de", "es"):
        assert f'hreflang="{code}" href="http://testserver/{code}/library/{case.slug}/"' in text


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /coordinate/" in text
    assert "Disallow: /library/\n" not in text
    assert "Disallow: /fr/library/compare/" in text and "Disallow: /library/export" in text


def test_feed_follows_the_search(client, hidden_cases):
    wanted = PublishedCaseFactory(country="DE", title="German case")
    PublishedCaseFactory(country="FR")
    response = client.get(reverse("library:feed"), {"country": "DE"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(  # noqa: S314 (the test's own server)
        response.content
    )
    entries = root.findall(f"{ATOM}entry")
    assert [entry.find(f"{ATOM}title").text for entry in entries] == ["German case"]
    link = entries[0].find(f"{ATOM}link").get("href")
    assert link.endswith(wanted.get_absolute_url())
    all_entries = ElementTree.fromstring(  # noqa: S314 (the test's own server)
        client.get(reverse("library:feed")).content
    )
    titles = [e.find(f"{ATOM}title").text for e in all_entries.findall(f"{ATOM}entry")]
    assert not any("hiddenword" in title for title in titles)


def test_feed_ignores_bad_parameters_like_the_page(client):
    PublishedCaseFactory()
    response = client.get(reverse("library:feed"), {"collaboration": "nonsense", "year_from": "x"})
    assert response.status_code == 200


# --- slugs ----------------------------------------------------------------------------------


def test_slug_from_title_with_a_suffix_only_when_taken():
    assert slug_for_title("Open Budget: Residents Decide!") == "open-budget-residents-decide"
    PublishedCaseFactory(slug="open-budget")
    assert slug_for_title("Open budget") == "open-budget-2"
    assert slug_for_title("Compare") == "compare-2"  # a library path, never a case


def test_publication_gives_the_title_slug_without_history(client):
    case = PublishedCaseFactory(title="Green roofs for all", slug="epsa-demo-application-ab12")
    give_title_slug(case=case, first_publication=True)
    case.refresh_from_db()
    assert case.slug == "green-roofs-for-all"
    assert not CaseSlugHistory.objects.exists()
    assert client.get("/library/epsa-demo-application-ab12/").status_code == 404


def test_title_change_moves_the_slug_and_the_old_one_redirects_301(client):
    case = PublishedCaseFactory(title="Green roofs", slug="green-roofs")
    case.title = "Green roofs and walls"
    case.save()
    give_title_slug(case=case)
    case.refresh_from_db()
    assert case.slug == "green-roofs-and-walls"
    response = client.get("/library/green-roofs/")
    assert response.status_code == 301
    assert response["Location"] == "/library/green-roofs-and-walls/"
    api = client.get("/api/v1/cases/green-roofs/")
    assert api.status_code == 301
    assert api["Location"] == "/api/v1/cases/green-roofs-and-walls/"
    for suffix in ("cite.bib", "cite.ris", "cite.json"):
        cite = client.get(f"/library/green-roofs/{suffix}")
        assert cite.status_code == 301
        assert cite["Location"] == f"/library/green-roofs-and-walls/{suffix}"
    # The old slug stays reserved: a new case with that title gets a suffix.
    assert slug_for_title("Green roofs") == "green-roofs-2"


def test_slug_is_stable_while_the_title_is(client):
    case = PublishedCaseFactory(title="Green roofs", slug="green-roofs-2")
    PublishedCaseFactory(slug="green-roofs")
    give_title_slug(case=case)
    case.refresh_from_db()
    assert case.slug == "green-roofs-2"
    assert not CaseSlugHistory.objects.exists()


def test_imported_cases_keep_their_slugs():
    case = PublishedCaseFactory(
        title="A new title", slug="epsa-2019-winner-3", provenance=Provenance.IMPORTED
    )
    give_title_slug(case=case)
    case.refresh_from_db()
    assert case.slug == "epsa-2019-winner-3"


def test_former_slug_of_an_unpublished_case_does_not_redirect(client):
    case = CaseFactory(slug="now-hidden")
    CaseSlugHistory.objects.create(case=case, slug="was-public")
    assert client.get("/library/was-public/").status_code == 404
