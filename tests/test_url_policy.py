"""Every URL of the portal, for every role and every state of an entry, against the policy.

How it works: ``test_every_url_has_an_entry`` walks the URL configuration (the Django admin
apart) and fails naming each URL that ``tests/policy_table.py`` does not describe. For each of
the six states, ``test_urls_answer_as_the_policy_table_says`` builds one world (an edition, an
entry in that state with a file, the people of ``ROLES``), then asks every URL with GET and POST
as every role and compares the answer with the table. Each request runs in a transaction that is
rolled back, so a POST that succeeds changes nothing for the next one. URLs whose answer does
not depend on the entry's state are asked in the ``published`` state only.

To add a URL, add its entry to ``TABLE`` in ``tests/policy_table.py`` (its docstring says how).
"""

import datetime
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from cases.models import (
    CaseImport,
    CaseStatus,
    EditionPhase,
    MembershipStatus,
    OutboundEmail,
    Outcome,
    PoolMembership,
    Role,
    User,
)
from tests.factories import (
    AssignmentFactory,
    AttachmentFactory,
    CaseFactory,
    CategoryFactory,
    ConflictFactory,
    CoordinatorFactory,
    CriterionFactory,
    EvaluationEditionFactory,
    EvaluatorFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.policy_table import LOGIN, OK, ROLES, STATES, TABLE

pytestmark = pytest.mark.django_db

LOGIN_PAGE = resolve_url(settings.LOGIN_URL)


def url_patterns(resolver=None, prefix=""):
    """(name, pattern) of every URL, ``namespace:name``; unnamed ones by their route."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from url_patterns(pattern, namespace)
        elif isinstance(pattern, URLPattern):
            yield f"{prefix}{pattern.name}" if pattern.name else str(pattern.pattern), pattern


def test_every_url_has_an_entry():
    names = {name for name, _pattern in url_patterns()}
    missing = sorted(names - set(TABLE))
    assert not missing, (
        f"URLs without an entry in tests/policy_table.py: {missing}. Add one per URL: who may "
        "GET and POST it (see the docstring of tests/policy_table.py)."
    )
    stale = sorted(set(TABLE) - names)
    assert not stale, f"Entries of tests/policy_table.py for URLs that no longer exist: {stale}"


# --- The world of one state ---------------------------------------------------------------------

PHASES = {
    "draft": EditionPhase.OPEN,
    "submitted": EditionPhase.ELIGIBILITY,
    "eligible": EditionPhase.ELIGIBILITY,
    "under_evaluation": EditionPhase.EVALUATION,
    "decided": EditionPhase.JURY,
    "published": EditionPhase.CLOSED,
}


@dataclass
class World:
    edition: object
    case: object
    attachment: object
    pending_request: object
    users: dict
    assignments: dict = field(default_factory=dict)
    criterion: object = None
    email: object = None  # an e-mail of the edition's outbox
    case_import: object = None  # an import the edition's coordinator checked
    invitation: object = None  # the assigned evaluator's invitation to the edition's pool


def build_world(state) -> World:
    now = timezone.now()
    edition = EvaluationEditionFactory(phase=PHASES[state])
    if state == "draft":
        edition.deadline = now + datetime.timedelta(days=30)
        edition.save(update_fields=["deadline"])
    other_edition = EvaluationEditionFactory()
    organisation = OrganisationFactory(name="City of Ghent", country="BE")
    applicant = UserFactory(roles=[Role.APPLICANT])
    MembershipFactory(user=applicant, organisation=organisation)
    other_applicant = UserFactory(roles=[Role.APPLICANT])
    MembershipFactory(user=other_applicant)
    unconfirmed = UserFactory(roles=[Role.APPLICANT], email_verified_at=None)
    MembershipFactory(user=unconfirmed, organisation=organisation, status=MembershipStatus.PENDING)
    requester = UserFactory(roles=[Role.APPLICANT])
    pending_request = MembershipFactory(
        user=requester, organisation=organisation, status=MembershipStatus.PENDING
    )
    status = {
        "draft": CaseStatus.DRAFT,
        "submitted": CaseStatus.SUBMITTED,
    }.get(state, CaseStatus.ELIGIBLE)
    case = CaseFactory(
        edition=edition,
        category=CategoryFactory(edition=edition),
        lead_organisation=organisation,
        created_by=applicant,
        status=status,
        submitted_at=None if state == "draft" else now - datetime.timedelta(days=40),
        registration_number="" if status != CaseStatus.ELIGIBLE else "TEST-0001",
        publication_consent=True,
    )
    if state in ("decided", "published"):
        case.outcome, case.place = Outcome.WINNER, 1
        case.save(update_fields=["outcome", "place"])
    if state == "published":
        edition.results_published_at = now
        edition.save(update_fields=["results_published_at"])
        case.is_published, case.published_at = True, now
        case.save(update_fields=["is_published", "published_at"])
    attachment = AttachmentFactory(case=case, is_public=True)
    assigned = EvaluatorFactory()
    conflicted = EvaluatorFactory()
    assignments = {
        "assigned_evaluator": AssignmentFactory(case=case, evaluator=assigned),
        "conflicted_evaluator": AssignmentFactory(case=case, evaluator=conflicted),
    }
    ConflictFactory(case=case, evaluator=conflicted)
    superuser = User.objects.create_superuser("root@example.eu", "correct-horse-battery")
    users = {
        "anonymous": None,
        "applicant": applicant,
        "other_applicant": other_applicant,
        "unconfirmed": unconfirmed,
        "assigned_evaluator": assigned,
        "unassigned_evaluator": EvaluatorFactory(),
        "conflicted_evaluator": conflicted,
        "coordinator": CoordinatorFactory(editions=[edition]),
        "other_coordinator": CoordinatorFactory(editions=[other_edition]),
        "staff": UserFactory(is_staff=True),
        "superuser": superuser,
    }
    email = OutboundEmail.objects.create(
        to=applicant.email, subject="Your entry", body="Hello", template="test", edition=edition
    )
    case_import = CaseImport.objects.create(
        source="test", file_name="cases.csv", created_by=users["coordinator"]
    )
    return World(
        edition=edition,
        case=case,
        attachment=attachment,
        pending_request=pending_request,
        users=users,
        assignments=assignments,
        criterion=CriterionFactory(edition=edition),
        email=email,
        case_import=case_import,
        invitation=PoolMembership.objects.create(edition=edition, evaluator=assigned),
    )


# --- Asking -------------------------------------------------------------------------------------


def _outcome(response):
    if response.status_code == 302 and response["Location"].startswith(LOGIN_PAGE):
        return LOGIN
    if response.status_code in (200, 301, 302, 400, 409):
        return OK
    return response.status_code


def _ask(client, method, url, data):
    cookies = SimpleCookie(client.cookies)
    with transaction.atomic():
        response = client.get(url) if method == "GET" else client.post(url, data or {})
        transaction.set_rollback(True)
    # A log-out or log-in changes the session cookie: the next request is the same person.
    client.cookies = cookies
    return response


@pytest.mark.parametrize("state", STATES)
def test_urls_answer_as_the_policy_table_says(state, settings, tmp_path):
    # Thousands of requests from one address: the API's throttle is not what is checked here.
    settings.API_ANON_RATE = "1000000/hour"
    # Nor are the rate limits of the forms that send mail (eleven roles post from one address).
    settings.RATELIMIT_ENABLE = False
    # No data package is built here, whatever other tests built elsewhere.
    settings.OPEN_DATA_ROOT = tmp_path / "open-data"
    cache.clear()
    world = build_world(state)
    clients = {}
    for role in ROLES:
        clients[role] = Client()
        if world.users[role] is not None:
            clients[role].force_login(world.users[role])
    wrong = []
    asked = 0
    for name, _pattern in url_patterns():
        entry = TABLE[name]
        if not entry.per_state and state != "published":
            continue
        for role in ROLES:
            url = _url(name, entry.args(world, role))
            data = entry.data(world) if entry.data else None
            for method in ("GET", "POST"):
                expected = entry.expected(role, state, method)
                got = _outcome(_ask(clients[role], method, url, data))
                asked += 1
                if got != expected:
                    wrong.append(f"{method} {name} ({url}) as {role}: {got}, expected {expected}")
    assert asked > 0
    assert not wrong, f"{len(wrong)} answers differ from the policy table in state {state}:\n" + (
        "\n".join(wrong)
    )


def _url(name, kwargs):
    if ":" not in name and name.endswith(".ico"):
        return "/" + name
    return reverse(name, kwargs=kwargs or None)
