"""The language of case content: a facet of the library, and search in each case's language.

PostgreSQL builds each case's search document with its language's configuration (English,
French, German, Spanish; ``simple`` for the others) and parses a query once per configuration,
so one search finds cases written in every language. SQLite matches substrings, whatever the
language.
"""

import pytest
from django.db import connection

from cases.domain.queries.library import LibraryCriteria, facet_counts, library_cases
from tests.factories import PublishedCaseFactory

pytestmark = pytest.mark.django_db


def titles(criteria):
    return sorted(case.title for case in library_cases(criteria))


@pytest.fixture
def languages(reindex):
    cases = {
        "en": PublishedCaseFactory(
            title="Neighbourhood transport board",
            summary="Residents plan the bus network with the city's transport office.",
            language="en",
        ),
        "fr": PublishedCaseFactory(
            title="Les mobilités douces en ville",
            summary="Les habitants choisissent les transports du quartier avec la mairie.",
            language="fr",
        ),
        "de": PublishedCaseFactory(
            title="Bürgerhaushalt für Radwege",
            summary="Die Bürger entscheiden über neue Radwege und den Verkehr im Bezirk.",
            language="de",
        ),
        "it": PublishedCaseFactory(
            title="Bilancio partecipativo dei trasporti",
            summary="I cittadini decidono le linee di autobus del quartiere.",
            language="it",
        ),
    }
    reindex()
    return cases


def test_language_facet_counts_and_filters(languages):
    counts = facet_counts(LibraryCriteria())
    assert {code: counts.count("language", code) for code in ("en", "fr", "de", "it", "es")} == {
        "en": 1,
        "fr": 1,
        "de": 1,
        "it": 1,
        "es": 0,
    }
    assert titles(LibraryCriteria(language=("fr", "de"))) == [
        "Bürgerhaushalt für Radwege",
        "Les mobilités douces en ville",
    ]
    # Counted under the other filters, like every facet.
    filtered = facet_counts(LibraryCriteria(q="transport", language=("en",)))
    assert filtered.total == 1
    assert filtered.count("language", "fr") == 1


def test_one_query_finds_cases_in_every_language(languages):
    plural = titles(LibraryCriteria(q="transports"))
    if connection.vendor == "postgresql":
        # Stemmed per language: the English and the French plural both give "transport".
        assert plural == ["Les mobilités douces en ville", "Neighbourhood transport board"]
    else:
        assert plural == ["Les mobilités douces en ville"]  # substrings, as typed
    assert "Les mobilités douces en ville" in titles(LibraryCriteria(q="transport"))
    assert "Neighbourhood transport board" in titles(LibraryCriteria(q="transport"))


def test_each_case_is_searched_with_its_own_language(languages):
    # French stemming: "mobilité" finds "mobilités"; German: "Radweg" finds "Radwege".
    assert titles(LibraryCriteria(q="mobilité")) == ["Les mobilités douces en ville"]
    assert titles(LibraryCriteria(q="Radweg")) == ["Bürgerhaushalt für Radwege"]
    if connection.vendor != "postgresql":
        return
    from cases.models import LibrarySearchEntry

    configs = dict(LibrarySearchEntry.objects.values_list("language", "search_config"))
    assert configs == {"en": "english", "fr": "french", "de": "german", "it": "simple"}
    # Italian has no stemming configuration: words match as written ("linee", not "linea").
    assert titles(LibraryCriteria(q="linee")) == ["Bilancio partecipativo dei trasporti"]
    assert titles(LibraryCriteria(q="linea")) == []
    # English stemming stays English: "residents" finds "Residents" in the English case only.
    assert titles(LibraryCriteria(q="residents")) == ["Neighbourhood transport board"]


def test_list_page_shows_the_language_facet_and_filters_on_it(client, languages):
    response = client.get("/library/", {"language": "it"})
    html = response.content.decode()
    assert response.status_code == 200
    assert [case.title for case in response.context["results"]] == [
        "Bilancio partecipativo dei trasporti"
    ]
    facet = next(f for f in response.context["facets"] if f["name"] == "language")
    options = {option["value"]: option["count"] for option in facet["options"]}
    assert options == {"en": 1, "fr": 1, "de": 1, "it": 1}  # languages with no case are hidden
    assert 'name="language" value="it" checked' in html
    assert "Language: Italian" in html  # the chip that removes the filter
