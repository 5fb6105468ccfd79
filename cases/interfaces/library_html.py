"""The repeated parts of the library list page, rendered in Python.

The facet panel lists a hundred or more options and the result list 25 cases; through the
template language each option and row cost tens of microseconds of tag and filter dispatch,
about half of a list page's time. These functions build the same markup directly, every
value escaped and every text translatable, and return it as safe strings the template inserts.
"""

from django.middleware.csrf import get_token
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from cases.interfaces.maps import country_name
from cases.interfaces.markup import escape
from cases.interfaces.reversing import named_url, slug_url
from cases.models import Outcome
from cases.templatetags.library_tags import highlighter

SUMMARY_WORDS = 70


# Django's own message (context and text), so that each language ends a cut text as Django's
# truncation does; passed as a tuple, so that the project's catalogues do not extract it.
_TRUNCATED = ("String to return when truncating text", "%(truncated_text)s…")


def first_words(text: str, count: int) -> str:
    """What ``Truncator(text).words(count)`` writes (the first ``count`` words, and an ellipsis
    if there were more), without its lazy wrapper: called for every result row."""
    words = text.split()
    if len(words) <= count:
        return " ".join(words)
    ending = pgettext(*_TRUNCATED)
    return ending % {"truncated_text": " ".join(words[:count])}


def _count(number: int) -> str:
    return f"{number:,}" if number >= 1000 else str(number)


def _facet_option(name: str, option: dict, results: str) -> str:
    checked = " checked" if option["selected"] else ""
    value = escape(option["value"])
    return (
        f'\n        <li><label><input type="checkbox" name="{name}" value="{value}"{checked}>'
        f'\n          <span class="facet-label">{escape(option["label"])}</span> '
        f'<span class="facet-count" data-facet="{name}" data-value="{value}">'
        f'({_count(option["count"])}<span class="visually-hidden"> {results}</span>)</span>'
        "</label></li>"
    )


def facet_fieldsets(facets: list[dict]) -> SafeString:
    """The fieldsets of the facet panel: one per facet that has options to show, each folded
    to its top values (``shown``, selected ones included) with the rest behind "Show all"."""
    results = escape(_("results"))
    parts = []
    for facet in facets:
        if not facet["options"]:
            continue
        name = escape(facet["name"])
        label = escape(facet["label"])
        shown = facet.get("shown", facet["options"])
        folded = facet.get("folded", [])
        parts.append(
            f'<fieldset class="facet" id="facet-{name}">\n      <legend>{label}'
            '</legend>\n      <ul class="facet-options">'
        )
        parts += [_facet_option(name, option, results) for option in shown]
        parts.append("\n      </ul>")
        if folded:
            total = len(facet["options"])
            show_all = escape(
                ngettext("Show all %(counter)s values", "Show all %(counter)s values", total)
                % {"counter": _count(total)}
            )
            parts.append(
                f'\n      <details class="facet-more">\n        <summary>{show_all}'
                f'<span class="visually-hidden"> ({label})</span></summary>'
                '\n        <ul class="facet-options">'
            )
            parts += [_facet_option(name, option, results) for option in folded]
            parts.append("\n        </ul>\n      </details>")
        parts.append("\n    </fieldset>\n    ")
    return mark_safe("".join(parts))  # noqa: S308  (every value is escaped above)


def result_items(request, results, *, highlight_words, tray) -> SafeString:
    """The ``<li>`` of each result: title, facts, collaboration types, summary, compare form."""
    token = escape(get_token(request))
    next_url = escape(request.get_full_path())
    add_url = escape(named_url("library:compare_add"))
    remove_url = escape(named_url("library:compare_remove"))
    in_tray = set(tray.slugs)
    mark = highlighter(highlight_words)
    texts = {
        "synthetic": escape(_("Synthetic demo case")),
        "types": escape(_("Collaboration types")),
        "add": escape(_("Add to comparison")),
        "remove": escape(_("Remove from comparison")),
    }
    parts = []
    for item in results:
        slug = escape(item.slug)
        meta = []
        if item.organisation_name:
            meta.append(f"<span>{escape(item.organisation_name)}</span>")
        if item.country:
            meta.append(f"<span>{escape(country_name(item.country))}</span>")
        if item.edition_name:
            meta.append(f"<span>{escape(item.edition_name)}</span>")
        if item.outcome != Outcome.NONE:
            meta.append(
                f'<span class="badge badge-outcome badge-{escape(item.outcome)}">'
                f"{escape(item.outcome_label)}</span>"
            )
        if item.is_synthetic:
            meta.append(f'<span class="badge">{texts["synthetic"]}</span>')
        parts.append(
            '\n      <li class="card result">\n        <h3><a href="'
            f'{escape(slug_url("library:case", item.slug))}">'
            f"{mark(item.title)}</a></h3>\n"
            f'        <p class="result-meta">\n          {" ".join(meta)}\n        </p>\n'
        )
        labels = item.collaboration_labels
        if labels:
            tags = "".join(f'<li class="badge">{escape(label)}</li>' for label in labels)
            parts.append(f'        <ul class="tags" aria-label="{texts["types"]}">{tags}</ul>\n')
        if item.summary:
            summary = first_words(item.summary, SUMMARY_WORDS)
            parts.append(f'        <p class="result-summary">{mark(summary)}</p>\n')
        chosen = item.slug in in_tray
        # The form carries the case's anchor, and "next" returns to it: the keyboard and the
        # screen stay on the case acted on.
        parts.append(
            f'        <form method="post" action="{remove_url if chosen else add_url}" '
            f'class="inline-form" id="compare-{slug}"><input type="hidden" '
            f'name="csrfmiddlewaretoken" value="{token}">\n          '
            f'<input type="hidden" name="case" value="{slug}">'
            f'<input type="hidden" name="next" value="{next_url}#compare-{slug}">\n'
            f'          <button type="submit" class="button button-secondary">'
            f"{texts['remove'] if chosen else texts['add']}"
            f'<span class="visually-hidden">: {escape(item.title)}</span></button>\n'
            "        </form>\n      </li>"
        )
    return mark_safe("".join(parts))  # noqa: S308  (every value is escaped above)
