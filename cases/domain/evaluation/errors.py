"""Refusals a user can cause, each with a message fit to show them and an HTTP status."""

from django.utils.translation import gettext_lazy as _


class EvaluationError(Exception):
    """Base class: ``message`` is shown to the user, ``status`` is the response status."""

    status = 400
    default_message = _("This action is not possible.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class InvalidInput(EvaluationError):
    status = 400
    default_message = _("Some values are not valid.")


class NotAllowed(EvaluationError):
    status = 403
    default_message = _("You may not do this.")


class ConflictOfInterest(EvaluationError):
    status = 403
    default_message = _(
        "You have a conflict of interest with this entry, so you may not read or review it."
    )


class PhaseClosed(EvaluationError):
    status = 409
    default_message = _("The edition is not in the phase that allows this.")


class StaleForm(EvaluationError):
    status = 409
    default_message = _(
        "Someone else changed this while you were editing. Your entries are kept below; "
        "check the current values and send the form again."
    )


class WrongState(EvaluationError):
    status = 409
    default_message = _("The entry is not in a state that allows this.")
