"""Citations of library cases: APA and Chicago text, BibTeX, RIS and CSL-JSON.

Each format is made from one small ``Citable`` record, built either from a case object (the
case page) or from an export record (the filtered-set downloads, streamed like the CSV export),
so a case is cited the same way wherever it is downloaded from.
"""

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import Case

# At most this many cases in one citation download of a filtered set (the page says so).
CITATION_EXPORT_LIMIT = 1000
PUBLISHER = gettext_lazy("EPSA Portal case library")


@dataclass(frozen=True)
class Citable:
    slug: str
    title: str
    organisation: str
    year: int | None
    url: str
    edition: str = ""
    licence: str = ""

    @property
    def year_text(self) -> str:
        return str(self.year) if self.year else _("n.d.")


def from_case(case: Case, url: str) -> Citable:
    year = case.year or (case.published_at.year if case.published_at else None)
    return Citable(
        slug=case.slug,
        title=case.title,
        organisation=case.lead_organisation.name if case.lead_organisation else "",
        year=year,
        url=url,
        edition=case.edition.name if case.edition else "",
        licence=case.licence,
    )


def from_record(record: dict) -> Citable:
    """A citable from a record of ``cases.interfaces.exporters.export_records``."""
    year = record["year"]
    if not year and record.get("published_at"):
        year = int(record["published_at"][:4])
    return Citable(
        slug=record["slug"],
        title=record["title"],
        organisation=record["lead_organisation"],
        year=year,
        url=record["url"],
        edition=record["edition_name"],
        licence=record["licence"],
    )


def _author(item: Citable) -> str:
    return item.organisation or _("Unknown organisation")


def _sentence(text: str) -> str:
    """``text`` ending with one full stop (titles may end with their own ? or !)."""
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


def apa(item: Citable) -> str:
    """APA 7th edition, as a reference-list entry for a web document with a group author."""
    edition = f" {_sentence(item.edition)}" if item.edition else ""
    return _("%(author)s (%(year)s). %(title)s [Case study].%(edition)s %(publisher)s. %(url)s") % {
        "author": _sentence(_author(item)).rstrip("."),
        "year": item.year_text,
        "title": item.title.strip().rstrip("."),
        "edition": edition,
        "publisher": PUBLISHER,
        "url": item.url,
    }


def chicago(item: Citable) -> str:
    """Chicago (17th edition, notes and bibliography), as a bibliography entry."""
    edition = f" {_sentence(item.edition)}" if item.edition else ""
    return _("%(author)s. “%(title)s”%(edition)s %(publisher)s, %(year)s. %(url)s.") % {
        "author": _author(item).strip().rstrip("."),
        "title": _sentence(item.title),
        "edition": edition,
        "publisher": PUBLISHER,
        "year": item.year_text,
        "url": item.url,
    }


# --- BibTeX ---------------------------------------------------------------------------------

_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIBTEX_RE = re.compile("|".join(re.escape(char) for char in _BIBTEX_SPECIAL))


def _bibtex_text(value: str) -> str:
    return _BIBTEX_RE.sub(lambda match: _BIBTEX_SPECIAL[match.group()], " ".join(value.split()))


def _bibtex_key(slug: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "", slug) or "case"


def bibtex(item: Citable, *, accessed=None) -> str:
    accessed = accessed or timezone.localdate()
    fields = [
        # Double braces: a group author is one name, never split into first and last names.
        ("author", "{" + _bibtex_text(_author(item)) + "}"),
        ("title", "{" + _bibtex_text(item.title) + "}"),
        ("year", item.year_text),
        ("howpublished", _bibtex_text(str(PUBLISHER))),
        ("url", item.url),
        ("urldate", accessed.isoformat()),
    ]
    note = "; ".join(
        part
        for part in (item.edition, _("Licence: %(licence)s") % {"licence": item.licence})
        if part
    )
    fields.append(("note", _bibtex_text(note)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{_bibtex_key(item.slug)},\n{body}\n}}\n"


# --- RIS ------------------------------------------------------------------------------------


def _ris_text(value: str) -> str:
    return " ".join(value.split())


def ris(item: Citable, *, accessed=None) -> str:
    accessed = accessed or timezone.localdate()
    lines = [
        ("TY", "ELEC"),
        ("AU", _ris_text(_author(item))),
        ("TI", _ris_text(item.title)),
        ("PY", str(item.year) if item.year else ""),
        ("PB", str(PUBLISHER)),
        ("UR", item.url),
        ("Y2", accessed.strftime("%Y/%m/%d")),
        ("ID", item.slug),
    ]
    if item.edition:
        lines.append(("T2", _ris_text(item.edition)))
    lines.append(("N1", _("Licence: %(licence)s") % {"licence": item.licence}))
    text = "".join(f"{tag}  - {value}\r\n" for tag, value in lines if value)
    return text + "ER  - \r\n"


# --- CSL-JSON -------------------------------------------------------------------------------


def csl(item: Citable, *, accessed=None) -> dict:
    accessed = accessed or timezone.localdate()
    entry = {
        "id": item.slug,
        "type": "report",
        "genre": str(_("Case study")),
        "title": item.title,
        "author": [{"literal": _author(item)}],
        "publisher": str(PUBLISHER),
        "URL": item.url,
        "accessed": {"date-parts": [[accessed.year, accessed.month, accessed.day]]},
        "license": item.licence,
    }
    if item.year:
        entry["issued"] = {"date-parts": [[item.year]]}
    if item.edition:
        entry["collection-title"] = item.edition
    return entry


def csl_json_chunks(items: Iterable[Citable]) -> Iterator[str]:
    """A CSL-JSON array, one entry at a time."""
    accessed = timezone.localdate()
    yield "["
    first = True
    for item in items:
        yield ("\n" if first else ",\n") + json.dumps(
            csl(item, accessed=accessed), ensure_ascii=False
        )
        first = False
    yield "\n]\n"


def bibtex_chunks(items: Iterable[Citable]) -> Iterator[str]:
    accessed = timezone.localdate()
    for item in items:
        yield bibtex(item, accessed=accessed) + "\n"


def ris_chunks(items: Iterable[Citable]) -> Iterator[str]:
    accessed = timezone.localdate()
    for item in items:
        yield ris(item, accessed=accessed) + "\r\n"
