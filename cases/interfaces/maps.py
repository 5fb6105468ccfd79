"""A map of Europe and its neighbours, each country shaded by its number of cases (SVG).

The shapes are prepared once (``manage.py build_europe_map`` wrote ``cases/data/europe_map.json``
from Natural Earth) and read once per process; a request only shades them with counts the page
has already computed (the library's country facet counts, or the statistics), so the map adds
no query. Every country with cases is a link (keyboard-reachable) whose accessible name and
``<title>`` give its count; countries without cases are drawn as plain land. The page shows the
same figures as a table beside the map (the text alternative).
"""

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from pathlib import Path

from django.utils.formats import get_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django_countries import countries

MAP_FILE = Path(__file__).resolve().parent.parent / "data" / "europe_map.json"

# Sequential blues (ColorBrewer "Blues"), lightest for the fewest cases; land without cases
# is grey. Shade boundaries are drawn white so that neighbours stay apart.
LAND = "#e3e3e3"
SHADES = ("#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
BORDER = "#ffffff"
MARKER_RADIUS = 6


@dataclass(frozen=True)
class Shape:
    code: str
    path: str
    label_x: int
    label_y: int
    marker: bool


@dataclass(frozen=True)
class MapShapes:
    width: int
    height: int
    shapes: tuple[Shape, ...]

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(shape.code for shape in self.shapes if shape.code)


@cache
def map_shapes() -> MapShapes:
    """The prepared shapes, read from the committed file once per process."""
    data = json.loads(MAP_FILE.read_text(encoding="utf-8"))
    return MapShapes(
        width=data["width"],
        height=data["height"],
        shapes=tuple(
            Shape(s["code"], s["d"], s["label"][0], s["label"][1], s["marker"])
            for s in data["shapes"]
        ),
    )


@cache
def country_names(language: str) -> dict[str, str]:
    """Country names in ``language``, looked up once per process (the map names up to 70)."""
    return {code: str(name) for code, name in countries}


def country_name(country) -> str:
    """The name of ``country`` (a code or a country field's value) in the active language, or
    "" for none: from ``country_names``, since a country field translates its name again on
    every access (about 30 us, and a case page names its country four times)."""
    code = getattr(country, "code", country) or ""
    if not code:
        return ""
    return country_names(get_language() or "en").get(code) or str(countries.name(code))


def grouped(number: int, separator: str | None = None) -> str:
    """``12345`` as the active language writes it (12,345 / 12 345 / 12.345)."""
    if separator is None:
        separator = get_format("THOUSAND_SEPARATOR")
    return f"{number:,}".replace(",", separator) if number >= 1000 else str(number)


def shade_index(count: int, highest: int) -> int:
    """0 to len(SHADES)-1 on a logarithmic scale, so that one country with many cases does not
    wash out the others."""
    if count <= 0 or highest <= 0:
        return -1
    if highest == 1:
        return len(SHADES) - 1
    share = math.log1p(count) / math.log1p(highest)
    return min(len(SHADES) - 1, max(0, math.ceil(share * len(SHADES)) - 1))


def legend(highest: int, separator: str | None = None) -> list[dict]:
    """The shades in use with the range of counts each one stands for."""
    ranges: dict[int, list[int]] = {}
    if highest > 0:
        # The first count of each shade, found from the scale's boundaries (no loop over
        # every count: a country may hold thousands of cases).
        starts = {1}
        for index in range(1, len(SHADES)):
            guess = max(1, math.floor(math.expm1(math.log1p(highest) * index / len(SHADES))))
            while guess > 1 and shade_index(guess - 1, highest) >= index:
                guess -= 1
            while guess <= highest and shade_index(guess, highest) < index:
                guess += 1
            if guess <= highest:
                starts.add(guess)
        ordered = sorted(starts)
        for position, low in enumerate(ordered):
            high = ordered[position + 1] - 1 if position + 1 < len(ordered) else highest
            ranges[shade_index(low, highest)] = [low, high]
    return [
        {
            "colour": SHADES[index],
            "low": low,
            "high": high,
            "text": grouped(low, separator)
            if low == high
            else f"{grouped(low, separator)}–{grouped(high, separator)}",
        }
        for index, (low, high) in sorted(ranges.items())
    ]


def cases_text(name: str, count: int, separator: str = ",") -> str:
    return ngettext("%(country)s: %(count)s case", "%(country)s: %(count)s cases", count) % {
        "country": name,
        "count": grouped(count, separator),
    }


@dataclass(frozen=True)
class CaseMap:
    svg: str
    rows: tuple[dict, ...]  # the same figures for the table: code, name, count, url
    legend: tuple[dict, ...]
    outside: tuple[dict, ...]  # countries with cases the map does not show (e.g. EU)

    # The markup of templates/library/_map.html, built once per map (maps are kept per counts and
    # language, ``_case_map``): through the template language its table of up to 70 countries
    # cost a tenth of a library page.
    @cached_property
    def html(self) -> str:
        return self._markup(with_table=False)

    @cached_property
    def html_with_table(self) -> str:
        return self._markup(with_table=True)

    def _markup(self, *, with_table: bool) -> str:
        separator = get_format("THOUSAND_SEPARATOR")
        parts = [
            f'<div class="case-map{" case-map-with-table" if with_table else ""}">',
            f'<div class="case-map-drawing">{self.svg}',
        ]
        if self.legend:
            parts.append(f'<ul class="case-map-legend" aria-label="{escape(_("Map legend"))}">')
            for shade in self.legend:
                text = ngettext("%(range)s case", "%(range)s cases", shade["high"]) % {
                    "range": shade["text"]
                }
                parts.append(
                    '<li><svg class="case-map-swatch" viewBox="0 0 16 16" aria-hidden="true" '
                    f'focusable="false"><rect width="16" height="16" fill="{shade["colour"]}" '
                    f'stroke="#1a1a1a" stroke-width="1"/></svg> {escape(text)}</li>'
                )
            parts.append("</ul>")
        if self.outside:
            links = ", ".join(
                f'<a href="{escape(row["url"])}">{escape(row["name"])}</a> '
                f"({grouped(row['count'], separator)})"
                for row in self.outside
            )
            parts.append(f'<p class="case-map-outside">{escape(_("Not on the map:"))} {links}</p>')
        parts.append("</div>")
        if with_table:
            caption = escape(_("Cases by country under the current filters"))
            rows = (
                "".join(
                    f'<tr><th scope="row"><a href="{escape(row["url"])}">{escape(row["name"])}</a>'
                    f"</th><td>{grouped(row['count'], separator)}</td></tr>"
                    for row in self.rows
                )
                or f'<tr><td colspan="2">{escape(_("No case matches."))}</td></tr>'
            )
            parts.append(
                '<div class="table-scroll case-map-table"><table class="table">'
                f"<caption>{caption}</caption><thead><tr>"
                f'<th scope="col">{escape(_("Country"))}</th>'
                f'<th scope="col">{escape(_("Cases"))}</th></tr></thead>'
                f"<tbody>{rows}</tbody></table></div>"
            )
        parts.append("</div>")
        return mark_safe("".join(parts))  # noqa: S308 - escaped text and the map's own SVG


def country_link(link_prefix: str, code: str) -> str:
    """``link_prefix`` (a URL ending in ``?`` or in a query string) filtered to ``code``."""
    joiner = "" if link_prefix.endswith("?") else "&"
    return f"{link_prefix}{joiner}country={code}"


def case_map(counts: Mapping[str, int], *, link_prefix: str, title: str, map_id: str) -> CaseMap:
    """The map for ``counts`` (country code -> cases). Each country links to ``link_prefix``
    plus ``country=<code>`` (the prefix carries the other filters).

    The same counts, links and language give the same map: it is kept for the next request
    (128 maps per process, about 6 MB at most), so paging or coming back costs nothing.
    """
    positive = tuple(sorted((code, count) for code, count in counts.items() if code and count > 0))
    return _case_map(get_language() or "en", positive, link_prefix, str(title), map_id)


@lru_cache(maxsize=128)
def _case_map(
    language: str, positive_items: tuple, link_prefix: str, title: str, map_id: str
) -> CaseMap:
    shapes = map_shapes()
    positive = dict(positive_items)
    highest = max(positive.values(), default=0)
    separator = get_format("THOUSAND_SEPARATOR")
    all_names = country_names(language)
    names = {code: all_names.get(code, code) for code in positive}
    title_id, desc_id = f"{map_id}-title", f"{map_id}-desc"
    description = _(
        "Each country is shaded by its number of cases; countries with cases are links to "
        "them. The table beside the map gives the same figures."
    )
    parts = [
        f'<svg class="case-map-svg" viewBox="0 0 {shapes.width} {shapes.height}" '
        f'role="group" aria-labelledby="{title_id}" aria-describedby="{desc_id}" '
        f'xmlns="http://www.w3.org/2000/svg" id="{map_id}">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(description)}</desc>',
        f'<rect width="{shapes.width}" height="{shapes.height}" fill="#f4f8fb"/>',
        f'<g aria-hidden="true" fill="{LAND}" stroke="{BORDER}" stroke-width="1">',
    ]
    linked = []
    for shape in shapes.shapes:
        if shape.code in positive:
            linked.append(shape)
        else:
            parts.append(f'<path d="{shape.path}"/>')
    parts.append("</g>")
    parts.append(f'<g class="case-map-countries" stroke="{BORDER}" stroke-width="1">')
    # Small countries last, so that their dots stay on top of their neighbours.
    for shape in sorted(linked, key=lambda s: (s.marker, s.code)):
        count = positive[shape.code]
        text = escape(cases_text(names[shape.code], count, separator))
        colour = SHADES[shade_index(count, highest)]
        marker = (
            f'<circle cx="{shape.label_x}" cy="{shape.label_y}" r="{MARKER_RADIUS}" '
            f'fill="{colour}" stroke="#1a1a1a" stroke-width="1"/>'
            if shape.marker
            else ""
        )
        parts.append(
            f'<a href="{escape(country_link(link_prefix, shape.code))}" '
            f'class="case-map-country" data-country="{shape.code}" aria-label="{text}">'
            f'<title>{text}</title><path d="{shape.path}" fill="{colour}"/>{marker}</a>'
        )
    parts.append("</g></svg>")
    on_map = shapes.codes
    rows = tuple(
        sorted(
            (
                {
                    "code": code,
                    "name": names[code],
                    "count": count,
                    "url": country_link(link_prefix, code),
                    "on_map": code in on_map,
                }
                for code, count in positive.items()
            ),
            key=lambda row: (-row["count"], row["name"]),
        )
    )
    return CaseMap(
        svg=mark_safe("".join(parts)),  # noqa: S308 - built from escaped text and fixed shapes
        rows=rows,
        legend=tuple(legend(highest, separator)),
        outside=tuple(row for row in rows if not row["on_map"]),
    )
