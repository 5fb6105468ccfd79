"""Server-rendered SVG charts. Each chart has a <title> and <desc>, and every page that shows
one also shows the same numbers in a table (the text alternative); all text is escaped.

Series are told apart by colour *and* by line pattern and marker shape, so the charts stay
readable in greyscale and for colour-blind readers.
"""

import functools
import math
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe

# Distinct hues, each dark enough for 3:1 contrast against white.
PALETTE = ("#0060a8", "#c0392b", "#1b7d4f", "#8e44ad", "#b35900", "#4d4d4d")
DASHES = ("", "6 3", "2 3", "8 3 2 3")
MARKERS = ("circle", "square", "diamond", "triangle")


@dataclass
class RadarSeries:
    label: str
    values: list[float | None]  # one per axis, None where the case has no value


def _fmt(number: float) -> str:
    return f"{number:.1f}"


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "square":
        return (
            f'<rect x="{_fmt(x - 3.5)}" y="{_fmt(y - 3.5)}" width="7" height="7" fill="{colour}"/>'
        )
    if shape == "diamond":
        corners = ((x, y - 5), (x + 5, y), (x, y + 5), (x - 5, y))
        points = " ".join(f"{_fmt(px)},{_fmt(py)}" for px, py in corners)
        return f'<polygon points="{points}" fill="{colour}"/>'
    if shape == "triangle":
        points = f"{_fmt(x)},{_fmt(y - 5)} {_fmt(x + 5)},{_fmt(y + 4)} {_fmt(x - 5)},{_fmt(y + 4)}"
        return f'<polygon points="{points}" fill="{colour}"/>'
    return f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="4" fill="{colour}"/>'


# Rendered text must stay at least MIN_TEXT_PX CSS pixels high wherever a chart is shown
# (tests/browser/test_chart_labels.py measures it at 390 and 1280 pixels wide). A radar is a
# drawing that scales with its box, so it comes in two layouts and the page shows the one
# that fits its box (a CSS container query on .chart-figure, see library.css): the wide one
# names the factors beside the spokes; the narrow one numbers the spokes and lists the names
# below, one per line, shortened where needed with the full name kept in a <title>.
MIN_TEXT_PX = 12
WIDE_FONT = 15  # user units; the wide layout is never shown narrower than 0.8 of its width
NARROW_FONT = 14  # the narrow layout (340 units) is shown at least 340 CSS pixels wide
NARROW_WIDTH = 340
KEY_LINE = 22
NARROW_KEY_CHARACTERS = 38
WIDE_LABEL_CHARACTERS = 22


def _shortened(text: str, limit: int) -> tuple[str, bool]:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis."""
    if len(text) <= limit:
        return text, False
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:–-")
    return (cut or text[: limit - 1]) + "…", True


def _wrapped(text: str, limit: int, max_lines: int = 2) -> tuple[list[str], bool]:
    """``text`` in lines of at most ``limit`` characters, broken between words; the last line
    is shortened (with an ellipsis) when the text needs more than ``max_lines``."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if len(candidate) <= limit or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    lines.append(current)
    if len(lines) <= max_lines and all(len(line) <= limit for line in lines):
        return lines, False
    kept = lines[: max_lines - 1]
    rest = " ".join(lines[max_lines - 1 :])
    last, _cut = _shortened(rest, limit)
    return [*kept, last], True


