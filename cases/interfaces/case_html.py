"""The repeated parts of the public case page, rendered in Python.

A case page lists up to eight profile rows, eight self-assessments, its partners, its typology
badges and five similar cases; through the template language each row costs tens of
microseconds of tag, filter and URL dispatch, which made rendering most of a page's time once
its data came in one query. These functions build the same markup directly (as
``cases.interfaces.library_html`` does for the list page), every value escaped and every text
translatable, and return it as safe strings the template inserts.
"""

from django.urls import reverse
from django.utils.html import escape, linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from cases.templatetags.library_tags import profile_value


def _safe(parts) -> SafeString:
    return mark_safe("".join(parts))  # noqa: S308  (every value is escaped by the caller)


def _badges(list_url: str, facet: str, terms) -> str:
    return "".join(
        f'<a class="badge" href="{list_url}?{facet}={escape(term.slug)}">'
        f"{escape(term.display_label)}</a> "
        for term in terms
    )


def typology_section(*, types, phases, levels, partner_sectors, sectors) -> SafeString:
    """The "Collaborative-governance typology" section, or nothing when the case has none."""
    if not (types or phases or levels or partner_sectors or sectors):
        return mark_safe("")
    list_url = escape(reverse("library:list"))
    rows = []
    for label, facet, terms in (
        (_("Collaboration types"), "collaboration", types),
        (_("Co-production phases"), "phase", phases),
        (_("Co-production levels"), "coproduction_level", levels),
    ):
        if terms:
            rows.append(
                f"<div><dt>{escape(label)}</dt><dd>{_badges(list_url, facet, terms)}</dd></div>"
            )
    if partner_sectors:
        label = escape(_("Partners' sectors"))
        rows.append(
            f"<div><dt>{label}</dt>"
            f"<dd>{escape(', '.join(str(label) for label in partner_sectors))}</dd></div>"
        )
    if sectors:
        rows.append(
            f"<div><dt>{escape(_('Policy sectors'))}</dt>"
            f"<dd>{_badges(list_url, 'sector', sectors)}</dd></div>"
        )
    return _safe(
        [
            '<section aria-labelledby="typology-heading">\n    <h2 id="typology-heading">',
            escape(_("Collaborative-governance typology")),
            '</h2>\n    <dl class="facts">\n      ',
            "\n      ".join(rows),
            "\n    </dl>\n  </section>",
        ]
    )


def partner_rows(partners) -> SafeString:
    """The body rows of the partners table."""
    return _safe(
        f'<tr><th scope="row">{escape(partner.name)}</th>'
        f"<td>{escape(partner.get_sector_display())}</td>"
        f"<td>{escape(partner.country_name or '–')}</td>"
        f"<td>{escape(partner.role or '–')}</td></tr>"
        for partner in partners
    )


def profile_rows(rows) -> SafeString:
    """The body rows of the factor profile table: the factors the case has a value for."""
    list_url = escape(reverse("library:list"))
    title = escape(_("Cases strong on this factor"))
    parts = []
    for row in rows:
        value = row["value"]
        if not value:
            continue
        factor = row["factor"]
        parts.append(
            f'<tr>\n        <th scope="row"><a href="{list_url}?factor={escape(factor.slug)}"'
            f' title="{title}">{escape(factor.display_short)}</a></th>\n'
            f"        <td>{escape(profile_value(value))}</td>\n"
            f"        <td>{escape(value.get_source_display())}</td>\n      </tr>"
        )
    return _safe(parts)


