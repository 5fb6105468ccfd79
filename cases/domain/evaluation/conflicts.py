"""Conflicts of interest: found automatically, declared by evaluators, overridden by coordinators.

Automatic rules (EPSA practice): the evaluator belongs to the lead organisation or to a partner,
or (when the edition's switch is on) shares the lead applicant's country.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.domain.queries.access import approved_memberships, evaluator_pool
from cases.models import (
    Assignment,
    Case,
    CaseStatus,
    Conflict,
    ConflictKind,
    DecisionAction,
    Partner,
    User,
)

from .audit import log_decision
from .errors import InvalidInput, NotAllowed, WrongState


def normalise_name(name: str) -> str:
    return " ".join(name.casefold().split())


@dataclass(frozen=True)
class EvaluatorFacts:
    user_id: int
    countries: frozenset = frozenset()
    organisation_ids: frozenset = frozenset()
    organisation_names: frozenset = frozenset()


@dataclass(frozen=True)
class CaseFacts:
    case_id: int
    country: str = ""
    lead_organisation_id: int | None = None
    partner_names: frozenset = field(default_factory=frozenset)


def automatic_conflict_reasons(evaluator: EvaluatorFacts, case: CaseFacts, *, same_country: bool):
    """The reasons why this evaluator may not evaluate this entry; empty when there are none."""
    reasons = []
    if case.lead_organisation_id and case.lead_organisation_id in evaluator.organisation_ids:
        reasons.append(_("belongs to the lead organisation"))
    shared = case.partner_names & evaluator.organisation_names
    if shared:
        reasons.append(_("belongs to a partner organisation"))
    if same_country and case.country and case.country in evaluator.countries:
        reasons.append(
            _("comes from the lead applicant's country (%(country)s)") % {"country": case.country}
        )
    return reasons


def evaluator_facts(user_ids) -> dict[int, EvaluatorFacts]:
    users = (
        User.objects.filter(pk__in=user_ids)
        .select_related("evaluator_profile")
        .prefetch_related("evaluator_profile__organisations")
    )
    memberships = {}
    approved = (
        approved_memberships()
        .filter(user_id__in=user_ids)
        .select_related("organisation")
        .only("user_id", "organisation__id", "organisation__name")
    )
    for membership in approved:
        memberships.setdefault(membership.user_id, []).append(membership.organisation)
    facts = {}
    for user in users:
        organisations = list(memberships.get(user.pk, []))
        countries = {str(user.country)} if user.country else set()
        profile = getattr(user, "evaluator_profile", None)
        if profile is not None:
            organisations += list(profile.organisations.all())
            countries |= {str(country) for country in profile.countries}
        facts[user.pk] = EvaluatorFacts(
            user_id=user.pk,
            countries=frozenset(countries),
            organisation_ids=frozenset(org.pk for org in organisations),
            organisation_names=frozenset(normalise_name(org.name) for org in organisations),
        )
    return facts


def case_facts(cases) -> dict[int, CaseFacts]:
    cases = list(cases)
    partner_names = {}
    for case_id, name in Partner.objects.filter(case__in=[case.pk for case in cases]).values_list(
        "case_id", "name"
    ):
        partner_names.setdefault(case_id, set()).add(normalise_name(name))
    facts = {}
    for case in cases:
        country = str(case.country) if case.country else ""
        if not country and case.lead_organisation_id and case.lead_organisation.country:
            country = str(case.lead_organisation.country)
        facts[case.pk] = CaseFacts(
            case_id=case.pk,
            country=country,
            lead_organisation_id=case.lead_organisation_id,
            partner_names=frozenset(partner_names.get(case.pk, ())),
        )
    return facts


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
        evaluator_ids = list(evaluator_pool().values_list("pk", flat=True))
    evaluators = evaluator_facts(evaluator_ids)
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
        Conflict.objects.filter(
            case_id__in=entries, evaluator_id__in=evaluators, overridden=False
        ).values_list("case_id", "evaluator_id")
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


def has_active_conflict(*, case_id, evaluator_id) -> bool:
    return Conflict.objects.filter(
        case_id=case_id, evaluator_id=evaluator_id, overridden=False
    ).exists()


@transaction.atomic
def declare_conflict(*, assignment, by, reason):
    """The evaluator declares a conflict: the assignment is withdrawn and the entry reassigned."""
    from .assignment import ASSIGNMENT_PHASES, assign_automatically

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
    from cases.domain import evaluation_mail

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
