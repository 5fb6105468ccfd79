"""Forms of the evaluator area: the review form (built from the edition's criteria) and the
declaration of a conflict of interest."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.domain import text as text_rules
from cases.domain.evaluation.scoring import FACTOR_MAX, FACTOR_MIN
from cases.interfaces.form_labels import NoLabelSuffixMixin
from cases.interfaces.forms.fields import KeyedMultipleChoiceField
from cases.models import Category, EditionPhase, EvaluatorProfile, Organisation

# Editions whose categories an evaluator may still express a preference for.
PROFILE_PHASES = (
    EditionPhase.OPEN,
    EditionPhase.ELIGIBILITY,
    EditionPhase.EVALUATION,
)

FACTOR_CHOICES = [("", _("Not scored yet"))] + [
    (str(value), str(value)) for value in range(FACTOR_MIN, FACTOR_MAX + 1)
]


class ReviewForm(NoLabelSuffixMixin, forms.Form):
    """One score and comment per criterion, one 0-4 score per factor, an overall comment.

    Empty scores are allowed in a draft; ``submitting=True`` makes every score required, with
    the message next to the field that is missing.
    """

    overall_comment = forms.CharField(
        max_length=text_rules.LONG_TEXT_MAX,
        label=_("Overall comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Your overall view of the entry, for the consensus meeting."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, edition, criteria, factors, review=None, submitting=False, **kw):
        self.edition = edition
        self.criteria = list(criteria)
        self.factors = list(factors)
        self.submitting = submitting
        initial = kw.pop("initial", {}) or {}
        if review is not None:
            initial.setdefault("overall_comment", review.overall_comment)
            initial.setdefault("version", review.version)
            for score in review.criterion_scores.all():
                initial.setdefault(self.criterion_key(score.criterion_id), score.score)
                initial.setdefault(self.comment_key(score.criterion_id), score.comment)
            for score in review.factor_scores.all():
                value = "" if score.score is None else str(score.score)
                initial.setdefault(self.factor_key(score.factor_id), value)
        super().__init__(*args, initial=initial, **kw)
        scale = {"low": edition.score_min, "high": edition.score_max}
        for criterion in self.criteria:
            self.fields[self.criterion_key(criterion.pk)] = forms.IntegerField(
                label=_("%(criterion)s: score") % {"criterion": criterion.name},
                required=False,
                min_value=edition.score_min,
                max_value=edition.score_max,
                help_text=_("A whole number from %(low)d to %(high)d.") % scale,
                error_messages={
                    "min_value": _("The score must be between %(low)d and %(high)d.") % scale,
                    "max_value": _("The score must be between %(low)d and %(high)d.") % scale,
                    "invalid": _("Enter a whole number from %(low)d to %(high)d.") % scale,
                },
                widget=forms.NumberInput(
                    attrs={"data-weight": str(criterion.weight), "class": "score-input"}
                ),
            )
            self.fields[self.comment_key(criterion.pk)] = forms.CharField(
                max_length=text_rules.SHORT_TEXT_MAX,
                label=_("%(criterion)s: comment") % {"criterion": criterion.name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        for factor in self.factors:
            self.fields[self.factor_key(factor.pk)] = forms.TypedChoiceField(
                label=factor.display_label,
                required=False,
                choices=FACTOR_CHOICES,
                coerce=int,
                empty_value=None,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": _("Choose a score from 0 to 4.")},
            )

    @staticmethod
    def criterion_key(pk):
        return f"criterion_{pk}"

    @staticmethod
    def comment_key(pk):
        return f"criterion_{pk}_comment"

    @staticmethod
    def factor_key(pk):
        return f"factor_{pk}"

    def criterion_rows(self):
        return [
            (
                criterion,
                self[self.criterion_key(criterion.pk)],
                self[self.comment_key(criterion.pk)],
            )
            for criterion in self.criteria
        ]

    def factor_rows(self):
        return [(factor, self[self.factor_key(factor.pk)]) for factor in self.factors]

    def clean(self):
        cleaned = super().clean()
        if self.submitting:
            for criterion in self.criteria:
                key = self.criterion_key(criterion.pk)
                if key not in self.errors and cleaned.get(key) is None:
                    self.add_error(key, _("Score this criterion before submitting."))
            for factor in self.factors:
                key = self.factor_key(factor.pk)
                if key not in self.errors and cleaned.get(key) is None:
                    self.add_error(key, _("Score this factor before submitting."))
        return cleaned

    def criterion_values(self):
        return {
            c.pk: (
                self.cleaned_data.get(self.criterion_key(c.pk)),
                self.cleaned_data.get(self.comment_key(c.pk), ""),
            )
            for c in self.criteria
        }

    def factor_values(self):
        return {f.pk: self.cleaned_data.get(self.factor_key(f.pk)) for f in self.factors}


class DeclareConflictForm(NoLabelSuffixMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why do you have a conflict of interest?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_(
            "For example: you work for a partner, advised the project, or know the team "
            "personally. Only the coordinators read this."
        ),
        error_messages={"required": _("Say briefly why you have a conflict of interest.")},
    )


class EvaluatorProfileForm(NoLabelSuffixMixin, forms.ModelForm):
    class Meta:
        model = EvaluatorProfile
        fields = ["countries", "organisations", "preferred_categories", "expertise"]
        field_classes = {
            "organisations": KeyedMultipleChoiceField,
            "preferred_categories": KeyedMultipleChoiceField,
        }
        widgets = {
            "preferred_categories": forms.CheckboxSelectMultiple,
            "expertise": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "countries": _(
                "Your nationality and the countries you work in or for. In editions that treat "
                "a shared country as a conflict, you will not get entries led from these "
                "countries."
            ),
            "organisations": _(
                "Organisations you work for or with. You will not get entries these "
                "organisations lead or take part in. Hold Ctrl or Cmd to choose several."
            ),
            "preferred_categories": _("Categories you would like to evaluate, if possible."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = Organisation.objects.order_by("name")
        self.fields["preferred_categories"].queryset = (
            Category.objects.filter(edition__phase__in=PROFILE_PHASES)
            .select_related("edition")
            .order_by("edition__name", "order", "name")
        )
        self.fields["preferred_categories"].label_from_instance = lambda category: (
            f"{category.edition.name}: {category.name}"
        )
