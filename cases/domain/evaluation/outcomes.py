"""Consensus and jury decisions: nominees, certificates, special recognitions, places 1-3."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.models import Case, CaseStatus, DecisionAction, EditionPhase, Outcome

from .audit import log_decision
from .errors import InvalidInput, PhaseClosed, StaleForm, WrongState

DECISION_PHASES = (EditionPhase.CONSENSUS, EditionPhase.JURY)


@transaction.atomic
def set_outcome(*, case, by, outcome, place=None, reason="", expected_version=None):
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("edition", "category")
        .get(pk=case.pk)
    )
    edition = case.edition
    if expected_version is not None and case.version != expected_version:
        raise StaleForm(
            _(
                "Someone else changed this entry's outcome while you were looking at it. "
                "Check the current outcome."
            )
        )
    if case.status != CaseStatus.ELIGIBLE:
        raise WrongState(_("Only eligible entries can receive an outcome."))
    if edition.phase not in DECISION_PHASES:
        raise PhaseClosed(_("Outcomes can be decided only in the consensus and jury phases."))
    if outcome not in Outcome.values:
        raise InvalidInput(_("Choose an outcome from the list."))
    if edition.results_are_published:
        raise WrongState(_("The results are published; outcomes can no longer change."))
    same_category = Case.objects.filter(
        edition=edition, category=case.category, status=CaseStatus.ELIGIBLE
    ).exclude(pk=case.pk)
    if outcome == Outcome.WINNER:
        if edition.phase != EditionPhase.JURY:
            raise PhaseClosed(_("The jury's places can be recorded only in the jury phase."))
        if place not in (1, 2, 3):
            raise InvalidInput(_("Choose the place, 1, 2 or 3."))
        if case.outcome not in (Outcome.NOMINEE, Outcome.WINNER):
            raise WrongState(_("The jury places only nominees: mark the entry as a nominee first."))
        holder = same_category.filter(outcome=Outcome.WINNER, place=place).first()
        if holder is not None:
            raise WrongState(
                _("Place %(place)d in this category already went to %(title)s.")
                % {"place": place, "title": holder.title}
            )
    else:
        place = None
    if outcome == Outcome.NOMINEE and case.outcome not in (Outcome.NOMINEE, Outcome.WINNER):
        nominees = same_category.filter(outcome__in=[Outcome.NOMINEE, Outcome.WINNER]).count()
        if nominees >= edition.nominees_per_category:
            raise WrongState(
                ngettext(
                    "This category already has %(count)d nominee, the edition's limit.",
                    "This category already has %(count)d nominees, the edition's limit.",
                    nominees,
                )
                % {"count": nominees}
            )
    before = case.outcome_label
    if case.outcome == outcome and case.place == place:
        return case
    case.outcome = outcome
    case.place = place
    case.version += 1
    case.save(update_fields=["outcome", "place", "version"])
    log_decision(
        edition=edition,
        case=case,
        action=DecisionAction.OUTCOME,
        actor=by,
        before=before,
        after=case.outcome_label,
        reason=(reason or "").strip(),
    )
    return case
