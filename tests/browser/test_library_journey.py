"""A researcher's journey through the public case library, in a real browser: search, narrow
with two facets, open a case, put two cases in the comparison, open it, download the CSV.
Chromium, the transactional database and the seeded rows come from tests/browser/conftest.py."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from cases.models import CollaborationType
from tests.factories import PublishedCaseFactory


@pytest.fixture
def library_journey_data():
    citizen = CollaborationType.objects.get(slug="public-citizen")
    research = CollaborationType.objects.get(slug="public-research")
    cases = []
    for title, country, kind in (
        ("Flood wardens of the Danube", "AT", citizen),
        ("Neighbourhood flood maps", "AT", citizen),
        ("Flood sensors with the university", "AT", research),
        ("Flood insurance pool", "ES", citizen),
        ("Library of things", "AT", citizen),
    ):
        case = PublishedCaseFactory(
            title=title, country=country, summary=f"{title}: how residents and the council work."
        )
        case.collaboration_types.add(kind)
        cases.append(case)
    from cases.domain.search import update_search_vectors

    update_search_vectors(None)
    return cases


def test_researcher_searches_compares_and_downloads(
    page, live_server, console_errors, library_journey_data
):
    page.goto(f"{live_server.url}/library/")
    expect(page.get_by_role("heading", name="Case library", level=1)).to_be_visible()

    page.get_by_role("searchbox", name="Search").fill("flood")
    page.locator(".library-search").get_by_role("button", name="Search").click()
    expect(page.locator(".results-count")).to_contain_text("4 cases")

    # Ticking a facet updates the results in place, without a page load or a change of focus
    # (WCAG 3.2.2: no change of context), and announces the new count; Apply still submits.
    apply = page.get_by_role("button", name="Apply filters")
    austria = page.get_by_role("checkbox", name=re.compile(r"^Austria"))
    austria.focus()
    page.keyboard.press("Space")
    expect(page.locator(".results-count")).to_contain_text("3 cases")
    expect(page.locator("#results-status")).to_contain_text("3 cases in Austria")
    assert page.evaluate("() => document.activeElement.value") == "AT"
    page.get_by_label("Sort by").select_option("title")
    with page.expect_navigation():
        apply.click()
    expect(page.locator(".results-count")).to_contain_text("3 cases")
    page.get_by_role("checkbox", name=re.compile(r"^Public–citizen co-production")).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".results-count")).to_contain_text("2 cases")
    assert "sort=title" in page.url
    expect(page.locator(".chip")).to_have_count(3)
    list_url = page.url
    assert "country=AT" in list_url and "collaboration=public-citizen" in list_url

    page.get_by_role("link", name="Flood wardens of the Danube").click()
    expect(page.get_by_role("heading", name="Flood wardens of the Danube", level=1)).to_be_visible()
    # No factor profile recorded: no empty profile section, but its similar cases (issue 12).
    expect(page.locator("#profile-heading")).to_have_count(0)
    expect(page.get_by_role("heading", name="Similar cases")).to_be_visible()
    page.get_by_role("button", name="Add to comparison").click()
    expect(page.get_by_text("was added to your comparison")).to_be_visible()

    page.goto(list_url)
    page.get_by_role("link", name="Neighbourhood flood maps").click()
    page.get_by_role("button", name="Add to comparison").click()
    page.get_by_role("link", name="Compare 2 cases").click()

    expect(page.get_by_role("heading", name="Compare cases", level=1)).to_be_visible()
    table = page.locator("table.compare-table").first
    expect(table).to_contain_text("Flood wardens of the Danube")
    expect(table).to_contain_text("Neighbourhood flood maps")
    # One radar shows (its wide or narrow layout; the other is display:none).
    expect(page.locator("svg.radar-chart:visible")).to_have_count(1)

    page.goto(list_url)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    download = download_info.value
    assert download.suggested_filename.startswith("epsa-library-")
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(io.StringIO(handle.read())))
    assert sorted(row["title"] for row in rows) == [
        "Flood wardens of the Danube",
        "Neighbourhood flood maps",
    ]
    assert console_errors == []
