"""In the browser: chart labels stay readable at 390 and 1280 pixels wide, the map is there and
reachable by keyboard, and the main pages have no axe-core WCAG 2.1 AA violation in any of the
four languages. Chromium, the transactional database and axe-core come from conftest.py."""

import pytest

from cases.models import CollaborationType, CoproductionPhase, EcosystemFactor, FactorProfileValue
from tests.factories import PublishedCaseFactory

LANGUAGES = ("en", "fr", "de", "es")
WIDTHS = (390, 1280)
MIN_LABEL_PX = 12

# Every SVG text the reader can see in the main content, with its rendered size in CSS pixels
# (the computed font size times the scale of the drawing on screen).
RENDERED_LABELS = """() => Array.from(document.querySelectorAll('main svg text'))
    .filter((t) => t.getClientRects().length > 0 && t.checkVisibility())
    .map((t) => {
        const m = t.getScreenCTM();
        const size = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
        return {text: t.textContent.trim().slice(0, 40), px: Math.round(size * 100) / 100};
    })"""


@pytest.fixture
def library_cases():
    kind = CollaborationType.objects.get(slug="public-citizen")
    phase = CoproductionPhase.objects.get(slug="co-design")
    factors = list(EcosystemFactor.objects.order_by("order"))
    cases = []
    for number, country in enumerate(("FR", "DE", "ES", "MT")):
        case = PublishedCaseFactory(
            country=country,
            title=f"Neighbourhood energy cooperatives with the regional agency {number}",
            summary="Residents co-own rooftop solar parks with the regional energy agency.",
        )
        case.collaboration_types.add(kind)
        case.coproduction_phases.add(phase)
        for index, factor in enumerate(factors):
            FactorProfileValue.objects.create(
                case=case, factor=factor, value=(index + number) % 5, source="consensus"
            )
        cases.append(case)
    return cases


def _pages(cases, code):
    slugs = ",".join(case.slug for case in cases[:3])
    return {
        "library": f"/{code}/library/",
        "case": f"/{code}/library/{cases[0].slug}/",
        "comparison": f"/{code}/library/compare/?cases={slugs}",
        "statistics": f"/{code}/library/stats/",
    }


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["library", "case", "comparison", "statistics"])
@pytest.mark.parametrize("code", ["en", "de"])
def test_chart_and_map_labels_are_at_least_12_pixels(
    page, live_server, console_errors, library_cases, width, name, code
):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + _pages(library_cases, code)[name])
    page.wait_for_load_state()
    summary = page.locator(".case-map-panel > summary")
    if summary.count() and summary.is_visible():
        summary.click()  # folded on narrow screens
    if name in ("library", "statistics"):
        assert page.locator(".case-map-svg").is_visible()
        legend_px = page.evaluate(
            "() => parseFloat("
            "getComputedStyle(document.querySelector('.case-map-legend')).fontSize)"
        )
        assert legend_px >= MIN_LABEL_PX
    labels = page.evaluate(RENDERED_LABELS)
    if name != "library":
        assert labels, "no chart label is visible"
    small = [label for label in labels if label["px"] < MIN_LABEL_PX - 0.05]
    assert not small, f"{name} at {width}px: labels under {MIN_LABEL_PX}px: {small[:5]}"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert console_errors == []


def test_map_countries_are_links_reached_by_keyboard(page, live_server, library_cases):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/fr/library/")
    france = page.locator('.case-map-country[data-country="FR"]')
    assert france.get_attribute("aria-label") == "France : 1 cas"
    france.focus()
    assert page.evaluate("document.activeElement.dataset.country") == "FR"
    page.keyboard.press("Enter")
    page.wait_for_url("**/fr/library/?country=FR")
    assert page.locator(".results .result").count() == 1


def test_the_switcher_changes_the_language_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/about/")
    page.locator('.language-switcher button[value="de"]').click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.url.endswith("/about/")
    context.close()


@pytest.mark.parametrize("code", LANGUAGES)
def test_main_pages_have_no_accessibility_violations_in_each_language(
    page, live_server, library_cases, axe_violations, code
):
    page.context.add_cookies([{"name": "django_language", "value": code, "url": live_server.url}])
    pages = {
        "home": "/",
        "about": "/about/",
        "login": "/accounts/login/",
        "register": "/accounts/register/",
        **_pages(library_cases, code),
    }
    found = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in pages.items():
            page.goto(live_server.url + path)
            page.wait_for_load_state()
            assert page.locator("html").get_attribute("lang") == code, path
            violations = axe_violations(page)
            if violations:
                found[f"{name} at {width}px"] = violations
    assert not found, found


@pytest.mark.parametrize("code", LANGUAGES)
def test_signed_in_areas_have_no_accessibility_violations_in_each_language(
    browser, live_server, axe_violations, code
):
    from cases.models import OrganisationMembership, Role, User
    from tests.factories import (
        AssignmentFactory,
        CoordinatorFactory,
        EligibleCaseFactory,
        EvaluationEditionFactory,
        EvaluatorFactory,
        MembershipFactory,
        UserFactory,
    )

    edition = EvaluationEditionFactory()
    applicant = UserFactory(roles=[Role.APPLICANT], language=code)
    MembershipFactory(user=applicant, status="approved")
    evaluator = EvaluatorFactory(language=code)
    AssignmentFactory(evaluator=evaluator, case=EligibleCaseFactory(edition=edition))
    coordinator = CoordinatorFactory(language=code, editions=[edition])
    assert OrganisationMembership.objects.filter(user=applicant).exists()
    areas = {
        applicant: ["/apply/", "/accounts/profile/"],
        evaluator: ["/evaluate/", "/evaluate/profile/"],
        coordinator: ["/coordinate/", f"/coordinate/{edition.slug}/"],
    }
    found = {}
    for user, paths in areas.items():
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.locator("#id_username").fill(user.email)
        page.locator("#id_password").fill("correct-horse-battery")
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        for path in paths:
            page.goto(live_server.url + path)
            page.wait_for_load_state()
            assert page.locator("html").get_attribute("lang") == code, path
            violations = axe_violations(page)
            if violations:
                found[path] = violations
        context.close()
    assert User.objects.filter(language=code).count() == 3
    assert not found, found


@pytest.mark.parametrize("width", WIDTHS)
def test_charts_and_the_map_print_cleanly(page, live_server, library_cases, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.emulate_media(media="print")
    pages = _pages(library_cases, "en")
    page.goto(live_server.url + pages["comparison"])
    assert page.locator("svg.radar-chart:visible").count() == 1
    small = [label for label in page.evaluate(RENDERED_LABELS) if label["px"] < MIN_LABEL_PX]
    assert not small, small[:5]
    page.goto(live_server.url + pages["library"])
    # Folded on a narrow screen, the map is printed open; the header's controls are not.
    assert page.locator(".case-map-svg").is_visible()
    assert not page.locator(".language-switcher").is_visible()
