import json

import pytest
from django.urls import reverse

from cases.interfaces.citations import Citable, apa, bibtex, chicago, ris
from tests.factories import OrganisationFactory, PublishedCaseFactory

pytestmark = pytest.mark.django_db

ITEM = Citable(
    slug="open-budget",
    title="Open budget: residents decide",
    organisation="City of Ghent",
    year=2023,
    url="https://portal.example/library/open-budget/",
    edition="EPSA 2023-24",
    licence="CC-BY-4.0",
)


def test_apa_and_chicago_text():
    assert apa(ITEM) == (
        "City of Ghent (2023). Open budget: residents decide [Case study]. EPSA 2023-24. "
        "EPSA Portal case library. https://portal.example/library/open-budget/"
    )
    assert chicago(ITEM) == (
        "City of Ghent. “Open budget: residents decide.” EPSA 2023-24. EPSA Portal case "
        "library, 2023. https://portal.example/library/open-budget/."
    )


def test_bibtex_escapes_and_keeps_the_group_author_whole():
    item = Citable(**{**ITEM.__dict__, "title": "50% faster & {fair}", "organisation": "A_B"})
    text = bibtex(item)
    assert text.startswith("@misc{open-budget,\n")
    assert r"title = {{50\% faster \& \{fair\}}}" in text
    assert r"author = {{A\_B}}" in text
    assert "year = {2023}" in text
    assert text.count("{") == text.count("}") + text.count(r"\{") - text.count(r"\}")


def test_ris_record():
    lines = ris(ITEM).split("\r\n")
    assert lines[0] == "TY  - ELEC"
    assert "AU  - City of Ghent" in lines
    assert "TI  - Open budget: residents decide" in lines
    assert "PY  - 2023" in lines
    assert lines[-2] == "ER  - "


def test_case_page_shows_apa_chicago_and_downloads(client):
    case = PublishedCaseFactory(
        title="Open budget", lead_organisation=OrganisationFactory(name="City of Ghent")
    )
    html = client.get(case.get_absolute_url()).content.decode()
    assert "City of Ghent (" in html  # APA
    assert "City of Ghent. “Open budget.”" in html  # Chicago
    for name in ("case_bibtex", "case_ris", "case_csl_json"):
        assert reverse(f"library:{name}", kwargs={"slug": case.slug}) in html


def test_case_citation_downloads(client):
    case = PublishedCaseFactory(title="Open budget")
    bib = client.get(reverse("library:case_bibtex", kwargs={"slug": case.slug}))
    assert bib["Content-Type"].startswith("application/x-bibtex")
    assert f"@misc{{{case.slug}," in bib.content.decode()
    assert "attachment" in bib["Content-Disposition"]
    ris_text = client.get(reverse("library:case_ris", kwargs={"slug": case.slug})).content
    assert b"TI  - Open budget" in ris_text
    csl = client.get(reverse("library:case_csl_json", kwargs={"slug": case.slug}))
    (entry,) = json.loads(csl.content)
    assert entry["id"] == case.slug
    assert entry["title"] == "Open budget"
    assert entry["URL"] == "http://testserver" + case.get_absolute_url()


def test_citations_of_unpublished_cases_are_404(client, hidden_cases):
    for case in hidden_cases:
        response = client.get(reverse("library:case_bibtex", kwargs={"slug": case.slug}))
        assert response.status_code == 404


def test_filtered_set_citations_stream_and_follow_the_filters(client, hidden_cases):
    wanted = PublishedCaseFactory(country="DE", title="German case")
    PublishedCaseFactory(country="FR", title="French case")
    response = client.get(reverse("library:export_bibtex"), {"country": "DE"})
    assert response.streaming
    text = b"".join(response.streaming_content).decode()
    assert text.count("@misc{") == 1
    assert wanted.slug in text
    ris_text = b"".join(
        client.get(reverse("library:export_ris"), {"country": "DE"}).streaming_content
    ).decode()
    assert ris_text.count("TY  - ELEC") == 1
    csl = b"".join(client.get(reverse("library:export_csl_json")).streaming_content)
    entries = json.loads(csl)
    assert {entry["title"] for entry in entries} == {"German case", "French case"}


def test_filtered_set_citations_stop_at_the_limit(client, monkeypatch):
    from cases.library import open_data

    monkeypatch.setattr(open_data, "CITATION_EXPORT_LIMIT", 2)
    for _ in range(3):
        PublishedCaseFactory()
    text = b"".join(client.get(reverse("library:export_bibtex")).streaming_content).decode()
    assert text.count("@misc{") == 2


def test_results_page_offers_citations_and_the_feed(client):
    PublishedCaseFactory()
    html = client.get(reverse("library:list"), {"country": "BE"}).content.decode()
    assert reverse("library:export_bibtex") + "?country=BE" in html
    assert reverse("library:feed") + "?country=BE" in html
    assert "Follow this search" in html
    assert 'type="application/atom+xml"' in html


def test_a_search_without_results_can_be_followed(client):
    html = client.get(reverse("library:list"), {"q": "nothingmatchesthis"}).content.decode()
    assert "No published case matches" in html
    assert reverse("library:feed") + "?q=nothingmatchesthis" in html
