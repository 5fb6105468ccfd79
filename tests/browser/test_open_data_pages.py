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
