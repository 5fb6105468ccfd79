"""Eligibility screening: eligible entries get a sequential registration number."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.domain import evaluation_mail
from cases.models import (
    Case,
    CaseStatus,
    DecisionAction,
    Edition,
    EditionPhase,
    IneligibilityReason,
    Screening,
)

from .audit import log_decision
from .errors import InvalidInput, PhaseClosed, StaleForm, WrongState

SCREENABLE = (CaseStatus.SUBMITTED, CaseStatus.ELIGIBLE, CaseStatus.INELIGIBLE)
SCREENING_PHASES = (EditionPhase.OPEN, EditionPhase.ELIGIBILITY, EditionPhase.EVALUATION)


def next_registration_number(edition_id) -> str:
    """Take the edition's next number. Call inside a transaction: the row lock on the edition
    makes a second screener wait until the first one commits, so numbers never repeat or skip.
    """
    edition = (
        Edition.objects.select_for_update().only("slug", "registration_prefix").get(pk=edition_id)
    )
    Edition.objects.filter(pk=edition_id).update(registration_counter=F("registration_counter") + 1)
    counter = Edition.objects.values_list("registration_counter", flat=True).get(pk=edition_id)
    return f"{edition.registration_code}-{counter:04d}"


@transaction.atomic
def screen_case(*, case, by, eligible, reason="", note="", expected_version=None):
    """Record the eligibility decision on a submitted entry and tell the applicant."""
    case = Case.objects.select_for_update(of=("self",)).select_related("edition").get(pk=case.pk)
    if expected_version is not None and case.version != expected_version:
        raise StaleForm(
            _(
                "Someone else decided on this entry while you were looking at it. "
                "Check the current decision."
            )
        )
    if case.status not in SCREENABLE:
        raise WrongState(_("Only submitted entries can be screened."))
    if case.is_published and not eligible:
        # The library shows eligible entries only (constraint case_published_is_eligible).
        raise WrongState(
            _(
                "This entry is published in the library: take it out of the library before "
                "deciding that it is not eligible."
            )
        )
    if case.edition.phase not in SCREENING_PHASES:
        raise PhaseClosed(_("Eligibility can be decided only while submissions or screening run."))
    if eligible:
        reason = ""
    elif reason not in IneligibilityReason.values:
        raise InvalidInput(_("Choose the reason why the entry is not eligible."))
    elif reason == IneligibilityReason.OTHER and not note.strip():
        raise InvalidInput(_("Explain the reason in the note."))

    before = case.get_status_display()
    if eligible and not case.registration_number:
        case.registration_number = next_registration_number(case.edition_id)
    case.status = CaseStatus.ELIGIBLE if eligible else CaseStatus.INELIGIBLE
    case.screened_at = timezone.now()
    case.version += 1
    case.save(update_fields=["registration_number", "status", "screened_at", "version"])
    screening, _created = Screening.objects.update_or_create(
        case=case,
        defaults={
            "eligible": eligible,
            "reason": reason,
            "note": note.strip(),
            "decided_by": by,
            "decided_at": case.screened_at,
        },
    )
    after = case.get_status_display()
    if not eligible:
        after = f"{after}: {screening.get_reason_display()}"
    log_decision(
        edition=case.edition,
        case=case,
        actor=by,
        action=DecisionAction.SCREENED,
        before=before,
        after=after,
        reason=screening.note,
    )
    evaluation_mail.send_eligibility_decision(case, screening)
    return case
