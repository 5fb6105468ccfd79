"""The access policy's roles, stated as a table, and the declarations of the views.

The roles are decided once in ``cases.domain.queries.access``; every place that asks about a
role (predicates, navigation, the coordinator e-mails, the admin's choice of coordinators, the
evaluator pool) must give the same answer, which the table below holds them to.
"""

import pytest
import rules
from django.contrib.admin.sites import site
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver
from rules.permissions import permissions as registered_permissions

from cases.domain.queries import access
from cases.interfaces.navigation import navigation_items
from cases.models import Edition
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# who -> (factory arguments or None for anonymous,
#         applicant, evaluator, coordinator, staff, coordinates every edition)
ROLES = {
    "anonymous": (None, False, False, False, False, False),
    "no role": ({}, False, False, False, False, False),
    "applicant": ({"roles": ["applicant"]}, True, False, False, False, False),
    "evaluator": ({"roles": ["evaluator"]}, False, True, False, False, False),
    "coordinator": ({"roles": ["coordinator"]}, False, False, True, False, False),
    "staff": ({"is_staff": True}, False, False, True, True, True),
    "superuser": ({"is_staff": True, "is_superuser": True}, False, False, True, True, True),
    "superuser, not staff": ({"is_superuser": True}, False, False, False, False, False),
    "evaluator and coordinator": (
        {"roles": ["evaluator", "coordinator"]},
        False,
        True,
        True,
        False,
        False,
    ),
    "inactive coordinator": (
        {"roles": ["coordinator"], "is_active": False},
        False,
        False,
        False,
        False,
        False,
    ),
    "inactive staff": ({"is_staff": True, "is_active": False}, False, False, False, False, False),
}


def _admin_coordinator_choices():
    request = RequestFactory().get("/admin/")
    model_admin = site._registry[Edition]
    field = model_admin.formfield_for_manytomany(Edition._meta.get_field("coordinators"), request)
    return field.queryset


@pytest.mark.parametrize("who", list(ROLES))
def test_roles_agree_everywhere(who):
    arguments, applicant, evaluator, coordinator, staff, every_edition = ROLES[who]
    user = AnonymousUser() if arguments is None else UserFactory(**arguments)
    assert access.role_table(user) == {
        "applicant": applicant,
        "evaluator": evaluator,
        "coordinator": coordinator,
        "staff": staff,
    }
    # The permissions of the areas say the same.
    assert rules.has_perm("cases.use_applicant_area", user) == applicant
    assert rules.has_perm("cases.view_evaluation", user) == evaluator
    assert rules.has_perm("cases.coordinate", user) == coordinator
    # So does the header: a link exactly when the area opens.
    names = {item["name"] for item in navigation_items(user)}
    assert ("applications:dashboard" in names) == applicant
    assert ("evaluation:assignments" in names) == evaluator
    assert ("coordination:editions" in names) == coordinator
    assert ("admin" in names) == staff
    if arguments is None:
        return
    # And the lists: the evaluator pool, the coordinators (e-mails, the admin's choice).
    assert access.evaluator_pool().filter(pk=user.pk).exists() == evaluator
    assert access.coordinators().filter(pk=user.pk).exists() == coordinator
    assert (user.email in access.coordinator_emails()) == coordinator
    assert _admin_coordinator_choices().filter(pk=user.pk).exists() == coordinator
    # Which editions: staff all, a coordinator those that list them, nobody else any.
    listed, unlisted = Edition.objects.create(slug="listed"), Edition.objects.create(slug="other")
    listed.coordinators.add(user)
    coordinated = set(access.editions_coordinated_by(user))
    assert (listed in coordinated) == coordinator
    assert (unlisted in coordinated) == every_edition
    assert rules.has_perm("cases.coordinate_edition", user, unlisted) == every_edition


def test_user_has_perm_is_not_the_policy_for_superusers():
    """Django's ``user.has_perm`` says yes to a superuser for everything; the views ask the
    policy (``rules.has_perm``), which does not let a superuser score entries."""
    superuser = UserFactory(is_staff=True, is_superuser=True)
    assert superuser.has_perm("cases.view_evaluation")
    assert not rules.has_perm("cases.view_evaluation", superuser)


def _views(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = pattern.namespace or ""
            if namespace == "admin":
                continue
            yield from _views(pattern, f"{prefix}{namespace}:" if namespace else prefix)
        elif isinstance(pattern, URLPattern):
            yield f"{prefix}{pattern.name}", pattern.callback


# Django's own authentication views: not ours to decorate; the policy table covers them.
DJANGO_AUTH_VIEWS = {
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}


def test_every_view_declares_its_permission_and_every_permission_is_declared():
    declared = set()
    missing = []
    for name, callback in _views():
        if name in DJANGO_AUTH_VIEWS:
            continue
        permissions = getattr(callback, "permissions", None)
        if not permissions:
            missing.append(name)
            continue
        declared.update(permissions)
    assert not missing, (
        f"Views without a declared permission: {sorted(missing)}. Decorate them with "
        "cases.interfaces.permissions.permission_required."
    )
    ours = {name for name in registered_permissions if name.startswith("cases.")}
    assert ours - declared == set(), "Registered permissions that no view declares"
    assert declared - ours == set(), "Declared permissions that are not registered"


def test_the_cases_each_audience_may_know_about():
    from tests.factories import (
        AssignmentFactory,
        CaseFactory,
        CoordinatorFactory,
        EligibleCaseFactory,
        EvaluatorFactory,
        MembershipFactory,
        PublishedCaseFactory,
    )

    published = PublishedCaseFactory()
    draft = CaseFactory()
    eligible = EligibleCaseFactory()
    applicant = UserFactory(roles=["applicant"])
    MembershipFactory(user=applicant, organisation=draft.lead_organisation)
    evaluator = EvaluatorFactory()
    AssignmentFactory(case=eligible, evaluator=evaluator)
    coordinator = CoordinatorFactory(editions=[draft.edition, eligible.edition])
    expected = {
        AnonymousUser(): {published},
        applicant: {published, draft},
        evaluator: {published, eligible},
        coordinator: {published, eligible},  # not the draft: the applicant's own
        UserFactory(is_staff=True): {published, eligible},
    }
    for user, cases in expected.items():
        assert set(access.cases_visible_to(user)) == cases, user
