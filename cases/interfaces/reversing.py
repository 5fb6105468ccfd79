"""URLs of pages named by a slug, without walking the URL patterns each time.

``reverse`` matches the name against every pattern of its namespace (30-40 microseconds); a
case page links to itself, its citations, its API record and its other languages, and a list
page to 25 cases. The address with a placeholder for the slug is reversed once per name,
language and URL configuration, and each URL is that address with the slug put in.
"""

import re
from functools import lru_cache

from django.core.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

# What a slug URL converter accepts: such a slug appears in the URL as it is, unquoted.
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_PLACEHOLDER = "slug-placeholder"


@lru_cache(maxsize=512)
def _address(name: str, slug: bool, current_app, language, script_prefix: str, urlconf) -> str:
    kwargs = {"slug": _PLACEHOLDER} if slug else None
    return reverse(name, kwargs=kwargs, current_app=current_app)


def named_url(name: str, *, current_app: str | None = None) -> str:
    """``reverse(name, current_app=current_app)``, for a page that takes no argument."""
    return _address(name, False, current_app, get_language(), get_script_prefix(), get_urlconf())


def slug_url(name: str, slug: str, *, current_app: str | None = None) -> str:
    """``reverse(name, kwargs={"slug": slug}, current_app=current_app)``."""
    if not _SLUG.fullmatch(slug):
        return reverse(name, kwargs={"slug": slug}, current_app=current_app)
    language, prefix, urlconf = get_language(), get_script_prefix(), get_urlconf()
    return _address(name, True, current_app, language, prefix, urlconf).replace(_PLACEHOLDER, slug)


def _forget_addresses(**kwargs) -> None:
    # The URL configuration, its prefix or the languages may have changed (tests override them).
    _address.cache_clear()


setting_changed.connect(_forget_addresses, dispatch_uid="reversing_forget_addresses")