def assessment_sections(assessment_rows) -> SafeString:
    """One section per self-assessment with something to show, in factor order."""
    texts = {
        "not_applicable": escape(
            _("The applicant marked this factor as not applicable to the case.")
        ),
        "rating": escape(_("Self-rating")),
        "text": escape(_("Self-assessment")),
        "evidence": escape(_("Evidence")),
    }
    parts = []
    for row in assessment_rows:
        factor, item = row["factor"], row["assessment"]
        slug = escape(factor.slug)
        parts.append(
            f'\n    <section class="assessment" aria-labelledby="assessment-{slug}">\n'
            f'      <h4 id="assessment-{slug}">{escape(factor.display_short)}</h4>\n      '
        )
        if factor.short_label:
            parts.append(f'<p class="assessment-factor">{escape(factor.display_label)}</p>')
        parts.append("\n      ")
        if item.not_applicable:
            parts.append(f"<p>{texts['not_applicable']}</p>")
        parts.append("\n      ")
        if item.text or item.evidence or item.self_rating is not None:
            parts.append('<dl class="assessment-parts">\n        ')
            if item.self_rating is not None:
                rating = escape(_("%(rating)s of 4") % {"rating": item.self_rating})
                parts.append(f"<dt>{texts['rating']}</dt><dd>{rating}</dd>")
            parts.append("\n        ")
            if item.text:
                parts.append(
                    f"<dt>{texts['text']}</dt>"
                    f'<dd class="prose">{linebreaks(item.text, autoescape=True)}</dd>'
                )
            parts.append("\n        ")
            if item.evidence:
                parts.append(
                    f"<dt>{texts['evidence']}</dt>"
                    f'<dd class="prose">{linebreaks(item.evidence, autoescape=True)}</dd>'
                )
            parts.append("\n      </dl>")
        parts.append("\n    </section>\n    ")
    return _safe(parts)


def similar_list_items(similar) -> SafeString:
    """The ``<li>`` of each similar case: its link, a synthetic badge, the reason it is listed."""
    placeholder = "case-slug-placeholder"
    case_url = reverse("library:case", kwargs={"slug": placeholder})
    synthetic = escape(_("Synthetic"))
    parts = []
    for item in similar:
        badge = (
            f' <span class="badge badge-synthetic">{synthetic}</span>'
            if item.case.is_synthetic
            else ""
        )
        parts.append(
            f'\n    <li>\n      <a href="{escape(case_url.replace(placeholder, item.case.slug))}">'
            f"{escape(item.case.title)}</a>{badge}\n"
            f'      <span class="similar-reason">{escape(item.reason)}</span>\n    </li>\n    '
        )
    return _safe(parts)


# --- the comparison -------------------------------------------------------------------------


def _year(value) -> str:
    return f"{value.year:04d}" if value else ""


def _dates(case) -> str:
    if not (case.start_date or case.end_date or case.ongoing):
        return escape(_("Not recorded"))
    end = _year(case.end_date) if case.end_date else (_("ongoing") if case.ongoing else "")
    return escape(f"{_year(case.start_date) or '?'}–{end}")


def _plain_list(terms) -> str:
    items = "".join(f"<li>{escape(term.display_label)}</li>" for term in terms) or "<li>–</li>"
    return f'<ul class="plain">{items}</ul>'


def _name(row) -> str:
    """The name of a related row (organisation, edition, category), or a dash."""
    return escape((row.name if row else "") or "–")


def comparison_fact_rows(cases) -> SafeString:
    """The rows of the key-facts table, one column per compared case (each carries ``types``,
    ``phases``, ``partner_list`` and ``partner_sector_labels``)."""
    columns = (
        (_("Lead organisation"), lambda c: _name(c.lead_organisation)),
        (_("Country"), lambda c: escape(c.country.name or "–")),
        (_("Level of government"), lambda c: escape(c.get_level_display() or "–")),
        (_("Edition"), lambda c: _name(c.edition)),
        (_("Category"), lambda c: _name(c.category)),
        (_("Year"), lambda c: escape(c.year or "–")),
        (_("Outcome"), lambda c: escape(c.outcome_label)),
        (_("Dates"), _dates),
        (_("Collaboration types"), lambda c: _plain_list(c.types)),
        (_("Co-production phases"), lambda c: _plain_list(c.phases)),
        (
            _("Partners' sectors"),
            lambda c: escape(", ".join(str(label) for label in c.partner_sector_labels) or "–"),
        ),
        (_("Partners"), lambda c: str(len(c.partner_list))),
        (_("Licence"), lambda c: escape(c.get_licence_display())),
    )
    return _safe(
        f'<tr><th scope="row">{escape(label)}</th>'
        + "".join(f"<td>{cell(case)}</td>" for case in cases)
        + "</tr>\n    "
        for label, cell in columns
    )


def comparison_profile_rows(factor_rows) -> SafeString:
    """The rows of the profile table: per factor, each case's value and its source."""
    parts = []
    for row in factor_rows:
        cells = []
        for value in row["values"]:
            source = f" <small>({escape(value.get_source_display())})</small>" if value else ""
            cells.append(f"<td>{escape(profile_value(value))}{source}</td>")
        parts.append(
            f'<tr><th scope="row">{escape(row["factor"].display_short)}</th>{"".join(cells)}</tr>'
        )
    return _safe(parts)
