"""Moving an edition from one phase to another.

The phases run in one order: draft, open, eligibility, evaluation, consensus, jury, closed.
Moving forward by one or more steps is the normal course, with two guards: leaving ``open``
before the deadline ends submissions early, so it must be confirmed; and an edition closes only
once its results are published. Moving back undoes work in progress (scores reopen, decisions
may change), so it must be confirmed and explained; the reason goes into the decision log.
Once the results are sent an edition never goes back to taking entries.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import DecisionAction, Edition, EditionPhase

from .audit import log_decision
from .errors import InvalidInput, PhaseClosed, StaleForm, WrongState

ORDER = list(EditionPhase.values)
# Phases in which an edition is, or is about to be, accepting entries.
TAKING_ENTRIES = (EditionPhase.DRAFT, EditionPhase.OPEN)


@dataclass(frozen=True)
class PhaseChange:
    """What moving ``edition`` to ``phase`` means, for the confirmation step."""

    before: str
    after: str
    backward: bool
    ends_submissions_early: bool

    @property
    def needs_confirmation(self) -> bool:
        return self.backward or self.ends_submissions_early


def describe_change(*, edition, phase, now=None) -> PhaseChange:
    """Check ``phase`` against the rules that need no confirmation; say what else it implies."""
    if phase not in ORDER:
        raise InvalidInput(_("Choose a phase from the list."))
    now = now or timezone.now()
    backward = ORDER.index(phase) < ORDER.index(edition.phase)
    unchanged = phase == edition.phase
    if edition.results_are_published and not unchanged and phase in TAKING_ENTRIES:
        raise WrongState(
            _(
                "The results of this edition have been sent, so it cannot take entries again. "
                "Create a new edition for a new call."
            )
        )
    if phase == EditionPhase.CLOSED and not unchanged and not edition.results_are_published:
        raise PhaseClosed(
            _(
                "The edition cannot be closed before its results are published. "
                "Publish the results on the Results page first."
            )
        )
    ends_early = (
        edition.phase == EditionPhase.OPEN
        and phase != EditionPhase.OPEN
        and not backward
        and edition.deadline is not None
        and now < edition.deadline
    )
    return PhaseChange(
        before=edition.phase,
        after=phase,
        backward=backward,
        ends_submissions_early=ends_early,
    )


def check_expected_phase(*, edition, expected_phase):
    """Refuse (409) a decision taken on a phase that someone has changed meanwhile."""
    if expected_phase is not None and expected_phase != edition.phase:
        raise StaleForm(
            _(
                "Someone changed the phase to “%(phase)s” while you were deciding. "
                "Check the current phase and choose again."
            )
            % {"phase": edition.get_phase_display()}
        )


@transaction.atomic
def set_phase(*, edition, by, phase, confirmed=False, reason="", expected_phase=None):
    """Move the edition to ``phase`` under the rules above; returns the edition.

    ``expected_phase`` is the phase the coordinator saw: if someone changed it meanwhile the
    change is refused as stale rather than applied to a situation they did not see.
    """
    given = edition
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    check_expected_phase(edition=edition, expected_phase=expected_phase)
    if edition.phase == phase:
        return edition
    change = describe_change(edition=edition, phase=phase)
    reason = (reason or "").strip()
    if change.ends_submissions_early and not confirmed:
        raise InvalidInput(
            _("Submissions are open until the deadline. Confirm that you want to end them early.")
        )
    if change.backward:
        if not confirmed:
            raise InvalidInput(_("Moving the edition back needs your confirmation."))
        if not reason:
            raise InvalidInput(_("Give the reason for moving the edition back."))
    before = edition.get_phase_display()
    edition.phase = phase
    edition.save(update_fields=["phase"])
    log_decision(
        edition=edition,
        action=DecisionAction.PHASE,
        actor=by,
        before=before,
        after=edition.get_phase_display(),
        reason=reason,
    )
    given.phase = edition.phase
    return edition
