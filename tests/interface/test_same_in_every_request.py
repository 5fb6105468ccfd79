"""``{% same_in_every_request %}``: the fixed parts of a page, rendered once per language and
application instance, never anything that depends on the request."""

import pytest
from django.template import Context, Engine, TemplateSyntaxError
from django.test import RequestFactory
from django.urls import resolve, reverse
from django.utils import translation

ENGINE = Engine(
    libraries={"portal": "cases.templatetags.portal"},
    builtins=["django.templatetags.i18n", "django.templatetags.static"],
)


FIXED = ENGINE.from_string(
    "{% load portal %}{% same_in_every_request %}"
    "<a href=\"{% url 'library:methods' %}\">{% translate 'About the methods' %}</a>"
    "{% end_same_in_every_request %}"
)


def _render(request=None) -> str:
    """FIXED for ``request``: one template, so that what it rendered before may be reused."""
    context = Context({"who": "Ada"})
    context.request = request
    return FIXED.render(context)


def test_renders_in_the_active_language_each_time():
    with translation.override("en"):
        english = _render()
    with translation.override("fr"):
        french = _render()
    with translation.override("en"):
        again = _render()
    assert "About the methods" in english
    assert "/fr/library/methods/" in french and "About the methods" not in french
    assert again == english


def test_the_library_without_a_language_prefix_keeps_its_own_links():
    """The library answers under two instances: its pages link within their own."""
    factory = RequestFactory()
    prefixed = factory.get("/en/library/")
    prefixed.resolver_match = resolve("/en/library/")
    plain = factory.get("/library/")
    plain.resolver_match = resolve("/library/")
    with translation.override("en"):
        with_prefix = f'href="{reverse("library:methods")}"'
        without = f'href="{reverse("library-any:methods")}"'
        assert with_prefix != without
        assert with_prefix in _render(prefixed)
        assert without in _render(plain)
        assert with_prefix in _render(prefixed)


@pytest.mark.parametrize(
    "inside",
    [
        "{{ who }}",
        "{% if who %}x{% endif %}",
        "{% url 'library:case' slug=who %}",
        "{% translate 'Search' as label %}",
        "{% blocktranslate %}Hello {{ who }}{% endblocktranslate %}",
        "{% csrf_token %}",
    ],
)
def test_anything_that_reads_the_request_is_refused_when_the_template_loads(inside):
    with pytest.raises(TemplateSyntaxError, match="same_in_every_request"):
        ENGINE.from_string(
            "{% load portal %}{% same_in_every_request %}"
            + inside
            + "{% end_same_in_every_request %}"
        )


def test_a_changed_setting_renders_it_again(settings):
    source = (
        "{% same_in_every_request %}{% static 'css/portal.css' %}{% end_same_in_every_request %}"
    )
    template = ENGINE.from_string("{% load portal %}" + source)
    first = template.render(Context())
    settings.STATIC_URL = "/assets/"
    assert template.render(Context()) != first
    assert template.render(Context()).startswith("/assets/")
