"""Reflow (WCAG 1.4.10): at 375 CSS pixels wide, library pages scroll vertically only.

Wide content (tables, a long search query, a long permalink) must wrap or scroll inside its
own box, never widen the page. Chromium, the transactional database and the seeded rows come
from tests/browser/conftest.py.
"""

import pytest

from cases.models import CollaborationType, CoproductionPhase, EcosystemFactor, FactorProfileValue
from tests.factories import FactorAssessmentFactory, PartnerFactory, PublishedCaseFactory

PHONE = {"width": 375, "height": 740}
NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def reflow_case():
    case = PublishedCaseFactory(
        title="Neighbourhood energy cooperatives with the regional agency",
        slug="neighbourhood-energy-cooperatives-with-the-regional-agency-and-citizens",
        summary="Residents co-own rooftop solar parks. " * 20,
    )
    case.collaboration_types.add(CollaborationType.objects.get(slug="public-citizen"))
    case.coproduction_phases.add(CoproductionPhase.objects.get(slug="co-design"))
    for index in range(3):
        PartnerFactory(
            case=case,
            name=f"Interregional Energy Transition Cooperative Association number {index}",
            role="Coordinates the procurement of photovoltaic panels for every member",
        )
    for factor in EcosystemFactor.objects.order_by("order"):
        FactorProfileValue.objects.create(case=case, factor=factor, value=3, source="consensus")
    FactorAssessmentFactory(case=case, evidence="https://example.eu/" + "evidence-" * 30)
    return case


def _assert_no_horizontal_scroll(page, url):
    page.goto(url)
    page.wait_for_load_state()
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert page.evaluate(NO_HORIZONTAL_SCROLL), f"{url}: page {widths[0]}px wide in {widths[1]}px"


@pytest.mark.parametrize(
    "path",
    [
        "case",
        "/library/stats/",
        "/library/export/",
        "/library/?q=" + "x" * 2000,
        "/library/?q=" + "climate%20" * 200 + "&country=AT",
        "/library/?q=energy&country=AT&phase=co-design",
    ],
    ids=["case", "stats", "export-fields", "2000-char-word", "long-query", "filtered"],
)
def test_library_pages_reflow_at_375_pixels(page, live_server, console_errors, reflow_case, path):
    page.set_viewport_size(PHONE)
    if path == "case":
        path = reflow_case.get_absolute_url()
    _assert_no_horizontal_scroll(page, f"{live_server.url}{path}")
    if "q=" in path:
        assert page.locator(".chip").count() >= 1
    assert console_errors == []
