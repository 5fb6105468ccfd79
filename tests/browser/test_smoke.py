"""Smoke test of the base interface in a real browser: the home page, every header link,
the skip link, logging in and out, and a narrow screen, all without console errors."""

import re

import pytest
from playwright.sync_api import expect

from cases.models import EditionPhase, Provenance
from tests.factories import EditionFactory, PublishedCaseFactory, UserFactory


@pytest.fixture
def library_data():
    edition = EditionFactory(name="Browser Test Award", phase=EditionPhase.OPEN)
    PublishedCaseFactory(edition=edition, country="BE", title="Pooled back offices")
    PublishedCaseFactory(edition=edition, country="FI", provenance=Provenance.SYNTHETIC)
    return edition


def header_links(page):
    hrefs = page.locator("header.site-header a[href]").evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"
    )
    return list(dict.fromkeys(hrefs))


def visit_every_header_link(page, live_server):
    hrefs = header_links(page)
    assert hrefs, "the header has no links"
    for href in hrefs:
        # Wait for the network to settle, so late requests (the icon) are checked too.
        response = page.goto(f"{live_server.url}{href}", wait_until="networkidle")
        assert response is not None, href
        assert response.status < 400, f"{href} answered {response.status}"
        assert page.locator("h1").count() >= 1, f"{href} has no h1"
    return hrefs


def test_home_page_renders_with_live_counts(page, live_server, console_errors, library_data):
    page.goto(live_server.url, wait_until="networkidle")

    expect(page.locator("h1")).to_have_text("EPSA Portal")
    expect(page.locator('[data-figure="cases"]')).to_have_text("2")
    expect(page.locator('[data-figure="countries"]')).to_have_text("2")
    expect(page.locator('[data-figure="editions"]')).to_have_text("1")
    expect(page.get_by_role("heading", name="Browser Test Award")).to_be_visible()
    expect(page.get_by_text("Synthetic demo case")).to_be_visible()
    # Our own style sheet is served and applied (the header is dark blue).
    header_background = page.locator("header.site-header").evaluate(
        "element => getComputedStyle(element).backgroundColor"
    )
    assert header_background == "rgb(11, 58, 111)"
    assert console_errors == []


def test_every_header_link_works_for_a_visitor(page, live_server, console_errors):
    page.goto(live_server.url)
    hrefs = visit_every_header_link(page, live_server)
    assert "/accounts/login/" in " ".join(hrefs)
    assert console_errors == []


def test_every_header_link_works_for_a_user_with_every_role(
    page, live_server, console_errors, log_in
):
    user = UserFactory(
        full_name="Maria Rossi",
        roles=["applicant", "evaluator", "coordinator"],
        is_staff=True,
        is_superuser=True,
    )
    log_in(user)
    expect(page.locator("header.site-header")).to_contain_text("Signed in as Maria")
    hrefs = visit_every_header_link(page, live_server)
    assert "/admin/" in hrefs
    assert console_errors == []


def test_log_out_from_the_header(page, live_server, console_errors, log_in):
    log_in(UserFactory())
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in", exact=True)).to_be_visible()
    assert page.url == f"{live_server.url}/"
    assert console_errors == []


def test_skip_link_is_the_first_focusable_element(page, live_server, console_errors):
    page.goto(live_server.url)

    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    expect(page.locator(".skip-link")).to_be_in_viewport()

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert console_errors == []


def test_pages_fit_a_narrow_screen_without_sideways_scrolling(
    page, live_server, console_errors, library_data
):
    page.set_viewport_size({"width": 360, "height": 740})
    for path in ("/", "/about/", "/accounts/login/", "/no-such-page/"):
        page.goto(f"{live_server.url}{path}")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
    # The browser reports the 404 status of the missing page itself, and nothing else.
    unexpected = [error for error in console_errors if "/no-such-page/" not in error]
    assert unexpected == []
    assert len(console_errors) == 1


def test_login_form_reports_a_wrong_password(page, live_server, console_errors):
    UserFactory(email="ana@example.eu")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail address").fill("ana@example.eu")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("alert")).to_contain_text(re.compile("correct e-mail address"))
    expect(page.get_by_label("E-mail address")).to_have_value("ana@example.eu")
    assert console_errors == []
