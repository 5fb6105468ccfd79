"""Text as a reader sees it: words, overlong words, and one-line names.

Word limits must count what a reader sees. Python's ``str.split()`` splits on white space only,
so words glued with an invisible character (a zero-width space, a Braille blank, a word joiner)
would count as one and slip past a limit. Here every white space and every invisible separator
or format character splits words.
"""

import re

from cases.models.limits import (  # noqa: F401 (the limits, with the rules that use them)
    CHARACTERS_PER_WORD,
    LONG_TEXT_MAX,
    PASSWORD_MAX,
    SHORT_TEXT_MAX,
)

# White space (\s covers Unicode spaces such as U+00A0 and U+3000) and the characters that
# show nothing: soft hyphen, joiners and marks, fillers, the Braille blank, variation selectors,
# the byte-order mark, interlinear annotation marks and tags.
_INVISIBLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e007f"
)
WORD_SEPARATORS = re.compile(rf"[\s{_INVISIBLE}]+")
# Control characters (other than white space) have no business in a name or a title.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

# The longest word a text may hold: longer than any word of a European language; a web
# address may be longer, up to MAX_LINK_LENGTH.
MAX_WORD_LENGTH = 100
MAX_LINK_LENGTH = 2000
_LINK = re.compile(r"^(?:https?://|www\.)", re.IGNORECASE)


def words(text: str | None) -> list[str]:
    return [word for word in WORD_SEPARATORS.split(text or "") if word]


def count_words(text: str | None) -> int:
    return len(words(text))


def overlong_word(text: str | None) -> str | None:
    """The first word longer than a reader's word can be (a link may be longer), or None."""
    for word in words(text):
        limit = MAX_LINK_LENGTH if _LINK.match(word) else MAX_WORD_LENGTH
        if len(word) > limit:
            return word
    return None


def one_line(text: str | None) -> str:
    """``text`` on one line: line breaks, tabs and runs of white space become one space, and
    control characters go. For names and titles that end up in e-mail subjects and bodies."""
    return " ".join(_CONTROL.sub(" ", str(text or "")).split())
