"""The facet panel on wide and narrow screens, and its skip link, in a real browser.

Wide screens show the facets open beside the results. Narrow screens fold them into a
"Show filters" disclosure (no JavaScript), so that results follow the search at once. A
"Skip to results" link at the top of the panel appears when it has keyboard focus.
"""

import re

import pytest
from playwright.sync_api import expect

from cases.models import CollaborationType
from tests.factories import PublishedCaseFactory

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def facet_cases():
    kind = CollaborationType.objects.get(slug="public-citizen")
    for title, country in (("Tenants' repair cafés", "AT"), ("School streets", "ES")):
        PublishedCaseFactory(title=title, country=country).collaboration_types.add(kind)


def test_wide_screen_shows_the_facets_open(page, live_server, console_errors, facet_cases):
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/library/")
    expect(page.get_by_role("checkbox", name=re.compile(r"^Austria"))).to_be_visible()
    expect(page.locator(".facet-panel > summary")).to_be_hidden()
    expect(page.get_by_role("button", name="Apply filters")).to_be_visible()
    assert console_errors == []


def test_narrow_screen_puts_results_before_the_folded_facets(
    page, live_server, console_errors, facet_cases
):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/library/")
    austria = page.get_by_role("checkbox", name=re.compile(r"^Austria"))
    expect(austria).to_be_hidden()
    first_result = page.get_by_role("link", name="School streets")
    expect(first_result).to_be_visible()
    assert first_result.bounding_box()["y"] < PHONE["height"] * 2
    summary = page.locator(".facet-panel > summary")
    expect(summary).to_have_text("Show filters")
    summary.click()
    austria.check()
    with page.expect_navigation():
        page.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".results-count")).to_contain_text("1 case")
    expect(page.locator(".facet-panel > summary")).to_contain_text("(1 active)")
    assert console_errors == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["wide", "narrow"])
def test_skip_link_moves_keyboard_users_to_the_results(
    page, live_server, console_errors, facet_cases, viewport
):
    page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}/library/")
    skip = page.get_by_role("link", name="Skip to results")
    page.get_by_label("Sort by").focus()
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box["width"] > 20 and box["height"] > 10  # shown while it has focus
    page.keyboard.press("Enter")
    expect(page.locator("#results")).to_be_focused()
    page.keyboard.press("Tab")
    # The next stop is inside the results, not the facet panel.
    assert page.evaluate("document.activeElement.closest('#results') !== null")
    assert console_errors == []
