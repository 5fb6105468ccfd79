import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import CollaborationType
from tests.factories import PublishedCaseFactory

pytestmark = pytest.mark.django_db
LIST = reverse("library:list")


def make_cases(count, **kwargs):
    kind = CollaborationType.objects.get(slug="public-citizen")
    cases = []
    for _index in range(count):
        case = PublishedCaseFactory(**kwargs)
        case.collaboration_types.add(kind)
        cases.append(case)
    return cases


def test_list_shows_what_each_result_needs(client, reindex):
    case = PublishedCaseFactory(
        title="Citizen budget of Graz",
        summary="Residents decide on a share of the district budget.",
        country="AT",
        outcome="winner",
        place=1,
    )
    case.collaboration_types.add(CollaborationType.objects.get(slug="public-citizen"))
    reindex()
    response = client.get(LIST, {"q": "budget"})
    html = response.content.decode()
    assert response.status_code == 200
    assert case.get_absolute_url() in html
    assert case.lead_organisation.name in html
    assert "Austria" in html
    assert case.edition.name in html
    assert "Winner, place 1" in html
    assert "Public–citizen co-production" in html
    assert "<mark>budget</mark>" in html
    assert "1 case" in html


def test_facet_panel_counts_and_chips(client):
    make_cases(2, country="AT")
    make_cases(1, country="ES")
    response = client.get(LIST, {"country": "AT"})
    html = response.content.decode()
    assert response.context["total"] == 2
    country = next(f for f in response.context["facets"] if f["name"] == "country")
    counts = {option["value"]: option["count"] for option in country["options"]}
    assert counts == {"AT": 2, "ES": 1}
    assert [chip["label"] for chip in response.context["chips"]] == ["Austria"]
    assert 'href="?"' in html  # removing the only chip leads to the unfiltered list


def test_repeated_facet_parameters_combine(client):
    make_cases(1, country="AT")
    make_cases(1, country="ES")
    make_cases(1, country="FR")
    response = client.get(LIST + "?country=AT&country=ES")
    assert response.context["total"] == 2


def test_pagination_25_per_page(client):
    make_cases(26)
    first = client.get(LIST)
    assert len(first.context["results"]) == 25
    assert first.context["page_count"] == 2
    second = client.get(LIST, {"page": "2"})
    assert len(second.context["results"]) == 1
    assert "Page 2 of 2" in second.content.decode()


