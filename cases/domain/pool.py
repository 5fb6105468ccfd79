"""The evaluator pool of an edition: invitations, answers, and who takes part in assignment.

A coordinator invites a person by e-mail: the invitation links the existing account with that
address, or creates one (without a password, chosen when accepting), gives it the evaluator
role and e-mails a personal link. The invited evaluator accepts (stating countries,
affiliations, expertise and conflicts with organisations) or declines. Only the accepted pool
of an edition is considered by assignment (``conflicts.evaluator_pool``).
"""

from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.domain.evaluation.audit import log_decision
from cases.domain.evaluation.conflicts import refresh_automatic_conflicts
from cases.domain.evaluation.errors import EvaluationError, InvalidInput, NotAllowed
from cases.domain.notifications import send_text_template, site_link
from cases.models import (
    DecisionAction,
    EvaluatorProfile,
    PoolMembership,
    PoolStatus,
    Role,
    User,
)
from cases.models.operations import new_token


class InvitationClosed(EvaluationError):
    status = 409
    default_message = _("This invitation has already been answered.")


def invitation_link(membership: PoolMembership) -> str:
    return site_link(reverse("evaluation:invitation", kwargs={"token": membership.token}))


@transaction.atomic
def invite_evaluator(*, edition, email: str, full_name: str = "", by) -> PoolMembership:
    """Invite a person to the edition's pool (again, if they had declined); e-mail the link.

    Idempotent: inviting someone already invited or accepted changes nothing and sends nothing.
    """
    email = User.objects.normalize_email(email or "").strip().lower()
    if not email or "@" not in email:
        raise InvalidInput(_("Enter the evaluator's e-mail address."))
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=None, full_name=full_name.strip())
    elif not user.is_active:
        raise NotAllowed(_("This account is deactivated; an administrator must reactivate it."))
    user.groups.add(Group.objects.get(name=Role.EVALUATOR))
    membership, created = PoolMembership.objects.select_for_update().get_or_create(
        edition=edition, evaluator=user, defaults={"invited_by": by}
    )
    if not created and membership.status != PoolStatus.DECLINED:
        return membership
    if not created:
        membership.status = PoolStatus.INVITED
        membership.token = new_token()
        membership.invited_by = by
        membership.invited_at = timezone.now()
        membership.responded_at = None
        membership.save()
    log_decision(
        edition=edition,
        actor=by,
        action=DecisionAction.EVALUATOR_INVITED,
        after=email,
    )
    send_text_template(
        template="pool/invitation",
        context={
            "edition": edition,
            "evaluator": user,
            "needs_password": not user.has_usable_password(),
            "link": invitation_link(membership),
        },
        recipients=[email],
    )
    return membership


def invitation_for(token: str) -> PoolMembership | None:
    return PoolMembership.objects.select_related("edition", "evaluator").filter(token=token).first()


@transaction.atomic
def answer_invitation(
    *,
    membership: PoolMembership,
    accept: bool,
    countries=(),
    affiliations=(),
    expertise=(),
    conflicting_organisations=(),
    password: str = "",
) -> PoolMembership:
    """Accept (with the evaluator's facts) or decline an invitation, once."""
    locked = PoolMembership.objects.select_for_update().get(pk=membership.pk)
    if locked.status != PoolStatus.INVITED:
        raise InvitationClosed
    user = locked.evaluator
    if accept and not user.has_usable_password():
        if not password:
            raise InvalidInput(_("Choose a password for your new account."))
        user.set_password(password)
        user.email_verified_at = user.email_verified_at or timezone.now()
        user.save(update_fields=["password", "email_verified_at"])
    locked.status = PoolStatus.ACCEPTED if accept else PoolStatus.DECLINED
    locked.responded_at = timezone.now()
    locked.save(update_fields=["status", "responded_at"])
    if accept:
        profile, _created = EvaluatorProfile.objects.get_or_create(user=user)
        if countries:
            profile.countries = sorted(set(map(str, profile.countries)) | set(countries))
            profile.save(update_fields=["countries"])
        if affiliations:
            profile.organisations.add(*affiliations)
        locked.expertise.set(expertise)
        locked.conflicting_organisations.set(conflicting_organisations)
        profile.preferred_categories.add(*expertise)
        refresh_automatic_conflicts(edition=locked.edition, evaluator_ids=[user.pk])
    return locked
