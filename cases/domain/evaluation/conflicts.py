"""Conflicts of interest declared by evaluators and overridden by coordinators.

The rule that finds conflicts automatically is policy: ``cases.domain.queries.access_conflicts``.
Assignment (``.assignment``) asks it and stores what it finds; this module, which reassigns a
declared conflict's entry, depends on assignment and never the other way round.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.domain import evaluation_mail
from cases.domain.queries.access_conflicts import has_active_conflict
from cases.models import Assignment, Conflict, ConflictKind, DecisionAction

from .assignment import (
    ASSIGNMENT_PHASES,
    assign_automatically,
    refresh_automatic_conflicts,
    withdraw_assignment,
)
from .audit import log_decision
from .errors import InvalidInput, NotAllowed, WrongState

# Callers find the conflict actions here.
__all__ = [
    "declare_conflict",
    "has_active_conflict",
    "override_conflict",
    "refresh_automatic_conflicts",
    "withdraw_assignment",
]


@transaction.atomic
def declare_conflict(*, assignment, by, reason):
    """The evaluator declares a conflict: the assignment is withdrawn and the entry reassigned."""
    if assignment.evaluator_id != by.pk:
        raise NotAllowed(_("Only the assigned evaluator may declare a conflict on this entry."))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Say briefly why you have a conflict of interest."))
    # The view loaded the assignment before this transaction: a double submit would find it
    # still active in both requests. Lock the row and read its state again.
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if not assignment.is_active:
        raise WrongState(_("This assignment has already been withdrawn."))
    case = assignment.case
    conflict, _created = Conflict.objects.update_or_create(
        case=case,
        evaluator=by,
        kind=ConflictKind.DECLARED,
        defaults={
            "reason": reason,
            "overridden": False,
            "override_reason": "",
            "overridden_by": None,
            "overridden_at": None,
        },
    )
    assignment.is_active = False
    assignment.save(update_fields=["is_active"])
    log_decision(
        edition=case.edition,
        case=case,
        action=DecisionAction.CONFLICT_DECLARED,
        actor=by,
        before=_("assigned"),
        after=_("conflict declared"),
        reason=reason,
    )
    report = None
    if case.edition.phase in ASSIGNMENT_PHASES:
        report = assign_automatically(edition=case.edition, by=None, case_ids=[case.pk])
    evaluation_mail.send_conflict_declared(conflict, case.edition.coordinators.all())
    return conflict, report


@transaction.atomic
def override_conflict(*, conflict, by, reason):
    """A coordinator decides the conflict does not matter; the reason is kept in the log."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Give the reason for overriding the conflict."))
    conflict = Conflict.objects.select_for_update().get(pk=conflict.pk)
    if conflict.overridden:
        raise WrongState(_("This conflict has already been overridden."))
    conflict.overridden = True
    conflict.override_reason = reason
    conflict.overridden_by = by
    conflict.overridden_at = timezone.now()
    conflict.save(update_fields=["overridden", "override_reason", "overridden_by", "overridden_at"])
    log_decision(
        edition=conflict.case.edition,
        case=conflict.case,
        action=DecisionAction.CONFLICT_OVERRIDDEN,
        actor=by,
        before=f"{conflict.evaluator}: {conflict.reason}",
        after=_("overridden"),
        reason=reason,
    )
    return conflict