def test_empty_state_suggests_what_to_remove(client):
    make_cases(1, country="AT")
    response = client.get(LIST, {"country": "ES"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "No published case matches" in html
    assert "Remove “Country: Spain”" in html


@pytest.mark.parametrize("count", [1, 3])
def test_list_query_count_does_not_grow_with_results(client, django_assert_num_queries, count):
    make_cases(count)
    # The vocabulary (1), the figures counted live because this test's transaction changed the
    # library (15; a request after the change has committed reads their table in 1), the page (1).
    with django_assert_num_queries(17):
        response = client.get(LIST)
    assert len(response.context["results"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_search_query_count_does_not_grow_with_results(
    client, django_assert_num_queries, count, reindex
):
    make_cases(count, country="AT")
    reindex()
    with django_assert_num_queries(3):  # vocabulary, facet counts, the page
        response = client.get(
            LIST, {"q": "service", "country": "AT", "collaboration": "public-citizen"}
        )
    assert len(response.context["results"]) == count


def _select_clauses(queries):
    return [re.split(r"\bFROM\b", q["sql"], maxsplit=1)[0] for q in queries]


def test_list_never_reads_narrative_or_search_vectors(client, reindex, settings):
    # Plain statements, so that their text shows (a prepared one is sent as its name).
    settings.LIBRARY_PREPARED_STATEMENTS = False
    make_cases(2, problem="narrative text", country="AT")
    reindex()
    with CaptureQueriesContext(connection) as captured:
        client.get(LIST, {"q": "service", "sort": "relevance"})
        client.get(LIST)
    selects = _select_clauses(captured.captured_queries)
    assert any(_reads_case_column(select, "summary") for select in selects)
    for select in selects:
        for column in ("problem", "solution", "collaboration", "results", "search_vector"):
            assert not _reads_case_column(select, column), select


def _reads_case_column(select: str, column: str) -> bool:
    # The ORM names the table; the result rows' own statement calls it ``c``.
    return re.search(rf'(?:"cases_case"|\bc)\."?{column}"?(?!\w)', select) is not None


# --- bad input: a normal page with a clear message, never a 500 ----------------------------


def test_unknown_facet_values_are_ignored_with_a_message(client):
    make_cases(1, country="AT")
    response = client.get(LIST + "?country=AT&country=ZZ&collaboration=nonsense&outcome=gold")
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["total"] == 1
    assert "“Country” has no value “ZZ”" in html
    assert "“Collaboration type” has no value “nonsense”" in html
    assert "“Outcome” has no value “gold”" in html


@pytest.mark.parametrize("number", ["abc", "-3", "0", "1e9"])
def test_non_numeric_or_negative_page_shows_the_first_page(client, number):
    make_cases(2)
    response = client.get(LIST, {"page": number})
    assert response.status_code == 200
    assert response.context["page"] == 1
    assert response.context["notices"]


def test_too_large_page_shows_the_last_page(client):
    make_cases(2)
    response = client.get(LIST, {"page": "999999999999999999999"})
    assert response.status_code == 200
    assert response.context["page"] == 1
    assert "There is only 1 page of results; showing it." in response.content.decode()


def test_too_large_page_of_many_pages_names_the_count(client):
    make_cases(26)
    response = client.get(LIST, {"page": "7"})
    assert response.context["page"] == 2
    assert "There are only 2 pages of results; showing the last one." in response.context["notices"]


def test_too_large_page_without_results_shows_only_the_empty_state(client):
    make_cases(1)
    response = client.get(LIST, {"q": "zzzqq", "page": "5"})
    assert response.status_code == 200
    assert response.context["total"] == 0
    assert response.context["notices"] == []
    html = response.content.decode()
    assert "pages of results" not in html and "page of results" not in html
    assert "No published case matches all of these conditions." in html


def test_generated_links_carry_no_empty_parameters(client):
    make_cases(26)
    response = client.get(LIST + "?q=&year_from=&year_to=&country=BE&collaboration=&sort=newest")
    context = response.context
    links = [context["next_url"], *(chip["remove_url"] for chip in context["chips"])]
    links.append("?" + context["export_query"])
    assert context["next_url"] == "?country=BE&sort=newest&page=2"
    for link in links:
        assert "=&" not in link + "&" and not link.endswith("="), link


def test_over_long_query_is_shortened_with_a_message(client):
    make_cases(1)
    response = client.get(LIST, {"q": "service " * 200})
    assert response.status_code == 200
    assert len(response.context["criteria"].q) <= 200
    assert "longer than 200 characters" in response.content.decode()


@pytest.mark.parametrize(
    "q", ["& | ! : * ( ) '", "service & | !", "(service", "serv:*", "'service'", "!!!", "a:b|c&d"]
)
def test_operator_characters_never_break_the_search(client, q, reindex):
    make_cases(1)
    reindex()
    response = client.get(LIST, {"q": q})
    assert response.status_code == 200


def test_query_without_words_shows_all_cases_with_a_message(client):
    make_cases(2)
    response = client.get(LIST, {"q": "& | ! : * ( ) '"})
    assert response.context["total"] == 2
    assert "contains no letters or digits" in response.content.decode()


@pytest.mark.parametrize(
    "q",
    [
        "'; DROP TABLE cases_case; --",
        "1' OR '1'='1",
        'service" UNION SELECT password FROM cases_user --',
        "%_%",
    ],
)
def test_sql_looking_text_is_only_text(client, q, reindex):
    make_cases(1)
    reindex()
    response = client.get(LIST, {"q": q})
    assert response.status_code == 200
    assert response.context["criteria"].q == q
    # The table is still there and nothing leaked: the text was a search, not SQL.
    assert client.get(LIST).context["total"] == 1


@pytest.mark.parametrize(
    "params",
    [
        {"year_from": "soon"},
        {"year_to": "99999999999999"},
        {"sort": "price"},
        {"year_from": "2030", "year_to": "2010"},
    ],
)
def test_bad_years_and_sort_are_reported(client, params):
    make_cases(1)
    response = client.get(LIST, params)
    assert response.status_code == 200
    assert response.context["notices"]


def test_list_shows_only_published_cases(client, hidden_cases, reindex):
    make_cases(1, title="Visible case")
    reindex()
    html = client.get(LIST).content.decode()
    assert "Visible case" in html
    assert "hiddenword" not in html
    assert client.get(LIST, {"q": "hiddenword"}).context["total"] == 0


def test_long_query_chip_is_shortened(client):
    make_cases(1)
    query = "participatory " * 12
    html = client.get(LIST, {"q": query}).content.decode()
    chip = html[html.index('class="chip"') :].split("</a>")[0]
    assert "Search: " + query[:59] + "…" in chip
    assert query.strip() not in chip


def test_a_new_edition_is_a_filter_value_at_once(client, reindex):
    """The filter form is built once per vocabulary: an edition added after it was built must
    still be accepted (and not reported as an invalid value)."""
    PublishedCaseFactory(title="Older case")
    assert client.get(LIST, {"edition": "no-such-edition"}).status_code == 200
    newer = PublishedCaseFactory(title="Case of the new edition")
    reindex()
    response = client.get(LIST, {"edition": newer.edition.slug})
    html = response.content.decode()
    assert "is not valid" not in html and "has no value" not in html
    assert [case.title for case in response.context["results"]] == ["Case of the new edition"]
    assert response.context["criteria"].edition == (newer.edition.slug,)
