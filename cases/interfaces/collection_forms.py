"""Forms of saved collections: name and note, the cases of a new one, a case to add."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.interfaces.form_labels import NoLabelSuffixMixin
from cases.models import Collection

MAX_SLUGS = 200


class CollectionForm(NoLabelSuffixMixin, forms.ModelForm):
    class Meta:
        model = Collection
        fields = ["name", "note"]
        labels = {"name": _("Name of the collection"), "note": _("Note")}
        help_texts = {
            "note": _("Why these cases belong together; anyone with the share link reads it.")
        }
        widgets = {"note": forms.Textarea(attrs={"rows": 4})}


class NewCollectionForm(CollectionForm):
    cases = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta(CollectionForm.Meta):
        fields = ["name", "note"]

    def clean_cases(self):
        raw = self.cleaned_data.get("cases") or ""
        slugs = [item.strip() for item in raw.split(",") if item.strip()]
        if len(slugs) > MAX_SLUGS:
            raise forms.ValidationError(
                _("A collection holds at most %(max)s cases."), params={"max": MAX_SLUGS}
            )
        return slugs


class AddToCollectionForm(NoLabelSuffixMixin, forms.Form):
    collection = forms.ModelChoiceField(
        queryset=Collection.objects.none(),
        label=_("Collection"),
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of your collections.")},
    )
    case = forms.SlugField(widget=forms.HiddenInput, max_length=120)

    def __init__(self, *args, collections=None, **kwargs):
        super().__init__(*args, **kwargs)
        if collections is not None:
            self.fields["collection"].queryset = collections
