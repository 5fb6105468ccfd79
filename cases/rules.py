"""Who may do what: django-rules predicates, written once and used by views and templates.

One section per area; predicates that take an object accept a Case or anything with a ``case``
(an Attachment, an Assignment), so the same rule serves every view that needs it.
"""

import rules

from cases.models import (
    Assignment,
    Case,
    CaseStatus,
    Conflict,
    MembershipStatus,
    OrganisationMembership,
    Role,
)

# --- Roles ----------------------------------------------------------------------------------


@rules.predicate
def is_applicant(user):
    return bool(user and user.is_authenticated and user.has_role(Role.APPLICANT))


@rules.predicate
def is_evaluator(user):
    return bool(user and user.is_authenticated and user.has_role(Role.EVALUATOR))


@rules.predicate
def is_coordinator(user):
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and (user.is_staff or user.has_role(Role.COORDINATOR))
    )


# --- Applicants -----------------------------------------------------------------------------
# An application belongs to its lead organisation: every approved member sees and edits it.


def _case_of(obj) -> Case | None:
    if isinstance(obj, Case):
        return obj
    return getattr(obj, "case", None)


@rules.predicate
def is_case_member(user, obj):
    """Approved member of the lead organisation of a case (or of an attachment's case)."""
    case = _case_of(obj)
    if case is None or not user.is_authenticated or case.lead_organisation_id is None:
        return False
    return OrganisationMembership.objects.filter(
        user=user, organisation_id=case.lead_organisation_id, status=MembershipStatus.APPROVED
    ).exists()


@rules.predicate
def is_organisation_member(user, organisation):
    if organisation is None or not user.is_authenticated:
        return False
    return OrganisationMembership.objects.filter(
        user=user, organisation=organisation, status=MembershipStatus.APPROVED
    ).exists()


@rules.predicate
def is_draft(user, obj):
    from cases.domain.applications import is_editable

    case = _case_of(obj)
    return case is not None and is_editable(case)


@rules.predicate
def is_withdrawable(user, obj):
    from cases.domain.applications import can_withdraw

    case = _case_of(obj)
    return case is not None and can_withdraw(case)


can_use_applicant_area = is_applicant
can_view_application = is_applicant & is_case_member
can_edit_application = is_applicant & is_case_member & is_draft
can_withdraw_application = is_applicant & is_case_member & is_withdrawable
can_decide_membership = is_organisation_member | is_coordinator

rules.add_perm("cases.use_applicant_area", can_use_applicant_area)
rules.add_perm("cases.view_application", can_view_application)
rules.add_perm("cases.edit_application", can_edit_application)
rules.add_perm("cases.withdraw_application", can_withdraw_application)
rules.add_perm("cases.decide_membership", can_decide_membership)


# --- Evaluation and coordination ------------------------------------------------------------


@rules.predicate
def coordinates_edition(user, edition):
    """Staff act on every edition; a coordinator only on the editions they coordinate."""
    if not user.is_authenticated or not user.is_active or edition is None:
        return False
    if user.is_staff:
        return True
    return user.has_role(Role.COORDINATOR) and edition.coordinators.filter(pk=user.pk).exists()


@rules.predicate
def is_conflicted(user, obj):
    case = _case_of(obj)
    if not user.is_authenticated or case is None:
        return False
    return Conflict.objects.filter(case=case, evaluator=user, overridden=False).exists()


@rules.predicate
def is_assigned_evaluator(user, obj):
    """An active assignment of the user to the case exists and no active conflict stands."""
    case = _case_of(obj)
    if not user.is_authenticated or case is None:
        return False
    assigned = Assignment.objects.filter(case=case, evaluator=user, is_active=True).exists()
    return assigned and not is_conflicted(user, case)


@rules.predicate
def owns_assignment(user, assignment):
    return user.is_authenticated and assignment.evaluator_id == user.pk and assignment.is_active


@rules.predicate
def coordinates_case(user, obj):
    """Coordinators of the case's edition, once it is submitted: a draft is the applicant's
    private work until then."""
    case = _case_of(obj)
    return (
        case is not None
        and case.status != CaseStatus.DRAFT
        and coordinates_edition(user, case.edition)
    )


rules.add_perm("cases.view_evaluation", is_evaluator)
rules.add_perm("cases.review_assignment", is_evaluator & owns_assignment)
rules.add_perm("cases.coordinate", is_coordinator)
rules.add_perm("cases.coordinate_edition", coordinates_edition)
# For the protected attachment view: coordinators of the edition and assigned evaluators.
rules.add_perm("cases.read_case_for_evaluation", coordinates_case | is_assigned_evaluator)

# --- Private attachments --------------------------------------------------------------------
# Served only to the organisation's members, evaluators assigned to the case and coordinators
# of its edition; the download view (applications:attachment) asks for this permission alone.
can_view_attachment = is_case_member | coordinates_case | is_assigned_evaluator
rules.add_perm("cases.view_attachment", can_view_attachment)
