import pytest
from django.urls import reverse

from cases.models import Role
from tests.factories import CoordinatorFactory, EvaluatorFactory, UserFactory

PASSWORD = "correct-horse-battery"


@pytest.mark.parametrize(
    ("factory", "roles", "landing"),
    [
        (UserFactory, [Role.APPLICANT], "applications:dashboard"),
        (EvaluatorFactory, None, "evaluation:assignments"),
        (CoordinatorFactory, None, "coordination:editions"),
        (UserFactory, [], "home"),
    ],
)
def test_log_in_lands_where_the_user_works(client, db, factory, roles, landing):
    user = factory(roles=roles) if roles is not None else factory()
    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse(landing)


def test_log_in_with_next_goes_there(client, db):
    user = EvaluatorFactory()
    response = client.post(
        reverse("login"),
        {"username": user.email, "password": PASSWORD, "next": reverse("library:list")},
    )
    assert response.url == reverse("library:list")
