"""No form label ends with a colon, on the pages each audience fills in."""

import re

import pytest
from django.urls import reverse

from cases.domain.applications import SECTIONS
from tests.factories import (
    CaseFactory,
    CoordinatorFactory,
    EvaluationEditionFactory,
    MembershipFactory,
    PublishedCaseFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LABEL = re.compile(r"<label[^>]*>(.*?)</label>", re.S)


def _colon_labels(html: str) -> list[str]:
    found = []
    for raw in LABEL.findall(html):
        text = re.sub(r"<[^>]+>", "", raw).strip()
        if text.endswith(":"):
            found.append(text)
    return found


def test_public_and_account_forms_have_no_colon_labels(client):
    case = PublishedCaseFactory()
    pages = [
        reverse("login"),
        reverse("library:list"),
        case.get_absolute_url(),
        reverse("library:compare") + f"?cases={case.slug},{PublishedCaseFactory().slug}",
    ]
    pages += [reverse("accounts:register"), reverse("password_reset")]
    for page in pages:
        assert _colon_labels(client.get(page).content.decode()) == [], page


def test_signed_in_forms_have_no_colon_labels(client):
    from cases.models import Role

    user = UserFactory(roles=[Role.APPLICANT])
    membership = MembershipFactory(user=user)
    draft = CaseFactory(
        lead_organisation=membership.organisation,
        created_by=user,
        edition=EvaluationEditionFactory(),
    )
    client.force_login(user)
    pages = [
        reverse("library:collections"),
        reverse("applications:dashboard"),
        reverse("accounts:profile"),
        reverse("accounts:create_organisation"),
        reverse("accounts:join_organisation"),
    ]
    pages += [reverse("applications:edit", args=[draft.pk, section.slug]) for section in SECTIONS]
    for page in pages:
        response = client.get(page)
        assert _colon_labels(response.content.decode()) == [], page
    client.force_login(CoordinatorFactory())
    response = client.get(reverse("coordination:editions"))
    assert _colon_labels(response.content.decode()) == []


def test_evaluator_forms_have_no_colon_labels(client):
    from tests.factories import AssignmentFactory

    assignment = AssignmentFactory()
    client.force_login(assignment.evaluator)
    for page in (
        reverse("evaluation:review", args=[assignment.pk]),
        reverse("evaluation:declare_conflict", args=[assignment.pk]),
        reverse("evaluation:profile"),
    ):
        assert _colon_labels(client.get(page).content.decode()) == [], page
