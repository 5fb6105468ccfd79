"""A ranked search counts its facets and chooses its page of results in one statement on
PostgreSQL (cases.domain.queries.library.counts_and_page); the page must be the one
``result_page`` chooses on its own, in the same order."""

from dataclasses import replace

import pytest

from cases.domain.queries.library import (
    LibraryCriteria,
    counts_and_page,
    facet_counts,
    result_page,
)
from cases.models import CollaborationType
from tests.factories import PublishedCaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def river_cases(reindex):
    """31 cases about rivers, ranked differently (the word once to four times), across two
    countries and two collaboration types, and 4 cases without the word."""
    citizens = CollaborationType.objects.get(slug="public-citizen")
    business = CollaborationType.objects.get(slug="public-private")
    cases = []
    for index in range(31):
        case = PublishedCaseFactory(
            title=f"Project {index} " + "river " * (1 + index % 4),
            summary="Restoring the banks together with residents.",
            country="AT" if index % 3 else "SI",
        )
        case.collaboration_types.add(citizens if index % 2 else business)
        cases.append(case)
    for index in range(4):
        PublishedCaseFactory(title=f"Unrelated {index}", country="AT")
    reindex()
    return cases


def _separately(criteria, offset):
    return [case.pk for case in result_page(criteria, offset=offset)]


@pytest.mark.parametrize(
    "criteria",
    [
        LibraryCriteria(q="river"),
        LibraryCriteria(q="river banks"),
        LibraryCriteria(q="river", country=("AT",)),
        LibraryCriteria(q="river", country=("AT",), collaboration=("public-citizen",)),
    ],
    # One word: the page comes from the term table (tests/library/test_term_ranks.py).
    ids=["one word", "two words", "text and one facet", "text and two facets"],
)
@pytest.mark.parametrize("offset", [0, 25])
def test_the_chosen_page_is_the_page_result_page_chooses(
    river_cases, on_postgres, criteria, offset
):
    counts, chosen = counts_and_page(criteria, offset=offset)
    assert counts.total == facet_counts(criteria).total
    expected = _separately(criteria, offset)
    if on_postgres:
        assert chosen == expected
        pages = [case.pk for case in result_page(criteria, offset=offset, chosen=chosen)]
        assert pages == expected
    else:
        assert chosen is None  # SQLite counts and chooses in two statements
    assert len(expected) == max(0, min(25, counts.total - offset))


def test_counts_from_one_statement_equal_counts_alone(river_cases):
    criteria = LibraryCriteria(q="river", country=("AT",), collaboration=("public-citizen",))
    combined, _chosen = counts_and_page(criteria, offset=0)
    alone = facet_counts(criteria)
    assert combined.total == alone.total > 0
    assert combined.counts == alone.counts


def test_other_orders_leave_the_page_to_result_page(river_cases):
    counts, chosen = counts_and_page(LibraryCriteria(q="river", sort="newest"), offset=0)
    assert chosen is None and counts.total == 31


def test_list_page_past_the_end_shows_the_last_page_in_rank_order(client, river_cases):
    response = client.get("/library/", {"q": "river", "page": "7"})
    assert response.status_code == 200
    assert response.context["page"] == 2
    last = [case.pk for case in response.context["results"]]
    assert last == _separately(LibraryCriteria(q="river"), 25)
    assert "There are only 2 pages of results; showing the last one." in response.content.decode()


def test_list_page_two_of_a_ranked_search(client, river_cases, on_postgres):
    first = client.get("/library/", {"q": "river"}).context["results"]
    second = client.get("/library/", {"q": "river", "page": "2"}).context["results"]
    shown = [case.pk for case in [*first, *second]]
    assert len(shown) == len(set(shown)) == 31
    if on_postgres:  # ts_rank: four mentions of the word rank above one
        assert "river river river river" in first[0].title


@pytest.mark.parametrize(
    "criteria",
    [
        LibraryCriteria(country=("AT",)),
        LibraryCriteria(collaboration=("public-citizen",)),
        LibraryCriteria(outcome=("winner",)),
    ],
    ids=["country", "collaboration type", "outcome"],
)
def test_one_facet_counts_equal_the_general_count(river_cases, criteria):
    """Browsing by one facet takes that facet's own counts from the whole library's figures;
    they must equal counting every facet under the filter (forced here by a year range that
    holds every case)."""
    years = [case.year for case in river_cases]
    alone = facet_counts(criteria)
    general = facet_counts(replace(criteria, year_from=min(years), year_to=max(years)))
    assert alone.total == general.total
    assert alone.counts == general.counts


def test_one_country_keeps_every_country_and_narrows_the_others(river_cases):
    counts = facet_counts(LibraryCriteria(country=("SI",)))
    assert counts.total == 11
    # The country facet offers every country with its own count; the others count Slovenia's.
    assert counts.counts["country"] == {"AT": 24, "SI": 11}
    citizens = CollaborationType.objects.get(slug="public-citizen").pk
    business = CollaborationType.objects.get(slug="public-private").pk
    assert counts.count("collaboration", citizens) == 5
    assert counts.count("collaboration", business) == 6
