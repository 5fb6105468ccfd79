"""Forms of the coordinator's edition settings page.

Dates are typed and shown in the portal's time zone (Europe/Brussels), which the labels name,
so that "23:59" means the same minute to every coordinator wherever they are.
"""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from cases.domain import text as text_rules
from cases.domain.edition_settings import SETTINGS_FIELDS
from cases.interfaces.form_labels import NoLabelSuffixMixin
from cases.interfaces.forms.fields import OneLineCharField
from cases.models import Edition

DATETIME_INPUT = "%Y-%m-%dT%H:%M"
DATE_FIELDS = ("submissions_open_at", "deadline", "evaluation_deadline")


class ZonedDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=DATETIME_INPUT)


def _zone_help(text):
    return _("%(text)s In %(zone)s time.") % {"text": text, "zone": settings.TIME_ZONE}


class VersionedForm(NoLabelSuffixMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class EditionSettingsForm(NoLabelSuffixMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Edition
        fields = list(SETTINGS_FIELDS)
        field_classes = {"name": OneLineCharField}
        widgets = {
            "submissions_open_at": ZonedDateTimeInput(),
            "deadline": ZonedDateTimeInput(),
            "evaluation_deadline": ZonedDateTimeInput(),
            "rules": forms.Textarea(attrs={"rows": 6}),
            "theme": forms.TextInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        for name, text in (
            ("submissions_open_at", _("When applicants can start submitting.")),
            ("deadline", _("Submissions close at this minute.")),
            ("evaluation_deadline", _("Evaluators submit their reviews by this minute.")),
        ):
            field = self.fields[name]
            field.input_formats = [DATETIME_INPUT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
            field.help_text = _zone_help(text)
        self.fields["same_country_conflicts"].help_text = _(
            "An evaluator from a country the entry involves (the lead organisation's, the "
            "project's or a partner's) has a conflict of interest. After changing this, check "
            "the conflicts on the Assignments page."
        )
        self.fields["score_min"].help_text = _(
            "The scale cannot change once a review is submitted."
        )

    def _post_clean(self):
        # The domain function validates and saves; the form only checks the typed values.
        pass

    def clean(self):
        cleaned = super().clean()
        # The inputs show minutes only: a stored time with seconds that comes back unchanged
        # to the minute keeps its exact value instead of being silently rounded down.
        for name in DATE_FIELDS:
            stored, typed = getattr(self.instance, name), cleaned.get(name)
            if stored and typed and stored.replace(second=0, microsecond=0) == typed:
                cleaned[name] = stored
        opening, deadline = cleaned.get("submissions_open_at"), cleaned.get("deadline")
        evaluation = cleaned.get("evaluation_deadline")
        if opening and deadline and deadline <= opening:
            self.add_error("deadline", _("The submission deadline must be after the opening."))
        if deadline and evaluation and evaluation <= deadline:
            self.add_error(
                "evaluation_deadline",
                _("The evaluation deadline must be after the submission deadline."),
            )
        low, high = cleaned.get("score_min"), cleaned.get("score_max")
        if low is not None and high is not None and high <= low:
            self.add_error("score_max", _("The highest score must be above the lowest score."))
        return cleaned

    def setting_values(self):
        return {name: self.cleaned_data[name] for name in SETTINGS_FIELDS}


class CategoryForm(VersionedForm):
    name = OneLineCharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        max_length=text_rules.SHORT_TEXT_MAX,
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CriterionForm(VersionedForm):
    name = OneLineCharField(label=_("Name"), max_length=200)
    guidance = forms.CharField(
        max_length=text_rules.SHORT_TEXT_MAX,
        label=_("Guidance for evaluators"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    weight = forms.DecimalField(
        label=_("Weight"),
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        initial=1,
        error_messages={"min_value": _("A weight must be above zero.")},
    )
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=32767, required=False)
