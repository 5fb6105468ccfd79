"""Who may do what: django-rules predicates, one place, one section per area."""

import rules

from cases.models import Assignment, Conflict, Role

# Evaluation ------------------------------------------------------------------------------------


@rules.predicate
def is_evaluator(user):
    return user.is_authenticated and user.has_role(Role.EVALUATOR)


@rules.predicate
def is_coordinator(user):
    return user.is_authenticated and (user.is_staff or user.has_role(Role.COORDINATOR))


@rules.predicate
def coordinates_edition(user, edition):
    """Staff act on every edition; a coordinator only on the editions they coordinate."""
    if not user.is_authenticated or not user.is_active or edition is None:
        return False
    if user.is_staff:
        return True
    return user.has_role(Role.COORDINATOR) and edition.coordinators.filter(pk=user.pk).exists()


@rules.predicate
def is_conflicted(user, case):
    if not user.is_authenticated or case is None:
        return False
    return Conflict.objects.filter(case=case, evaluator=user, overridden=False).exists()


@rules.predicate
def is_assigned_evaluator(user, case):
    """An active assignment of the user to the case exists and no active conflict stands."""
    if not user.is_authenticated or case is None:
        return False
    assigned = Assignment.objects.filter(case=case, evaluator=user, is_active=True).exists()
    return assigned and not is_conflicted(user, case)


@rules.predicate
def owns_assignment(user, assignment):
    return user.is_authenticated and assignment.evaluator_id == user.pk and assignment.is_active


@rules.predicate
def coordinates_case(user, case):
    return case is not None and coordinates_edition(user, case.edition)


rules.add_perm("cases.view_evaluation", is_evaluator)
rules.add_perm("cases.review_assignment", is_evaluator & owns_assignment)
rules.add_perm("cases.coordinate", is_coordinator)
rules.add_perm("cases.coordinate_edition", coordinates_edition)
# For the protected attachment view: coordinators of the edition and assigned evaluators.
rules.add_perm("cases.read_case_for_evaluation", coordinates_case | is_assigned_evaluator)
