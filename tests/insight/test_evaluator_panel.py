import pytest
from django.urls import reverse

from cases.domain.derived import refresh_derived_data
from cases.models import CollaborationType, EcosystemFactor
from tests.factories import (
    AssignmentFactory,
    FactorAssessmentFactory,
    submitted_review,
)

HIGH = [4, 4, 3, 4, 3, 4, 4, 3]
LOW = [1, 1, 0, 1, 0, 0, 1, 0]


@pytest.fixture
def entry_assignment(db):
    assignment = AssignmentFactory(case__title="Open data for citizens: the entry")
    case = assignment.case
    case.collaboration_types.add(CollaborationType.objects.get(slug="public-private"))
    factor = EcosystemFactor.objects.get(slug="partner-selection")
    FactorAssessmentFactory(case=case, factor=factor, self_rating=3)
    return assignment


@pytest.fixture
def library(make_case):
    private = [
        make_case([2] * 8, ["public-private"], title=f"Open data for citizens {n}")
        for n in range(6)
    ]
    research = [make_case(HIGH, ["public-research"], title=f"Lab {n}") for n in range(6)]
    refresh_derived_data([case.pk for case in private + research])
    return private, research


def _panel(client, assignment):
    client.force_login(assignment.evaluator)
    return client.get(reverse("evaluation:review", args=[assignment.pk]))


def test_panel_compares_self_rating_with_cases_of_the_same_type(client, entry_assignment, library):
    response = _panel(client, entry_assignment)
    assert response.status_code == 200
    comparison = response.context["comparison"]
    assert comparison.type_labels == ["Public–private"]
    row = next(row for row in comparison.rows if row.factor.slug == "partner-selection")
    assert row.self_rating == 3
    assert row.cases == 6
    assert row.median == 2
    html = response.content.decode()
    assert '<details class="library-panel"' in html  # folded by default
    assert '<details class="library-panel" id="library-comparison" open' not in html


def test_panel_lists_the_three_nearest_published_cases(client, entry_assignment, library):
    private, _research = library
    comparison = _panel(client, entry_assignment).context["comparison"]
    assert len(comparison.similar) == 3
    assert {item.case.pk for item in comparison.similar} <= {case.pk for case in private}
    assert entry_assignment.case.pk not in {item.case.pk for item in comparison.similar}


def test_panel_suppresses_medians_of_small_groups(client, entry_assignment, make_case):
    for _ in range(2):
        make_case([4] * 8, ["public-private"])
    comparison = _panel(client, entry_assignment).context["comparison"]
    assert all(row.median is None for row in comparison.rows)
    assert "fewer than 5 cases" in _panel(client, entry_assignment).content.decode()


def test_panel_shows_nothing_of_other_evaluators_scores(client, entry_assignment, library):
    other = AssignmentFactory(case=entry_assignment.case)
    submitted_review(other, factor_scores=4, comment="SECRET-OTHER-COMMENT")
    response = _panel(client, entry_assignment)
    html = response.content.decode()
    start = html.index('id="library-comparison"')
    panel = html[start : html.index("</details>", start)]
    assert "SECRET-OTHER-COMMENT" not in html
    comparison = response.context["comparison"]
    assert all(row.median != 4 for row in comparison.rows)
    assert "4" not in [cell for cell in panel.split("<td>") if cell.startswith("4<")]
