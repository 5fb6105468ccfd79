"""Changing a published case: only a coordinator's recorded decision, with its reason.

Once a case is in the library its outcome is public record. ``set_outcome`` no longer touches
it (the results are sent); the Django admin shows it read-only. What remains is this one action:
a coordinator of the edition revises the outcome or withdraws the case from the library, says
why, confirms, and the decision log keeps before, after and reason.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from cases.domain.derived import library_changed
from cases.domain.queries.access import editions_coordinated_by
from cases.models import Case, CaseStatus, DecisionAction, Outcome

from .audit import log_decision
from .errors import InvalidInput, NotAllowed, StaleForm, WrongState


@transaction.atomic
def revise_published_case(
    *,
    case,
    by,
    outcome,
    place=None,
    unpublish=False,
    reason,
    confirmed,
    expected_version=None,
):
    """Set a published case's outcome (and place), or withdraw it from the library, or both.

    Refused: by anyone who does not coordinate the edition (403); for a case not in the library
    (409: its outcome is decided in the normal way); without a reason or a confirmation (400);
    for a change someone else made meanwhile (409); when nothing would change (400).
    """
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("edition", "category")
        .get(pk=case.pk)
    )
    edition = case.edition
    if not editions_coordinated_by(by).filter(pk=edition.pk).exists():
        raise NotAllowed(_("Only a coordinator of this edition may revise its published cases."))
    if expected_version is not None and case.version != expected_version:
        raise StaleForm(
            _("Someone else changed this case while you were looking at it. Check it again.")
        )
    if not case.is_published:
        raise WrongState(
            _("This case is not in the library: its outcome is decided on the entry's page.")
        )
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Give the reason for changing a published case: it is recorded."))
    if not confirmed:
        raise InvalidInput(_("Confirm that you want to change a published case."))
    if outcome not in Outcome.values:
        raise InvalidInput(_("Choose an outcome from the list."))
    if outcome == Outcome.WINNER:
        if place not in (1, 2, 3):
            raise InvalidInput(_("Choose the place, 1, 2 or 3."))
        holder = (
            Case.objects.filter(
                edition=edition,
                category=case.category,
                status=CaseStatus.ELIGIBLE,
                outcome=Outcome.WINNER,
                place=place,
            )
            .exclude(pk=case.pk)
            .first()
        )
        if holder is not None:
            raise WrongState(
                _("Place %(place)d in this category went to %(title)s.")
                % {"place": place, "title": holder.title}
            )
    else:
        place = None
    outcome_changes = (case.outcome, case.place) != (outcome, place)
    if not outcome_changes and not unpublish:
        raise InvalidInput(_("Nothing would change: choose another outcome or withdraw the case."))
    if outcome_changes:
        before = case.outcome_label
        case.outcome, case.place = outcome, place
        log_decision(
            edition=edition,
            case=case,
            action=DecisionAction.PUBLISHED_OUTCOME_REVISED,
            actor=by,
            before=before,
            after=case.outcome_label,
            reason=reason,
        )
    if unpublish:
        case.is_published, case.published_at = False, None
        log_decision(
            edition=edition,
            case=case,
            action=DecisionAction.CASE_UNPUBLISHED,
            actor=by,
            before=_("published"),
            after=_("not published"),
            reason=reason,
        )
    case.version += 1
    case.save(update_fields=["outcome", "place", "is_published", "published_at", "version"])
    # The library's cached counts and pages include this case's outcome and presence.
    library_changed()  # forgets cached figures now, rebuilds them on commit
    return case
