"""Assigning evaluators to eligible entries: by hand, and automatically.

``plan_assignments`` is a pure function (property-tested with hypothesis); the database
functions below gather its inputs, store its result and log it.
"""

import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.domain import evaluation_mail
from cases.domain.queries.access import active_conflicts, evaluator_pool, is_evaluator
from cases.domain.queries.access_conflicts import (
    automatic_conflict_reasons,
    case_facts,
    evaluator_facts,
    has_active_conflict,
)
from cases.models import (
    Assignment,
    AssignmentMethod,
    Case,
    CaseStatus,
    Conflict,
    ConflictKind,
    DecisionAction,
    Edition,
    EditionPhase,
    EvaluatorProfile,
)

from .audit import log_decision
from .errors import ConflictOfInterest, InvalidInput, PhaseClosed, WrongState

ASSIGNMENT_PHASES = (EditionPhase.ELIGIBILITY, EditionPhase.EVALUATION)


@dataclass(frozen=True)
class Shortfall:
    case_id: int
    missing: int
    available: int
    excluded: int


@dataclass
class Plan:
    pairs: list = field(default_factory=list)  # new (case id, evaluator id) pairs
    shortfalls: list = field(default_factory=list)
    loads: dict = field(default_factory=dict)  # evaluator id -> load after the plan


def plan_assignments(
    *,
    cases: Iterable[tuple[int, int | None]],
    evaluators: Iterable[int],
    per_case: int,
    seed: int = 0,
    existing: Mapping[int, set] | None = None,
    loads: Mapping[int, int] | None = None,
    excluded: set | None = None,
    preferences: Mapping[int, set] | None = None,
) -> Plan:
    """Give each entry ``per_case`` evaluators.

    ``cases`` are (case id, category id) pairs; ``existing`` the evaluators each case already
    has; ``loads`` each evaluator's current number of entries; ``excluded`` the (case id,
    evaluator id) pairs that must not be made (conflicts, withdrawn assignments);
    ``preferences`` the categories each evaluator chose.

    Most constrained entries go first; each takes the least loaded evaluators, preferring those
    who chose its category, ties broken by a seeded shuffle (same seed, same plan). A final pass
    moves new assignments from an evaluator to one with at least two fewer entries whenever the
    constraints allow, so no evaluator ends more than one above another who could have taken
    the entry instead.
    """
    existing = {case_id: set(ids) for case_id, ids in (existing or {}).items()}
    excluded = set(excluded or ())
    preferences = preferences or {}
    rng = random.Random(seed)
    pool = sorted(set(evaluators))
    tiebreak = {evaluator: rank for rank, evaluator in enumerate(rng.sample(pool, len(pool)))}
    load = Counter(dict.fromkeys(pool, 0))
    if loads is None:
        # Without loads from elsewhere, the evaluators' entries among these cases are the load.
        loads = Counter(e for taken in existing.values() for e in taken)
    for evaluator, count in loads.items():
        if evaluator in load:
            load[evaluator] = count
    categories = dict(cases)
    order = sorted(categories)
    rng.shuffle(order)

    def candidates(case_id):
        taken = existing.get(case_id, set())
        return [e for e in pool if (case_id, e) not in excluded and e not in taken]

    order.sort(key=lambda case_id: len(candidates(case_id)))
    plan = Plan()
    for case_id in order:
        taken = existing.setdefault(case_id, set())
        needed = per_case - len(taken)
        if needed <= 0:
            continue
        available = candidates(case_id)
        category = categories[case_id]
        available.sort(key=lambda e: (load[e], category not in preferences.get(e, ()), tiebreak[e]))
        for evaluator in available[:needed]:
            taken.add(evaluator)
            load[evaluator] += 1
            plan.pairs.append((case_id, evaluator))
        if len(available) < needed:
            plan.shortfalls.append(
                Shortfall(
                    case_id=case_id,
                    missing=needed - len(available),
                    available=len(available),
                    excluded=sum(1 for e in pool if (case_id, e) in excluded),
                )
            )

    # Rebalancing: every move lowers the sum of squared loads, so the loop ends.
    improved = True
    while improved:
        improved = False
        for index, (case_id, evaluator) in enumerate(plan.pairs):
            others = [e for e in candidates(case_id) if load[e] + 1 < load[evaluator]]
            if not others:
                continue
            better = min(others, key=lambda e: (load[e], tiebreak[e]))
            existing[case_id].discard(evaluator)
            existing[case_id].add(better)
            load[evaluator] -= 1
            load[better] += 1
            plan.pairs[index] = (case_id, better)
            improved = True
    plan.loads = dict(load)
    return plan


@dataclass
class AssignmentReport:
    created: int = 0
    per_evaluator: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)  # (case, message)


def _require_phase(edition):
    if edition.phase not in ASSIGNMENT_PHASES:
        raise PhaseClosed(
            _("Evaluators can be assigned only during eligibility screening and evaluation.")
        )


