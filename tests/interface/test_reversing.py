"""Slug URLs made from an address reversed once: always what ``reverse`` gives."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import translation

from cases.interfaces.reversing import named_url, slug_url


@pytest.mark.parametrize("language", ["en", "fr", "de", "es"])
@pytest.mark.parametrize("current_app", [None, "library", "library-any"])
@pytest.mark.parametrize("name", ["library:case", "library:case_bibtex", "library:case_csl_json"])
def test_a_slug_url_is_what_reverse_gives(language, current_app, name):
    with translation.override(language):
        for slug in ("night-buses", "syn-2024-17-x_y", "a"):
            expected = reverse(name, kwargs={"slug": slug}, current_app=current_app)
            assert slug_url(name, slug, current_app=current_app) == expected
        assert named_url("library:list", current_app=current_app) == reverse(
            "library:list", current_app=current_app
        )


def test_the_language_and_the_instance_each_give_their_own_address():
    with translation.override("fr"):
        french = slug_url("library:case", "night-buses")
        unprefixed = slug_url("library:case", "night-buses", current_app="library-any")
    with translation.override("en"):
        english = slug_url("library:case", "night-buses")
    assert (french, english, unprefixed) == (
        "/fr/library/night-buses/",
        "/en/library/night-buses/",
        "/library/night-buses/",
    )


def test_a_value_that_is_no_slug_is_left_to_reverse():
    # A slug converter refuses it, so the caller hears the same NoReverseMatch as before.
    with pytest.raises(NoReverseMatch):
        slug_url("library:case", "not a slug")


def test_a_new_url_prefix_gives_new_addresses():
    """A site served under a path (SCRIPT_NAME) links under it."""
    before = slug_url("library:case", "night-buses")
    set_script_prefix("/portal/")
    try:
        assert slug_url("library:case", "night-buses") == "/portal" + before
    finally:
        set_script_prefix("/")
