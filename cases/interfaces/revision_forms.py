"""The form of a coordinator's revision of a published case (``domain.evaluation.revision``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Outcome


class RevisePublishedCaseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    place = forms.TypedChoiceField(
        label=_("Place (winners only)"),
        choices=[("", "—"), ("1", "1"), ("2", "2"), ("3", "3")],
        coerce=int,
        empty_value=None,
        required=False,
    )
    unpublish = forms.BooleanField(
        label=_("Withdraw the case from the public library"), required=False
    )
    reason = forms.CharField(
        label=_("Reason (kept in the decision log)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=_("I confirm this change to a case the public can read."),
        error_messages={"required": _("Confirm the change to go ahead.")},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == Outcome.WINNER and not cleaned.get("place"):
            self.add_error("place", _("Choose the place, 1, 2 or 3."))
        return cleaned
