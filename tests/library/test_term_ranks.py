"""A ranked search for one word takes its page of results from the term table on PostgreSQL
(cases.domain.queries.library._one_word_page_sql, cases.domain.search): the page must be the
one the general path ranks, in the same order, at every offset, with ties, with words that
only the narrative holds (rank 0: they follow the term rows, newest first), and the table
must follow the cases. On SQLite there is no term table and both are the general path: the
pages still have to hold the right cases in the right order."""

# ruff: noqa: S608  (the statements name the term table; values travel as parameters)

from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.domain.queries import library
from cases.domain.queries.library import LibraryCriteria, counts_and_page, result_page
from cases.domain.search import TERM_TABLE, update_search_vectors
from tests.factories import PublishedCaseFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


# Of the first 40 cases, those with "river" in title or summary (ranked above 0).
RANKED = 37


@pytest.fixture
def river_cases(reindex):
    """40 cases: 12 tied on title, summary and date (so ordered by id), the others with
    "river" in the title none to three times and in the summary or not (3 have it in
    neither: RANKED); 8 with "river" in the narrative only; 3 without the word; one in French
    and one in German ("river" is a word of that title too).
    """
    cases = []
    for index in range(40):
        tied = index < 12
        cases.append(
            PublishedCaseFactory(
                title="Twin river banks" if tied else f"Project {index} " + "river " * (index % 4),
                summary="Residents restore the river."
                if tied or index % 3
                else "Residents plant trees.",
                published_at=NOW - timedelta(days=0 if tied else index),
            )
        )
    for index in range(8):
        cases.append(
            PublishedCaseFactory(
                title=f"Wetland {index}",
                summary="Restoring a marsh.",
                problem="The river flooded the town.",
                published_at=NOW - timedelta(hours=index),
            )
        )
    for index in range(3):
        PublishedCaseFactory(title=f"Unrelated {index}", summary="Nothing here.")
    for title, language in (("La rivière et la ville", "fr"), ("Der Fluss river", "de")):
        cases.append(
            PublishedCaseFactory(
                title=title, language=language, published_at=NOW - timedelta(days=100)
            )
        )
    reindex()
    return cases


def _page(criteria, offset=0, limit=25):
    return [case.pk for case in result_page(criteria, offset=offset, limit=limit)]


def _general_page(criteria, offset=0, limit=25):
    """The page the general ranked path chooses (the term table switched off)."""
    with mock.patch.object(library, "_is_one_word_candidate", return_value=False):
        return _page(criteria, offset, limit)


def _every_hit_ranked(q):
    """All hits of ``q`` in the general order, one page."""
    return _general_page(LibraryCriteria(q=q), 0, 1000)


def _term_rows(case_id):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT lexeme, score FROM {TERM_TABLE} WHERE case_id = %s ORDER BY lexeme",
            [case_id],
        )
        return cursor.fetchall()


def _used_term_table(criteria, offset=0):
    with CaptureQueriesContext(connection) as captured:
        result_page(criteria, offset=offset)
    return any(TERM_TABLE in query["sql"] for query in captured.captured_queries)


@pytest.mark.parametrize("q", ["river", "River", '"river"', "rivers", "banks", "marsh"])
@pytest.mark.parametrize("offset", [0, 5, 20, 25, 40])
def test_a_one_word_page_equals_the_general_page(river_cases, settings, q, offset):
    settings.LIBRARY_PREPARED_STATEMENTS = False
    criteria = LibraryCriteria(q=q)
    assert _page(criteria, offset) == _general_page(criteria, offset)


@pytest.mark.parametrize("limit", [1, 7, 10, 25])
def test_pages_of_any_size_tile_the_general_order(river_cases, limit):
    """Page after page, the one-word path gives the general order, across the end of the
    ranked hits (the narrative-only hits rank 0 and come last)."""
    criteria = LibraryCriteria(q="river")
    everything = _every_hit_ranked("river")
    assert len(everything) == RANKED + 8 + 1
    pages = []
    for offset in range(0, len(everything) + limit, limit):
        pages += _page(criteria, offset, limit)
    assert pages == everything


def test_ties_are_ordered_by_date_then_newest_case_first(river_cases, on_postgres):
    tied = {case.pk for case in river_cases[:12]}
    page = [pk for pk in _page(LibraryCriteria(q="banks")) if pk in tied]
    assert page == sorted(tied, reverse=True)
    if on_postgres:
        scores = {score for pk in tied for lexeme, score in _term_rows(pk) if lexeme == "bank"}
        assert len(scores) == 1


