"""Forms of the applicant's account: registration, profile, organisations."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from cases.domain import text as text_rules
from cases.interfaces.form_labels import NoLabelSuffixMixin
from cases.interfaces.forms.fields import KEY_MAX, OneLineCharField
from cases.models import Organisation, Sector, User


class RegistrationForm(NoLabelSuffixMixin, forms.Form):
    full_name = OneLineCharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("Use your work address: we send a link to it to confirm it is yours."),
    )
    country = CountryField(blank=True).formfield(label=_("Country"), required=False)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=text_rules.PASSWORD_MAX,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        max_length=text_rules.PASSWORD_MAX,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _(
                    "An account with this e-mail address already exists. Log in, or reset the "
                    "password if you have forgotten it."
                ),
                code="duplicate",
            )
        return email

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            candidate = User(
                email=cleaned.get("email") or "", full_name=cleaned.get("full_name") or ""
            )
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ProfileForm(NoLabelSuffixMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "country", "language"]
        field_classes = {"full_name": OneLineCharField}


class OrganisationForm(NoLabelSuffixMixin, forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = ["name", "country", "level", "sector", "website"]
        field_classes = {"name": OneLineCharField}
        help_texts = {
            "sector": _("Only public-sector organisations may lead an application."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].required = True
        self.fields["sector"].initial = Sector.PUBLIC

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("sector") == Sector.PUBLIC and not cleaned.get("level"):
            self.add_error("level", _("Choose the level of government of a public body."))
        return cleaned


class JoinOrganisationForm(NoLabelSuffixMixin, forms.Form):
    """The organisation a request to join names: a key, checked before any lookup."""

    organisation = forms.IntegerField(
        min_value=1,
        max_value=KEY_MAX,
        error_messages={
            "required": _("Choose the organisation you want to join."),
            "invalid": _("Choose the organisation you want to join from the list."),
            "min_value": _("Choose the organisation you want to join from the list."),
            "max_value": _("Choose the organisation you want to join from the list."),
        },
    )


class OrganisationSearchForm(NoLabelSuffixMixin, forms.Form):
    q = forms.CharField(label=_("Organisation name"), max_length=100, required=False)


class MembershipDecisionForm(NoLabelSuffixMixin, forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("refuse", _("Refuse"))],
        error_messages={"invalid_choice": _("Choose to approve or to refuse the request.")},
    )


class PasswordResetRequestForm(NoLabelSuffixMixin, PasswordResetForm):
    pass


class NewPasswordForm(NoLabelSuffixMixin, SetPasswordForm):
    pass
