import pytest

from cases.domain.queries.analytics import MIN_CASES, factor_analytics, median_rating
from cases.domain.queries.library import LibraryCriteria

HIGH = [4, 4, 3, 4, 3, 4, 4, 3]
LOW = [1, 1, 0, 1, 0, 0, 1, 0]


@pytest.fixture
def library(make_case):
    winners = [
        make_case(HIGH, ["public-private"], outcome="winner", place=1) for _ in range(MIN_CASES)
    ]
    rest = [make_case(LOW, ["public-research"]) for _ in range(MIN_CASES)]
    small = [make_case([2.5, 2], ["public-citizen"]) for _ in range(2)]
    return winners, rest, small


def test_distribution_counts_each_rating_and_suppresses_small_groups(library):
    figures = factor_analytics(LibraryCriteria())
    assert figures.total == 2 * MIN_CASES + 2
    first = figures.distribution[0]  # policy environment: 5 x 4, 5 x 1, 2 x 2.5 -> 3
    assert [cell.cases for cell in first] == [0, MIN_CASES, 0, 2, MIN_CASES]
    assert first[3].suppressed and first[3].value is None
    assert first[4].value == MIN_CASES


def test_mean_profile_by_type_and_outcome(library):
    figures = factor_analytics(LibraryCriteria())
    by_type = {group.key: group for group in figures.by_collaboration}
    assert by_type["public-private"].cases == MIN_CASES
    assert by_type["public-private"].means[0].value == 4.0
    assert by_type["public-citizen"].cases == 2
    assert by_type["public-citizen"].means[0].value is None
    assert by_type["public-citizen"].means[0].suppressed
    distinguished, rest = figures.by_outcome
    assert distinguished.cases == MIN_CASES and distinguished.means[1].value == 4.0
    assert rest.cases == MIN_CASES + 2


def test_cooccurrence_counts_cases_strong_on_both(library):
    figures = factor_analytics(LibraryCriteria())
    assert figures.cooccurrence[0][1].cases == MIN_CASES
    assert figures.cooccurrence[0][0].cases == MIN_CASES  # 2.5 is not strong (below 3)
    data = figures.as_dict()
    assert data["strong_cooccurrence"]["policy-environment"]["partnership-platform"]["cases"] == 5


def test_analytics_follow_the_filters(library):
    figures = factor_analytics(LibraryCriteria(collaboration=("public-research",)))
    assert figures.total == MIN_CASES
    assert figures.by_outcome[0].cases == 0


def test_median_of_counts():
    assert median_rating([0, 1, 0, 2, 0]) == 3
    assert median_rating([1, 0, 0, 1, 0]) == 1.5
    assert median_rating([0, 0, 0, 0, 0]) is None


def test_the_whole_library_reads_its_analytics_from_the_figures_table(
    make_case, django_capture_on_commit_callbacks
):
    """Once a change has committed, the queue rebuilds the figures table and the unfiltered
    analytics are read from it (one query), equal to counting live; a filtered set counts."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cases.domain.queries.analytics import _assemble
    from cases.domain.queries.analytics_counts import count_factor_analytics
    from cases.domain.queries.published import published_cases

    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(MIN_CASES):
            make_case(HIGH, ["public-private"], outcome="winner", place=1)
        make_case([2.5, 2], ["public-citizen"])
    live = _assemble(count_factor_analytics(published_cases()))
    with CaptureQueriesContext(connection) as queries:
        stored = factor_analytics(LibraryCriteria())
    assert stored == live
    by_type = {group.key: group for group in stored.by_collaboration}
    assert by_type["public-private"].means[0].value == 4.0
    assert stored.by_outcome[0].cases == MIN_CASES
    assert not any("factorprofilevalue" in query["sql"] for query in queries.captured_queries)
    with CaptureQueriesContext(connection) as queries:
        factor_analytics(LibraryCriteria(collaboration=("public-private",)))
    assert any("factorprofilevalue" in query["sql"] for query in queries.captured_queries)


@pytest.mark.parametrize("language", ["en", "fr", "de", "es"])
def test_the_tables_format_numbers_as_the_template_filters_do(language):
    """The analytics cells are rendered in Python; their numbers read as intcomma and
    floatformat:1 would write them in each language (rounding half up included)."""
    from django.contrib.humanize.templatetags.humanize import intcomma
    from django.template.defaultfilters import floatformat
    from django.utils import translation

    from cases.interfaces.analytics_html import group_digits, one_decimal

    with translation.override(language):
        for number in (0, 7, 999, 1000, 12345, 1234567):
            assert group_digits(number) == intcomma(number)
        for value in (0.0, 0.05, 1.25, 2.0, 3.14, 3.95, 4.0):
            assert one_decimal(value) == floatformat(value, 1)
