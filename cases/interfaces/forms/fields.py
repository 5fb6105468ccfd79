"""Form fields that refuse out-of-range input with a message instead of a database error."""

from django import forms
from django.db import models

from cases.domain.text import one_line

# The range of the database's 64-bit integer keys.
KEY_MIN, KEY_MAX = -(2**63), 2**63 - 1


def _out_of_range(value) -> bool:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return False  # not a number at all: Django's own check reports it
    return not KEY_MIN <= number <= KEY_MAX


class KeyedMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows by integer key that refuses a key beyond 64 bits as an invalid
    choice: SQLite cannot even bind such a number, and would answer with an error page."""

    def _check_values(self, value):
        meta = self.queryset.model._meta
        key_field = meta.get_field(self.to_field_name) if self.to_field_name else meta.pk
        if isinstance(key_field, models.IntegerField | models.AutoField):
            for item in value if isinstance(value, list | tuple | set | frozenset) else ():
                if _out_of_range(item):
                    raise forms.ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": str(item)[:30]},
                    )
        return super()._check_values(value)


class OneLineCharField(forms.CharField):
    """A name or title: kept on one line (line breaks and runs of spaces become one space,
    control characters go), because it ends up in e-mail subjects and bodies."""

    def to_python(self, value):
        value = super().to_python(value)
        return one_line(value) if value not in self.empty_values else value
