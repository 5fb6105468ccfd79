"""Who may do what: the django-rules permissions every view declares.

Each predicate is defined from a queryset of ``cases.domain.queries.access`` (the policy,
written once), as ``<queryset>(user).filter(pk=obj.pk).exists()``; so a list, an object
check, a template and a domain guard can never disagree. Views declare the permission they
need with ``cases.interfaces.permissions.permission_required`` (see there), which asks
``rules.has_perm`` (not ``user.has_perm``: Django would wave superusers through every check).

Permissions (area ones take no object; object ones answer 404 when refused):

============================  =========================================  ===================
permission                    who                                        object
============================  =========================================  ===================
cases.view_public_pages       everyone                                   -
cases.manage_account          any signed-in, active user                 -
cases.use_applicant_area      applicants                                 -
cases.view_application        approved members of the lead organisation  Case
cases.view_attachment         members, the edition's coordinators (not   Attachment
                              on drafts), assigned evaluators
cases.decide_membership       members of the organisation; coordinators  OrganisationMembership
cases.view_evaluation         evaluators                                 -
cases.view_assignment         the assigned evaluator                     Assignment
cases.review_assignment       the assigned evaluator without a conflict  Assignment
cases.coordinate              coordinators (and staff)                   -
cases.coordinate_edition      the edition's coordinators, staff          Edition
cases.use_collections         any signed-in, active user                 -
cases.edit_collection         the collection's owner                     Collection
============================  =========================================  ===================
"""

import rules

from cases.domain.queries import access
from cases.models import Case

# --- Roles (defined in cases.domain.queries.access) -------------------------------------------

is_applicant = rules.predicate(access.is_applicant, name="is_applicant")
is_evaluator = rules.predicate(access.is_evaluator, name="is_evaluator")
is_coordinator = rules.predicate(access.is_coordinator, name="is_coordinator")


is_signed_in = rules.predicate(access.is_signed_in, name="is_signed_in")


# --- Objects ----------------------------------------------------------------------------------


def _case_of(obj) -> Case | None:
    if obj is None or isinstance(obj, Case):
        return obj
    return getattr(obj, "case", None)


def _contains(queryset, obj) -> bool:
    return obj is not None and obj.pk is not None and queryset.filter(pk=obj.pk).exists()


@rules.predicate
def is_case_member(user, obj):
    """Approved member (and applicant) of the lead organisation of a case or its object."""
    return _contains(access.applications_of(user), _case_of(obj))


@rules.predicate
def may_decide_for_organisation(user, membership):
    return membership is not None and _contains(
        access.organisations_decidable_by(user), membership.organisation
    )


@rules.predicate
def may_read_attachment(user, attachment):
    return _contains(access.attachments_visible_to(user), attachment)


@rules.predicate
def owns_assignment(user, assignment):
    return _contains(access.assignments_of(user), assignment)


@rules.predicate
def may_review_assignment(user, assignment):
    return _contains(access.reviewable_assignments_of(user), assignment)


@rules.predicate
def coordinates_edition(user, edition):
    return _contains(access.editions_coordinated_by(user), edition)


@rules.predicate
def is_assigned_evaluator(user, obj):
    """An active assignment to the case, with no active conflict."""
    return _contains(access.cases_evaluated_by(user), _case_of(obj))


@rules.predicate
def owns_collection(user, collection):
    return _contains(access.collections_of(user), collection)


@rules.predicate
def may_answer_invitation(user, membership):
    """An invitation to an edition's pool: its own evaluator, or anyone holding the personal
    link while the account it created has no password yet."""
    return _contains(access.invitations_answerable_by(user), membership)


# --- Permissions --------------------------------------------------------------------------------

rules.add_perm("cases.view_public_pages", rules.always_allow)
rules.add_perm("cases.manage_account", is_signed_in)

rules.add_perm("cases.use_applicant_area", is_applicant)
rules.add_perm("cases.view_application", is_case_member)
rules.add_perm("cases.view_attachment", may_read_attachment)
rules.add_perm("cases.decide_membership", may_decide_for_organisation)

rules.add_perm("cases.view_evaluation", is_evaluator)
rules.add_perm("cases.view_assignment", owns_assignment)
rules.add_perm("cases.review_assignment", may_review_assignment)
rules.add_perm("cases.answer_invitation", may_answer_invitation)

rules.add_perm("cases.coordinate", is_coordinator)
rules.add_perm("cases.coordinate_edition", coordinates_edition)

rules.add_perm("cases.use_collections", is_signed_in)
rules.add_perm("cases.edit_collection", owns_collection)
