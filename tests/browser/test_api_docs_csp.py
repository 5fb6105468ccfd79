"""The API documentation pages (Swagger UI, Redoc) work under the Content-Security-Policy."""

from playwright.sync_api import expect


def test_swagger_ui_renders_under_the_policy(page, live_server, console_errors):
    response = page.goto(f"{live_server.url}/api/docs/", wait_until="networkidle")
    assert response.status == 200
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("API", timeout=15000)
    assert console_errors == []


def test_redoc_renders_under_the_policy(page, live_server, console_errors, csp_violations):
    response = page.goto(f"{live_server.url}/api/redoc/", wait_until="networkidle")
    assert response.status == 200
    expect(page.locator("h1").first).to_contain_text("API", timeout=15000)
    # Redoc's "powered by" logo comes from its makers' site: the policy refuses it, as it
    # refuses every other origin. Nothing else may be refused.
    logo = "https://cdn.redoc.ly/"
    # The logo may be asked for at any moment after the page renders: close the page so that
    # nothing more arrives after the lists are read and the expected refusal is cleared.
    page.close()
    assert all(logo in violation for violation in csp_violations), csp_violations
    assert all(logo in error for error in console_errors), console_errors
    csp_violations.clear()
