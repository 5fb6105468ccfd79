"""The about page, the error pages and the CSRF failure page."""

import pytest
from django.test import Client
from django.urls import reverse

from cases.views import server_error
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_about_page_explains_the_portal_its_licence_and_accessibility(client):
    response = client.get(reverse("about"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>About the EPSA Portal</h1>" in html
    assert 'id="data-licence"' in html
    assert "CC BY 4.0" in html
    assert 'id="accessibility"' in html
    assert "WCAG" in html
    assert "Synthetic demonstration cases" in html


def test_about_page_shows_the_contact_address_when_configured(client, settings):
    settings.CONTACT_EMAIL = "accessibility@example.eu"
    html = client.get(reverse("about")).content.decode()
    assert 'href="mailto:accessibility@example.eu"' in html


def test_footer_links_to_about_accessibility_and_licence(client):
    html = client.get(reverse("home")).content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert f'href="{reverse("about")}"' in footer
    assert f'href="{reverse("about")}#accessibility"' in footer
    assert 'href="https://creativecommons.org/licenses/by/4.0/"' in footer


def test_missing_page_is_a_helpful_404(client):
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "errors/404.html" in [t.name for t in response.templates]
    assert "<h1>Page not found</h1>" in html
    assert f'href="{reverse("home")}"' in html
    assert 'class="site-header"' in html  # the full page, with its navigation


def test_forbidden_page_for_a_visitor_offers_log_in(client, area_urls):
    response = client.get("/test/forbidden/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "You do not have access to this page" in html
    assert f'href="{reverse("login")}?next=/test/forbidden/"' in html
    assert f'href="{reverse("library:list")}"' in html


def test_forbidden_page_for_a_signed_in_user_names_the_account(client, area_urls):
    client.force_login(UserFactory(email="ana@example.eu"))
    response = client.get("/test/forbidden/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "You are logged in as ana@example.eu" in html


def test_server_error_page_renders_with_status_500(area_urls):
    client = Client(raise_request_exception=False)
    response = client.get("/test/crash/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in html
    assert 'href="/"' in html


def test_server_error_page_needs_no_database_and_no_context(rf, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(rf.get("/anything/"))
    assert response.status_code == 500
    html = response.content.decode()
    # Standalone: its stylesheet's plain URL needs no static storage manifest, and the page
    # carries no inline style the Content-Security-Policy would refuse.
    assert '<link rel="stylesheet" href="/static/css/errors.css">' in html
    assert "<style" not in html
    assert "{%" not in html


def test_csrf_failure_explains_itself_with_403():
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("login"), {"username": "ana@example.eu", "password": "correct-horse-battery"}
    )
    html = response.content.decode()
    assert response.status_code == 403
    assert "errors/403_csrf.html" in [t.name for t in response.templates]
    assert "security token was missing or has" in html
    assert "Your form could not be sent" in html


def test_favicon_ico_leads_to_the_portal_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response.url.endswith("img/favicon.svg")
    assert client.get(response.url).status_code == 200
