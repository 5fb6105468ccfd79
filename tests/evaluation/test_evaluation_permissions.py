"""Every evaluation and coordination view, for every role."""

import pytest
from django.urls import reverse

from cases.models import Role
from tests.factories import (
    AssignmentFactory,
    ConflictFactory,
    CoordinatorFactory,
    EvaluationEditionFactory,
    EvaluatorFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "applicant",
    "evaluator_assigned",
    "evaluator_not_assigned",
    "evaluator_conflicted",
    "coordinator_here",
    "coordinator_elsewhere",
    "staff",
]

VIEWS = [
    "evaluation:assignments",
    "evaluation:profile",
    "evaluation:review",
    "evaluation:declare_conflict",
    "coordination:editions",
    "coordination:dashboard",
    "coordination:eligibility",
    "coordination:assignments",
    "coordination:ranking",
    "coordination:case",
    "coordination:results",
    "coordination:settings",
]

# Expected GET status per view (rows) and role (columns, in ROLES order). A coordinator of
# another edition gets 404: the policy hides what is not theirs.
EXPECTED = {
    "evaluation:assignments": [302, 403, 200, 200, 200, 403, 403, 403],
    "evaluation:profile": [302, 403, 200, 200, 200, 403, 403, 403],
    "evaluation:review": [302, 403, 200, 404, 403, 403, 403, 403],
    "evaluation:declare_conflict": [302, 403, 200, 404, 403, 403, 403, 403],
    "coordination:editions": [302, 403, 403, 403, 403, 200, 200, 200],
    "coordination:dashboard": [302, 403, 403, 403, 403, 200, 404, 200],
    "coordination:eligibility": [302, 403, 403, 403, 403, 200, 404, 200],
    "coordination:assignments": [302, 403, 403, 403, 403, 200, 404, 200],
    "coordination:ranking": [302, 403, 403, 403, 403, 200, 404, 200],
    "coordination:case": [302, 403, 403, 403, 403, 200, 404, 200],
    "coordination:results": [302, 403, 403, 403, 403, 200, 404, 200],
    "coordination:settings": [302, 403, 403, 403, 403, 200, 404, 200],
}


@pytest.fixture
def world():
    edition = EvaluationEditionFactory()
    other_edition = EvaluationEditionFactory()
    assignment = AssignmentFactory(case__edition=edition)
    conflicted = EvaluatorFactory()
    conflicted_assignment = AssignmentFactory(case=assignment.case, evaluator=conflicted)
    ConflictFactory(case=assignment.case, evaluator=conflicted)
    staff = UserFactory(is_staff=True)
    staff.save()  # UserFactory saves the password only when it adds roles
    users = {
        "anonymous": None,
        "applicant": UserFactory(roles=[Role.APPLICANT]),
        "evaluator_assigned": assignment.evaluator,
        "evaluator_not_assigned": EvaluatorFactory(),
        "evaluator_conflicted": conflicted,
        "coordinator_here": CoordinatorFactory(editions=[edition]),
        "coordinator_elsewhere": CoordinatorFactory(editions=[other_edition]),
        "staff": staff,
    }
    return {
        "edition": edition,
        "assignment": assignment,
        "conflicted_assignment": conflicted_assignment,
        "users": users,
    }


def url_for(view, world, role):
    edition = world["edition"]
    assignment = world["assignment"]
    if role == "evaluator_conflicted":
        assignment = world["conflicted_assignment"]
    if view in ("coordination:editions", "evaluation:assignments", "evaluation:profile"):
        return reverse(view)
    if view.startswith("evaluation:"):
        return reverse(view, args=[assignment.pk])
    if view == "coordination:case":
        return reverse(view, args=[edition.slug, assignment.case.pk])
    return reverse(view, args=[edition.slug])


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_every_view_for_every_role(client, world, view, role_index):
    role = ROLES[role_index]
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    response = client.get(url_for(view, world, role))
    assert response.status_code == EXPECTED[view][role_index], (view, role)
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "view",
    [
        v
        for v in VIEWS
        if v not in ("coordination:editions", "evaluation:assignments", "evaluation:profile")
    ],
)
@pytest.mark.parametrize("role", ["applicant", "evaluator_not_assigned", "coordinator_elsewhere"])
def test_posts_are_refused_like_gets(client, world, view, role):
    client.force_login(world["users"][role])
    response = client.post(url_for(view, world, role), {"action": "conflicts"})
    assert response.status_code in (403, 404)


def test_coordinator_of_another_edition_does_not_see_it_listed(client, world):
    client.force_login(world["users"]["coordinator_elsewhere"])
    response = client.get(reverse("coordination:editions"))
    assert world["edition"].name not in response.content.decode()
    client.force_login(world["users"]["coordinator_here"])
    response = client.get(reverse("coordination:editions"))
    assert world["edition"].name in response.content.decode()


def test_conflicted_evaluator_never_sees_the_entry(client, world):
    client.force_login(world["users"]["evaluator_conflicted"])
    listing = client.get(reverse("evaluation:assignments")).content.decode()
    assert world["assignment"].case.title not in listing
    page = client.get(url_for("evaluation:review", world, "evaluator_conflicted"))
    assert page.status_code == 403
    assert world["assignment"].case.problem not in page.content.decode()
    assert "conflict of interest" in page.content.decode()
