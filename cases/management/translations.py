"""Extract, merge, compile and check the interface translations, with Babel only.

Django's ``makemessages`` and ``compilemessages`` call GNU gettext programs, which a fresh
machine does not have. The same work here needs only Python packages:

* **extract**: Python sources through Babel's Python extractor (with Django's function names as
  keywords); templates first through Django's own ``templatize`` (what ``makemessages`` does
  before calling ``xgettext``), whose output is Python code that the same extractor reads;
* **merge** into ``locale/<lang>/LC_MESSAGES/django.po``: new messages come in empty (or fuzzy,
  when Babel finds a similar old one to start from), removed ones go;
* **compile** each ``.po`` to the ``.mo`` file Django reads;
* **check** a catalogue: messages missing, fuzzy, or whose placeholders differ from English.

``make messages`` runs the first three (``manage.py extract_messages``, then
``manage.py compile_translations``); tests/test_translations.py runs the check.
"""

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from django.conf import settings
from django.utils.translation.template import templatize

DOMAIN = "django"
PROJECT = "EPSA Portal"
SOURCE_LANGUAGE = "en"

# Django's translation functions, as Babel keyword specifications (argument positions).
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}
COMMENT_TAGS = ("Translators:",)
# Two forms, as Django's own catalogues of these languages have (CLDR's third French form,
# for millions, would only burden the translators).
PLURAL_FORMS = {
    "fr": (2, "(n > 1)"),
    "de": (2, "(n != 1)"),
    "es": (2, "(n != 1)"),
}
HEADER = """Translations of the EPSA Portal interface.
This file is distributed under the same licence as the EPSA Portal (AGPL-3.0-or-later).
Updated by `make messages` (manage.py extract_messages); see "Translations" in README.md."""

# Where the portal's own strings are; migrations freeze old labels and are not translated.
PYTHON_ROOTS = ("cases", "epsa_portal")
TEMPLATE_ROOTS = ("templates",)
TEMPLATE_SUFFIXES = (".html", ".txt")
EXCLUDED_PARTS = {"migrations", "__pycache__"}


def base_dir() -> Path:
    return Path(settings.BASE_DIR)


def target_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES if code != SOURCE_LANGUAGE]


def po_path(language: str) -> Path:
    return base_dir() / "locale" / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(language: str) -> Path:
    return po_path(language).with_suffix(".mo")


def source_files() -> Iterator[Path]:
    """Every Python file and template that may hold messages, in a stable order."""
    root = base_dir()
    for folder in PYTHON_ROOTS:
        for path in sorted((root / folder).rglob("*.py")):
            if not EXCLUDED_PARTS.intersection(path.relative_to(root).parts):
                yield path
    for folder in TEMPLATE_ROOTS:
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in TEMPLATE_SUFFIXES and path.is_file():
                yield path


def _messages_of(path: Path):
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".py":
        # templatize keeps line numbers and blanks out everything but the translation calls;
        # its indentation is not Python's, which the tokenizer would refuse.
        text = "\n".join(line.lstrip() for line in templatize(text, origin=str(path)).split("\n"))
    return extract(
        "python",
        io.BytesIO(text.encode("utf-8")),
        keywords=KEYWORDS,
        comment_tags=COMMENT_TAGS,
        options={"encoding": "utf-8"},
        strip_comment_tags=True,
    )


def extract_catalog() -> Catalog:
    """A template catalogue (no translations) of every message in the sources."""
    catalog = Catalog(project=PROJECT, fuzzy=False, charset="utf-8")
    root = base_dir()
    for path in source_files():
        location = str(path.relative_to(root))
        for lineno, message, comments, context in _messages_of(path):
            if not message or (isinstance(message, tuple) and not message[0]):
                continue
            catalog.add(
                message,
                None,
                locations=[(location, lineno)],
                auto_comments=comments,
                context=context,
            )
    return catalog


def read_catalog(path: Path, language: str) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=language, domain=DOMAIN)


def write_catalog(path: Path, catalog: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    # No line wrapping: one message per line is easier to translate, grep and review.
    write_po(buffer, catalog, width=0, ignore_obsolete=True, include_previous=False)
    path.write_bytes(buffer.getvalue())


def merge(template: Catalog, language: str) -> tuple[int, int]:
    """Bring ``locale/<language>/…/django.po`` in step with ``template``; return how many
    messages were added and removed."""
    path = po_path(language)
    catalog = read_catalog(path, language) if path.exists() else new_catalog(language)
    dates = catalog.creation_date, catalog.revision_date
    before = {message.id for message in catalog if message.id}
    catalog.update(template, update_header_comment=False)
    after = {message.id for message in catalog if message.id}
    if before == after:
        # Nothing came or went: keep the dates, so that the file does not change for nothing.
        catalog.creation_date, catalog.revision_date = dates
    write_catalog(path, catalog)
    return len(after - before), len(before - after)


def new_catalog(language: str) -> Catalog:
    catalog = Catalog(
        locale=language,
        domain=DOMAIN,
        project=PROJECT,
        version="1",
        copyright_holder="EPSA Portal contributors",
        msgid_bugs_address="",
        last_translator="EPSA Portal contributors",
        language_team=language,
        charset="utf-8",
        header_comment="\n".join(f"# {line}" for line in HEADER.splitlines()),
        fuzzy=False,
    )
    if language in PLURAL_FORMS:
        catalog._num_plurals, catalog._plural_expr = PLURAL_FORMS[language]
    return catalog


def compiled(language: str) -> bytes:
    """The ``.mo`` bytes of a language's ``.po`` (fuzzy messages left out, as gettext does)."""
    buffer = io.BytesIO()
    write_mo(buffer, read_catalog(po_path(language), language), use_fuzzy=False)
    return buffer.getvalue()


def compile_language(language: str) -> bool:
    """Write the language's ``.mo`` file; return whether it changed."""
    data = compiled(language)
    path = mo_path(language)
    if path.exists() and path.read_bytes() == data:
        return False
    path.write_bytes(data)
    return True


@dataclass
class Problem:
    language: str
    msgid: str
    problem: str

    def __str__(self):
        return f"{self.language}: {self.problem}: {self.msgid[:80]!r}"


def catalog_problems(language: str) -> list[Problem]:
    """Messages of ``language`` that are missing, fuzzy, or whose python-format placeholders
    differ from the English (what Babel's own checkers report)."""
    catalog = read_catalog(po_path(language), language)
    problems = []
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id[0] if isinstance(message.id, tuple) else message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            problems.append(Problem(language, msgid, "not translated"))
            continue
        if message.fuzzy:
            problems.append(Problem(language, msgid, "fuzzy"))
        for error in message.check(catalog):
            problems.append(Problem(language, msgid, f"placeholders: {error}"))
        if message.python_format:
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            expected = set().union(*(placeholders(text) for text in ids))
            found = set().union(*(placeholders(text) for text in strings))
            if expected != found:
                problems.append(
                    Problem(
                        language,
                        msgid,
                        f"placeholders {sorted(found)} instead of {sorted(expected)}",
                    )
                )
    return problems


_PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[sdifr%]")


def placeholders(text: str) -> set[str]:
    """The python-format placeholders of a message: ``%(name)s`` -> ``name``, ``%s`` -> ``%s``
    (``%%`` is a literal percent sign, not a placeholder)."""
    found = set()
    for match in _PLACEHOLDER.finditer(text):
        if match.group(0) == "%%":
            continue
        found.add(match.group(1) or match.group(0)[-1:].join("%%")[:2])
    return found
