"""The library's active filters as one sentence ("42 cases of type Public–private, at level
Local, strong on Partner selection"), and the facet panel folded to each facet's top values."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

# A facet shows this many values (most results first) before "Show all"; selected ones always.
FACET_TOP = 5

# facet -> how the sentence names its values ("%(values)s" is the values, joined by "or")
PHRASES = {
    "collaboration": gettext_lazy("of type %(values)s"),
    "phase": gettext_lazy("with %(values)s"),
    "coproduction_level": gettext_lazy("co-produced at %(values)s level"),
    "factor": gettext_lazy("strong on %(values)s"),
    "country": gettext_lazy("in %(values)s"),
    "gov_level": gettext_lazy("at level %(values)s"),
    "sector": gettext_lazy("in policy sector %(values)s"),
    "edition": gettext_lazy("from %(values)s"),
    "category": gettext_lazy("in category %(values)s"),
    "outcome": gettext_lazy("with outcome %(values)s"),
    "stage": gettext_lazy("at stage %(values)s"),
    "language": gettext_lazy("in %(values)s"),
    "provenance": gettext_lazy("with provenance %(values)s"),
}


def filter_sentence(total: int, criteria, facets: list[dict]) -> str:
    """One sentence for the result count and every active filter (None-free, translated)."""
    parts = []
    for facet in facets:
        labels = [option["label"] for option in facet["options"] if option["selected"]]
        if labels and facet["name"] in PHRASES:
            parts.append(PHRASES[facet["name"]] % {"values": _(" or ").join(labels)})
    if criteria.year_from is not None and criteria.year_to is not None:
        parts.append(
            _("from %(start)s to %(end)s") % {"start": criteria.year_from, "end": criteria.year_to}
        )
    elif criteria.year_from is not None:
        parts.append(_("from %(start)s on") % {"start": criteria.year_from})
    elif criteria.year_to is not None:
        parts.append(_("up to %(end)s") % {"end": criteria.year_to})
    if criteria.q:
        parts.append(_("matching “%(q)s”") % {"q": criteria.q})
    count = ngettext("%(count)s case", "%(count)s cases", total) % {"count": f"{total:,}"}
    return (count + (" " + ", ".join(parts) if parts else "")) + "."


def fold_options(options: list[dict], top: int = FACET_TOP) -> tuple[list[dict], list[dict]]:
    """(shown, folded): the ``top`` values with most results and every selected value shown,
    in the facet's own order; the rest folded behind "Show all"."""
    if len(options) <= top + 1:
        return options, []
    ranked = sorted(range(len(options)), key=lambda index: -options[index]["count"])
    keep = set(ranked[:top]) | {i for i, option in enumerate(options) if option["selected"]}
    shown = [option for i, option in enumerate(options) if i in keep]
    folded = [option for i, option in enumerate(options) if i not in keep]
    return shown, folded
