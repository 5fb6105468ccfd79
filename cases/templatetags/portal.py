"""Template helpers shared by every audience's pages."""

import weakref

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.template.base import FilterExpression, TextNode, TokenType, Variable
from django.template.defaulttags import URLNode
from django.templatetags.i18n import BlockTranslateNode, TranslateNode
from django.templatetags.static import StaticNode
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

from cases.domain.text import one_line as one_line_text
from cases.interfaces.language import switcher_items
from cases.interfaces.navigation import reverse_or_none

register = template.Library()


@register.simple_tag
def url_or_none(name, *args, **kwargs):
    """``{% url_or_none "library:list" as library_url %}``: the URL, or None if there is none.

    Unlike ``{% url %}`` it never fails, so a page can link to another area only once it exists.
    """
    return reverse_or_none(name, *args, **kwargs)


@register.simple_tag
def language_switcher_items():
    """``{% language_switcher_items %}``: the switcher's ``<li>`` for the active language."""
    return switcher_items(get_language() or settings.LANGUAGE_CODE)


@register.filter
def one_line(value):
    """``{{ case.title|one_line }}``: a name or title on one line, for e-mails."""
    return one_line_text(value)


# --- markup that only the language changes --------------------------------------------------

# Node -> {(language, autoescape, URL prefix, URL conf, application instance): markup}. Weak
# keys: a template loaded again (a development server's reload) brings new nodes; the old go.
_RENDERED: "weakref.WeakKeyDictionary[template.Node, dict]" = weakref.WeakKeyDictionary()


def _forget_rendered(**kwargs) -> None:
    # A setting can change what a URL, a static file's address or a translation renders as
    # (tests override them): nothing rendered before is kept.
    _RENDERED.clear()


setting_changed.connect(_forget_rendered, dispatch_uid="portal_same_in_every_request")


def _is_literal(expression: FilterExpression | None) -> bool:
    if expression is None:
        return True
    variable = expression.var
    return not expression.filters and (
        not isinstance(variable, Variable) or variable.lookups is None
    )


def _reads_no_context(node: template.Node) -> bool:
    """Whether ``node`` renders the same for every request in a given language: text, and
    translations, URLs and static files named by literals, none stored in a variable."""
    if isinstance(node, TextNode):
        return True
    if isinstance(node, TranslateNode):
        return (
            node.asvar is None
            and node.message_context is None
            and _is_literal(node.filter_expression)
        )
    if isinstance(node, BlockTranslateNode):
        return (
            node.asvar is None
            and node.message_context is None
            and node.counter is None
            and not node.extra_context
            and not node.plural
            and all(token.token_type != TokenType.VAR for token in node.singular)
        )
    if isinstance(node, URLNode):
        return (
            node.asvar is None
            and _is_literal(node.view_name)
            and all(_is_literal(argument) for argument in node.args)
            and all(_is_literal(argument) for argument in node.kwargs.values())
        )
    if isinstance(node, StaticNode):
        return node.varname is None and _is_literal(node.path)
    return False


def _current_app(context) -> str | None:
    """The application instance ``{% url %}`` reverses names in (the library answers under
    two: with and without a language prefix)."""
    request = getattr(context, "request", None)
    current_app = getattr(request, "current_app", None)
    if current_app is None:
        current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
    return current_app


class SameInEveryRequestNode(template.Node):
    # Holds no block: ``{% extends %}``, which looks for blocks in the whole page on every
    # render, need not look inside.
    child_nodelists = ()

    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        # A page holds a dozen of these, and its request's part of the key is the same in all.
        request_key = getattr(context, "_same_in_every_request", None)
        if request_key is None:
            request_key = context._same_in_every_request = (
                get_script_prefix(),
                get_urlconf(),
                _current_app(context),
            )
        # ``{% language %}`` and ``{% autoescape %}`` may change these within a page.
        key = (get_language(), context.autoescape, *request_key)
        rendered = _RENDERED.setdefault(self, {})
        markup = rendered.get(key)
        if markup is None:
            markup = rendered[key] = self.nodelist.render(context)
        return markup


@register.tag
def same_in_every_request(parser, token):
    """``{% same_in_every_request %}…{% end_same_in_every_request %}``: markup rendered once
    per language (and URL prefix) and then reused.

    For the fixed parts of every page (the footer, the head's links, headings and help texts):
    each translation, URL and static file name costs tens of microseconds to render, and a page
    has a hundred of them. Only text and literal ``translate``, ``blocktranslate``, ``url`` and
    ``static`` tags may stand inside; anything that reads the request is refused when the
    template loads."""
    nodelist = parser.parse(("end_same_in_every_request",))
    parser.delete_first_token()
    for node in nodelist:
        if not _reads_no_context(node):
            raise template.TemplateSyntaxError(
                f"{{% same_in_every_request %}} holds only text and literal translate, "
                f"blocktranslate, url and static tags, not {node.token.contents!r}."
            )
    return SameInEveryRequestNode(nodelist)
