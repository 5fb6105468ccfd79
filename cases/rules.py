"""Who may do what: django-rules predicates, written once and used by views and templates."""

import rules

from cases.models import Case, MembershipStatus, OrganisationMembership, Role

# --- Roles ----------------------------------------------------------------------------------


@rules.predicate
def is_applicant(user):
    return bool(user and user.is_authenticated and user.has_role(Role.APPLICANT))


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
# Private attachments: the organisation's members and coordinators. Extension point for the
# evaluation area: define a predicate ``is_assigned_evaluator(user, obj)`` (use ``_case_of(obj)``:
# obj is an Attachment) and write ``is_case_member | is_coordinator | is_assigned_evaluator``
# here. The download view (applications:attachment) asks only for this permission.
can_view_attachment = is_case_member | is_coordinator
can_decide_membership = is_organisation_member | is_coordinator

rules.add_perm("cases.use_applicant_area", can_use_applicant_area)
rules.add_perm("cases.view_application", can_view_application)
rules.add_perm("cases.edit_application", can_edit_application)
rules.add_perm("cases.withdraw_application", can_withdraw_application)
rules.add_perm("cases.view_attachment", can_view_attachment)
rules.add_perm("cases.decide_membership", can_decide_membership)
