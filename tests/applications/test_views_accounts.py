import re

import pytest
from django.core import mail
from django.urls import reverse

from cases.domain import accounts
from cases.domain.queries.access import is_applicant
from cases.models import MembershipStatus, Organisation, OrganisationMembership, Role, User
from tests.committing import committed
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

REGISTRATION = {
    "full_name": "Nina Novak",
    "email": "nina@city.example",
    "country": "SI",
    "password1": "tram-lantern-quietly-47",
    "password2": "tram-lantern-quietly-47",
}


def verification_link(message):
    return re.search(r"https?://\S+/accounts/verify/\S+/", message.body).group(0)


def test_register_logs_in_and_mails_a_working_link(client):
    with committed():
        response = client.post(reverse("accounts:register"), REGISTRATION)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    user = User.objects.get(email="nina@city.example")
    assert is_applicant(user)
    assert user.email_verified_at is None
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert "not confirmed" in profile

    (message,) = mail.outbox
    assert message.to == ["nina@city.example"]
    assert "Confirm your e-mail address" in message.subject
    link = verification_link(message)
    assert link.startswith("http://testserver/accounts/verify/")
    response = client.get(link.replace("http://testserver", ""), follow=True)
    assert "is confirmed" in response.content.decode()
    user.refresh_from_db()
    assert user.email_verified_at is not None


def test_registration_errors_keep_the_input(client):
    UserFactory(email="taken@city.example")
    data = {**REGISTRATION, "email": "taken@city.example", "password2": "different-words-12"}
    response = client.post(reverse("accounts:register"), data)
    assert response.status_code == 400
    content = response.content.decode()
    assert "already exists" in content
    assert "The two passwords differ." in content
    assert "Nina Novak" in content
    assert mail.outbox == []


def test_weak_password_refused(client):
    data = {**REGISTRATION, "password1": "12345678", "password2": "12345678"}
    response = client.post(reverse("accounts:register"), data)
    assert response.status_code == 400
    assert "too common" in response.content.decode()


def test_bad_verification_link_is_400(client):
    response = client.get(reverse("accounts:verify", kwargs={"token": "not-a-token"}))
    assert response.status_code == 400
    assert "not valid" in response.content.decode()


def test_expired_verification_link_offers_a_new_one(client, monkeypatch):
    user = UserFactory(email_verified_at=None, roles=[Role.APPLICANT])
    token = accounts.verification_token(user)
    monkeypatch.setattr(accounts, "VERIFICATION_MAX_AGE", -1)
    client.force_login(user)
    response = client.get(reverse("accounts:verify", kwargs={"token": token}))
    assert response.status_code == 400
    content = response.content.decode()
    assert "expired" in content
    assert reverse("accounts:resend_verification") in content


def test_resend_verification(client):
    user = UserFactory(email_verified_at=None, roles=[Role.APPLICANT])
    client.force_login(user)
    with committed():
        response = client.post(reverse("accounts:resend_verification"))
    assert response.status_code == 302
    assert mail.outbox[0].to == [user.email]


def test_profile_update(client):
    user = UserFactory(roles=[Role.APPLICANT])
    client.force_login(user)
    response = client.post(reverse("accounts:profile"), {"full_name": "New Name", "country": "FR"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.full_name == "New Name"


def test_account_pages_need_login(client):
    for name in (
        "accounts:profile",
        "accounts:create_organisation",
        "accounts:join_organisation",
        "accounts:membership_requests",
    ):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_create_organisation(client):
    user = UserFactory(roles=[Role.APPLICANT])
    client.force_login(user)
    response = client.post(
        reverse("accounts:create_organisation"),
        {"name": "Region of Murcia", "country": "ES", "level": "regional", "sector": "public"},
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Region of Murcia")
    assert OrganisationMembership.objects.get(organisation=organisation).user == user


def test_create_public_organisation_needs_a_level(client):
    client.force_login(UserFactory(roles=[Role.APPLICANT]))
    response = client.post(
        reverse("accounts:create_organisation"),
        {"name": "Somewhere", "country": "ES", "level": "", "sector": "public"},
    )
    assert response.status_code == 400
    assert "Choose the level of government" in response.content.decode()


def test_organisation_pages_only_for_applicants(client):
    client.force_login(UserFactory(roles=[Role.EVALUATOR]))
    assert client.get(reverse("accounts:create_organisation")).status_code == 403
    assert client.get(reverse("accounts:join_organisation")).status_code == 403


def test_join_and_approval_by_a_member(client):
    organisation = OrganisationFactory(name="Town of Tartu")
    member = MembershipFactory(
        organisation=organisation, user=UserFactory(roles=[Role.APPLICANT])
    ).user
    newcomer = UserFactory(roles=[Role.APPLICANT])

    client.force_login(newcomer)
    search = client.get(reverse("accounts:join_organisation"), {"q": "tartu"})
    assert list(search.context["page_obj"]) == [organisation]
    with committed():
        response = client.post(
            reverse("accounts:join_organisation"), {"organisation": organisation.pk}
        )
    assert response.status_code == 302
    membership = OrganisationMembership.objects.get(user=newcomer)
    assert membership.status == MembershipStatus.PENDING
    assert mail.outbox[0].to == [member.email]

    # A member of another organisation cannot decide, and does not even see the request.
    stranger = MembershipFactory(user=UserFactory(roles=[Role.APPLICANT])).user
    client.force_login(stranger)
    assert list(client.get(reverse("accounts:membership_requests")).context["page_obj"]) == []
    decide = reverse("accounts:decide_membership", kwargs={"pk": membership.pk})
    assert client.post(decide, {"decision": "approve"}).status_code == 404
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.PENDING

    client.force_login(member)
    listed = client.get(reverse("accounts:membership_requests"))
    assert list(listed.context["page_obj"]) == [membership]
    with committed():
        assert client.post(decide, {"decision": "approve"}).status_code == 302
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.APPROVED
    assert mail.outbox[-1].to == [newcomer.email]


def test_coordinator_may_decide_any_request(client):
    coordinator = UserFactory(roles=[Role.COORDINATOR])
    membership = MembershipFactory(status=MembershipStatus.PENDING)
    client.force_login(coordinator)
    assert membership in client.get(reverse("accounts:membership_requests")).context["page_obj"]
    response = client.post(
        reverse("accounts:decide_membership", kwargs={"pk": membership.pk}), {"decision": "refuse"}
    )
    assert response.status_code == 302
    assert not OrganisationMembership.objects.filter(pk=membership.pk).exists()


def test_membership_decision_needs_a_valid_choice(client):
    coordinator = UserFactory(roles=[Role.COORDINATOR])
    membership = MembershipFactory(status=MembershipStatus.PENDING)
    client.force_login(coordinator)
    url = reverse("accounts:decide_membership", kwargs={"pk": membership.pk})
    response = client.post(url, {"decision": "maybe"}, follow=True)
    assert "Choose to approve or to refuse" in response.content.decode()
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.PENDING
    assert client.get(url).status_code == 405


def test_joining_twice_is_refused_with_a_message(client):
    organisation = OrganisationFactory()
    user = UserFactory(roles=[Role.APPLICANT])
    MembershipFactory(user=user, organisation=organisation)
    client.force_login(user)
    response = client.post(
        reverse("accounts:join_organisation"), {"organisation": organisation.pk}, follow=True
    )
    assert "already a member" in response.content.decode()
    assert (
        client.post(reverse("accounts:join_organisation"), {"organisation": 99999}).status_code
        == 404
    )
