"""Template helpers shared by every audience's pages."""

from django import template

from cases.domain.text import one_line as one_line_text
from cases.interfaces.navigation import reverse_or_none

register = template.Library()


@register.simple_tag
def url_or_none(name, *args, **kwargs):
    """``{% url_or_none "library:list" as library_url %}``: the URL, or None if there is none.

    Unlike ``{% url %}`` it never fails, so a page can link to another area only once it exists.
    """
    return reverse_or_none(name, *args, **kwargs)


@register.filter
def one_line(value):
    """``{{ case.title|one_line }}``: a name or title on one line, for e-mails."""
    return one_line_text(value)
