"""Labels without Django's default colon suffix ("Name:"), matching the rest of the portal."""


class NoLabelSuffixMixin:
    """Put first in a form's bases: its labels render as "Name", not "Name:"."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
