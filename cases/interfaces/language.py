"""The interface language: how a request gets it, and what templates need to offer the others.

Where the language comes from, first match wins:

1. the URL's prefix, on the public library (``/fr/library/…``): a shared link shows what its
   sender saw;
2. a signed-in user's saved choice (``User.language``, set by the switcher or the profile);
3. the switcher's cookie, then the browser's ``Accept-Language``, then English.

Unprefixed library URLs (``/library/…``) and every other page follow 2 and 3.
"""

from functools import cache

from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

from cases.interfaces.reversing import named_url, slug_url

LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's, without its redirect of unknown unprefixed paths to a prefixed one.

    The library answers both with and without a language prefix, so ``/library/no-such-case/``
    is a plain 404 and never a redirect to ``/en/library/no-such-case/``.
    """

    def process_response(self, request, response):
        language = translation.get_language()
        if not translation.get_language_from_path(request.path_info):
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", language)
        return response


class UserLanguageMiddleware:
    """A signed-in user's saved language wins over the cookie and the browser (not the URL)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.language in LANGUAGE_CODES
            and not translation.get_language_from_path(request.path_info)
        ):
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


def path_without_language(path: str) -> str:
    """``/fr/library/x/`` -> ``/library/x/``; other paths unchanged."""
    code = translation.get_language_from_path(path)
    if code and path.startswith(f"/{code}/"):
        return path[len(code) + 1 :]
    return path


def _library_url(name: str, kwargs: dict) -> str:
    if not kwargs:
        return named_url(name)
    if list(kwargs) == ["slug"]:
        return slug_url(name, kwargs["slug"])
    return reverse(name, kwargs=kwargs)


def library_alternates(request, url_name: str, **kwargs) -> list[dict]:
    """A library page in every language, for ``<link rel="alternate" hreflang>``: one absolute
    URL per language prefix, and ``x-default`` for the unprefixed address that follows the
    visitor's language."""
    query = request.META.get("QUERY_STRING", "")
    suffix = f"?{query}" if query else ""
    alternates = []
    try:
        for code in LANGUAGE_CODES:
            with translation.override(code):
                path = _library_url(f"library:{url_name}", kwargs)
            alternates.append({"code": code, "url": request.build_absolute_uri(path + suffix)})
        path = _library_url(f"library-any:{url_name}", kwargs)
    except NoReverseMatch:
        return []
    alternates.append({"code": "x-default", "url": request.build_absolute_uri(path + suffix)})
    return alternates


def languages(request):
    """Context for the switcher: the address to return to (its items: ``switcher_items``)."""
    return {"switch_language_next": request.get_full_path()}


@cache
def switcher_items(current: str) -> SafeString:
    """The switcher's list items: each language in its own name, ``current`` marked and the
    others as buttons. The same on every page in a language, so made once per language."""
    items = []
    for code in LANGUAGE_CODES:
        name = escape(capfirst(translation.get_language_info(code)["name_local"]))
        if code == current:
            item = f'<span class="language-current" lang="{code}" aria-current="true">{name}</span>'
        else:
            item = (
                f'<button type="submit" name="language" value="{code}" lang="{code}"'
                f' class="link-button" data-language="{code}">{name}</button>'
            )
        items.append(f"<li>{item}</li>")
    return mark_safe("\n          ".join(items))  # noqa: S308  (names escaped, codes are settings)
