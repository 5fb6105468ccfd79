"""Server-rendered SVG charts. Each chart has a <title> and <desc>, and every page that shows
one also shows the same numbers in a table (the text alternative); all text is escaped.

Series are told apart by colour *and* by line pattern and marker shape, so the charts stay
readable in greyscale and for colour-blind readers.
"""

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


def radar_chart(
    axes: list[str],
    series: list[RadarSeries],
    *,
    title: str,
    description: str,
    maximum: float = 4,
    size: int = 420,
) -> str:
    """A radar (spider) chart: one spoke per axis, one polygon per series, a legend if > 1."""
    count = len(axes)
    legend_height = 24 * len(series) if len(series) > 1 else 0
    margin = 190  # room for the longest factor names beside the left and right spokes
    width = size + 2 * margin
    height = size + 40 + legend_height
    cx, cy = width / 2, size / 2 + 20
    radius = size / 2 - 20

    def point(index: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / max(count, 1)
        distance = radius * max(0.0, min(value, maximum)) / maximum
        return cx + distance * math.cos(angle), cy + distance * math.sin(angle)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart radar-chart" role="img" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" aria-labelledby="radar-title radar-desc">',
        f'<title id="radar-title">{escape(title)}</title>',
        f'<desc id="radar-desc">{escape(description)}</desc>',
    ]
    for ring in range(1, int(maximum) + 1):
        ring_points = " ".join(
            f"{_fmt(x)},{_fmt(y)}" for x, y in (point(i, ring) for i in range(count))
        )
        parts.append(f'<polygon points="{ring_points}" fill="none" stroke="#c8c8c8"/>')
        x, y = point(0, ring)
        parts.append(
            f'<text x="{_fmt(x + 4)}" y="{_fmt(y + 4)}" font-size="11" fill="#555">{ring}</text>'
        )
    for index, label in enumerate(axes):
        x, y = point(index, maximum)
        parts.append(
            f'<line x1="{_fmt(cx)}" y1="{_fmt(cy)}" x2="{_fmt(x)}" y2="{_fmt(y)}" '
            'stroke="#c8c8c8"/>'
        )
        lx, ly = point(index, maximum * 1.1)
        anchor = "middle" if abs(lx - cx) < 5 else ("start" if lx > cx else "end")
        # Keep labels clear of the outermost markers: above the top spokes, below the bottom.
        if ly < cy - 5:
            ly -= 6
        elif ly > cy + 5:
            ly += 8
        if anchor == "start":
            lx += 8
        elif anchor == "end":
            lx -= 8
        parts.append(
            f'<text x="{_fmt(lx)}" y="{_fmt(ly + 4)}" text-anchor="{anchor}" font-size="12" '
            f'fill="#222">{escape(label)}</text>'
        )
    for number, item in enumerate(series):
        colour = PALETTE[number % len(PALETTE)]
        dash = DASHES[number % len(DASHES)]
        shape = MARKERS[number % len(MARKERS)]
        present = [(i, v) for i, v in enumerate(item.values) if v is not None]
        coordinates = [point(i, v) for i, v in present]
        if len(coordinates) >= 3 and len(present) == count:
            path = " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in coordinates)
            dash_attribute = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<polygon points="{path}" fill="{colour}" fill-opacity="0.12" '
                f'stroke="{colour}" stroke-width="2.5"{dash_attribute}/>'
            )
        elif len(coordinates) >= 2:
            path = " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in coordinates)
            dash_attribute = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"'
                f"{dash_attribute}/>"
            )
        parts.extend(_marker(shape, x, y, colour) for x, y in coordinates)
    if len(series) > 1:
        top = size + 30
        for number, item in enumerate(series):
            colour = PALETTE[number % len(PALETTE)]
            dash = DASHES[number % len(DASHES)]
            y = top + 24 * number
            dash_attribute = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<line x1="{margin}" y1="{y}" x2="{margin + 36}" y2="{y}" stroke="{colour}" '
                f'stroke-width="2.5"{dash_attribute}/>'
            )
            parts.append(_marker(MARKERS[number % len(MARKERS)], margin + 18, y, colour))
            parts.append(
                f'<text x="{margin + 46}" y="{y + 4}" font-size="13" fill="#222">'
                f"{escape(item.label)}</text>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text above is escaped)


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
    width: int = 640,
) -> str:
    """Horizontal bars: one row per category, one bar per series in each row (grouped)."""
    label_width = 220
    bar_height = 14
    group_gap = 10
    legend_height = 22 * len(series) if len(series) > 1 else 0
    group_height = bar_height * len(series) + group_gap
    height = 20 + group_height * len(categories) + legend_height + 10
    largest = max([value for item in series for value in item.values] + [1])
    plot_width = width - label_width - 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart bar-chart" role="img" '
        f'viewBox="0 0 {width} {height}" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(description)}</desc>",
    ]
    for row, category in enumerate(categories):
        top = 20 + row * group_height
        parts.append(
            f'<text x="{label_width - 8}" y="{top + bar_height * len(series) / 2 + 4:.1f}" '
            f'text-anchor="end" font-size="12" fill="#222">{escape(category)}</text>'
        )
        for number, item in enumerate(series):
            value = item.values[row]
            length = plot_width * value / largest
            y = top + number * bar_height
            colour = PALETTE[number % len(PALETTE)]
            parts.append(
                f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height - 2}" '
                f'fill="{colour}"><title>{escape(item.label)}: {value}</title></rect>'
            )
            parts.append(
                f'<text x="{label_width + length + 4:.1f}" y="{y + bar_height - 4}" '
                f'font-size="11" fill="#222">{value}</text>'
            )
    if len(series) > 1:
        top = 20 + group_height * len(categories) + 6
        for number, item in enumerate(series):
            y = top + 22 * number
            colour = PALETTE[number % len(PALETTE)]
            parts.append(
                f'<rect x="{label_width}" y="{y}" width="14" height="14" fill="{colour}"/>'
                f'<text x="{label_width + 20}" y="{y + 12}" font-size="12" fill="#222">'
                f"{escape(item.label)}</text>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text above is escaped)
