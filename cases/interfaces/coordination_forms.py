"""Forms of the coordinator back office."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.interfaces.form_labels import NoLabelSuffixMixin
from cases.models import EditionPhase, IneligibilityReason, Outcome


class ScreeningForm(NoLabelSuffixMixin, forms.Form):
    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"

    case = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(ELIGIBLE, _("Eligible")), (INELIGIBLE, _("Not eligible"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose eligible or not eligible.")},
    )
    reason = forms.ChoiceField(
        label=_("Reason if not eligible"),
        choices=[("", _("Choose a reason"))] + list(IneligibilityReason.choices),
        required=False,
    )
    note = forms.CharField(
        label=_("Note to the applicant"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.INELIGIBLE:
            if not cleaned.get("reason"):
                self.add_error("reason", _("Choose the reason why the entry is not eligible."))
            elif (
                cleaned["reason"] == IneligibilityReason.OTHER
                and not cleaned.get("note", "").strip()
            ):
                self.add_error("note", _("Explain the reason in the note."))
        return cleaned


class PhaseForm(NoLabelSuffixMixin, forms.Form):
    phase = forms.ChoiceField(label=_("Phase"), choices=EditionPhase.choices)
    # The phase the coordinator saw, so that a change made meanwhile is refused as stale.
    current = forms.ChoiceField(choices=EditionPhase.choices, widget=forms.HiddenInput)
    confirm = forms.BooleanField(required=False)
    reason = forms.CharField(
        label=_("Reason (kept in the decision log)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AutomaticAssignmentForm(NoLabelSuffixMixin, forms.Form):
    seed = forms.IntegerField(
        label=_("Seed"),
        min_value=0,
        max_value=2**31 - 1,
        initial=0,
        help_text=_("The same seed gives the same assignment; change it to draw another one."),
    )


class ManualAssignmentForm(NoLabelSuffixMixin, forms.Form):
    """An entry and an evaluator found by what the coordinator types (a registration number or
    part of a title; an e-mail address or part of a name), not picked from a list of all."""

    case = forms.CharField(
        label=_("Entry"),
        max_length=300,
        help_text=_("Registration number, or part of the title."),
        widget=forms.TextInput(attrs={"list": "entry-suggestions", "autocomplete": "off"}),
    )
    evaluator = forms.CharField(
        label=_("Evaluator"),
        max_length=200,
        help_text=_("E-mail address, or part of the name, of an evaluator in the pool."),
        widget=forms.TextInput(attrs={"list": "evaluator-suggestions", "autocomplete": "off"}),
    )

    def __init__(self, *args, find_entry, find_evaluator, **kwargs):
        super().__init__(*args, **kwargs)
        self.find_entry = find_entry
        self.find_evaluator = find_evaluator

    @staticmethod
    def _one(found, text, what):
        if not found:
            raise forms.ValidationError(
                _("No %(what)s matches “%(text)s”.") % {"what": what, "text": text}
            )
        if len(found) > 1:
            names = "; ".join(str(item) for item in found[:5])
            raise forms.ValidationError(
                _("Several %(what)s match “%(text)s”: %(names)s. Type more of it.")
                % {"what": what, "text": text, "names": names}
            )
        return found[0]

    def clean_case(self):
        text = self.cleaned_data["case"]
        return self._one(self.find_entry(text), text, _("eligible entry"))

    def clean_evaluator(self):
        text = self.cleaned_data["evaluator"]
        return self._one(self.find_evaluator(text), text, _("evaluator of the pool"))


class RemoveAssignmentForm(NoLabelSuffixMixin, forms.Form):
    assignment = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class OverrideConflictForm(NoLabelSuffixMixin, forms.Form):
    conflict = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason for overriding"),
        max_length=2000,
        error_messages={"required": _("Give the reason for overriding the conflict.")},
    )


class OutcomeForm(NoLabelSuffixMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    place = forms.TypedChoiceField(
        label=_("Place (winners only)"),
        choices=[("", "—"), ("1", "1"), ("2", "2"), ("3", "3")],
        coerce=int,
        empty_value=None,
        required=False,
    )
    reason = forms.CharField(
        label=_("Reason or note for the log"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == Outcome.WINNER and not cleaned.get("place"):
            self.add_error("place", _("Choose the place, 1, 2 or 3."))
        return cleaned


class PublishForm(NoLabelSuffixMixin, forms.Form):
    confirm = forms.BooleanField(
        label=_("I have checked the outcomes and want to publish now."),
        error_messages={"required": _("Tick the box to confirm.")},
    )


SORT_CHOICES = [
    ("rank", _("Rank in category")),
    ("mean", _("Mean total")),
    ("normalised", _("Normalised score (z)")),
    ("stddev", _("Standard deviation")),
    ("spread", _("Difference between evaluators")),
    ("number", _("Registration number")),
]


class RankingFilterForm(NoLabelSuffixMixin, forms.Form):
    category = forms.ChoiceField(label=_("Category"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)
    disagreement = forms.BooleanField(label=_("Only entries with disagreement"), required=False)
    incomplete = forms.BooleanField(label=_("Only entries with missing reviews"), required=False)

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All categories"))] + [
            (category.slug, category.name) for category in categories
        ]