def test_the_page_comes_from_the_term_table_until_the_ranked_hits_run_out(
    river_cases, on_postgres, settings
):
    settings.LIBRARY_PREPARED_STATEMENTS = False  # so that the statements' text shows
    criteria = LibraryCriteria(q="river")
    assert _used_term_table(criteria, offset=0) == on_postgres
    if on_postgres:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT search_config, count(*) FROM {TERM_TABLE} WHERE lexeme IN ('river', 'riv')"
                " GROUP BY 1 ORDER BY 1"
            )
            assert cursor.fetchall() == [("english", RANKED), ("german", 1)]
    # The ranked hits fill the page at 13 (RANKED + 1 = 38 rows): the term table gives it.
    # At 14 the page reaches the narrative-only hits (rank 0): they follow, newest first.
    for offset in (13, 14, RANKED + 1):
        assert _page(criteria, offset) == _general_page(criteria, offset)
    assert _page(criteria, 14)[-1] == river_cases[40].pk  # the newest narrative-only hit


def test_a_word_only_in_narratives_ranks_like_the_general_path(river_cases, on_postgres):
    criteria = LibraryCriteria(q="flooded")
    page = _page(criteria)
    assert page == _general_page(criteria)
    # Ranked 0 (PostgreSQL) or 1 (SQLite) each: newest first.
    assert page == [case.pk for case in river_cases[40:48]]
    if on_postgres:
        lexemes = {lexeme for case in river_cases[40:48] for lexeme, _score in _term_rows(case.pk)}
        assert "flood" not in lexemes and "wetland" in lexemes


def test_term_scores_equal_the_ranks_of_the_general_query(river_cases, on_postgres):
    if not on_postgres:
        assert _page(LibraryCriteria(q="river"))[0] == river_cases[11].pk  # newest of the tied
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.case_id, ts_rank(r.rank_vector, websearch_to_tsquery('english', 'river')),"
            f" t.score FROM cases_librarysearch s JOIN cases_libraryrank r USING (case_id)"
            f" LEFT JOIN {TERM_TABLE} t ON t.case_id = s.case_id AND t.lexeme = 'river'"
            " WHERE s.search_config = 'english'"
            " AND s.search_vector @@ websearch_to_tsquery('english', 'river')"
        )
        hits = cursor.fetchall()
    assert len(hits) == RANKED + 8
    for case_id, rank, score in hits:
        if score is None:  # the word is not in title or summary
            assert rank == 0.0, case_id
        else:
            assert rank == score > 0, case_id  # the same float, bit for bit


def test_each_language_searches_its_own_lexeme(river_cases, on_postgres):
    french = river_cases[-2]
    german = river_cases[-1]
    assert _page(LibraryCriteria(q="rivière")) == _general_page(LibraryCriteria(q="rivière"))
    assert french.pk in _page(LibraryCriteria(q="rivière"))
    # "la" is a French stop word: French cases do not match it, the others do (as a word).
    assert _page(LibraryCriteria(q="la")) == _general_page(LibraryCriteria(q="la"))
    assert german.pk in _page(LibraryCriteria(q="river"), limit=100)
    if on_postgres:
        assert "rivi" in [lexeme for lexeme, _score in _term_rows(french.pk)]


@pytest.mark.parametrize(
    "q",
    ["river banks", "river -banks", "-river", '"twin river"', "river or marsh", "co-design"],
)
def test_other_queries_take_the_general_path(river_cases, settings, q):
    settings.LIBRARY_PREPARED_STATEMENTS = False
    criteria = LibraryCriteria(q=q)
    assert not library._is_one_word_candidate(criteria)
    assert not _used_term_table(criteria)
    assert _page(criteria) == _general_page(criteria)


def test_a_word_that_parses_to_a_phrase_is_ranked_the_general_way(reindex, settings):
    """The first sieve passes "flood_gate" as one word, but the database parses it as a phrase
    ('flood' <-> 'gate'): the term table must not answer it."""
    settings.LIBRARY_PREPARED_STATEMENTS = False
    for index in range(30):
        PublishedCaseFactory(title=f"Flood gate {index}", summary="A flood gate for the gate.")
    reindex()
    criteria = LibraryCriteria(q="flood_gate")
    assert library._is_one_word_candidate(criteria)
    assert _page(criteria) == _general_page(criteria)
    assert _page(criteria, 25) == _general_page(criteria, 25)


def test_other_criteria_take_the_general_path(river_cases):
    for criteria in (
        LibraryCriteria(q="river", country=("AT",)),
        LibraryCriteria(q="river", year_from=2000),
        LibraryCriteria(q="river", sort="newest"),
        LibraryCriteria(),
    ):
        assert not library._is_one_word_candidate(criteria)


@pytest.mark.parametrize("offset", [0, 13, 14, 25])
def test_the_counting_statement_chooses_the_same_page(river_cases, on_postgres, offset):
    counts, chosen = counts_and_page(LibraryCriteria(q="river"), offset=offset)
    assert counts.total == len(_every_hit_ranked("river"))
    if on_postgres:
        assert chosen == _general_page(LibraryCriteria(q="river"), offset)
    else:
        assert chosen is None


