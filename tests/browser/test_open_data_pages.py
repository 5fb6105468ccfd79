"""The open-data pages a researcher reaches from the library: accessible, and the dataset page
works once the package is built."""

import pytest
from django.core.management import call_command

from tests.factories import PublishedCaseFactory

pytestmark = pytest.mark.browser


def test_data_page_without_and_with_a_package(
    page, live_server, axe_violations, settings, tmp_path
):
    settings.OPEN_DATA_ROOT = tmp_path
    PublishedCaseFactory(title="Shared bike lanes planned with residents")
    page.goto(f"{live_server.url}/library/data/")
    assert "has not been built yet" in page.content()
    assert axe_violations(page) == []
    call_command("build_data_package")
    page.goto(f"{live_server.url}/library/data/")
    assert page.get_by_role("link", name="Download the data package (zip)").is_visible()
    assert axe_violations(page) == []


def test_follow_this_search_from_the_results(page, live_server):
    PublishedCaseFactory(title="Shared bike lanes planned with residents", country="BE")
    page.goto(f"{live_server.url}/library/?country=BE")
    link = page.get_by_role("link", name="Follow this search")
    assert link.get_attribute("href") == "/library/feed/?country=BE"
    response = page.request.get(f"{live_server.url}/library/feed/?country=BE")
    assert "Shared bike lanes planned with residents" in response.text()


def test_a_large_export_is_prepared_and_downloaded(page, live_server, axe_violations, settings):
    settings.LIBRARY_INLINE_EXPORT_ROWS = 1
    PublishedCaseFactory(title="Shared bike lanes planned with residents")
    PublishedCaseFactory(title="Neighbourhood budgets decided in assemblies")
    page.goto(f"{live_server.url}/library/")
    page.get_by_role("link", name="CSV", exact=True).click()
    assert page.get_by_role("heading", name="Prepare an export of the case library").is_visible()
    assert "This CSV export holds 2 cases." in page.content()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Prepare the export").click()
    assert page.locator(".export-status").inner_text() == "Ready to download"
    assert "Keep this address" in page.content()
    assert axe_violations(page) == []
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download epsa-library-").click()
    download = download_info.value
    assert download.suggested_filename.startswith("epsa-library-")
    text = download.path().read_text(encoding="utf-8-sig")
    assert "Shared bike lanes planned with residents" in text
    assert "Neighbourhood budgets decided in assemblies" in text
    page.get_by_role("link", name="Your exports").first.click()
    assert page.get_by_role("table").get_by_role("link").count() == 1
    assert axe_violations(page) == []
