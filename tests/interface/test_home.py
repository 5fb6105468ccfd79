import datetime
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.domain.queries.home import open_calls, portal_figures
from cases.interfaces.navigation import reverse_or_none
from cases.models import EditionPhase, Provenance
from tests.factories import (
    CaseFactory,
    CategoryFactory,
    EditionFactory,
    PublishedCaseFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_figures_count_only_published_cases_and_distinct_countries(client):
    edition = EditionFactory(phase=EditionPhase.CLOSED)
    PublishedCaseFactory(edition=edition, country="BE")
    PublishedCaseFactory(edition=edition, country="BE")
    PublishedCaseFactory(edition=edition, country="FR")
    PublishedCaseFactory(edition=edition, country="")  # no country: counted as a case only
    CaseFactory(edition=edition, country="DE")  # a draft
    CaseFactory(edition=edition, country="IT", status="eligible")  # eligible, not published
    EditionFactory(phase=EditionPhase.DRAFT)  # a call being prepared is not an edition yet

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert response.context["figures"] == {"cases": 4, "countries": 2, "editions": 1}
    html = response.content.decode()
    assert 'data-figure="cases">4<' in html
    assert 'data-figure="countries">2<' in html
    assert 'data-figure="editions">1<' in html


def test_figures_on_an_empty_portal_are_zero():
    assert portal_figures() == {"cases": 0, "countries": 0, "editions": 0}


def test_home_says_what_the_portal_is_and_shows_empty_states(client):
    response = client.get(reverse("home"))
    html = response.content.decode()
    assert "<h1" in html
    assert "co-production" in html
    assert "No call is open for submissions at the moment." in html
    assert "No case has been published yet." in html


def test_open_calls_are_those_taking_submissions_now():
    now = timezone.now()
    open_call = EditionFactory(name="Open call", deadline=now + datetime.timedelta(days=3))
    later = EditionFactory(name="Later call", deadline=now + datetime.timedelta(days=30))
    EditionFactory(name="Past deadline", deadline=now - datetime.timedelta(minutes=1))
    EditionFactory(name="Closed phase", phase=EditionPhase.EVALUATION)
    EditionFactory(
        name="Not yet open",
        submissions_open_at=now + datetime.timedelta(days=1),
        deadline=now + datetime.timedelta(days=20),
    )

    assert list(open_calls()) == [open_call, later]


def test_home_shows_open_call_with_deadline_time_zone_and_categories(client):
    edition = EditionFactory(
        name="Innovation Award 2027",
        deadline=timezone.now() + datetime.timedelta(days=40),
    )
    CategoryFactory(edition=edition, name="Digital transformation")
    EditionFactory(name="Closed edition", phase=EditionPhase.CLOSED)

    html = client.get(reverse("home")).content.decode()

    assert "Innovation Award 2027" in html
    assert "Digital transformation" in html
    assert "Closed edition" not in html
    local = timezone.localtime(edition.deadline)
    assert local.strftime("%H:%M") in html
    assert local.tzname() in html  # CET or CEST: the deadline names its time zone
    assert "Europe/Brussels" in html


def test_home_lists_latest_published_cases_only(client):
    PublishedCaseFactory(title="Published pooled back office")
    PublishedCaseFactory(title="Synthetic neighbourhood panel", provenance=Provenance.SYNTHETIC)
    CaseFactory(title="Unpublished draft entry")

    html = client.get(reverse("home")).content.decode()

    assert "Published pooled back office" in html
    assert "Synthetic neighbourhood panel" in html
    assert "badge-synthetic" in html
    assert "Unpublished draft entry" not in html


def test_case_titles_link_to_the_library_only_when_it_exists(client):
    case = PublishedCaseFactory()
    html = client.get(reverse("home")).content.decode()
    url = reverse_or_none("library:case", slug=case.slug)
    if url:
        assert f'<a href="{url}">{case.title}</a>' in html
    else:
        assert f"<h3>{case.title}</h3>" in html


AREAS = {
    "applicants": "applications:dashboard",
    "evaluators": "evaluation:assignments",
    "coordinators": "coordination:editions",
}


LOG_IN_LABELS = {
    "applicants": "Log in to apply",
    "evaluators": "Log in to evaluate",
    "coordinators": "Log in to coordinate",
}


def _audience_card(html, key):
    start = html.index(f'data-audience="{key}"')
    return html[start : html.index("</li>", start)]


def test_home_invites_visitors_to_register_or_log_in_for_each_area(client, area_urls):
    case = PublishedCaseFactory(title="Linked case")
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("library:list")}"' in html
    assert f'href="{case.get_absolute_url()}"' in html
    assert f'href="{reverse("accounts:register")}">Create an account<' in html
    for key, name in AREAS.items():
        card = _audience_card(html, key)
        login = f"{reverse('login')}?{urlencode({'next': reverse(name)})}"
        assert f'href="{login}">{LOG_IN_LABELS[key]}</a>' in card, key
        assert f'href="{reverse(name)}"' not in card, key
    for label in ("Go to your applications", "See your assignments", "Manage editions"):
        assert label not in html


@pytest.mark.parametrize(
    "roles, shown, hidden",
    [
        (["applicant"], ["Go to your applications"], ["See your assignments", "Manage editions"]),
        (["evaluator"], ["See your assignments"], ["Go to your applications", "Manage editions"]),
        (
            ["coordinator"],
            ["Manage editions"],
            ["Go to your applications", "See your assignments"],
        ),
        ([], [], ["Go to your applications", "See your assignments", "Manage editions"]),
    ],
)
def test_home_shows_signed_in_users_only_the_areas_they_may_use(
    client, area_urls, roles, shown, hidden
):
    client.force_login(UserFactory(roles=roles))
    html = client.get(reverse("home")).content.decode()
    for label in shown:
        assert label in html, label
    for label in hidden:
        assert label not in html, label
    assert "Create an account" not in html
    for label in LOG_IN_LABELS.values():
        assert label not in html
    # Every description card stays, whoever reads the page.
    for key in ("researchers", *AREAS):
        assert f'data-audience="{key}"' in html
    assert "Explore the case library" in html


def test_apply_button_of_an_open_call_is_hidden_from_signed_in_non_applicants(client):
    edition = EditionFactory()
    client.force_login(UserFactory(roles=["evaluator"]))
    html = client.get(reverse("home")).content.decode()
    assert edition.name in html
    assert f"Apply to {edition.name}" not in html


@pytest.mark.parametrize("count", [1, 3])
def test_home_query_count_is_fixed_for_visitors(client, django_assert_num_queries, count):
    for _ in range(count):
        edition = EditionFactory()
        CategoryFactory(edition=edition)
        PublishedCaseFactory(edition=edition)
    # figures (2), open calls and their categories (2), latest cases (1)
    with django_assert_num_queries(5):
        response = client.get(reverse("home"))
    assert len(response.context["latest_cases"]) == count
    assert len(response.context["calls"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_home_query_count_is_fixed_for_signed_in_users(client, django_assert_num_queries, count):
    user = UserFactory(roles=["applicant", "coordinator"])
    client.force_login(user)
    for _ in range(count):
        edition = EditionFactory()
        CategoryFactory(edition=edition)
        PublishedCaseFactory(edition=edition)
    # session, user, roles for the navigation, then the same 5 as for visitors
    with django_assert_num_queries(8):
        response = client.get(reverse("home"))
    assert len(response.context["latest_cases"]) == count
