"""Moving an edition from one phase to another."""

from django.db import transaction
from django.utils.translation import gettext as _

from cases.models import DecisionAction, EditionPhase

from .audit import log_decision
from .errors import InvalidInput


@transaction.atomic
def set_phase(*, edition, by, phase):
    if phase not in EditionPhase.values:
        raise InvalidInput(_("Choose a phase from the list."))
    before = edition.get_phase_display()
    if edition.phase == phase:
        return edition
    edition.phase = phase
    edition.save(update_fields=["phase"])
    log_decision(
        edition=edition,
        action=DecisionAction.PHASE,
        actor=by,
        before=before,
        after=edition.get_phase_display(),
    )
    return edition
