"""Library searches an attacker or a script could send: never an error page."""

import string

import pytest
from django.urls import reverse

from cases.domain.queries.library import MAX_SEARCH_TERMS, limit_search_terms
from tests.factories import PublishedCaseFactory

pytestmark = pytest.mark.django_db

NINETY_LETTERS = " ".join((string.ascii_lowercase * 4)[:90])


def test_ninety_one_letter_words_search_the_first_ones_with_a_notice(client):
    PublishedCaseFactory(title="Shared services")

    response = client.get(reverse("library:list"), {"q": NINETY_LETTERS})

    assert response.status_code == 200
    assert (
        f"Your search had more than {MAX_SEARCH_TERMS} words; only the first "
        f"{MAX_SEARCH_TERMS} were used." in response.content.decode()
    )


@pytest.mark.parametrize("path", ["library:export_csv", "library:export_json"])
def test_exports_take_the_same_long_search(client, path):
    PublishedCaseFactory()
    assert client.get(reverse(path), {"q": NINETY_LETTERS}).status_code == 200


def test_the_limit_keeps_phrases_and_alternatives_whole():
    assert limit_search_terms("a b c", 2) == ("a b", True)
    assert limit_search_terms('"care circles" or nurses -hospital x', 3) == (
        '"care circles" or nurses -hospital',
        True,
    )
    assert limit_search_terms("co-design or co-delivery", 2) == ("co-design or co-delivery", False)
    assert limit_search_terms("", 2) == ("", False)


def test_sixteen_words_still_find_a_case(client):
    case = PublishedCaseFactory(
        title=" ".join(f"word{n}" for n in range(MAX_SEARCH_TERMS)), summary="Summary."
    )
    query = " ".join(f"word{n}" for n in range(MAX_SEARCH_TERMS))
    response = client.get(reverse("library:list"), {"q": query})
    assert response.status_code == 200
    assert case.title in response.content.decode()