@functools.lru_cache(maxsize=64)
def _radar_frame(
    axes: tuple[str, ...],
    *,
    maximum: float,
    narrow: bool,
    font: int,
    cx: float,
    cy: float,
    radius: float,
) -> str:
    """The rings, spokes and spoke labels of a radar chart: the same for every chart with these
    axes (in this language) and size, so drawn once and kept."""
    count = len(axes)

    def point(index: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / max(count, 1)
        distance = radius * max(0.0, min(value, maximum)) / maximum
        return cx + distance * math.cos(angle), cy + distance * math.sin(angle)

    parts = []
    for ring in range(1, int(maximum) + 1):
        ring_points = " ".join(
            f"{_fmt(x)},{_fmt(y)}" for x, y in (point(i, ring) for i in range(count))
        )
        parts.append(f'<polygon points="{ring_points}" fill="none" stroke="#c8c8c8"/>')
        x, y = point(0, ring)
        parts.append(
            f'<text x="{_fmt(x + 4)}" y="{_fmt(y + font)}" '
            f'font-size="{font - 1 if narrow else font}" '
            f'fill="#555">{ring}</text>'
        )
    for index, label in enumerate(axes):
        x, y = point(index, maximum)
        parts.append(
            f'<line x1="{_fmt(cx)}" y1="{_fmt(cy)}" x2="{_fmt(x)}" y2="{_fmt(y)}" '
            'stroke="#c8c8c8"/>'
        )
        lx, ly = point(index, maximum * (1.06 if narrow else 1.1))
        anchor = "middle" if abs(lx - cx) < 5 else ("start" if lx > cx else "end")
        # Keep labels clear of the outermost markers: above the top spokes, below the bottom.
        if ly < cy - 5:
            ly -= font * 0.4
        elif ly > cy + 5:
            ly += font * 0.6
        if anchor == "start":
            lx += 6
        elif anchor == "end":
            lx -= 6
        if narrow:
            lines, cut = [str(index + 1)], True
        else:
            lines, cut = _wrapped(label, WIDE_LABEL_CHARACTERS, 3)
        line_height = font * 1.15
        if ly < cy - 5:
            ly -= (len(lines) - 1) * line_height
        elif ly <= cy + 5:
            ly -= (len(lines) - 1) * line_height / 2
        weight = ' font-weight="700"' if narrow else ""
        spans = "".join(
            f'<tspan x="{_fmt(lx)}" dy="{0 if number == 0 else _fmt(line_height)}">'
            f"{escape(text)}</tspan>"
            for number, text in enumerate(lines)
        )
        full = f"<title>{escape(label)}</title>" if cut else ""
        parts.append(
            f'<text x="{_fmt(lx)}" y="{_fmt(ly + font * 0.35)}" text-anchor="{anchor}" '
            f'font-size="{font}" fill="#222"{weight}>{full}{spans}</text>'
        )
    return "".join(parts)


def _radar_layout(
    axes: list[str],
    series: list[RadarSeries],
    *,
    title: str,
    description: str,
    maximum: float,
    narrow: bool,
    chart_id: str,
) -> str:
    count = len(axes)
    if narrow:
        font, size, margin = NARROW_FONT, NARROW_WIDTH - 60, 30
    else:
        font, size, margin = WIDE_FONT, 360, 200
    extra_lines = (
        0
        if narrow
        else max((len(_wrapped(a, WIDE_LABEL_CHARACTERS, 3)[0]) for a in axes), default=1) - 1
    )
    width = size + 2 * margin
    top_space = font + 16 + extra_lines * font * 1.15
    key_lines = (
        sum(len(_wrapped(label, NARROW_KEY_CHARACTERS)[0]) for label in axes) if narrow else 0
    )
    legend_lines = len(series) if len(series) > 1 else 0
    plot_bottom = top_space + size + font + 12 + extra_lines * font * 1.15
    height = plot_bottom + KEY_LINE * (key_lines + legend_lines) + 8
    cx, cy = width / 2, top_space + size / 2
    radius = size / 2 - (4 if narrow else 12)
    variant = "narrow" if narrow else "wide"
    title_id, desc_id = f"{chart_id}-{variant}-title", f"{chart_id}-{variant}-desc"

    def point(index: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / max(count, 1)
        distance = radius * max(0.0, min(value, maximum)) / maximum
        return cx + distance * math.cos(angle), cy + distance * math.sin(angle)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart radar-chart chart-{variant}" '
        f'role="img" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'aria-labelledby="{title_id} {desc_id}">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(description)}</desc>',
    ]
    parts.append(
        _radar_frame(
            tuple(axes), maximum=maximum, narrow=narrow, font=font, cx=cx, cy=cy, radius=radius
        )
    )
    for number, item in enumerate(series):
        colour = PALETTE[number % len(PALETTE)]
        dash = DASHES[number % len(DASHES)]
        shape = MARKERS[number % len(MARKERS)]
        present = [(i, v) for i, v in enumerate(item.values) if v is not None]
        coordinates = [point(i, v) for i, v in present]
        dash_attribute = f' stroke-dasharray="{dash}"' if dash else ""
        if len(coordinates) >= 3 and len(present) == count:
            path = " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in coordinates)
            parts.append(
                f'<polygon points="{path}" fill="{colour}" fill-opacity="0.12" '
                f'stroke="{colour}" stroke-width="2.5"{dash_attribute}/>'
            )
        elif len(coordinates) >= 2:
            path = " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in coordinates)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"'
                f"{dash_attribute}/>"
            )
        parts.extend(_marker(shape, x, y, colour) for x, y in coordinates)
    line = plot_bottom
    left = 8 if narrow else margin
    limit = NARROW_KEY_CHARACTERS if narrow else 70
    if narrow:
        # The key: spoke numbers to factor names, one per line.
        for index, label in enumerate(axes):
            lines, cut = _wrapped(label, limit)
            full = f"<title>{escape(label)}</title>" if cut else ""
            rest = "".join(
                f'<tspan x="{left + 22}" dy="{KEY_LINE}">{escape(text)}</tspan>'
                for text in lines[1:]
            )
            parts.append(
                f'<text x="{left}" y="{line + font * 0.35}" font-size="{font}" fill="#222">'
                f'{full}<tspan font-weight="700">{index + 1}</tspan> {escape(lines[0])}{rest}'
                "</text>"
            )
            line += KEY_LINE * len(lines)
    if len(series) > 1:
        # The legend: one line per series, stacked.
        for number, item in enumerate(series):
            colour = PALETTE[number % len(PALETTE)]
            dash = DASHES[number % len(DASHES)]
            dash_attribute = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<line x1="{left}" y1="{line}" x2="{left + 30}" y2="{line}" stroke="{colour}" '
                f'stroke-width="2.5"{dash_attribute}/>'
            )
            parts.append(_marker(MARKERS[number % len(MARKERS)], left + 15, line, colour))
            short, cut = _shortened(item.label, limit - 4)
            full = f"<title>{escape(item.label)}</title>" if cut else ""
            parts.append(
                f'<text x="{left + 38}" y="{line + font * 0.35}" font-size="{font}" '
                f'fill="#222">{full}{escape(short)}</text>'
            )
            line += KEY_LINE
    parts.append("</svg>")
    return "".join(parts)


