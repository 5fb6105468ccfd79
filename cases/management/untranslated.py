"""Find text that reaches users without passing through the translation functions.

Two scanners, used by tests/test_translations.py:

* :func:`template_bare_text`: text of a template outside ``{% translate %}`` and
  ``{% blocktranslate %}``, between tags or in a user-facing attribute (``alt``, ``title``,
  ``placeholder``, ``aria-label`` …) that contains letters;
* :func:`python_bare_strings`: string literals handed straight to users in Python: messages of
  ``django.contrib.messages``, validation errors, 404/403 texts, and the ``label``,
  ``help_text``, ``verbose_name`` … of fields and forms.

Deliberately small allow-lists say what may stay as it is (the brand, codes, units).
"""

import ast
import re
from dataclasses import dataclass
from pathlib import Path

from django.template.base import Lexer, TokenType

# Text that is the same in every language: the brand, its initials, licence and format names.
ALLOWED_TEXT = {
    "EPSA",
    "EP",
    "EPSA Portal",
    "CC BY 4.0",
    "CSV",
    "JSON",
    "ISO 3166",
    "x",
    "/",
    "z",  # a z-score, written so in every language
}
# Attributes whose value people read or hear.
TRANSLATABLE_ATTRIBUTES = (
    "alt",
    "title",
    "placeholder",
    "aria-label",
    "aria-description",
    "aria-roledescription",
    "aria-valuetext",
    "label",
)
_LETTER = re.compile(r"[^\W\d_]")
_ENTITY = re.compile(r"&#?\w+;")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
# Scripts, styles and code samples (field names, URLs) are not prose.
_RAW_ELEMENT = re.compile(r"<(script|style|code|kbd|samp)\b[^>]*>.*?</\1\s*>", re.S | re.I)
_TAG = re.compile(r"<[^>]*>", re.S)
_ATTRIBUTE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
# A template tag or variable, replaced by this mark before the HTML is read.
DYNAMIC = "\x00"

SKIPPED_BLOCKS = {
    "blocktranslate": "endblocktranslate",
    "blocktrans": "endblocktrans",
    "comment": "endcomment",
    "verbatim": "endverbatim",
}


@dataclass
class Finding:
    path: str
    line: int
    text: str

    def __str__(self):
        return f"{self.path}:{self.line}: {self.text!r}"


_PUNCTUATION = " ·:;,.()[]-–—/|×*…\"'“”«»"


def _is_text(piece: str) -> bool:
    piece = " ".join(_ENTITY.sub(" ", piece).split()).strip(_PUNCTUATION)
    return bool(piece) and bool(_LETTER.search(piece)) and piece not in ALLOWED_TEXT


def _flattened(source: str) -> str:
    """The template with its tags and variables as DYNAMIC marks, and its translation blocks
    and comments removed (keeping line breaks, for line numbers)."""
    parts = []
    closing = None
    for token in Lexer(source).tokenize():
        if closing is not None:
            if token.token_type == TokenType.BLOCK and token.contents.split()[0] == closing:
                closing = None
            parts.append(DYNAMIC + "\n" * token.contents.count("\n"))
            continue
        if token.token_type == TokenType.TEXT:
            parts.append(token.contents)
            continue
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents.split() else ""
            closing = SKIPPED_BLOCKS.get(name)
        parts.append(DYNAMIC + "\n" * token.contents.count("\n"))
    return "".join(parts)


def _blank(match: re.Match) -> str:
    return DYNAMIC + "\n" * match.group(0).count("\n")


