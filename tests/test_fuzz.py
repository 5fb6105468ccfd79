"""Property-based fuzzing (hypothesis): arbitrary values in every form and every GET parameter
of the library and its exports never produce a server error.

Each page is fetched as the person who uses it; every form on it (its action and the names of
its inputs, read from the HTML) is then posted back with each field either kept as the page
filled it or replaced by a hostile value: any text, keys beyond 64 bits, dates that do not
exist, NUL characters, very long strings, several values for one name. Any answer but a 5xx is
fine: 200, a redirect, 400, 403, 404, 409 or 429 are the portal refusing or accepting input.

Every example runs inside a transaction that is rolled back, so each starts from the same data,
and with an empty cache, so rate limits do not hide what a form does. Example counts are modest
and the generation derandomized, so the run is fast and the same on every machine.
"""

import string
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.domain import applications as app
from cases.models import EditionPhase, MembershipStatus, Role
from tests.applications.conftest import fill_every_section
from tests.factories import (
    AssignmentFactory,
    CategoryFactory,
    CoordinatorFactory,
    EditionFactory,
    EligibleCaseFactory,
    EvaluationEditionFactory,
    EvaluatorFactory,
    MembershipFactory,
    OrganisationFactory,
    PublishedCaseFactory,
    SubmittedCaseFactory,
    UserFactory,
    ensure_seed_data,
)

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=5,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

HOSTILE = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=string.digits + "-+.eE", max_size=30),
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.sampled_from(
        [
            "",
            "abc",
            "0",
            "-1",
            "1e309",
            "NaN",
            "Infinity",
            str(2**63),
            str(2**64 + 1),
            "2024-02-30",
            "9999-12-31T25:61",
            "0000-00-00",
            "\x00",
            "a\x00b",
            "\u2800" * 50,
            "\u200b".join("word" for _ in range(400)),
            "x" * 5000,
            "word " * 2000,
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "%",
            "\\",
            '"',
            "on",
            "true",
            "eligible",
            "ineligible",
            "approve",
        ]
    ),
)


