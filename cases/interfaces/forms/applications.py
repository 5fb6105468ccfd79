"""Forms of the application, one per section.

Drafts may be saved incomplete, so fields are optional here; what a submission needs is
checked by ``cases.domain.applications.missing_items``. What is checked here is what may never
be saved: text over its word limit, an end date before the start date, a category of another
edition, a file that is not what it claims to be.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries.fields import CountryField

from cases.domain import applications as app
from cases.domain import text as text_rules
from cases.domain.files import UploadRejected, check_upload
from cases.interfaces.forms.fields import KeyedMultipleChoiceField, OneLineCharField
from cases.models import (
    Case,
    CaseLanguage,
    CollaborationType,
    CoproductionLevel,
    CoproductionPhase,
    EcosystemFactor,
    GovernmentLevel,
    PolicySector,
    Sector,
)


def word_limit_validator(limit: int):
    def validate(value):
        overlong = text_rules.overlong_word(value)
        if overlong is not None:
            raise forms.ValidationError(
                _(
                    "“%(start)s…” is one word of %(length)s characters; a word may have at "
                    "most %(max)s. Put spaces between the words."
                )
                % {
                    "start": overlong[:20],
                    "length": len(overlong),
                    "max": text_rules.MAX_WORD_LENGTH,
                },
                code="overlong_word",
            )
        words = app.count_words(value)
        if words > limit:
            raise forms.ValidationError(
                ngettext(
                    "This text has %(words)s words; the limit is %(limit)s word.",
                    "This text has %(words)s words; the limit is %(limit)s words. "
                    "Shorten it by %(over)s.",
                    limit,
                )
                % {"words": words, "limit": limit, "over": words - limit},
                code="word_limit",
            )

    return validate


def limited_text(label, limit_key, *, rows=8, help_text=""):
    limit = app.WORD_LIMITS[limit_key]
    return forms.CharField(
        label=label,
        required=False,
        max_length=limit * text_rules.CHARACTERS_PER_WORD,
        widget=forms.Textarea(attrs={"rows": rows, "data-word-limit": limit}),
        validators=[word_limit_validator(limit)],
        help_text=help_text or _("At most %(limit)s words.") % {"limit": limit},
    )


class StartApplicationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Lead organisation"),
        queryset=None,
        empty_label=None,
        error_messages={
            "invalid_choice": _("Choose one of your public-sector organisations."),
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = app.lead_organisations(user)


class SectionForm(forms.Form):
    """A section of the application; ``version`` is the case version the form was loaded with."""

    section = ""
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, case: Case, **kwargs):
        self.case = case
        kwargs.setdefault("initial", {})
        kwargs["initial"] = {**self.initial_from_case(case), **kwargs["initial"]}
        kwargs["initial"].setdefault("version", case.version)
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def initial_from_case(self, case):
        return {
            name: getattr(case, name)
            for name in app.SECTION_FIELDS.get(self.section, ())
            if name in self.base_fields
        }

    def section_data(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in app.SECTION_FIELDS[self.section]
            if name in self.cleaned_data
        }

    def is_complete_valid(self):
        return self.is_valid()


class ApplicantSectionForm(SectionForm):
    section = app.APPLICANT
    contact_name = OneLineCharField(label=_("Contact person"), max_length=200, required=False)
    contact_position = forms.CharField(label=_("Position"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("E-mail address"), required=False)
    contact_phone = forms.CharField(label=_("Telephone"), max_length=40, required=False)
    second_contact_name = OneLineCharField(
        label=_("Second contact person (optional)"), max_length=200, required=False
    )
    second_contact_email = forms.EmailField(
        label=_("Second contact's e-mail address (optional)"), required=False
    )


class ProjectSectionForm(SectionForm):
    section = app.PROJECT
    title = OneLineCharField(label=_("Project title"), max_length=300, required=False)
    language = forms.ChoiceField(
        label=_("Language of the application"),
        choices=CaseLanguage.choices,
        initial=CaseLanguage.ENGLISH,
        required=False,
        help_text=_(
            "The language you write the title, summary and description in; the library's "
            "search uses its grammar."
        ),
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=None,
        required=False,
        empty_label=_("Choose a category"),
        error_messages={
            "invalid_choice": _(
                "This is not one of the edition's categories. Choose one from the list."
            )
        },
    )
    country = CountryField(blank=True).formfield(label=_("Country"), required=False)
    level = forms.ChoiceField(
        label=_("Level of government"),
        choices=[("", _("Choose a level"))] + list(GovernmentLevel.choices),
        required=False,
    )
    policy_sectors = KeyedMultipleChoiceField(
        label=_("Policy sectors"),
        queryset=PolicySector.objects.order_by("order"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    start_date = forms.DateField(
        label=_("Start date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(
        label=_("End date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty and tick “ongoing” if the project continues."),
    )
    ongoing = forms.BooleanField(label=_("The project is ongoing"), required=False)
    website = forms.URLField(
        label=_("Project website (optional)"), required=False, assume_scheme="https"
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["category"].queryset = case.edition.categories.order_by("order", "name")

    def clean_language(self):
        return self.cleaned_data.get("language") or CaseLanguage.ENGLISH

    def initial_from_case(self, case):
        initial = super().initial_from_case(case)
        initial["category"] = case.category_id
        initial["policy_sectors"] = [p.pk for p in case.policy_sectors.all()]
        return initial

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error(
                "end_date",
                _("The end date must be on or after the start date (%(start)s).")
                % {"start": start.isoformat()},
            )
        if end and cleaned.get("ongoing"):
            self.add_error(
                "end_date",
                _("An ongoing project has no end date yet: clear the end date or untick ongoing."),
            )
        return cleaned


class SummarySectionForm(SectionForm):
    section = app.SUMMARY
    summary = limited_text(
        _("Executive summary"),
        "summary",
        rows=10,
        help_text=_(
            "What the project does, for whom, with whom, and what it achieved. At most "
            "%(limit)s words."
        )
        % {"limit": app.WORD_LIMITS["summary"]},
    )


class DescriptionSectionForm(SectionForm):
    section = app.DESCRIPTION
    problem = limited_text(_("Problem and context"), "problem")
    solution = limited_text(_("Solution and what is innovative"), "solution")
    results = limited_text(_("Results and evidence"), "results")
    challenges = limited_text(
        _("Challenges (optional)"),
        "challenges",
        rows=5,
        help_text=_("What was hard and how you dealt with it. At most %(limit)s words.")
        % {"limit": app.WORD_LIMITS["challenges"]},
    )
    sustainability = limited_text(_("Sustainability"), "sustainability")
    transferability = limited_text(_("Transferability and lessons learned"), "transferability")


class PartnerForm(forms.Form):
    name = OneLineCharField(label=_("Name"), max_length=300, required=False)
    sector = forms.ChoiceField(
        label=_("Sector"),
        choices=[("", _("Choose a sector"))] + list(Sector.choices),
        required=False,
    )
    country = CountryField(blank=True).formfield(label=_("Country"), required=False)
    role = forms.CharField(
        label=_("Role in the project"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )

    def __init__(self, *args, **kwargs):
        # The rows sit inside a fieldset with visible labels: no "Name:" colon suffix.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if self.cleaned_data.get("DELETE"):
            return cleaned
        filled = any(cleaned.get(name) for name in ("name", "sector", "country", "role"))
        if filled and not cleaned.get("name"):
            self.add_error("name", _("Give the partner's name, or tick “remove” for this row."))
        if filled and not cleaned.get("sector"):
            self.add_error("sector", _("Choose the partner's sector."))
        return cleaned

    @property
    def is_blank(self):
        data = getattr(self, "cleaned_data", {})
        return not any(data.get(name) for name in ("name", "sector", "country", "role"))


class BasePartnerFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this partner")


PartnerFormSet = forms.formset_factory(
    PartnerForm,
    formset=BasePartnerFormSet,
    extra=1,
    can_delete=True,
    max_num=30,
    validate_max=True,
    # A forged TOTAL_FORMS builds at most this many forms (Django's default adds 1,000).
    absolute_max=31,
)


class CollaborationSectionForm(SectionForm):
    section = app.COLLABORATION
    collaboration_types = KeyedMultipleChoiceField(
        label=_("Collaboration types"),
        queryset=CollaborationType.objects.order_by("order"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    coproduction_phases = KeyedMultipleChoiceField(
        label=_("Co-production phases"),
        queryset=CoproductionPhase.objects.order_by("order"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    coproduction_levels = KeyedMultipleChoiceField(
        label=_("Co-production levels"),
        queryset=CoproductionLevel.objects.order_by("order"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    collaboration = limited_text(
        _("How the partners work together (optional)"), "collaboration", rows=6
    )

    def __init__(self, data=None, *args, case, **kwargs):
        super().__init__(data, *args, case=case, **kwargs)
        initial_partners = [
            {"name": p.name, "sector": p.sector, "country": p.country.code, "role": p.role}
            for p in case.partners.all()
        ]
        if data is None:
            self.partners = PartnerFormSet(prefix="partners", initial=initial_partners)
        else:
            # The submitted rows are the truth; saved rows only fill an unbound form.
            self.partners = PartnerFormSet(data, prefix="partners")

    def initial_from_case(self, case):
        initial = super().initial_from_case(case)
        for name in ("collaboration_types", "coproduction_phases", "coproduction_levels"):
            initial[name] = [item.pk for item in getattr(case, name).all()]
        initial.pop("partners", None)
        return initial

    def is_valid(self):
        own = super().is_valid()
        partners = self.partners.is_valid()
        if not partners:
            self.add_error(None, _("Correct the partner rows marked below."))
        return own and partners

    def section_data(self):
        data = super().section_data()
        data["partners"] = [
            {key: form.cleaned_data.get(key) for key in ("name", "sector", "country", "role")}
            for form in self.partners.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and not form.is_blank
        ]
        return data


RATING_CHOICES = (
    [("", _("Choose a rating"))]
    + [
        (str(value), label)
        for value, label in (
            (0, _("0 – absent")),
            (1, _("1 – weak")),
            (2, _("2 – partly present")),
            (3, _("3 – largely present")),
            (4, _("4 – fully present")),
        )
    ]
    + [(app.RATING_NOT_APPLICABLE, _("Not applicable"))]
)


class EcosystemSectionForm(SectionForm):
    """For each of the eight factors: text, evidence and a rating 0-4 or "not applicable"."""

    section = app.ECOSYSTEM

    def __init__(self, *args, case, **kwargs):
        self.factors = list(EcosystemFactor.objects.order_by("order"))
        super().__init__(*args, case=case, **kwargs)
        text_limit = app.WORD_LIMITS["factor_text"]
        evidence_limit = app.WORD_LIMITS["factor_evidence"]
        for factor in self.factors:
            name = factor.display_short
            self.fields[f"factor_{factor.pk}_text"] = forms.CharField(
                label=_("%(factor)s: how the project meets it") % {"factor": name},
                required=False,
                max_length=text_limit * text_rules.CHARACTERS_PER_WORD,
                widget=forms.Textarea(attrs={"rows": 4, "data-word-limit": text_limit}),
                validators=[word_limit_validator(text_limit)],
                help_text=_("At most %(limit)s words.") % {"limit": text_limit},
            )
            self.fields[f"factor_{factor.pk}_evidence"] = forms.CharField(
                label=_("%(factor)s: evidence") % {"factor": name},
                required=False,
                max_length=evidence_limit * text_rules.CHARACTERS_PER_WORD,
                widget=forms.Textarea(attrs={"rows": 3, "data-word-limit": evidence_limit}),
                validators=[word_limit_validator(evidence_limit)],
                help_text=_("Documents, figures or links that show it. At most %(limit)s words.")
                % {"limit": evidence_limit},
            )
            self.fields[f"factor_{factor.pk}_rating"] = forms.ChoiceField(
                label=_("%(factor)s: self-rating") % {"factor": name},
                choices=RATING_CHOICES,
                required=False,
                error_messages={
                    "invalid_choice": _("Choose a rating from 0 to 4, or “not applicable”.")
                },
            )

    def initial_from_case(self, case):
        initial = {}
        for assessment in case.factor_assessments.all():
            prefix = f"factor_{assessment.factor_id}"
            initial[f"{prefix}_text"] = assessment.text
            initial[f"{prefix}_evidence"] = assessment.evidence
            if assessment.not_applicable:
                initial[f"{prefix}_rating"] = app.RATING_NOT_APPLICABLE
            elif assessment.self_rating is not None:
                initial[f"{prefix}_rating"] = str(assessment.self_rating)
        return initial

    def factor_rows(self):
        return [
            {
                "factor": factor,
                "text": self[f"factor_{factor.pk}_text"],
                "evidence": self[f"factor_{factor.pk}_evidence"],
                "rating": self[f"factor_{factor.pk}_rating"],
            }
            for factor in self.factors
        ]

    def section_data(self):
        return {
            "assessments": {
                factor.pk: {
                    "text": self.cleaned_data.get(f"factor_{factor.pk}_text", ""),
                    "evidence": self.cleaned_data.get(f"factor_{factor.pk}_evidence", ""),
                    "rating": self.cleaned_data.get(f"factor_{factor.pk}_rating") or None,
                }
                for factor in self.factors
            }
        }


class DeclarationsSectionForm(SectionForm):
    section = app.DECLARATIONS
    declares_accuracy = forms.BooleanField(
        label=_(
            "I declare that the information in this application is accurate and that I may "
            "submit it on behalf of the lead organisation."
        ),
        required=False,
    )
    consents_to_evaluation = forms.BooleanField(
        label=_(
            "The lead organisation agrees that independent evaluators and the award team read "
            "and assess this application."
        ),
        required=False,
    )
    publication_consent = forms.BooleanField(
        label=_(
            "Optional: the lead organisation agrees that the application, once the results are "
            "out, is published in the public case library under the Creative Commons "
            "Attribution 4.0 licence (CC BY 4.0)."
        ),
        required=False,
    )


class AttachmentForm(forms.Form):
    title = OneLineCharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("For example “Evaluation report 2024”. The file name is used if empty."),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, PNG or JPEG, at most 10 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"}
        ),
        error_messages={"required": _("Choose a file to upload.")},
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        try:
            check_upload(uploaded)
        except UploadRejected as error:
            raise forms.ValidationError(error.message, code="rejected") from error
        return uploaded


SECTION_FORMS = {
    app.APPLICANT: ApplicantSectionForm,
    app.PROJECT: ProjectSectionForm,
    app.SUMMARY: SummarySectionForm,
    app.DESCRIPTION: DescriptionSectionForm,
    app.COLLABORATION: CollaborationSectionForm,
    app.ECOSYSTEM: EcosystemSectionForm,
    app.DECLARATIONS: DeclarationsSectionForm,
}
