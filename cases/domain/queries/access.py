"""Who may see and do what: the portal's access policy, written once.

Everything that decides access asks this module: the django-rules predicates of
``cases/rules.py`` (``<queryset>(user).filter(pk=obj.pk).exists()``), hence every view's
declared permission, the lists the views show, the domain guards, the e-mail recipients and
the admin.

Roles, decided once:

- **applicant**: an active user in the ``applicant`` group. Applicants act for the
  organisations they are an *approved member* of (``organisations_of``).
- **evaluator**: an active user in the ``evaluator`` group. The evaluator pool (whom
  automatic assignment draws from) is exactly these users: superusers and staff are not
  evaluators unless they are in the group, because evaluators are independent experts.
- **coordinator**: an active user in the ``coordinator`` group, or staff. A coordinator
  coordinates the editions that list them among their coordinators; staff coordinate every
  edition.
- **staff**: an active user with ``is_staff``: the award team, the people the Django admin
  lets in. A superuser is staff with every permission *in the admin*; in the portal itself a
  superuser is staff like any other (``create_superuser`` sets both flags): in particular they
  read no draft and score no entry, and a superuser without the staff flag is nobody special.

Inactive users have no role at all. These functions are reads: they return querysets (or
booleans built from the same rules), never change anything.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from cases.domain.queries.library import published_cases
from cases.models import (
    Assignment,
    Attachment,
    Case,
    CaseStatus,
    Collection,
    Conflict,
    Edition,
    MembershipStatus,
    Organisation,
    OrganisationMembership,
    PoolMembership,
    PoolStatus,
    Role,
    User,
)

# --- Roles -------------------------------------------------------------------------------------


def is_signed_in(user) -> bool:
    """A signed-in, active user: the least any role needs."""
    return bool(user is not None and user.is_authenticated and user.is_active)


def has_confirmed_address(user) -> bool:
    """The user followed the link sent to their address: they own it."""
    return is_signed_in(user) and user.email_verified_at is not None


def is_staff_member(user) -> bool:
    """The award team: the users the Django admin lets in."""
    return is_signed_in(user) and bool(user.is_staff)


def has_role(user, role: Role) -> bool:
    """Membership of a role's group; the groups of a request's user are read once."""
    return is_signed_in(user) and role in user.role_names


def is_applicant(user) -> bool:
    return has_role(user, Role.APPLICANT)


def is_evaluator(user) -> bool:
    return has_role(user, Role.EVALUATOR)


def is_coordinator(user) -> bool:
    return has_role(user, Role.COORDINATOR) or is_staff_member(user)


def coordinators() -> QuerySet:
    """Every coordinator (the same people ``is_coordinator`` accepts)."""
    return (
        User.objects.filter(is_active=True)
        .filter(Q(groups__name=Role.COORDINATOR) | Q(is_staff=True))
        .distinct()
    )


def evaluator_pool(edition=None) -> QuerySet:
    """Everyone who may be asked to evaluate (the same people ``is_evaluator`` accepts); for an
    edition, only those who accepted the invitation to its pool: the only evaluators its
    assignment considers (``cases.domain.pool``)."""
    evaluators = User.objects.filter(is_active=True, groups__name=Role.EVALUATOR)
    if edition is not None:
        evaluators = evaluators.filter(
            pool_memberships__edition=edition, pool_memberships__status=PoolStatus.ACCEPTED
        )
    return evaluators.distinct()


def role_table(user) -> dict[str, bool]:
    """The user's roles by name, as the role test and the navigation read them."""
    return {
        "applicant": is_applicant(user),
        "evaluator": is_evaluator(user),
        "coordinator": is_coordinator(user),
        "staff": is_staff_member(user),
    }


# --- Organisations and memberships ---------------------------------------------------------


def approved_memberships() -> QuerySet:
    """Memberships that give access: approved, of an active user."""
    return OrganisationMembership.objects.filter(
        status=MembershipStatus.APPROVED, user__is_active=True
    )


def pending_memberships() -> QuerySet:
    return OrganisationMembership.objects.filter(status=MembershipStatus.PENDING)


