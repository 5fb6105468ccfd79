"""Citation downloads (BibTeX, RIS, CSL-JSON) of a saved collection and of a comparison."""

import json

import pytest
from django.urls import reverse

from cases.domain import collections as actions
from cases.models import CaseStatus
from tests.factories import CaseFactory, OrganisationFactory, PublishedCaseFactory, UserFactory

pytestmark = pytest.mark.django_db

FORMATS = ("bibtex", "ris", "csl_json")


@pytest.fixture
def owner():
    return UserFactory()


@pytest.fixture
def cases():
    ghent = OrganisationFactory(name="City of Ghent")
    return [
        PublishedCaseFactory(title="Zebra crossings", lead_organisation=ghent),
        PublishedCaseFactory(title="Allotment gardens"),
        PublishedCaseFactory(title="Budget & more"),
    ]


@pytest.fixture
def collection(owner, cases):
    # Kept in the order the owner chose, not alphabetically.
    return actions.create_collection(
        owner=owner, name="Mobility cases", case_slugs=[case.slug for case in cases]
    )


def _shared_url(collection, name):
    return reverse(f"library:shared_collection_{name}", args=[collection.share_token])


def _download(client, url):
    response = client.get(url)
    assert response.status_code == 200, response
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body.decode()


def _bib_keys(text):
    return [line[len("@misc{") : -1] for line in text.splitlines() if line.startswith("@misc{")]


def _ris_ids(text):
    return [line[len("ID  - ") :] for line in text.split("\r\n") if line.startswith("ID  - ")]


def _csl_ids(text):
    return [entry["id"] for entry in json.loads(text)]


def test_collection_bibtex_cites_each_case_in_the_collections_order(client, collection, cases):
    response, text = _download(client, _shared_url(collection, "bibtex"))
    assert response["Content-Type"].startswith("application/x-bibtex")
    assert 'filename="epsa-collection-mobility-cases.bib"' in response["Content-Disposition"]
    assert _bib_keys(text) == [case.slug for case in cases]
    assert "author = {{City of Ghent}}" in text
    assert r"title = {{Budget \& more}}" in text
    cases[1].refresh_from_db()
    assert cases[1].year and f"year = {{{cases[1].year}}}" in text
    assert f"url = {{http://testserver/library/{cases[0].slug}/}}" in text


def test_collection_ris_has_one_record_per_case(client, collection, cases):
    response, text = _download(client, _shared_url(collection, "ris"))
    assert response["Content-Type"].startswith("application/x-research-info-systems")
    assert 'filename="epsa-collection-mobility-cases.ris"' in response["Content-Disposition"]
    assert text.count("TY  - ELEC\r\n") == 3 and text.count("ER  - \r\n") == 3
    assert _ris_ids(text) == [case.slug for case in cases]
    assert "AU  - City of Ghent\r\n" in text
    assert "TI  - Allotment gardens\r\n" in text


def test_collection_csl_json_is_an_array_of_entries(client, collection, cases):
    response, text = _download(client, _shared_url(collection, "csl_json"))
    assert response["Content-Type"].startswith("application/vnd.citationstyles.csl+json")
    assert 'filename="epsa-collection-mobility-cases.json"' in response["Content-Disposition"]
    entries = json.loads(text)
    assert [entry["id"] for entry in entries] == [case.slug for case in cases]
    assert entries[0]["author"] == [{"literal": "City of Ghent"}]
    cases[0].refresh_from_db()
    assert cases[0].year and entries[0]["issued"] == {"date-parts": [[cases[0].year]]}
    assert entries[1]["title"] == "Allotment gardens"
    assert entries[0]["URL"] == f"http://testserver/library/{cases[0].slug}/"


def test_owner_and_shared_pages_link_to_the_citations(client, collection, owner):
    links = [_shared_url(collection, name) for name in FORMATS]
    shared_html = client.get(
        reverse("library:shared_collection", args=[collection.share_token])
    ).content.decode()
    client.force_login(owner)
    own_html = client.get(reverse("library:collection", args=[collection.pk])).content.decode()
    for link in links:
        assert link in shared_html
        assert link in own_html


@pytest.mark.parametrize("name", FORMATS)
def test_owner_visitor_and_stranger_get_the_same_citations_and_a_wrong_link_is_404(
    client, collection, owner, cases, name
):
    url = _shared_url(collection, name)
    _, as_visitor = _download(client, url)
    client.force_login(owner)
    _, as_owner = _download(client, url)
    client.force_login(UserFactory())
    _, as_stranger = _download(client, url)
    assert as_visitor == as_owner == as_stranger
    assert cases[0].slug in as_visitor
    wrong = reverse(f"library:shared_collection_{name}", args=["not-the-token"])
    assert client.get(wrong).status_code == 404