def template_bare_text(path: Path, root: Path) -> list[Finding]:
    text = _flattened(path.read_text(encoding="utf-8"))
    text = _HTML_COMMENT.sub(_blank, text)
    text = _RAW_ELEMENT.sub(_blank, text)
    findings = []
    name = str(path.relative_to(root))

    def line_of(offset: int) -> int:
        return text.count("\n", 0, offset) + 1

    is_html = path.suffix == ".html"
    if is_html:
        for tag in _TAG.finditer(text):
            for attribute in _ATTRIBUTE.finditer(tag.group(0)):
                if attribute.group(1).lower() not in TRANSLATABLE_ATTRIBUTES:
                    continue
                value = attribute.group(2) if attribute.group(2) is not None else attribute.group(3)
                for piece in value.split(DYNAMIC):
                    if _is_text(piece):
                        findings.append(Finding(name, line_of(tag.start()), piece.strip()))
        text = _TAG.sub(_blank, text)
    offset = 0
    for piece in text.split(DYNAMIC):
        if _is_text(piece):
            start = offset + len(piece) - len(piece.lstrip())
            findings.append(Finding(name, line_of(start), " ".join(piece.split())))
        offset += len(piece) + 1
    return findings


# --- Python ----------------------------------------------------------------------------------

TRANSLATION_FUNCTIONS = {
    "_",
    "gettext",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
    "format_lazy",
}
# Keyword arguments whose value users read.
USER_FACING_KEYWORDS = {
    "label",
    "help_text",
    "verbose_name",
    "verbose_name_plural",
    "empty_label",
    "title",
    "description",
    "message",
}
# Calls whose string arguments users read.
USER_FACING_CALLS = {
    "ValidationError",
    "Http404",
    "PermissionDenied",
    "HttpResponseBadRequest",
}
# The OpenAPI schema is developer documentation, in English like the API's field names and
# docs/api.md (which a test keeps generated from it): its descriptions are not interface text.
API_DOCUMENTATION_CALLS = {"OpenApiParameter", "OpenApiResponse", "OpenApiExample", "extend_schema"}
# django.contrib.messages functions (called as messages.<name>).
MESSAGE_FUNCTIONS = {"debug", "info", "success", "warning", "error", "add_message"}


def _name(node) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _bare(node) -> str | None:
    """The text of a literal string (or f-string) with letters, else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value if _is_text(node.value) else None
    if isinstance(node, ast.JoinedStr):
        text = "".join(
            part.value
            for part in node.values
            if isinstance(part, ast.Constant) and isinstance(part.value, str)
        )
        return text if _is_text(text) else None
    return None


def _import_time_gettext(tree, name: str) -> list[Finding]:
    """Calls of the non-lazy ``gettext`` (imported as ``_``) outside functions: they run once,
    at import, in English, whatever language a request asks for later."""
    eager = set()  # local names bound to the non-lazy functions
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            for alias in node.names:
                if alias.name in ("gettext", "ngettext", "pgettext", "npgettext"):
                    eager.add(alias.asname or alias.name)
    if not eager:
        return []
    findings = []

    def visit(node, in_function: bool):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            in_function = True
        if (
            not in_function
            and isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in eager
        ):
            findings.append(Finding(name, node.lineno, "gettext at import time: use gettext_lazy"))
        for child in ast.iter_child_nodes(node):
            visit(child, in_function)

    visit(tree, False)
    return findings


def python_bare_strings(path: Path, root: Path) -> list[Finding]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    name = str(path.relative_to(root))
    findings = _import_time_gettext(tree, name)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or _name(node.func) in TRANSLATION_FUNCTIONS:
            continue
        if _name(node.func) in API_DOCUMENTATION_CALLS:
            continue
        candidates = []
        function = _name(node.func)
        if function in USER_FACING_CALLS:
            candidates.extend(node.args)
        elif function == "add_error":  # form.add_error(field, message)
            candidates.extend(node.args[1:])
        elif (
            function in MESSAGE_FUNCTIONS
            and isinstance(node.func, ast.Attribute)
            and _name(node.func.value) == "messages"
        ):
            candidates.extend(node.args)
        candidates.extend(
            keyword.value for keyword in node.keywords if keyword.arg in USER_FACING_KEYWORDS
        )
        for candidate in candidates:
            text = _bare(candidate)
            if text is not None:
                findings.append(Finding(name, candidate.lineno, text))
    return findings