def organisations_of(user) -> QuerySet:
    """The organisations the user is an approved member of (any role)."""
    if not is_signed_in(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(
        pk__in=approved_memberships().filter(user=user).values("organisation_id")
    )


def members_of(organisation) -> QuerySet:
    """The active, approved members of an organisation."""
    return User.objects.filter(
        pk__in=approved_memberships().filter(organisation=organisation).values("user_id")
    )


def member_emails(organisation) -> list[str]:
    return list(members_of(organisation).order_by("email").values_list("email", flat=True))


def coordinator_emails() -> list[str]:
    return list(coordinators().order_by("email").values_list("email", flat=True))


def membership_requests_decidable_by(user) -> QuerySet:
    """Pending requests the user may decide: those to their organisations, or, for a
    coordinator, every one (organisations without members have nobody else). Never their own."""
    if not is_signed_in(user):
        return OrganisationMembership.objects.none()
    pending = pending_memberships().exclude(user=user)
    if is_coordinator(user):
        return pending
    return pending.filter(organisation__in=organisations_of(user))


def organisations_decidable_by(user) -> QuerySet:
    """Organisations whose requests to join the user may decide."""
    if is_coordinator(user):
        return Organisation.objects.all()
    return organisations_of(user)


# --- Applications ----------------------------------------------------------------------------


def applications_of(user) -> QuerySet:
    """Applications the user may read and write as an applicant: those led by their
    organisations (any status; what may change is the domain's phase rule)."""
    if not is_applicant(user):
        return Case.objects.none()
    return Case.objects.filter(lead_organisation__in=organisations_of(user))


def lead_organisations_of(user) -> QuerySet:
    """Organisations in whose name the user may start an application."""
    if not is_applicant(user):
        return Organisation.objects.none()
    return organisations_of(user)


# --- Evaluation -------------------------------------------------------------------------------


def active_conflicts() -> QuerySet:
    """Conflicts of interest that stand: not overridden by a coordinator (the rule that finds
    them: ``access_conflicts``)."""
    return Conflict.objects.filter(overridden=False)


def _active_conflict(user, case_ref: str = "case_id"):
    return active_conflicts().filter(case_id=OuterRef(case_ref), evaluator_id=user.pk)


def assignments_of(user) -> QuerySet:
    """The evaluator's own active assignments on eligible entries, conflicted ones included
    (the evaluator may open them to learn why they cannot score)."""
    if not is_evaluator(user):
        return Assignment.objects.none()
    return Assignment.objects.filter(
        evaluator=user, is_active=True, case__status=CaseStatus.ELIGIBLE
    )


def reviewable_assignments_of(user) -> QuerySet:
    """The assignments the evaluator may read and score: no active conflict of interest."""
    if not is_evaluator(user):
        return Assignment.objects.none()
    return assignments_of(user).exclude(Exists(_active_conflict(user)))


def cases_evaluated_by(user) -> QuerySet:
    """Entries the evaluator may read for evaluation."""
    if not is_evaluator(user):
        return Case.objects.none()
    return Case.objects.filter(pk__in=reviewable_assignments_of(user).values("case_id"))


# --- Coordination -----------------------------------------------------------------------------


def editions_coordinated_by(user) -> QuerySet:
    """Staff coordinate every edition; a coordinator those that list them."""
    if is_staff_member(user):
        return Edition.objects.all()
    if not has_role(user, Role.COORDINATOR):
        return Edition.objects.none()
    return Edition.objects.filter(coordinators=user)


def cases_coordinated_by(user) -> QuerySet:
    """Entries of the user's editions once submitted: a draft is the applicant's own. Staff
    see every submitted entry (imported ones without an edition too)."""
    cases = Case.objects.exclude(status=CaseStatus.DRAFT)
    if is_staff_member(user):
        return cases
    return cases.filter(edition__in=editions_coordinated_by(user))


def cases_in_admin(user) -> QuerySet:
    """The cases the Django admin lists: superusers maintain every record, drafts included;
    other staff what they coordinate."""
    if is_staff_member(user) and user.is_superuser:
        return Case.objects.all()
    return cases_coordinated_by(user)


# --- Reading cases and files ----------------------------------------------------------------


def cases_readable_for_evaluation(user) -> QuerySet:
    """Entries a user reads in full as award staff: coordinators of the edition, evaluators."""
    return Case.objects.filter(
        Q(pk__in=cases_coordinated_by(user).values("pk"))
        | Q(pk__in=cases_evaluated_by(user).values("pk"))
    )


def cases_visible_to(user) -> QuerySet:
    """Every case the user may know about: the library, their applications, their editions'
    entries and the entries they evaluate."""
    return Case.objects.filter(
        Q(pk__in=published_cases().values("pk"))
        | Q(pk__in=applications_of(user).values("pk"))
        | Q(pk__in=cases_readable_for_evaluation(user).values("pk"))
    )


def attachments_visible_to(user) -> QuerySet:
    """Private files: to the organisation's members, the edition's coordinators (not on
    drafts) and the evaluators assigned to the entry."""
    return Attachment.objects.filter(
        Q(case__in=applications_of(user).values("pk"))
        | Q(case__in=cases_readable_for_evaluation(user).values("pk"))
    )


# --- Saved collections -------------------------------------------------------------------------


def collections_of(user) -> QuerySet:
    """The collections a user owns (and so may change); none for visitors."""
    if not is_signed_in(user):
        return Collection.objects.none()
    return Collection.objects.filter(owner=user)


# --- Evaluator pools ------------------------------------------------------------------------


def invitations_answerable_by(user) -> QuerySet:
    """Pool invitations the user may answer: their own; and, reached through the personal link,
    those whose account the invitation created and which has no password yet (the link is
    then the only key, as a password-reset link is)."""
    from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX

    without_password = Q(evaluator__password__startswith=UNUSABLE_PASSWORD_PREFIX)
    if not is_signed_in(user):
        return PoolMembership.objects.filter(without_password, evaluator__is_active=True)
    return PoolMembership.objects.filter(
        Q(evaluator=user) | without_password, evaluator__is_active=True
    )
