"""Applicant accounts: registration, e-mail verification, organisations and memberships."""

import logging

from django.contrib.auth.models import Group
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.domain.notifications import absolute, send_templated_mail
from cases.domain.queries.access import (
    coordinator_emails,
    has_confirmed_address,
    member_emails,
    members_of,
)
from cases.models import (
    MembershipStatus,
    Organisation,
    OrganisationMembership,
    Role,
    User,
    normalise_name,
)

logger = logging.getLogger(__name__)

VERIFICATION_SALT = "cases.accounts.verify-email"
# A verification link works for three days; after that the user asks for a new one.
VERIFICATION_MAX_AGE = 60 * 60 * 24 * 3


class AccountError(Exception):
    """A request the account rules refuse; ``message`` is shown to the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class VerificationLinkExpired(AccountError):
    pass


class AddressNotConfirmed(AccountError):
    """Membership opens an organisation's applications and files: only to people who proved
    they own their address (anyone may type a colleague's)."""


class RequesterNotConfirmed(AccountError):
    """A request to join waits until the requester confirms their address."""


class OrganisationExists(AccountError):
    """The organisation is registered already (same country, same name but for case, spacing
    and punctuation): ``organisation`` is that one, for the user to ask to join."""

    def __init__(self, message, organisation):
        super().__init__(message)
        self.organisation = organisation


class OwnRequest(AccountError):
    """Nobody decides their own request to join an organisation, not even a coordinator."""


class VerificationLinkInvalid(AccountError):
    pass


def verification_token(user: User) -> str:
    # The address is signed too, so a link stops working when the address changes.
    return signing.dumps({"u": user.pk, "e": user.email}, salt=VERIFICATION_SALT)


def send_verification_email(*, user: User, link_base: str) -> None:
    link = absolute(
        link_base, reverse("accounts:verify", kwargs={"token": verification_token(user)})
    )
    send_templated_mail(
        name="verify_email",
        recipients=[user.email],
        context={"user": user, "link": link, "days": VERIFICATION_MAX_AGE // 86400},
    )


@transaction.atomic
def register_applicant(
    *,
    email: str,
    full_name: str,
    password: str,
    country: str = "",
    language: str = "",
    link_base: str,
) -> User:
    """Create an applicant account (not yet verified) and send the verification link.

    ``language`` is the interface language they registered in: their e-mails use it."""
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise AccountError(_("An account with this e-mail address already exists."))
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=email,
                password=password,
                full_name=full_name,
                country=country,
                language=language,
            )
    except IntegrityError as error:
        raise AccountError(_("An account with this e-mail address already exists.")) from error
    user.groups.add(Group.objects.get(name=Role.APPLICANT))
    send_verification_email(user=user, link_base=link_base)
    return user


@transaction.atomic
def verify_email(*, token: str) -> User:
    """Mark the address in a signed link as verified; a second use changes nothing."""
    try:
        data = signing.loads(token, salt=VERIFICATION_SALT, max_age=VERIFICATION_MAX_AGE)
    except signing.SignatureExpired as error:
        raise VerificationLinkExpired(
            _("This verification link has expired. Log in and ask for a new one.")
        ) from error
    except signing.BadSignature as error:
        raise VerificationLinkInvalid(
            _("This verification link is not valid. Check that you copied all of it.")
        ) from error
    user = (
        User.objects.select_for_update()
        .filter(pk=data.get("u"), email=data.get("e"), is_active=True)
        .first()
    )
    if user is None:
        raise VerificationLinkInvalid(
            _("This verification link does not belong to an active account.")
        )
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    return user


@transaction.atomic
def update_profile(*, user: User, full_name: str, country: str, language: str = "") -> User:
    user.full_name = full_name
    user.country = country
    user.language = language
    user.save(update_fields=["full_name", "country", "language"])
    return user


def save_language(*, user: User, language: str) -> User:
    """Remember the interface language the user chose (pages and the e-mails they receive)."""
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user


@transaction.atomic
def create_organisation(
    *, user: User, name: str, country: str, level: str, sector: str, website: str = ""
) -> Organisation:
    """Create an organisation; its creator is its first, approved member.

    A name already registered in that country (``normalise_name``) is refused with
    ``OrganisationExists``, so that nobody sets up a copy of a real organisation to attract its
    staff's requests.
    """
    existing = find_organisation(name=name, country=country)
    if existing is None:
        try:
            with transaction.atomic():
                organisation = Organisation.objects.create(
                    name=name, country=country, level=level, sector=sector, website=website
                )
        except IntegrityError:
            # Created by someone else between the look-up and the insert.
            existing = find_organisation(name=name, country=country)
    if existing is not None:
        raise OrganisationExists(
            _("%(name)s is already registered in this country: ask to join it instead.")
            % {"name": existing.name},
            existing,
        )
    # The creator is its first member and needs nobody's approval.
    membership = OrganisationMembership(user=user, organisation=organisation)
    membership.mark_approved(by=user)
    membership.save()
    return organisation


def find_organisation(*, name: str, country: str) -> Organisation | None:
    """The organisation of that country whose name matches but for case, spacing, punctuation."""
    return Organisation.objects.filter(
        country=country or "", normalised_name=normalise_name(name)
    ).first()


def decided_by_coordinators(organisation: Organisation) -> bool:
    """Without an approved (active) member, requests to join go to the award team."""
    return not members_of(organisation).exists()


def existing_membership(*, user: User, organisation: Organisation):
    return OrganisationMembership.objects.filter(user=user, organisation=organisation).first()


@transaction.atomic
def request_membership(
    *, user: User, organisation: Organisation, link_base: str
) -> OrganisationMembership:
    """Ask to join an organisation; its members are told by e-mail and one of them decides.

    An organisation without approved members has nobody to decide, so the coordinators (the
    award team) are told instead; they may decide any request on the same page.
    """
    if not has_confirmed_address(user):
        raise AddressNotConfirmed(
            _(
                "Confirm your e-mail address before asking to join an organisation: follow the "
                "link we sent to %(email)s, or ask for a new one on your profile."
            )
            % {"email": user.email}
        )
    existing = existing_membership(user=user, organisation=organisation)
    if existing is not None:
        if existing.is_approved:
            raise AccountError(_("You are already a member of this organisation."))
        raise AccountError(_("You have already asked to join this organisation."))
    try:
        # A double click sends two requests that both pass the check above; the unique
        # constraint stops the second, which is answered like any repeated request.
        with transaction.atomic():
            membership = OrganisationMembership.objects.create(
                user=user, organisation=organisation, status=MembershipStatus.PENDING
            )
    except IntegrityError as error:
        raise AccountError(_("You have already asked to join this organisation.")) from error
    recipients = member_emails(organisation)
    to_coordinators = not recipients
    if to_coordinators:
        recipients = coordinator_emails()
        if not recipients:
            logger.warning(
                "Nobody can decide the request of %s to join %s: the organisation has no "
                "approved member and the portal has no coordinator.",
                user.email,
                organisation.name,
            )
    context = {
        "requester": user,
        "organisation": organisation,
        "to_coordinators": to_coordinators,
        "link": absolute(link_base, reverse("accounts:membership_requests")),
    }
    send_templated_mail(name="membership_requested", recipients=recipients, context=context)
    return membership


@transaction.atomic
def decide_membership(
    *, membership: OrganisationMembership, decided_by: User, approve: bool, link_base: str
) -> OrganisationMembership | None:
    """Approve a pending request, or refuse it (the request is deleted so it may be made again).

    Returns the approved membership, or None when refused.
    """
    membership = (
        OrganisationMembership.objects.select_for_update()
        .select_related("user", "organisation")
        .get(pk=membership.pk)
    )
    if membership.status != MembershipStatus.PENDING:
        raise AccountError(_("This request has already been decided."))
    if membership.user_id == decided_by.pk:
        raise OwnRequest(
            _(
                "You cannot decide your own request to join %(organisation)s: another "
                "coordinator or a member of the organisation decides it."
            )
            % {"organisation": membership.organisation.name}
        )
    if approve and not has_confirmed_address(membership.user):
        raise RequesterNotConfirmed(
            _(
                "%(user)s has not confirmed the address %(email)s yet, so nobody can tell that "
                "it is theirs: the request can be approved once they have. You may refuse it."
            )
            % {"user": membership.user.get_full_name(), "email": membership.user.email}
        )
    context = {
        "user": membership.user,
        "organisation": membership.organisation,
        "approved": approve,
        "link": absolute(link_base, reverse("applications:dashboard")),
    }
    send_templated_mail(
        name="membership_decided", recipients=[membership.user.email], context=context
    )
    if not approve:
        membership.delete()
        return None
    membership.mark_approved(by=decided_by)
    membership.save(update_fields=["status", "decided_at", "decided_by"])
    return membership
