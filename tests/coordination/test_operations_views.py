"""Outbox, evaluator pool, invitations and group messages, through their pages."""

import pytest
from django.core import mail
from django.urls import reverse

from cases.domain.notifications import send_after_commit
from cases.domain.pool import invite_evaluator
from cases.models import (
    Assignment,
    CaseStatus,
    DecisionAction,
    DecisionLog,
    EmailStatus,
    GroupMessage,
    OutboundEmail,
    PoolMembership,
    PoolStatus,
    Segment,
    User,
)
from tests.committing import committed
from tests.factories import (
    AssignmentFactory,
    CaseFactory,
    CategoryFactory,
    CoordinatorFactory,
    EligibleCaseFactory,
    EvaluationEditionFactory,
    EvaluatorFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

FAILING = "tests.applications.failing_mail.Backend"


@pytest.fixture
def edition():
    return EvaluationEditionFactory(slug="epsa-2026")


@pytest.fixture
def coordinator(edition):
    return CoordinatorFactory(editions=[edition])


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


def url(name, edition, *args):
    return reverse(f"coordination:{name}", args=[edition.slug, *args])


def failed_email(edition, settings):
    settings.EMAIL_BACKEND = FAILING
    with committed():
        send_after_commit(
            name="t", subject="Hello", body="B", recipients=["a@example.eu"], edition=edition
        )
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return OutboundEmail.objects.get()


# Permissions ------------------------------------------------------------------------------------

PAGES = [("outbox", "get"), ("pool", "get"), ("invite", "post"), ("messages", "get")]
PAGES += [("message_preview", "post"), ("message_send", "post")]


@pytest.mark.parametrize("name,method", PAGES)
def test_only_the_editions_coordinators_reach_the_pages(client, edition, name, method):
    response = getattr(client, method)(url(name, edition))
    assert response.status_code == 302 and "/login" in response["Location"]
    for outsider, status in ((CoordinatorFactory(), 404), (EvaluatorFactory(), 403)):
        client.force_login(outsider)
        assert getattr(client, method)(url(name, edition)).status_code == status
    assert OutboundEmail.objects.count() == 0 and PoolMembership.objects.count() == 0


def test_an_email_of_another_edition_is_not_found(coordinator_client, edition, settings):
    other = failed_email(EvaluationEditionFactory(), settings)
    assert coordinator_client.get(url("outbox_message", edition, other.pk)).status_code == 404
    assert coordinator_client.post(url("outbox_retry", edition, other.pk)).status_code == 404
    other.refresh_from_db()
    assert other.status == EmailStatus.FAILED


# Outbox -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 3])
def test_outbox_queries_do_not_grow(coordinator_client, edition, django_assert_num_queries, count):
    case = EligibleCaseFactory(edition=edition)
    with committed():
        send_after_commit(
            name="t",
            subject="S",
            body="B",
            recipients=[f"p{n}@example.eu" for n in range(count)],
            case=case,
        )
    with django_assert_num_queries(8):
        response = coordinator_client.get(url("outbox", edition))
    assert response.content.decode().count("p0@example.eu") == 1


def test_a_failed_email_shows_its_error_and_is_sent_again(coordinator_client, edition, settings):
    email = failed_email(edition, settings)
    page = coordinator_client.get(url("outbox", edition) + "?status=failed").content.decode()
    assert "Hello" in page and "mail server is down" in page
    with committed():
        response = coordinator_client.post(url("outbox_retry", edition, email.pk))
    assert response.status_code == 302
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert coordinator_client.post(url("outbox_retry", edition, email.pk)).status_code == 409


# Pool -------------------------------------------------------------------------------------------


def test_invite_a_new_person_who_accepts_with_a_password_and_is_assigned(
    client, coordinator_client, edition, coordinator
):
    category = CategoryFactory(edition=edition)
    conflicted = OrganisationFactory(name="Regional Agency of Somewhere")
    with committed():
        response = coordinator_client.post(
            url("invite", edition), {"email": "New.Expert@Example.eu", "full_name": "Nia Expert"}
        )
    assert response.status_code == 302
    membership = PoolMembership.objects.get()
    user = membership.evaluator
    assert user.email == "new.expert@example.eu" and not user.has_usable_password()
    assert membership.status == PoolStatus.INVITED
    assert DecisionLog.objects.filter(action=DecisionAction.EVALUATOR_INVITED).exists()
    (invitation,) = mail.outbox
    link = reverse("evaluation:invitation", args=[membership.token])
    assert link in invitation.body
    client.logout()
    assert client.get(link).status_code == 200
    accept = reverse("evaluation:accept_invitation", args=[membership.token])
    response = client.post(accept, {"countries": ["PT"], "expertise": [category.pk]})
    assert response.status_code == 400  # a password is needed for the new account
    response = client.post(
        accept,
        {
            "countries": ["PT"],
            "expertise": [category.pk],
            "conflicting_organisations": "regional agency of somewhere",
            "password": "a long enough secret",
        },
    )
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200  # logged in, as the new account
    membership.refresh_from_db()
    assert membership.status == PoolStatus.ACCEPTED
    assert list(membership.conflicting_organisations.all()) == [conflicted]
    user.refresh_from_db()
    assert user.check_password("a long enough secret")
    # Only the accepted pool is assigned: the invited evaluator gets the entry, a bystander not.
    EvaluatorFactory()
    case = EligibleCaseFactory(edition=edition)
    blocked = EligibleCaseFactory(edition=edition, lead_organisation=conflicted)
    coordinator_client.force_login(coordinator)
    coordinator_client.post(url("assign_automatic", edition), {"seed": "1"})
    assert list(Assignment.objects.values_list("case", "evaluator")) == [(case.pk, user.pk)]
    assert not Assignment.objects.filter(case=blocked).exists()
    client.force_login(user)
    assert client.post(accept, {"countries": ["PT"]}).status_code == 409


def test_an_existing_account_must_log_in_and_may_decline(client, edition, coordinator):
    person = UserFactory(email="known@example.eu")
    with committed():
        membership = invite_evaluator(edition=edition, email="known@example.eu", by=coordinator)
    assert membership.evaluator == person and person.groups.filter(name="evaluator").exists()
    link = reverse("evaluation:invitation", args=[membership.token])
    assert client.get(link).status_code == 302
    client.force_login(UserFactory())
    assert client.get(link).status_code == 403
    client.force_login(person)
    decline = reverse("evaluation:decline_invitation", args=[membership.token])
    assert client.post(decline).status_code == 200
    membership.refresh_from_db()
    assert membership.status == PoolStatus.DECLINED
    assert client.post(decline).status_code == 409
    assert client.get(reverse("evaluation:invitation", args=["nope"])).status_code == 404


def test_inviting_twice_sends_one_invitation(edition, coordinator):
    with committed():
        invite_evaluator(edition=edition, email="a@example.eu", by=coordinator)
        invite_evaluator(edition=edition, email="a@example.eu", by=coordinator)
    assert len(mail.outbox) == 1 and User.objects.filter(email="a@example.eu").count() == 1


@pytest.mark.parametrize("count", [1, 3])
def test_pool_queries_do_not_grow(coordinator_client, edition, django_assert_num_queries, count):
    for evaluator in EvaluatorFactory.create_batch(count, pools=[edition]):
        AssignmentFactory(case__edition=edition, evaluator=evaluator)
    with django_assert_num_queries(8):
        response = coordinator_client.get(url("pool", edition))
    assert response.status_code == 200
    assert response.content.decode().count('id="pool-') == count


# Messages ---------------------------------------------------------------------------------------


def test_message_to_a_segment_is_previewed_then_sent_and_logged(coordinator_client, edition):
    members = [MembershipFactory() for _ in range(2)]
    cases = [
        CaseFactory(edition=edition, status=CaseStatus.DRAFT, lead_organisation=m.organisation)
        for m in members
    ]
    EligibleCaseFactory(edition=edition)  # not in the segment
    data = {
        "segment": Segment.DRAFTS,
        "subject": "About {{ case_title }}",
        "body": "Dear {{ name }}, see {{ link }} before {{ deadline }}.",
        "preview_for": 1,
    }
    response = coordinator_client.post(url("message_preview", edition), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "2 recipients" in page and f"About {cases[1].title}" in page
    assert members[1].user.get_full_name() in page
    assert GroupMessage.objects.count() == 0 and mail.outbox == []
    assert coordinator_client.post(url("message_send", edition), data).status_code == 400
    with committed():
        response = coordinator_client.post(url("message_send", edition), data | {"confirm": "on"})
    assert response.status_code == 302
    message = GroupMessage.objects.get()
    assert message.recipient_count == 2 and message.emails.count() == 2
    assert sorted(m.subject for m in mail.outbox) == sorted(f"About {c.title}" for c in cases)
    assert DecisionLog.objects.filter(action=DecisionAction.MESSAGE_SENT).count() == 1
    assert (
        "About {{ case_title }}"
        in coordinator_client.get(url("messages", edition)).content.decode()
    )


def test_unknown_placeholders_and_empty_groups_are_refused(coordinator_client, edition):
    data = {"segment": Segment.NOMINEES, "subject": "Hi {{ nme }}", "body": "B"}
    response = coordinator_client.post(url("message_preview", edition), data)
    assert response.status_code == 400 and "nme" in response.content.decode()
    data["subject"] = "Hi"
    response = coordinator_client.post(url("message_preview", edition), data)
    assert response.status_code == 400 and "Nobody is in this group" in response.content.decode()
    assert 'value="Hi"' in response.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_messages_page_queries_do_not_grow(
    coordinator_client, edition, coordinator, django_assert_num_queries, count
):
    for number in range(count):
        GroupMessage.objects.create(
            edition=edition,
            segment=Segment.EVALUATORS,
            subject=f"S{number}",
            body="B",
            sent_by=coordinator,
            recipient_count=2,
        )
    with django_assert_num_queries(7):
        response = coordinator_client.get(url("messages", edition))
    assert response.content.decode().count('<tr><td class="nowrap">') == count
