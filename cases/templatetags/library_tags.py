"""Template helpers of the public case library."""

import re

from django import template
from django.utils.safestring import mark_safe

from cases.interfaces.markup import escape

register = template.Library()

_SUFFIXES = ("ing", "ies", "es", "s", "ed")


def _stem(word: str) -> str:
    """A rough English stem, so that "communities" also marks "community" (as the search does)."""
    lower = word.lower()
    for suffix in _SUFFIXES:
        if lower.endswith(suffix) and len(lower) - len(suffix) >= 4:
            return lower[: -len(suffix)]
    if lower.endswith("y") and len(lower) >= 5:
        return lower[:-1]
    return lower


def highlighter(words):
    """A function that escapes a text and wraps the words that start like one of ``words`` (the
    search words) in <mark>; the pattern is built once for the many texts of a page."""
    stems = sorted({_stem(word) for word in words or [] if len(word) >= 2}, key=len, reverse=True)
    if not stems:
        return lambda text: mark_safe(escape("" if text is None else text))  # noqa: S308
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(stem) for stem in stems) + r")\w*", re.I)

    def mark(text) -> str:
        text = "" if text is None else str(text)
        parts = []
        last = 0
        for match in pattern.finditer(text):
            parts.append(escape(text[last : match.start()]))
            parts.append(f"<mark>{escape(match.group(0))}</mark>")
            last = match.end()
        parts.append(escape(text[last:]))
        return mark_safe("".join(parts))  # noqa: S308  (every piece is escaped)

    return mark


@register.filter
def profile_value(value):
    """A stored profile value as the page shows it: "3", "2.5", or an en dash when absent."""
    if value is None:
        return "–"
    number = value.value if hasattr(value, "value") else value
    return f"{float(number):.2f}".rstrip("0").rstrip(".")
