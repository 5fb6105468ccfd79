"""Charts and heat-map classes of the factor analytics (server-rendered SVG, no inline style).

The distribution chart is one stacked bar per factor: how the cases with a value for the factor
spread over the ratings 0 to 4. Suppressed figures (fewer than the minimum number of cases) are
left out of the bars, as they are of the tables; the table beside the chart gives every figure.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from cases.domain.queries.analytics import RATINGS, FactorAnalytics

# Light to dark, each labelled in the legend and told apart by lightness too.
RATING_COLOURS = ("#f2e6d9", "#e0b589", "#b3823f", "#6f6a2d", "#2f4f2f")
RATING_TEXT = ("#222", "#222", "#111", "#fff", "#fff")
HEAT_STEPS = 8


def heat_class(value: float | None) -> str:
    """The CSS class of a heat-map cell for a mean on the 0-4 scale (``heat-0`` .. ``heat-8``)."""
    if value is None:
        return "heat-none"
    step = max(0, min(HEAT_STEPS, round(value / 4 * HEAT_STEPS)))
    return f"heat-{step}"


def distribution_chart(figures: FactorAnalytics, *, width: int = 720) -> str:
    label_width = 220
    row_height = 26
    legend_height = 30
    plot_width = width - label_width - 20
    height = 20 + row_height * len(figures.factors) + legend_height
    title = _("How the cases rate each factor")
    description = _(
        "One stacked bar per factor: the share of cases with each rating from 0 to 4. "
        "Groups of fewer than %(min)s cases are left out; the table below gives every figure."
    ) % {"min": figures.min_cases}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart distribution-chart" role="img" '
        f'viewBox="0 0 {width} {height}" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(description)}</desc>",
    ]
    for row, (factor, cells) in enumerate(zip(figures.factors, figures.distribution, strict=True)):
        top = 20 + row * row_height
        shown = [cell.value or 0 for cell in cells]
        total = sum(shown)
        parts.append(
            f'<text x="{label_width - 8}" y="{top + 15}" text-anchor="end" font-size="14" '
            f'fill="#222">{escape(factor.label)}</text>'
        )
        x = float(label_width)
        for rating, count in zip(RATINGS, shown, strict=True):
            if not total or not count:
                continue
            length = plot_width * count / total
            parts.append(
                f'<rect x="{x:.1f}" y="{top}" width="{length:.1f}" height="{row_height - 6}" '
                f'fill="{RATING_COLOURS[rating]}" stroke="#fff"><title>'
                f"{escape(factor.label)}, {rating}: {int(count)}</title></rect>"
            )
            if length > 28:
                parts.append(
                    f'<text x="{x + length / 2:.1f}" y="{top + 14}" text-anchor="middle" '
                    f'font-size="13" fill="{RATING_TEXT[rating]}">{int(count)}</text>'
                )
            x += length
    top = 20 + row_height * len(figures.factors) + 8
    for rating in RATINGS:
        x = label_width + rating * 90
        parts.append(
            f'<rect x="{x}" y="{top}" width="14" height="14" fill="{RATING_COLOURS[rating]}" '
            f'stroke="#555"/><text x="{x + 20}" y="{top + 12}" font-size="14" fill="#222">'
            f"{escape(_('Rating %(rating)s') % {'rating': rating})}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text above is escaped)
