"""axe-core finds no WCAG 2.1 AA violation on the public pages a visitor reaches first."""

import pytest

from tests.factories import PublishedCaseFactory

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["/", "/library/", "/about/", "/accounts/login/"])
def test_public_pages_have_no_wcag_violations(page, live_server, axe_violations, path):
    PublishedCaseFactory(title="Shared bike lanes planned with residents")
    page.goto(f"{live_server.url}{path}")
    assert axe_violations(page) == []


def test_case_page_has_no_wcag_violations(page, live_server, axe_violations):
    case = PublishedCaseFactory(title="Shared bike lanes planned with residents")
    page.goto(f"{live_server.url}/library/{case.slug}/")
    assert page.get_by_role("heading", level=1).inner_text() == case.title
    assert axe_violations(page) == []


def test_the_check_reports_what_it_should(page, live_server, axe_violations):
    """A guard for the guard: an image without a text alternative is reported."""
    page.goto(f"{live_server.url}/about/")
    page.evaluate(
        "() => { const img = document.createElement('img'); img.src = '/favicon.ico';"
        " document.querySelector('main').append(img); }"
    )
    assert any(line.startswith("image-alt") for line in axe_violations(page))
