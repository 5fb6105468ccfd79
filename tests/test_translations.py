"""The translations are complete and current, and no text escapes them.

When one of the first three tests fails after new strings were added: run ``make messages``,
translate what it reports in locale/<lang>/LC_MESSAGES/django.po, run ``make messages`` again.
"""

from pathlib import Path

import pytest
from django.conf import settings

from cases.management import translations, untranslated

ROOT = Path(settings.BASE_DIR)
LANGUAGES = translations.target_languages()


def test_the_portal_offers_four_languages():
    assert [code for code, _name in settings.LANGUAGES] == ["en", "fr", "de", "es"]
    assert LANGUAGES == ["fr", "de", "es"]


def test_every_message_of_the_sources_is_in_every_catalogue():
    template_ids = {message.id for message in translations.extract_catalog() if message.id}
    for language in LANGUAGES:
        catalog = translations.read_catalog(translations.po_path(language), language)
        missing = template_ids - {message.id for message in catalog if message.id}
        assert not missing, (
            f"{len(missing)} messages are not in locale/{language}/LC_MESSAGES/django.po "
            f"(run `make messages`), e.g. {sorted(map(str, missing))[:5]}"
        )


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_without_fuzzy_or_broken_placeholders(language):
    problems = translations.catalog_problems(language)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(map(str, problems[:40]))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_committed_mo_files_are_compiled_from_their_po_files(language):
    path = translations.mo_path(language)
    assert path.exists(), f"{path} is missing: run `make messages`"
    assert path.read_bytes() == translations.compiled(language), (
        f"{path} is older than its .po file: run `make messages`"
    )


def test_no_template_shows_text_outside_the_translation_tags():
    findings = [
        finding
        for path in translations.source_files()
        if path.suffix != ".py"
        for finding in untranslated.template_bare_text(path, ROOT)
    ]
    assert not findings, "Wrap these in {% translate %}:\n" + "\n".join(map(str, findings))


def test_no_python_string_reaches_users_unmarked():
    findings = [
        finding
        for path in translations.source_files()
        if path.suffix == ".py"
        for finding in untranslated.python_bare_strings(path, ROOT)
    ]
    assert not findings, "Wrap these in gettext_lazy():\n" + "\n".join(map(str, findings))


def test_the_template_check_finds_bare_text_and_attributes(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "{% load i18n %}<h1>{% translate 'Fine' %}</h1>\n"
        "<p>Forgotten words</p>\n"
        '<img alt="A picture" src="x.png"><span aria-label="{% translate \'ok\' %}"></span>\n'
        "{% blocktranslate %}Also fine {{ x }}{% endblocktranslate %}{# a comment #}\n"
        "<code>field_name</code> <p>EPSA</p> &nbsp;·&nbsp; {{ value }}\n"
        '<a title="Go {{ where }}">{% translate "Go" %}</a>\n'
    )
    found = [(f.line, f.text) for f in untranslated.template_bare_text(page, tmp_path)]
    assert found == [(3, "A picture"), (6, "Go"), (2, "Forgotten words")]


def test_the_python_check_finds_unmarked_labels_and_messages(tmp_path):
    module = tmp_path / "module.py"
    module.write_text(
        "from django.utils.translation import gettext_lazy as _\n"
        "name = forms.CharField(label='Name', help_text=_('Fine'))\n"
        "messages.success(request, 'Saved.')\n"
        "logger.warning('For the administrators, in English')\n"
        "form.add_error('field', 'Wrong value')\n"
        "raise ValidationError(_('Fine'))\n"
    )
    found = [(f.line, f.text) for f in untranslated.python_bare_strings(module, tmp_path)]
    assert sorted(found) == [(2, "Name"), (3, "Saved."), (5, "Wrong value")]


def test_the_python_check_finds_gettext_run_at_import_time(tmp_path):
    module = tmp_path / "views.py"
    module.write_text(
        "from django.utils.translation import gettext as _\n"
        "AREA = _('For coordinators.')\n"
        "def view(request):\n"
        "    return _('Fine at run time.')\n"
    )
    found = [(f.line, f.text) for f in untranslated.python_bare_strings(module, tmp_path)]
    assert found == [(2, "gettext at import time: use gettext_lazy")]


def test_placeholders_are_read_like_python_formats_them():
    assert translations.placeholders("%(count)s cases, 100%% sure, %d left") == {"count", "%d"}