def test_the_list_view_shows_the_general_pages_in_the_same_number_of_queries(
    client, river_cases, django_assert_num_queries, on_postgres
):
    everything = _every_hit_ranked("river")
    with django_assert_num_queries(3):  # vocabulary, facet counts, the page
        first = client.get("/library/", {"q": "river"}).context["results"]
    second = client.get("/library/", {"q": "river", "page": "2"}).context["results"]
    third = client.get("/library/", {"q": "river", "page": "9"}).context["results"]  # the last
    assert [case.pk for case in [*first, *second]] == everything[:50]
    assert [case.pk for case in third] == everything[25:]
    # PostgreSQL ranks the title's three "river" and the summary's highest; SQLite counts a
    # title once, and the newest tied case comes first.
    assert first[0].pk == river_cases[19 if on_postgres else 11].pk


# --- the table follows the cases ------------------------------------------------------------


def test_an_edited_title_moves_the_case(river_cases, on_postgres):
    case = river_cases[-3]  # a narrative-only "river" case: ranked 0
    assert _page(LibraryCriteria(q="river"))[0] != case.pk
    case.title = "River river river river river oxbow"
    case.save()
    update_search_vectors([case.pk])
    ranked = _page(LibraryCriteria(q="river"))
    assert ranked == _general_page(LibraryCriteria(q="river"))
    # First on PostgreSQL (five times in the title); among the title hits on SQLite.
    if on_postgres:
        assert ranked.index(case.pk) == 0
    else:
        assert ranked.index(case.pk) < RANKED
    assert _page(LibraryCriteria(q="oxbow")) == [case.pk]
    assert case.pk not in _page(LibraryCriteria(q="wetland"))
    if on_postgres:
        lexemes = [lexeme for lexeme, _score in _term_rows(case.pk)]
        assert "river" in lexemes and "wetland" not in lexemes


def test_a_refresh_that_changes_nothing_writes_no_row(river_cases, on_postgres):
    """Most refreshes (a partner, a tag) leave title and summary alone."""
    ids = [river_cases[5].pk, river_cases[6].pk]

    def stored():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT ctid, * FROM {TERM_TABLE} WHERE case_id = ANY(%s)", [ids])
            return sorted(cursor.fetchall())

    before = stored() if on_postgres else None
    update_search_vectors(ids)
    assert _page(LibraryCriteria(q="river")) == _general_page(LibraryCriteria(q="river"))
    if on_postgres:
        assert before and stored() == before  # same rows at the same places


def test_a_republished_case_moves_among_its_ties(river_cases):
    case = min(river_cases[:12], key=lambda case: case.pk)  # the last of its ties
    case.published_at = NOW + timedelta(days=1)
    case.save()
    update_search_vectors([case.pk])
    page = _page(LibraryCriteria(q="banks"))
    assert page[0] == case.pk
    assert page == _general_page(LibraryCriteria(q="banks"))


def test_an_unpublished_case_leaves_the_table(river_cases, on_postgres):
    case = river_cases[3]
    case.is_published = False
    case.save()
    update_search_vectors([case.pk])
    assert case.pk not in _page(LibraryCriteria(q="river"))
    assert _page(LibraryCriteria(q="river")) == _general_page(LibraryCriteria(q="river"))
    if on_postgres:
        assert _term_rows(case.pk) == []


def test_a_deleted_case_leaves_the_table(river_cases, on_postgres):
    case = river_cases[3]
    case_id = case.pk
    case.delete()
    assert case_id not in _page(LibraryCriteria(q="river"))
    if on_postgres:
        assert _term_rows(case_id) == []


def test_the_full_refresh_rebuilds_the_table(river_cases, on_postgres):
    expected = _page(LibraryCriteria(q="river"))
    if on_postgres:
        before = {case.pk: _term_rows(case.pk) for case in river_cases}
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TERM_TABLE} WHERE case_id = %s", [river_cases[0].pk])
            cursor.execute(
                f"UPDATE {TERM_TABLE} SET score = score / 2 WHERE case_id = %s",
                [river_cases[1].pk],
            )
            cursor.execute(
                f"INSERT INTO {TERM_TABLE} (case_id, search_config, lexeme, score, published_at)"
                " VALUES (%s, 'english', 'stale', 1, now())",
                [river_cases[2].pk],
            )
    update_search_vectors(None)
    assert _page(LibraryCriteria(q="river")) == expected
    assert _page(LibraryCriteria(q="stale")) == []
    if on_postgres:
        assert {case.pk: _term_rows(case.pk) for case in river_cases} == before
