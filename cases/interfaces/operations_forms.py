"""Forms of running an edition: outbox, evaluator pool, group messages, bulk import."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from cases.interfaces.form_labels import NoLabelSuffixMixin
from cases.models import EmailStatus, Organisation, Segment

IMPORT_MAX_BYTES = 20 * 1024 * 1024


class OutboxFilterForm(NoLabelSuffixMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status"))] + list(EmailStatus.choices),
        required=False,
    )
    q = forms.CharField(label=_("Address or subject"), required=False, max_length=200)


class InviteForm(NoLabelSuffixMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    full_name = forms.CharField(label=_("Name"), required=False, max_length=200)


class ConfirmForm(NoLabelSuffixMixin, forms.Form):
    confirm = forms.BooleanField(
        label=_("I confirm"), error_messages={"required": _("Tick the box to confirm.")}
    )


class InvitationAnswerForm(NoLabelSuffixMixin, forms.Form):
    """What an invited evaluator tells the award team when accepting."""

    countries = forms.MultipleChoiceField(
        label=_("Countries you work in or for"),
        choices=list(countries),
        required=False,
        help_text=_(
            "Your nationality and your employers' countries: entries from them are a "
            "conflict of interest when the edition says so."
        ),
    )
    affiliations = forms.CharField(
        label=_("Organisations you work for or with"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("One name per line, as the organisation is known in the portal."),
    )
    expertise = forms.ModelMultipleChoiceField(
        label=_("Categories you are expert in"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    conflicting_organisations = forms.CharField(
        label=_("Organisations you have a conflict of interest with"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("One name per line. You will not be asked to evaluate their entries."),
    )
    password = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        required=False,
        min_length=10,
    )

    def __init__(self, *args, edition, needs_password, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expertise"].queryset = edition.categories.all()
        if not needs_password:
            del self.fields["password"]
        else:
            self.fields["password"].required = True

    def _organisations(self, field):
        names = [line.strip() for line in self.cleaned_data[field].splitlines() if line.strip()]
        found, unknown = [], []
        for name in dict.fromkeys(names):
            organisation = Organisation.objects.filter(name__iexact=name).order_by("pk").first()
            (found if organisation else unknown).append(organisation or name)
        if unknown:
            raise forms.ValidationError(
                _("No organisation of this name is known to the portal: %(names)s.")
                % {"names": "; ".join(unknown)}
            )
        return found

    def clean_affiliations(self):
        return self._organisations("affiliations")

    def clean_conflicting_organisations(self):
        return self._organisations("conflicting_organisations")


class MessageForm(NoLabelSuffixMixin, forms.Form):
    segment = forms.ChoiceField(
        label=_("Recipients"),
        choices=[("", _("Choose a group"))] + list(Segment.choices),
        error_messages={"required": _("Choose who receives the message.")},
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=10000,
        help_text=_(
            "Placeholders: {{ name }}, {{ case_title }}, {{ deadline }}, {{ link }}; each "
            "recipient gets their own."
        ),
    )
    preview_for = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)


class SendMessageForm(MessageForm):
    confirm = forms.BooleanField(
        label=_("Send it to everyone in the group"),
        error_messages={"required": _("Tick the box to confirm the sending.")},
    )


class ImportForm(NoLabelSuffixMixin, forms.Form):
    source = forms.SlugField(
        label=_("Source"),
        max_length=60,
        help_text=_(
            "A short name for where the rows come from, e.g. epsa-archive. With the "
            "key column it identifies a case: importing again updates it."
        ),
    )
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_("Download the template for the columns. At most 20 MB."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload
