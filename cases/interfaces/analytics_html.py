"""The cells of the factor analytics tables, rendered in Python.

The statistics page shows about 170 figures, each a link to the cases behind it; through a
template include per cell they cost more than everything else on the page. These functions build
the same markup directly, every value escaped and every text translatable.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import get_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.domain.queries.analytics import Figure


def group_digits(number: int) -> str:
    """An integer with the active language's thousands separator (what ``intcomma`` gives,
    without its per-call formatting machinery)."""
    return f"{number:,}".replace(",", get_format("THOUSAND_SEPARATOR"))


def one_decimal(value: float) -> str:
    """A value with one decimal in the active language (what ``floatformat:1`` gives)."""
    rounded = Decimal(repr(value)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return f"{rounded:.1f}".replace(".", get_format("DECIMAL_SEPARATOR"))


def _suppressed(text: str) -> str:
    return f'<span class="suppressed">{escape(text)}</span>'


def count_cell(figure: Figure, url: str, min_cases: int) -> SafeString:
    """A number of cases: a link to them, "fewer than N" when suppressed, or 0."""
    if figure.suppressed:
        return mark_safe(_suppressed(_("fewer than %(min)s") % {"min": min_cases}))  # noqa: S308
    if figure.cases:
        return mark_safe(f'<a href="{escape(url)}">{group_digits(figure.cases)}</a>')  # noqa: S308
    return mark_safe("0")  # noqa: S308


def mean_cell(figure: Figure, url: str, min_cases: int) -> SafeString:
    """A mean on the 0-4 scale with the number of cases behind it, linked to those cases."""
    if figure.suppressed:
        return mark_safe(  # noqa: S308
            _suppressed(_("fewer than %(min)s cases") % {"min": min_cases})
        )
    if figure.value is None:
        return mark_safe(_suppressed(_("no cases")))  # noqa: S308
    count = ngettext("(%(n)s case)", "(%(n)s cases)", figure.cases) % {
        "n": group_digits(figure.cases)
    }
    return mark_safe(  # noqa: S308
        f'<a href="{escape(url)}"><span class="heat-value">{one_decimal(figure.value)}'
        f'</span> <span class="heat-count">{escape(count)}</span></a>'
    )