class FormReader(HTMLParser):
    """The POST forms of a page: action and {input name: [values as the page filled them]}."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self._current = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and (attributes.get("method") or "").lower() == "post":
            self._current = {"action": attributes.get("action") or "", "fields": {}}
            self.forms.append(self._current)
            return
        if self._current is None or not attributes.get("name"):
            if tag == "option" and self._select is not None:
                self._current["fields"].setdefault(self._select, [])
            return
        name = attributes["name"]
        if name == "csrfmiddlewaretoken":
            return
        values = self._current["fields"].setdefault(name, [])
        if tag == "input":
            kind = (attributes.get("type") or "text").lower()
            if kind in {"checkbox", "radio"}:
                if "checked" in attributes:
                    values.append(attributes.get("value") or "on")
            elif kind != "file":
                values.append(attributes.get("value") or "")
        elif tag == "select":
            self._select = name
        elif tag == "textarea":
            values.append("")

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None
        elif tag == "select":
            self._select = None


def post_forms(client, path):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    reader = FormReader()
    reader.feed(response.content.decode())
    forms = []
    for form in reader.forms:
        action = form["action"] or path
        # The header's log-out form would end the session the other forms need.
        if urlsplit(action).netloc or action == reverse("logout"):
            continue
        forms.append((action, form["fields"]))
    assert forms, f"{path} has no form to fuzz"
    return forms


def fuzzed(data, fields):
    """Each field kept as the page filled it, or a hostile value (or several)."""
    return {
        name: data.draw(
            st.one_of(
                st.just(original),
                HOSTILE.map(lambda value: [value]),
                st.lists(HOSTILE, min_size=2, max_size=3),
            ),
            label=name,
        )
        for name, original in fields.items()
    }


def send(client, method, path, payload):
    """One request inside a rolled-back transaction, with an empty cache; its status."""
    cache.clear()
    with transaction.atomic():
        response = getattr(client, method)(path, payload)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        transaction.set_rollback(True)
    return response.status_code


@pytest.fixture
def world():
    ensure_seed_data()
    open_edition = EditionFactory(slug="fuzz-open", phase=EditionPhase.OPEN)
    CategoryFactory(edition=open_edition)
    organisation = OrganisationFactory(country="BE")
    applicant = UserFactory(roles=[Role.APPLICANT])
    MembershipFactory(user=applicant, organisation=organisation, status=MembershipStatus.APPROVED)
    draft = app.start_application(user=applicant, edition=open_edition, organisation=organisation)
    draft = fill_every_section(draft, applicant, open_edition.categories.get())
    OrganisationFactory(name="Town of Aalst", country="BE")  # one to ask to join
    pending = UserFactory(roles=[Role.APPLICANT])
    MembershipFactory(user=pending, organisation=organisation, status=MembershipStatus.PENDING)

    evaluation = EvaluationEditionFactory(slug="fuzz-evaluation")
    CategoryFactory(edition=evaluation)
    evaluator = EvaluatorFactory()
    assignment = AssignmentFactory(
        case=EligibleCaseFactory(edition=evaluation), evaluator=evaluator
    )
    screening = EvaluationEditionFactory(slug="fuzz-screening", phase=EditionPhase.ELIGIBILITY)
    SubmittedCaseFactory(edition=screening)
    coordinator = CoordinatorFactory(editions=[open_edition, evaluation, screening])
    AccessAttempt.objects.create(  # a paused log-in, for the coordinators' unlock form
        username="locked@example.eu",
        ip_address="203.0.113.5",
        user_agent="fuzz",
        failures_since_start=20,
        attempt_time=timezone.now(),
        get_data="",
        post_data="",
        http_accept="",
        path_info="/accounts/login/",
    )
    PublishedCaseFactory(title="Shared services centre", country="BE")
    PublishedCaseFactory(title="Regional data hub", country="FI")
    return {
        "applicant": applicant,
        "evaluator": evaluator,
        "coordinator": coordinator,
        "draft": draft,
        "assignment": assignment,
    }


def pages(world):
    draft, assignment = world["draft"], world["assignment"]
    applicant_pages = [
        reverse("applications:edit", args=[draft.pk, section])
        for section in app.SECTION_FIELDS
        if section != app.ATTACHMENTS
    ] + [
        reverse("accounts:profile"),
        reverse("accounts:create_organisation"),
        reverse("accounts:join_organisation"),
        reverse("accounts:membership_requests"),
        reverse("applications:new", args=["fuzz-open"]),
        reverse("applications:review", args=[draft.pk]),
        reverse("applications:withdraw", args=[draft.pk]),
    ]
    coordinator_pages = [
        reverse(f"coordination:{name}", args=[slug])
        for name, slug in (
            ("dashboard", "fuzz-evaluation"),
            ("dashboard", "fuzz-screening"),
            ("eligibility", "fuzz-screening"),
            ("assignments", "fuzz-evaluation"),
            ("results", "fuzz-evaluation"),
            ("settings", "fuzz-evaluation"),
            ("settings", "fuzz-screening"),
        )
    ] + [reverse("coordination:lockouts")]
    return {
        None: [
            reverse("accounts:register"),
            reverse("login"),
            reverse("password_reset"),
        ],
        "applicant": applicant_pages,
        "evaluator": [
            reverse("evaluation:review", args=[assignment.pk]),
            reverse("evaluation:profile"),
        ],
        "coordinator": coordinator_pages,
    }


PAGE_KEYS = [
    (None, 0),
    (None, 1),
    (None, 2),
    *[("applicant", n) for n in range(14)],
    ("evaluator", 0),
    ("evaluator", 1),
    *[("coordinator", n) for n in range(8)],
]


@pytest.mark.parametrize(("who", "index"), PAGE_KEYS)
@FUZZ
@given(data=st.data())
def test_no_form_answers_a_server_error(world, who, index, data):
    client = Client()
    if who:
        client.force_login(world[who])
    path = pages(world)[who][index]
    for action, fields in post_forms(client, path):
        payload = fuzzed(data, fields)
        status = send(client, "post", action, payload)
        assert status < 500, (action, payload, status)


def test_the_page_list_covers_every_page(world):
    listed = pages(world)
    assert [(who, n) for who in listed for n in range(len(listed[who]))] == PAGE_KEYS


LIBRARY_PARAMETERS = [
    "q",
    "collaboration",
    "phase",
    "coproduction_level",
    "factor",
    "country",
    "gov_level",
    "sector",
    "edition",
    "category",
    "outcome",
    "stage",
    "year_from",
    "year_to",
    "sort",
    "page",
    "cases",
    "format",
]


@pytest.mark.parametrize(
    "name",
    [
        "library:list",
        "library:export_csv",
        "library:export_json",
        "library:compare",
        "library:stats",
        "library:export_fields",
    ],
)
@FUZZ
@given(
    parameters=st.dictionaries(
        st.sampled_from(LIBRARY_PARAMETERS), st.lists(HOSTILE, min_size=1, max_size=3)
    )
)
def test_no_library_or_export_query_answers_a_server_error(world, name, parameters):
    status = send(Client(), "get", reverse(name), parameters)
    assert status < 500, (name, parameters, status)


@FUZZ
@given(
    path=st.sampled_from(["eligibility", "assignments", "ranking", "results"]),
    parameters=st.dictionaries(
        st.sampled_from(["status", "page", "by", "category", "sort", "format", "flag"]),
        st.lists(HOSTILE, min_size=1, max_size=2),
    ),
)
def test_no_coordination_query_answers_a_server_error(world, path, parameters):
    client = Client()
    client.force_login(world["coordinator"])
    status = send(
        client, "get", reverse(f"coordination:{path}", args=["fuzz-evaluation"]), parameters
    )
    assert status < 500, (path, parameters, status)
