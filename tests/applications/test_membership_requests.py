"""Requests to join an organisation without members reach the coordinators, who decide them."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from cases.domain import accounts
from cases.models import MembershipStatus, OrganisationMembership, Role
from tests.committing import committed
from tests.factories import EditionFactory, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def award_team(db):
    """Two coordinators (one by role, one as staff) and people who must not be told."""
    return {
        "coordinator": UserFactory(roles=[Role.COORDINATOR], email="cora@award.example"),
        "staff": UserFactory(is_staff=True, email="stan@award.example"),
        "retired": UserFactory(
            roles=[Role.COORDINATOR], is_active=False, email="old@award.example"
        ),
        "evaluator": UserFactory(roles=[Role.EVALUATOR], email="eva@award.example"),
    }


def request(organisation, user=None):
    user = user or UserFactory(roles=[Role.APPLICANT], full_name="Nina Newcomer")
    with committed():
        return accounts.request_membership(
            user=user, organisation=organisation, link_base="https://p.example"
        )


def test_request_to_an_organisation_without_members_mails_the_coordinators(award_team):
    organisation = OrganisationFactory(name="Town of Tartu")
    request(organisation)
    assert sorted(m.to[0] for m in mail.outbox) == ["cora@award.example", "stan@award.example"]
    body = mail.outbox[0].body
    assert "Nina Newcomer" in body
    assert "Town of Tartu has no approved member yet, so the award team decides" in body
    assert "https://p.example/accounts/memberships/" in body


def test_request_to_an_organisation_with_members_mails_only_the_members(award_team):
    organisation = OrganisationFactory()
    member = MembershipFactory(organisation=organisation).user
    request(organisation)
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "award team decides" not in mail.outbox[0].body


def test_inactive_members_do_not_count_as_deciders(award_team):
    organisation = OrganisationFactory()
    MembershipFactory(organisation=organisation, user=UserFactory(is_active=False))
    assert accounts.decided_by_coordinators(organisation)
    request(organisation)
    assert sorted(m.to[0] for m in mail.outbox) == ["cora@award.example", "stan@award.example"]


def test_pending_members_do_not_count_as_deciders(award_team):
    organisation = OrganisationFactory()
    MembershipFactory(organisation=organisation, status=MembershipStatus.PENDING)
    assert accounts.decided_by_coordinators(organisation)
    request(organisation)
    assert len(mail.outbox) == 2


def test_join_page_says_who_decides(client, award_team):
    lonely = OrganisationFactory(name="Village of Ö")
    staffed = OrganisationFactory(name="City of Graz")
    MembershipFactory(organisation=staffed)
    client.force_login(UserFactory(roles=[Role.APPLICANT]))

    response = client.post(
        reverse("accounts:join_organisation"), {"organisation": lonely.pk}, follow=True
    )
    content = response.content.decode()
    assert "Village of Ö has no approved member yet" in content
    assert "sent to the award team&#x27;s coordinators: one of them will decide" in content

    response = client.post(
        reverse("accounts:join_organisation"), {"organisation": staffed.pk}, follow=True
    )
    content = response.content.decode()
    assert "sent to its members: one of them will decide" in content
    assert "award team" not in content


def test_coordinator_follows_the_mailed_link_and_approves(client, award_team):
    organisation = OrganisationFactory(name="Town of Tartu")
    newcomer = UserFactory(roles=[Role.APPLICANT], full_name="Nina Newcomer")
    membership = request(organisation, newcomer)
    link = re.search(r"https://p\.example(\S+)", mail.outbox[0].body).group(1)

    client.force_login(award_team["coordinator"])
    page = client.get(link)
    assert page.status_code == 200
    content = page.content.decode()
    assert "Requests to join organisations" in content
    assert "As a coordinator you may decide every request" in content
    assert list(page.context["page_obj"]) == [membership]
    assert 'Town of Tartu <span class="badge">no member yet</span>' in content

    mail.outbox.clear()
    with committed():
        response = client.post(
            reverse("accounts:decide_membership", kwargs={"pk": membership.pk}),
            {"decision": "approve"},
        )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.APPROVED
    assert membership.decided_by == award_team["coordinator"]
    assert mail.outbox[0].to == [newcomer.email]
    # From now on the new member decides the next requests, not the award team.
    assert not accounts.decided_by_coordinators(organisation)


def test_members_see_their_own_wording_without_the_coordinator_text(client):
    organisation = OrganisationFactory()
    member = MembershipFactory(organisation=organisation, user=UserFactory(roles=[Role.APPLICANT]))
    MembershipFactory(organisation=organisation, status=MembershipStatus.PENDING)
    client.force_login(member.user)
    content = client.get(reverse("accounts:membership_requests")).content.decode()
    assert "Requests to join your organisations" in content
    assert "As a coordinator" not in content
    assert "no member yet" not in content


def test_coordinator_editions_page_links_the_waiting_requests(client, award_team):
    EditionFactory()
    MembershipFactory(status=MembershipStatus.PENDING)
    MembershipFactory(status=MembershipStatus.PENDING)
    MembershipFactory(status=MembershipStatus.APPROVED)
    client.force_login(award_team["staff"])
    response = client.get(reverse("coordination:editions"))
    assert response.status_code == 200
    content = response.content.decode()
    assert f'<a href="{reverse("accounts:membership_requests")}">' in content
    assert "Requests to join organisations</a>: 2 waiting" in content
    assert OrganisationMembership.objects.count() == 3


def test_coordinator_editions_page_links_the_requests_even_without_editions(client, award_team):
    client.force_login(award_team["coordinator"])
    content = client.get(reverse("coordination:editions")).content.decode()
    assert "Requests to join organisations</a>: 0 waiting" in content


def test_a_coordinator_cannot_approve_their_own_request(client, award_team):
    organisation = OrganisationFactory(name="Town of Tartu")
    coordinator = award_team["coordinator"]
    membership = request(organisation, coordinator)

    with pytest.raises(accounts.OwnRequest, match="your own request"):
        accounts.decide_membership(
            membership=membership, decided_by=coordinator, approve=True, link_base="x"
        )

    client.force_login(coordinator)
    assert list(client.get(reverse("accounts:membership_requests")).context["page_obj"]) == []
    mail.outbox.clear()
    with committed():
        response = client.post(
            reverse("accounts:decide_membership", kwargs={"pk": membership.pk}),
            {"decision": "approve"},
        )
    assert response.status_code == 403
    assert "You cannot decide your own request to join Town of Tartu" in (response.content.decode())
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.PENDING
    assert mail.outbox == []

    # Another coordinator may decide it.
    client.force_login(award_team["staff"])
    with committed():
        response = client.post(
            reverse("accounts:decide_membership", kwargs={"pk": membership.pk}),
            {"decision": "approve"},
        )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.APPROVED
    assert membership.decided_by == award_team["staff"]


def test_a_double_click_on_join_is_answered_not_a_500(client, monkeypatch):
    organisation = OrganisationFactory(name="Town of Tartu")
    MembershipFactory(organisation=organisation)
    newcomer = UserFactory(roles=[Role.APPLICANT])
    first = request(organisation, newcomer)
    # The second click passed the "already asked?" check before the first one was stored.
    monkeypatch.setattr(accounts, "existing_membership", lambda **kwargs: None)
    mail.outbox.clear()

    with committed(), pytest.raises(accounts.AccountError, match="already asked"):
        request(organisation, newcomer)

    client.force_login(newcomer)
    with committed():
        response = client.post(
            reverse("accounts:join_organisation"), {"organisation": organisation.pk}, follow=True
        )
    assert response.status_code == 200
    assert "You have already asked to join this organisation." in response.content.decode()
    assert list(OrganisationMembership.objects.filter(user=newcomer)) == [first]
    assert mail.outbox == []  # the members were told once, by the first request
