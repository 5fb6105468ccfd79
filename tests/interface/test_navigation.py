import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import resolve, reverse

from cases.interfaces.navigation import navigation, navigation_items
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LIBRARY = "library:list"
APPLY = "applications:dashboard"
EVALUATE = "evaluation:assignments"
COORDINATE = "coordination:editions"


def names(user):
    return [item["name"] for item in navigation_items(user)]


@pytest.mark.parametrize(
    ("roles", "staff", "expected"),
    [
        (None, False, [LIBRARY]),
        (["applicant"], False, [LIBRARY, APPLY]),
        (["evaluator"], False, [LIBRARY, EVALUATE]),
        (["coordinator"], False, [LIBRARY, COORDINATE]),
        (["applicant", "evaluator"], False, [LIBRARY, APPLY, EVALUATE]),
        # Staff are the award team: they coordinate every edition.
        ([], True, [LIBRARY, COORDINATE, "admin"]),
    ],
    ids=["no-role", "applicant", "evaluator", "coordinator", "applicant+evaluator", "staff"],
)
def test_navigation_fits_the_roles(area_urls, roles, staff, expected):
    user = UserFactory(roles=roles, is_staff=staff)
    assert names(user) == expected


def test_anonymous_visitors_see_only_the_library(area_urls):
    assert names(AnonymousUser()) == [LIBRARY]


def test_superusers_are_staff_in_the_portal(area_urls):
    """A superuser applies or evaluates only with the role: evaluators are independent experts
    and applicants act for their organisations (see cases.domain.queries.access)."""
    user = UserFactory(is_staff=True, is_superuser=True)
    assert names(user) == [LIBRARY, COORDINATE, "admin"]
    user = UserFactory(is_staff=True, is_superuser=True, roles=["applicant", "evaluator"])
    assert names(user) == [LIBRARY, APPLY, EVALUATE, COORDINATE, "admin"]


def test_an_inactive_user_keeps_no_role_links(area_urls):
    user = UserFactory(roles=["coordinator"], is_active=False)
    assert COORDINATE not in names(user)


def test_real_navigation_never_shows_areas_to_the_wrong_people():
    assert set(names(AnonymousUser())) <= {LIBRARY}
    applicant = UserFactory(roles=["applicant"])
    assert set(names(applicant)) <= {LIBRARY, APPLY}
    staff = UserFactory(is_staff=True)
    assert "admin" in names(staff)


def test_real_navigation_links_all_resolve():
    superuser = UserFactory(is_staff=True, is_superuser=True)
    for item in navigation_items(superuser):
        resolve(item["url"])  # raises Resolver404 for a dead link


def test_header_shows_the_users_links_name_and_log_out(client, area_urls):
    user = UserFactory(full_name="Ana Novak", roles=["evaluator"])
    client.force_login(user)

    html = client.get(reverse("home")).content.decode()

    assert f'href="{reverse(EVALUATE)}" data-nav="{EVALUATE}"' in html
    assert f'data-nav="{APPLY}"' not in html
    assert f'data-nav="{COORDINATE}"' not in html
    assert 'data-nav="admin"' not in html
    assert "Signed in as <strong>Ana</strong>" in html
    assert f'href="{reverse("accounts:profile")}" data-nav="profile">Your profile</a>' in html
    assert f'action="{reverse("logout")}"' in html
    assert 'data-nav="login"' not in html


def test_header_profile_link_is_marked_current_on_the_profile_page(client, area_urls):
    client.force_login(UserFactory(full_name="Ana Novak", roles=["applicant"]))
    html = client.get(reverse("accounts:profile")).content.decode()
    assert f'href="{reverse("accounts:profile")}" data-nav="profile" aria-current="page"' in html


def test_header_for_visitors_offers_log_in(client, area_urls):
    html = client.get(reverse("home")).content.decode()
    assert f'data-nav="{LIBRARY}"' in html
    assert 'data-nav="login"' in html
    assert "Signed in as" not in html
    assert 'data-nav="profile"' not in html
    assert f'action="{reverse("logout")}"' not in html


def test_current_area_is_marked_for_assistive_technology(rf, area_urls):
    user = UserFactory(roles=["coordinator"])
    request = rf.get(reverse(COORDINATE) + "sub-page/")
    request.user = user
    items = {item["name"]: item for item in navigation(request)["nav_items"]}
    assert items[COORDINATE]["current"] is True
    assert items[LIBRARY]["current"] is False


def test_home_link_is_marked_current_only_on_the_home_page(client):
    home = client.get(reverse("home")).content.decode()
    about = client.get(reverse("about")).content.decode()
    marked = '<a class="brand" href="/" aria-current="page">'
    assert marked in home
    assert marked not in about


def test_skip_link_comes_first_and_targets_main(client):
    html = client.get(reverse("home")).content.decode()
    body = html[html.index("<body>") :]
    first_link = body.index("<a ")
    assert body[first_link:].startswith('<a class="skip-link" href="#main">')
    assert '<main id="main"' in html


def test_log_in_link_brings_the_visitor_back(client):
    html = client.get(reverse("about")).content.decode()
    assert f'href="{reverse("login")}?next=/about/"' in html
    html = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("login")}?next=' not in html
