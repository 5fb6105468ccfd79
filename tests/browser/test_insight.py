"""Browser checks of the library's insight features: similar cases on a case page, the factor
analytics and their cases, the methods page, the evaluator's folded library panel and saved
collections; axe-core finds no WCAG 2.1 AA violation on any of these pages."""

import re

import pytest
from playwright.sync_api import expect

from cases.domain.derived import refresh_derived_data
from cases.models import CollaborationType, EcosystemFactor, FactorProfileValue
from tests.factories import (
    AssignmentFactory,
    FactorAssessmentFactory,
    PublishedCaseFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def insight_library():
    factors = list(EcosystemFactor.objects.order_by("order"))
    kind = CollaborationType.objects.get(slug="public-private")
    cases = []
    for number in range(6):
        case = PublishedCaseFactory(
            title=f"Open data for citizens {number}",
            summary="Citizens and companies open transport data together.",
        )
        case.collaboration_types.add(kind)
        for factor in factors:
            FactorProfileValue.objects.create(case=case, factor=factor, value=3, source="consensus")
        cases.append(case)
    refresh_derived_data([case.pk for case in cases])
    return cases


def test_case_page_lists_similar_cases_with_reasons(
    page, live_server, axe_violations, insight_library
):
    page.goto(f"{live_server.url}{insight_library[0].get_absolute_url()}")
    section = page.locator("section.similar-cases")
    expect(section.get_by_role("heading", name="Similar cases")).to_be_visible()
    expect(section.locator("li")).to_have_count(5)
    expect(section.locator(".similar-reason").first).to_contain_text(
        "Same collaboration type (Public–private)"
    )
    section.get_by_role("link", name="How similarity is measured").click()
    expect(page.get_by_role("heading", name="Similar cases", level=2)).to_be_visible()
    assert axe_violations(page) == []


def test_factor_analytics_link_each_figure_to_its_cases(
    page, live_server, axe_violations, insight_library
):
    page.goto(f"{live_server.url}/library/?collaboration=public-private")
    page.get_by_role("link", name="Factor analytics of these results").click()
    expect(page.get_by_role("heading", name="Factor analytics")).to_be_visible()
    assert axe_violations(page) == []
    table = page.get_by_role("table", name=re.compile("^Cases per factor and rating"))
    row = table.get_by_role("row").nth(1)
    expect(row.get_by_role("cell").nth(3)).to_have_text("6")  # all six rate 3
    row.get_by_role("link", name="6").click()
    expect(page.get_by_role("heading", name="The cases behind a figure")).to_be_visible()
    expect(page.locator("ol.results > li")).to_have_count(6)
    assert axe_violations(page) == []


def test_methods_page_is_reached_from_the_footer(page, live_server, axe_violations):
    page.goto(f"{live_server.url}/library/")
    page.get_by_role("contentinfo").get_by_role("link", name="About the methods").click()
    expect(page.get_by_role("heading", name="About the methods", level=1)).to_be_visible()
    assert axe_violations(page) == []


def test_evaluator_panel_is_folded_and_compares_with_the_library(
    page, live_server, log_in, axe_violations, insight_library
):
    assignment = AssignmentFactory(case__title="Open data for citizens: an entry")
    assignment.case.collaboration_types.add(CollaborationType.objects.get(slug="public-private"))
    FactorAssessmentFactory(case=assignment.case, self_rating=1)
    log_in(assignment.evaluator)
    page.goto(f"{live_server.url}/evaluate/{assignment.pk}/")
    panel = page.locator("details.library-panel")
    expect(panel).not_to_have_attribute("open", "")
    table = panel.get_by_role("table")
    expect(table).to_be_hidden()
    panel.locator("summary").click()
    expect(table).to_be_visible()
    expect(table.get_by_role("row").nth(1)).to_contain_text("1")
    expect(panel.locator("ol > li")).to_have_count(3)
    assert axe_violations(page) == []


def test_researcher_saves_shares_and_deletes_a_collection(
    page, live_server, log_in, axe_violations, insight_library, browser
):
    user = UserFactory()
    log_in(user)
    first, second = insight_library[:2]
    page.goto(f"{live_server.url}/library/compare/?cases={first.slug},{second.slug}")
    expect(page.get_by_role("heading", name="How to cite these cases")).to_be_visible()
    page.get_by_label("Name of the collection").fill("Transport data")
    page.get_by_label("Note").fill("For the workshop")
    page.get_by_role("button", name="Save this comparison as a collection").click()
    expect(page.get_by_role("heading", name="Transport data", level=1)).to_be_visible()
    expect(page.locator("#messages")).to_contain_text("is saved")
    assert axe_violations(page) == []
    share_url = page.get_by_label("Read-only link").input_value()

    visitor = browser.new_context().new_page()
    visitor.goto(share_url)
    expect(visitor.get_by_role("heading", name="Transport data")).to_be_visible()
    expect(visitor.get_by_role("button", name=re.compile("Remove"))).to_have_count(0)
    expect(visitor.locator("ol.results > li")).to_have_count(2)
    assert axe_violations(visitor) == []
    visitor.context.close()

    page.get_by_role("link", name="Delete this collection").click()
    expect(page.get_by_role("heading", name=re.compile("Delete “Transport data”"))).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Yes, delete the collection").click()
    expect(page.get_by_role("heading", name="Your collections", level=1)).to_be_visible()
    expect(page.locator(".empty-state")).to_be_visible()
    assert axe_violations(page) == []


def test_keyboard_keeps_its_place_after_comparison_actions(page, live_server, axe_violations):
    cases = [PublishedCaseFactory(title=f"Keyboard case {n}") for n in range(6)]
    page.goto(f"{live_server.url}/library/")
    target = cases[2]
    button = page.locator(f"#compare-{target.slug} button")
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/library/#compare-{target.slug}")
    page.wait_for_function(
        "(id) => document.activeElement.closest('form')?.id === id", arg=f"compare-{target.slug}"
    )
    expect(page.locator(f"#compare-{target.slug} button")).to_contain_text("Remove from comparison")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_function(
        "(id) => document.activeElement.closest('form')?.id === id", arg=f"compare-{target.slug}"
    )
    expect(page.locator(f"#compare-{target.slug} button")).to_contain_text("Add to comparison")
    assert axe_violations(page) == []


def test_evaluator_save_draft_focuses_the_message(page, live_server, log_in):
    assignment = AssignmentFactory()
    log_in(assignment.evaluator)
    page.goto(f"{live_server.url}/evaluate/{assignment.pk}/")
    page.get_by_role("button", name=re.compile("Save draft")).click()
    page.wait_for_url("**#messages")
    page.wait_for_function("() => document.activeElement.id === 'messages'")


def test_facet_panel_folds_keeps_apply_in_view_and_announces(page, live_server, axe_violations):
    for code in ("AT", "AT", "BE", "BE", "CZ", "DE", "EE", "FI", "PT"):
        PublishedCaseFactory(country=code)
    page.set_viewport_size({"width": 1280, "height": 700})
    page.goto(f"{live_server.url}/library/")
    country = page.locator("#facet-country")
    more = country.locator("details.facet-more")
    expect(more.locator("summary")).to_contain_text("Show all")
    portugal = page.get_by_role("checkbox", name=re.compile(r"^Portugal"))
    expect(portugal).to_be_hidden()
    more.locator("summary").click()
    portugal.check()
    expect(page.locator("#results-status")).to_have_text("1 case in Portugal.")
    expect(page.locator(".results-count")).to_contain_text("1 case")
    position = page.evaluate(
        "() => getComputedStyle(document.querySelector('.facet-apply')).position"
    )
    assert position == "sticky"
    assert axe_violations(page) == []
    with page.expect_navigation():
        page.get_by_role("button", name="Apply filters").click()
    # The selected value stays in view after the reload, outside the folded values.
    expect(page.get_by_role("checkbox", name=re.compile(r"^Portugal"))).to_be_visible()
    expect(page.locator(".filter-sentence")).to_have_text("1 case in Portugal.")
    assert axe_violations(page) == []


def test_section_badges_look_different(page, live_server, log_in, axe_violations):
    from cases.models import Role
    from tests.factories import CaseFactory, EvaluationEditionFactory, MembershipFactory

    user = UserFactory(roles=[Role.APPLICANT])
    membership = MembershipFactory(user=user)
    draft = CaseFactory(
        lead_organisation=membership.organisation,
        created_by=user,
        edition=EvaluationEditionFactory(),
    )
    log_in(user)
    page.goto(f"{live_server.url}/apply/case/{draft.pk}/edit/summary/")
    styles = page.evaluate(
        """() => ['.badge-incomplete', '.badge-optional'].map((selector) => {
            const style = getComputedStyle(document.querySelector(selector));
            return [style.backgroundColor, style.borderStyle];
        })"""
    )
    assert styles[0] != styles[1]
    assert axe_violations(page) == []
