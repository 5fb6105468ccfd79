import pytest
from django.core import mail, signing

from cases.domain import accounts
from cases.domain.queries.access import is_applicant
from cases.models import MembershipStatus, OrganisationMembership, Role, Sector, User
from tests.committing import committed
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def register(email="new@example.eu"):
    with committed():
        return accounts.register_applicant(
            email=email,
            full_name="Nina New",
            password="a-long-pass-phrase",
            link_base="https://p.example",
        )


def test_registration_creates_unverified_applicant_and_mails_a_link():
    user = register("Nina@Example.EU")
    assert user.email == "nina@example.eu"
    assert user.email_verified_at is None
    assert is_applicant(user)
    assert user.check_password("a-long-pass-phrase")
    (message,) = mail.outbox
    assert message.to == ["nina@example.eu"]
    assert "https://p.example/accounts/verify/" in message.body


def test_duplicate_address_refused():
    register()
    with pytest.raises(accounts.AccountError, match="already exists"):
        register("NEW@example.eu")


def test_verification_link_verifies_once_and_stays_harmless():
    user = register()
    token = accounts.verification_token(user)
    verified = accounts.verify_email(token=token)
    first = verified.email_verified_at
    assert first is not None
    again = accounts.verify_email(token=token)
    assert again.email_verified_at == first


def test_expired_link_refused(settings, monkeypatch):
    user = register()
    token = accounts.verification_token(user)
    monkeypatch.setattr(accounts, "VERIFICATION_MAX_AGE", -1)
    with pytest.raises(accounts.VerificationLinkExpired):
        accounts.verify_email(token=token)


def test_tampered_link_refused():
    user = register()
    with pytest.raises(accounts.VerificationLinkInvalid):
        accounts.verify_email(token=accounts.verification_token(user) + "x")
    forged = signing.dumps({"u": user.pk, "e": user.email}, salt="another-salt")
    with pytest.raises(accounts.VerificationLinkInvalid):
        accounts.verify_email(token=forged)


def test_link_dies_when_address_changes():
    user = register()
    token = accounts.verification_token(user)
    User.objects.filter(pk=user.pk).update(email="changed@example.eu")
    with pytest.raises(accounts.VerificationLinkInvalid):
        accounts.verify_email(token=token)


def test_create_organisation_makes_creator_an_approved_member():
    user = UserFactory(roles=[Role.APPLICANT])
    organisation = accounts.create_organisation(
        user=user, name="Province of Utrecht", country="NL", level="regional", sector=Sector.PUBLIC
    )
    membership = OrganisationMembership.objects.get(user=user, organisation=organisation)
    assert membership.status == MembershipStatus.APPROVED


def test_membership_request_mails_members_and_decision_mails_requester():
    organisation = OrganisationFactory()
    member = MembershipFactory(organisation=organisation).user
    newcomer = UserFactory(roles=[Role.APPLICANT])
    with committed():
        membership = accounts.request_membership(
            user=newcomer, organisation=organisation, link_base="https://p.example"
        )
    assert membership.status == MembershipStatus.PENDING
    assert mail.outbox[0].to == [member.email]
    assert "https://p.example/accounts/memberships/" in mail.outbox[0].body

    with pytest.raises(accounts.AccountError, match="already asked"):
        accounts.request_membership(user=newcomer, organisation=organisation, link_base="x")

    mail.outbox.clear()
    with committed():
        accounts.decide_membership(
            membership=membership, decided_by=member, approve=True, link_base="https://p.example"
        )
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.APPROVED
    assert membership.decided_by == member
    assert mail.outbox[0].to == [newcomer.email]
    assert "You are now a member" in mail.outbox[0].subject
    assert "https://p.example/apply/" in mail.outbox[0].body

    with pytest.raises(accounts.AccountError, match="already been decided"):
        accounts.decide_membership(
            membership=membership, decided_by=member, approve=False, link_base="x"
        )


def test_refused_request_is_removed_so_it_may_be_asked_again():
    organisation = OrganisationFactory()
    member = MembershipFactory(organisation=organisation).user
    newcomer = UserFactory()
    membership = accounts.request_membership(
        user=newcomer, organisation=organisation, link_base="x"
    )
    with committed():
        refused = accounts.decide_membership(
            membership=membership, decided_by=member, approve=False, link_base="x"
        )
    assert refused is None
    assert not OrganisationMembership.objects.filter(user=newcomer).exists()
    assert "not approved" in mail.outbox[-1].subject


def test_failing_mail_server_does_not_undo_the_registration(settings):
    settings.EMAIL_BACKEND = "tests.applications.failing_mail.Backend"
    user = register()
    assert User.objects.filter(pk=user.pk).exists()