@transaction.atomic
def assign_automatically(*, edition, by, seed=0, case_ids=None) -> AssignmentReport:
    """Fill every eligible entry up to the edition's number of evaluators."""
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    _require_phase(edition)
    cases = Case.objects.filter(edition=edition, status=CaseStatus.ELIGIBLE)
    if case_ids is not None:
        cases = cases.filter(pk__in=case_ids)
    case_rows = list(cases.values_list("pk", "category_id"))
    pool = list(evaluator_pool(edition).values_list("pk", flat=True))
    conflicts = refresh_automatic_conflicts(
        edition=edition, case_ids=[pk for pk, _category in case_rows], evaluator_ids=pool
    )
    existing = defaultdict(set)
    loads = Counter()
    withdrawn = set()
    for case_id, evaluator_id, is_active in Assignment.objects.filter(
        case__edition=edition
    ).values_list("case_id", "evaluator_id", "is_active"):
        if is_active:
            existing[case_id].add(evaluator_id)
            loads[evaluator_id] += 1
        else:
            withdrawn.add((case_id, evaluator_id))
    preferences = defaultdict(set)
    for user_id, category_id in EvaluatorProfile.preferred_categories.through.objects.filter(
        evaluatorprofile__user_id__in=pool, category__edition=edition
    ).values_list("evaluatorprofile__user_id", "category_id"):
        preferences[user_id].add(category_id)

    plan = plan_assignments(
        cases=case_rows,
        evaluators=pool,
        per_case=edition.evaluators_per_entry,
        seed=seed,
        existing=existing,
        loads=loads,
        excluded=conflicts | withdrawn,
        preferences=preferences,
    )
    Assignment.objects.bulk_create(
        [
            Assignment(
                case_id=case_id,
                evaluator_id=evaluator_id,
                method=AssignmentMethod.AUTOMATIC,
                assigned_by=by,
            )
            for case_id, evaluator_id in plan.pairs
        ]
    )
    report = AssignmentReport(created=len(plan.pairs))
    report.per_evaluator = Counter(evaluator_id for _case, evaluator_id in plan.pairs)
    titles = dict(
        Case.objects.filter(pk__in=[s.case_id for s in plan.shortfalls]).values_list("pk", "title")
    )
    for shortfall in plan.shortfalls:
        if not pool:
            message = _("There are no evaluators in the pool.")
        else:
            message = ngettext(
                "%(missing)d evaluator missing: only %(available)d without a conflict of "
                "interest or an earlier withdrawal (%(excluded)d excluded).",
                "%(missing)d evaluators missing: only %(available)d without a conflict of "
                "interest or an earlier withdrawal (%(excluded)d excluded).",
                shortfall.missing,
            ) % {
                "missing": shortfall.missing,
                "available": shortfall.available,
                "excluded": shortfall.excluded,
            }
        report.problems.append((shortfall.case_id, titles.get(shortfall.case_id, ""), message))
    if plan.pairs or plan.shortfalls:
        log_decision(
            edition=edition,
            action=DecisionAction.AUTO_ASSIGNED,
            actor=by,
            before="",
            after=ngettext(
                "%(count)d assignment made", "%(count)d assignments made", len(plan.pairs)
            )
            % {"count": len(plan.pairs)},
            reason=_("seed %(seed)s; %(problems)d entries not fully assigned")
            % {"seed": seed, "problems": len(plan.shortfalls)},
        )
    users = {user.pk: user for user in evaluator_pool(edition).filter(pk__in=report.per_evaluator)}
    for evaluator_id, count in sorted(report.per_evaluator.items()):
        evaluation_mail.send_assignments_notice(users[evaluator_id], edition, count)
    return report


def assign_manually(*, case, evaluator, by):
    """A coordinator gives one entry to one evaluator (conflicts are checked first).

    The conflict check is committed on its own, so that a refused assignment still leaves the
    conflict on record for the coordinator to see and, if it does not matter, override.
    """
    if case.status == CaseStatus.ELIGIBLE and is_evaluator(evaluator):
        refresh_automatic_conflicts(
            edition=case.edition, case_ids=[case.pk], evaluator_ids=[evaluator.pk]
        )
    return _assign_manually(case=case, evaluator=evaluator, by=by)