@pytest.mark.parametrize("name", FORMATS)
def test_stranger_cannot_reach_the_collection_by_its_number(client, collection, name):
    # The only way to a collection's downloads is its share link: the owner's page, which shows
    # the link, answers 404 to anyone else.
    client.force_login(UserFactory())
    response = client.get(reverse("library:collection", args=[collection.pk]))
    assert response.status_code == 404
    assert collection.share_token not in response.content.decode()


def test_a_case_unpublished_after_collecting_drops_out_of_every_export(client, collection, cases):
    withdrawn = cases[1]
    withdrawn.is_published = False
    withdrawn.save()
    kept = [cases[0].slug, cases[2].slug]
    assert _bib_keys(_download(client, _shared_url(collection, "bibtex"))[1]) == kept
    assert _ris_ids(_download(client, _shared_url(collection, "ris"))[1]) == kept
    assert _csl_ids(_download(client, _shared_url(collection, "csl_json"))[1]) == kept
    csv_text = _download(client, _shared_url(collection, "csv"))[1]
    assert withdrawn.title not in csv_text and cases[0].title in csv_text
    data = json.loads(_download(client, _shared_url(collection, "json"))[1])
    assert [case["slug"] for case in data["cases"]] == kept


@pytest.mark.parametrize("name", FORMATS)
@pytest.mark.parametrize("count", [1, 3])
def test_collection_citation_queries_do_not_grow_with_its_cases(
    client, owner, django_assert_num_queries, name, count
):
    collection = actions.create_collection(
        owner=owner, name="C", case_slugs=[PublishedCaseFactory().slug for _ in range(count)]
    )
    with django_assert_num_queries(QUERIES_PER_DOWNLOAD + 1):  # + the share link's lookup
        _, text = _download(client, _shared_url(collection, name))
    assert text.count("http://testserver/") >= count


# --- the comparison page ----------------------------------------------------------------------


def _compare_url(name, slugs):
    return reverse(f"library:compare_{name}") + "?cases=" + ",".join(slugs)


def test_comparison_page_links_to_its_citations(client, cases):
    slugs = [cases[0].slug, cases[1].slug]
    html = client.get(reverse("library:compare"), {"cases": ",".join(slugs)}).content.decode()
    for name in FORMATS:
        url = reverse(f"library:compare_{name}") + "?cases=" + "%2C".join(slugs)
        assert url in html


def test_comparison_citations_in_each_format(client, cases):
    slugs = [cases[0].slug, cases[1].slug]
    # Alphabetical by title, like the comparison's CSV.
    expected = [cases[1].slug, cases[0].slug]
    response, text = _download(client, _compare_url("bibtex", slugs))
    assert 'filename="epsa-comparison.bib"' in response["Content-Disposition"]
    assert _bib_keys(text) == expected and "author = {{City of Ghent}}" in text
    response, text = _download(client, _compare_url("ris", slugs))
    assert 'filename="epsa-comparison.ris"' in response["Content-Disposition"]
    assert _ris_ids(text) == expected and "TI  - Zebra crossings\r\n" in text
    response, text = _download(client, _compare_url("csl_json", slugs))
    assert 'filename="epsa-comparison.json"' in response["Content-Disposition"]
    assert _csl_ids(text) == expected


@pytest.mark.parametrize("name", FORMATS)
def test_comparison_citations_leave_out_unpublished_cases(client, cases, name):
    hidden = CaseFactory(status=CaseStatus.ELIGIBLE, title="Not yet public")
    withdrawn = cases[2]
    withdrawn.is_published = False
    withdrawn.save()
    _, text = _download(client, _compare_url(name, [cases[0].slug, hidden.slug, withdrawn.slug]))
    assert cases[0].slug in text
    assert hidden.slug not in text and "Not yet public" not in text
    assert withdrawn.slug not in text


@pytest.mark.parametrize("name", FORMATS)
@pytest.mark.parametrize("count", [1, 3])
def test_comparison_citation_queries_do_not_grow_with_its_cases(
    client, django_assert_num_queries, name, count
):
    slugs = [PublishedCaseFactory().slug for _ in range(count)]
    with django_assert_num_queries(QUERIES_PER_DOWNLOAD):
        _, text = _download(client, _compare_url(name, slugs))
    assert text.count("http://testserver/") >= count


# The export records' vocabularies (6 queries), then inside one transaction (savepoint and
# release) the cases' rows and their related rows, one query per kind (7): as for the
# filtered-set downloads, whatever the number of cases.
QUERIES_PER_DOWNLOAD = 15
