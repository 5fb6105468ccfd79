"""The case page and the comparison run as statements prepared once per connection on
PostgreSQL (cases.domain.queries.prepared), and as plain statements elsewhere."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.domain.derived import refresh_derived_data
from tests.factories import PublishedCaseFactory


def published(**kwargs):
    """A published case with its derived data ready, as after the commit that published it."""
    case = PublishedCaseFactory(**kwargs)
    refresh_derived_data([case.pk])
    return case


def _statements(client, url, params=None) -> tuple[list[str], str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    # The page as a reader sees it (each response carries its own CSRF token).
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
    return [query["sql"] for query in captured.captured_queries], html


def _name(sql: str) -> str:
    return re.search(r"epsa_\w+", sql).group()


@pytest.mark.django_db
def test_case_page_is_planned_once_and_then_only_executed(client, on_postgres):
    case = published(title="Night buses for shift workers")
    first, first_html = _statements(client, case.get_absolute_url())
    second, second_html = _statements(client, case.get_absolute_url())
    assert len(first) == len(second) == 1
    if on_postgres:
        # Prepared by this request, or by an earlier test on the same connection.
        assert first[0].startswith(("PREPARE epsa_", "EXECUTE epsa_"))
        assert second[0].startswith("EXECUTE epsa_")
    else:
        assert first[0].startswith("SELECT") and second[0] == first[0]
    assert "Night buses for shift workers" in second_html
    assert first_html == second_html


@pytest.mark.django_db
def test_another_case_reuses_the_prepared_page_statement(client, on_postgres):
    one = PublishedCaseFactory(title="Library of things")
    other = PublishedCaseFactory(title="Repair café network")
    client.get(one.get_absolute_url())
    statements, html = _statements(client, other.get_absolute_url())
    assert "<title>Repair café network" in html
    assert statements[0].startswith("EXECUTE" if on_postgres else "SELECT")


@pytest.mark.django_db
def test_unpublished_case_is_not_found_through_the_prepared_statement(client):
    published = PublishedCaseFactory()
    hidden = PublishedCaseFactory(is_published=False)
    client.get(published.get_absolute_url())
    assert client.get(hidden.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_comparison_is_prepared_per_number_of_cases(client, on_postgres):
    cases = [published() for _ in range(3)]
    url = reverse("library:compare")
    two = {"cases": ",".join(case.slug for case in cases[:2])}
    three = {"cases": ",".join(case.slug for case in cases)}
    first, _html = _statements(client, url, two)
    again, html = _statements(client, url, two)
    other, _html = _statements(client, url, three)
    if on_postgres:
        assert first[0].startswith(("PREPARE", "EXECUTE")) and again[0].startswith("EXECUTE")
        # Another number of cases, another statement.
        assert _name(again[0]) != _name(other[0])
    assert all(case.title in html for case in cases[:2])
    assert cases[2].title not in html


@pytest.mark.django_db
def test_switched_off_the_case_page_runs_as_a_plain_statement(client, settings):
    settings.LIBRARY_PREPARED_STATEMENTS = False
    case = PublishedCaseFactory(title="Plain statement case")
    statements, html = _statements(client, case.get_absolute_url())
    assert statements[0].startswith("SELECT")
    assert "Plain statement case" in html


@pytest.mark.django_db(transaction=True)
def test_a_new_connection_prepares_the_statement_again(client, on_postgres):
    case = PublishedCaseFactory(title="Reconnected case")
    client.get(case.get_absolute_url())
    connection.close()  # a new database session has nothing prepared
    statements, html = _statements(client, case.get_absolute_url())
    assert "Reconnected case" in html
    assert statements[0].startswith("PREPARE" if on_postgres else "SELECT")


@pytest.mark.django_db
def test_list_page_is_prepared_and_shows_the_same_results(client, on_postgres, reindex):
    for index in range(3):
        published(title=f"Harbour cleanup {index}", country="PT")
    reindex()
    url = reverse("library:list")
    first, _html = _statements(client, url, {"country": "PT"})
    second, html = _statements(client, url, {"country": "PT"})
    page = [sql for sql in second if "cases_case" in sql or sql.startswith("EXECUTE")]
    if on_postgres:
        assert any(sql.startswith("EXECUTE epsa_") for sql in second)
    else:
        assert page and all(sql.startswith("SELECT") for sql in page)
    assert all(f"Harbour cleanup {index}" in html for index in range(3))
    assert _html == html


@pytest.mark.django_db
def test_many_filter_combinations_start_the_session_again(client, on_postgres, monkeypatch):
    from cases.domain.queries import prepared

    monkeypatch.setattr(prepared, "MAX_PREPARED", 2)
    if on_postgres:  # a session with nothing prepared yet
        with connection.cursor() as cursor:
            cursor.execute("DEALLOCATE ALL")
        prepared._PREPARED.pop(connection.connection, None)
    for country in ("PT", "ES", "IT"):
        published(title=f"Ferry timetable of {country}", country=country)
    url = reverse("library:list")
    # Each order is a statement of its own.
    for sort in ("newest", "oldest", "real-first", "newest"):
        response = client.get(url, {"country": "ES", "sort": sort})
        titles = [case.title for case in response.context["results"]]
        assert titles == ["Ferry timetable of ES"]
    if on_postgres:
        assert 1 <= len(prepared._PREPARED[connection.connection]) <= 2


def _generic_and_custom_plans(name: str) -> tuple[int, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = %s",
            [name],
        )
        return cursor.fetchone()


@pytest.mark.django_db
def test_one_word_searches_share_one_statement_planned_once(client, on_postgres, reindex):
    published(title="Ferry timetable for island schools")
    published(title="Lighthouse volunteers", summary="A lighthouse restored by its village.")
    reindex()
    url = reverse("library:list")
    ferry, ferry_html = _statements(client, url, {"q": "ferry"})
    lighthouse, lighthouse_html = _statements(client, url, {"q": "lighthouse"})
    assert "Ferry timetable for island schools" in ferry_html
    assert "Lighthouse volunteers" not in ferry_html
    assert "Lighthouse volunteers" in lighthouse_html
    assert "Ferry timetable" not in lighthouse_html
    if on_postgres:
        counting = [sql for sql in lighthouse if "plan_cache_mode = force_generic_plan" in sql]
        assert len(counting) == 1 and "EXECUTE epsa_" in counting[0]
        name = _name(counting[0])
        # Another word, the same statement, and no plan made for either word.
        assert any(_name(sql) == name for sql in ferry if "epsa_" in sql)
        generic, custom = _generic_and_custom_plans(name)
        assert generic >= 2 and custom == 0


@pytest.mark.django_db
def test_a_search_with_facets_is_planned_for_its_values(client, on_postgres, reindex):
    published(title="Ferry timetable of Portugal", country="PT")
    reindex()
    statements, html = _statements(client, reverse("library:list"), {"q": "ferry", "country": "PT"})
    assert "Ferry timetable of Portugal" in html
    # Facets differ too much in how many cases they keep for one plan to serve every value.
    assert not any("force_generic_plan" in sql for sql in statements)