@transaction.atomic
def _assign_manually(*, case, evaluator, by):
    edition = Edition.objects.select_for_update().get(pk=case.edition_id)
    _require_phase(edition)
    if case.status != CaseStatus.ELIGIBLE:
        raise WrongState(_("Only eligible entries can be assigned."))
    if not is_evaluator(evaluator):
        raise InvalidInput(_("This person is not an evaluator."))
    if not evaluator_pool(edition).filter(pk=evaluator.pk).exists():
        raise InvalidInput(
            _("%(evaluator)s is not in this edition's evaluator pool.") % {"evaluator": evaluator}
        )
    if has_active_conflict(case_id=case.pk, evaluator_id=evaluator.pk):
        raise ConflictOfInterest(
            _(
                "%(evaluator)s has a conflict of interest with this entry. Override the "
                "conflict first if it does not matter."
            )
            % {"evaluator": evaluator}
        )
    assignment, created = Assignment.objects.get_or_create(
        case=case,
        evaluator=evaluator,
        defaults={"method": AssignmentMethod.MANUAL, "assigned_by": by},
    )
    if not created:
        if assignment.is_active:
            raise WrongState(
                _("%(evaluator)s already evaluates this entry.") % {"evaluator": evaluator}
            )
        assignment.is_active = True
        assignment.method = AssignmentMethod.MANUAL
        assignment.assigned_by = by
        assignment.save(update_fields=["is_active", "method", "assigned_by"])
    log_decision(
        edition=edition,
        case=case,
        action=DecisionAction.ASSIGNED,
        actor=by,
        before="",
        after=str(evaluator),
    )
    evaluation_mail.send_assignments_notice(evaluator, edition, 1)
    return assignment


@transaction.atomic
def remove_assignment(*, assignment, by, reason=""):
    """Withdraw an assignment; a review already written is kept but no longer counts."""
    # Locked and read again: a second submit of the same removal must find it withdrawn.
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    edition = assignment.case.edition
    _require_phase(edition)
    if not assignment.is_active:
        raise WrongState(_("This assignment has already been withdrawn."))
    withdraw_assignment(assignment=assignment, actor=by, reason=reason)
    return assignment


# --- Keeping assignments free of conflicts (the rule: access_conflicts) ----------------------


@transaction.atomic
def refresh_automatic_conflicts(*, edition, case_ids=None, evaluator_ids=None):
    """Bring the stored automatic conflicts of an edition up to date with profiles and entries.

    Returns the set of (case id, evaluator id) pairs with an active conflict of any kind. Active
    assignments that have become conflicted are withdrawn, so no one keeps reading such an entry.
    """
    cases = Case.objects.filter(edition=edition, status=CaseStatus.ELIGIBLE).select_related(
        "lead_organisation"
    )
    if case_ids is not None:
        cases = cases.filter(pk__in=case_ids)
    cases = list(cases.only("id", "country", "lead_organisation__country"))
    if evaluator_ids is None:
        # The pool, and whoever still holds an assignment here (they may have left the pool).
        evaluator_ids = set(evaluator_pool(edition).values_list("pk", flat=True)) | set(
            Assignment.objects.filter(case__edition=edition, is_active=True).values_list(
                "evaluator_id", flat=True
            )
        )
    evaluators = evaluator_facts(evaluator_ids, edition)
    entries = case_facts(cases)

    wanted = {}
    for case_id, case in entries.items():
        for user_id, evaluator in evaluators.items():
            reasons = automatic_conflict_reasons(
                evaluator, case, same_country=edition.same_country_conflicts
            )
            if reasons:
                wanted[(case_id, user_id)] = "; ".join(str(reason) for reason in reasons)

    stored = {
        (conflict.case_id, conflict.evaluator_id): conflict
        for conflict in Conflict.objects.filter(
            case_id__in=entries, evaluator_id__in=evaluators, kind=ConflictKind.AUTOMATIC
        )
    }
    stale = [c.pk for key, c in stored.items() if key not in wanted and not c.overridden]
    Conflict.objects.filter(pk__in=stale).delete()
    Conflict.objects.bulk_create(
        [
            Conflict(
                case_id=case_id, evaluator_id=user_id, kind=ConflictKind.AUTOMATIC, reason=reason
            )
            for (case_id, user_id), reason in wanted.items()
            if (case_id, user_id) not in stored
        ]
    )
    for key, conflict in stored.items():
        if key in wanted and conflict.reason != wanted[key]:
            conflict.reason = wanted[key]
            conflict.save(update_fields=["reason"])

    active = set(
        active_conflicts()
        .filter(case_id__in=entries, evaluator_id__in=evaluators)
        .values_list("case_id", "evaluator_id")
    )
    conflicted_assignments = [
        assignment
        for assignment in Assignment.objects.filter(
            case_id__in=entries, evaluator_id__in=evaluators, is_active=True
        ).select_related("case")
        if (assignment.case_id, assignment.evaluator_id) in active
    ]
    for assignment in conflicted_assignments:
        withdraw_assignment(
            assignment=assignment,
            actor=None,
            reason=_("Withdrawn automatically: conflict of interest."),
        )
    return active


def withdraw_assignment(*, assignment, actor, reason):
    """Deactivate an assignment and log it: used by coordinators' removals and by conflicts.

    A review already written is kept but no longer counts.
    """
    assignment.is_active = False
    assignment.save(update_fields=["is_active"])
    log_decision(
        edition=assignment.case.edition,
        case=assignment.case,
        action=DecisionAction.UNASSIGNED,
        actor=actor,
        before=str(assignment.evaluator),
        after="",
        reason=reason,
    )
