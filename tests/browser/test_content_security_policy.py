"""The browser tests run under the Content-Security-Policy, and the watcher that fails them on a
violation really sees one: here a page of the portal is served with an inline style and script
added, Chromium refuses both, and the watcher records the refusals."""

from playwright.sync_api import expect

from tests.factories import PublishedCaseFactory


def test_the_policy_refuses_inline_code_and_the_watcher_reports_it(
    page, live_server, csp_violations
):
    def add_inline_code(route):
        response = route.fetch()
        body = response.text().replace(
            "</head>",
            '<style>body { background: red; }</style><script>document.title = "x";</script></head>',
        )
        route.fulfill(response=response, body=body)

    page.route(f"{live_server.url}/about/", add_inline_code)
    page.goto(f"{live_server.url}/about/", wait_until="networkidle")

    assert page.title() != "x"
    background = page.locator("body").evaluate("body => getComputedStyle(body).backgroundColor")
    assert background != "rgb(255, 0, 0)"
    assert any("inline style" in violation for violation in csp_violations)
    assert any("inline script" in violation for violation in csp_violations)
    csp_violations.clear()  # provoked on purpose: this test must not fail for it


def test_library_pages_with_charts_break_no_rule(page, live_server, console_errors):
    PublishedCaseFactory(title="Shared services centre", country="BE")
    PublishedCaseFactory(title="Regional data hub", country="FI")
    for path in ("/library/stats/", "/library/", "/"):
        response = page.goto(f"{live_server.url}{path}", wait_until="networkidle")
        assert response.status == 200
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    expect(page.locator("h1")).to_be_visible()
    assert console_errors == []


def test_the_live_word_count_splits_words_on_invisible_characters(page, live_server, log_in):
    from cases.domain import applications as app
    from cases.models import MembershipStatus, Role
    from tests.factories import EditionFactory, MembershipFactory, OrganisationFactory, UserFactory

    edition = EditionFactory(slug="epsa-words")
    organisation = OrganisationFactory(country="AT")
    applicant = UserFactory(roles=[Role.APPLICANT])
    MembershipFactory(user=applicant, organisation=organisation, status=MembershipStatus.APPROVED)
    draft = app.start_application(user=applicant, edition=edition, organisation=organisation)
    log_in(applicant)

    page.goto(f"{live_server.url}/apply/case/{draft.pk}/edit/summary/")
    page.fill("#id_summary", "one\u2800two\u200bthree\u00a0four five")

    expect(page.locator("#id_summary_wordcount")).to_contain_text("5 / 300 words")