def radar_chart(
    axes: list[str],
    series: list[RadarSeries],
    *,
    title: str,
    description: str,
    maximum: float = 4,
    chart_id: str = "radar",
) -> str:
    """A radar (spider) chart: one spoke per axis, one polygon per series, a legend if > 1.

    Both layouts are in the markup; CSS shows one (the other is display:none, so assistive
    technology meets the chart once)."""
    options = {"title": title, "description": description, "maximum": maximum}
    wide = _radar_layout(axes, series, narrow=False, chart_id=chart_id, **options)
    narrow = _radar_layout(axes, series, narrow=True, chart_id=chart_id, **options)
    return mark_safe(f'<div class="chart-variants">{wide}{narrow}</div>')  # noqa: S308


@dataclass
class BarSeries:
    label: str
    values: list[int]  # one per category


def bar_chart(
    categories: list[str],
    series: list[BarSeries],
    *,
    title: str,
    description: str,
) -> str:
    """Horizontal bars: one row per category, one bar per series in each row (grouped).

    Drawn in CSS pixels, not in a scaled viewBox: positions across are percentages of the
    chart's width, so the text keeps its size on any screen. Each category's name sits on its
    own line above its bars, so that long names have the whole width; names longer than the
    narrowest screen allows are shortened, with the full name in a <title>.
    """
    font = 14
    bar_height = 16
    label_height = font + 8
    group_gap = 12
    legend_height = 24 * len(series) if len(series) > 1 else 0
    group_height = label_height + bar_height * len(series) + group_gap
    height = 8 + group_height * len(categories) + legend_height + 4
    largest = max([value for item in series for value in item.values] + [1])
    plot_share = 84.0  # per cent of the width for the longest bar; the rest for its value
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart bar-chart" role="img" '
        f'width="100%" height="{height}" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(description)}</desc>",
    ]
    for row, category in enumerate(categories):
        top = 8 + row * group_height
        short, cut = _shortened(category, 40)
        full = f"<title>{escape(category)}</title>" if cut else ""
        parts.append(
            f'<text x="0" y="{top + font}" font-size="{font}" fill="#222">'
            f"{full}{escape(short)}</text>"
        )
        for number, item in enumerate(series):
            value = item.values[row]
            length = plot_share * value / largest
            y = top + label_height + number * bar_height
            colour = PALETTE[number % len(PALETTE)]
            parts.append(
                f'<rect x="0" y="{y}" width="{length:.1f}%" height="{bar_height - 2}" '
                f'fill="{colour}"><title>{escape(item.label)}: {value}</title></rect>'
            )
            parts.append(
                f'<text x="{length:.1f}%" dx="5" y="{y + bar_height - 4}" font-size="{font - 1}" '
                f'fill="#222">{value}</text>'
            )
    if len(series) > 1:
        top = 8 + group_height * len(categories) + 4
        for number, item in enumerate(series):
            y = top + 24 * number
            colour = PALETTE[number % len(PALETTE)]
            parts.append(
                f'<rect x="0" y="{y}" width="16" height="16" fill="{colour}"/>'
                f'<text x="24" y="{y + 13}" font-size="{font}" fill="#222">'
                f"{escape(item.label)}</text>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text above is escaped)
