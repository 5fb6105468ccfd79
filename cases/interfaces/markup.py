"""Escaping for the markup the library's pages build in Python.

Django's ``escape`` and ``linebreaks`` accept lazy text, which wraps each call in a check for
it; the page builders call them for every fact, row and paragraph, and their text is never
lazy once ``str`` has been applied. These write exactly what Django's write.
"""

import re
from html import escape as escape_html

_NEWLINES = re.compile(r"\r\n|\r")
_PARAGRAPH_BREAK = re.compile(r"\n{2,}")


def escape(value) -> str:
    """What ``django.utils.html.escape`` writes for ``value``."""
    return escape_html(str(value))


def paragraphs(text) -> str:
    """What ``django.utils.html.linebreaks(text, autoescape=True)`` writes: a ``<p>`` per
    paragraph, ``<br>`` for a single line break, every piece escaped."""
    lines = _NEWLINES.sub("\n", str(text))
    return "\n\n".join(
        "<p>%s</p>" % escape_html(paragraph).replace("\n", "<br>")  # noqa: UP031
        for paragraph in _PARAGRAPH_BREAK.split(lines)
    )
