"""The repeated parts of the public case page, rendered in Python.

A case page lists up to eight profile rows, eight self-assessments, its partners, its typology
badges and five similar cases; through the template language each row costs tens of
microseconds of tag, filter and URL dispatch, which made rendering most of a page's time once
its data came in one query. These functions build the same markup directly (as
``cases.interfaces.library_html`` does for the list page), every value escaped and every text
translatable, and return it as safe strings the template inserts.
"""

from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from cases.interfaces.maps import country_name
from cases.interfaces.markup import escape, paragraphs
from cases.interfaces.reversing import named_url, slug_url
from cases.models import NARRATIVE_FIELDS
from cases.templatetags.library_tags import profile_value


def _safe(parts) -> SafeString:
    return mark_safe("".join(parts))  # noqa: S308  (every value is escaped by the caller)


def _facts_section(heading_id: str, heading: str, rows: list[str]) -> SafeString:
    """A section of the case page listing ``rows`` (``<div><dt>…</dt><dd>…</dd></div>``)."""
    return _safe(
        [
            f'<section aria-labelledby="{heading_id}">\n    <h2 id="{heading_id}">',
            escape(heading),
            '</h2>\n    <dl class="facts">\n      ',
            "\n      ".join(rows),
            "\n    </dl>\n  </section>",
        ]
    )


def _fact(label: str, value: str) -> str:
    return f"<div><dt>{escape(label)}</dt><dd>{value}</dd></div>"


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
    list_url = escape(named_url("library:list"))
    rows = []
    for label, facet, terms in (
        (_("Collaboration types"), "collaboration", types),
        (_("Co-production phases"), "phase", phases),
        (_("Co-production levels"), "coproduction_level", levels),
    ):
        if terms:
            rows.append(_fact(label, _badges(list_url, facet, terms)))
    if partner_sectors:
        sectors_text = ", ".join(str(label) for label in partner_sectors)
        rows.append(_fact(_("Partners' sectors"), escape(sectors_text)))
    if sectors:
        rows.append(_fact(_("Policy sectors"), _badges(list_url, "sector", sectors)))
    return _facts_section("typology-heading", _("Collaborative-governance typology"), rows)


def _filter_link(list_url: str, facet: str, value: str, text) -> str:
    return f'<a href="{list_url}?{facet}={escape(value)}">{escape(text)}</a>'


def key_facts(case) -> SafeString:
    """The "Key facts" section: each fact the case has, the filterable ones linking to the
    library filtered on them."""
    list_url = escape(named_url("library:list"))
    rows = []
    if case.lead_organisation:
        rows.append(_fact(_("Lead organisation"), escape(case.lead_organisation.name)))
    if case.country:
        link = _filter_link(list_url, "country", case.country.code, country_name(case.country))
        rows.append(_fact(_("Country"), link))
    link = _filter_link(list_url, "language", case.language, case.get_language_display())
    rows.append(_fact(_("Language"), link))
    if case.level:
        link = _filter_link(list_url, "gov_level", case.level, case.get_level_display())
        rows.append(_fact(_("Level of government"), link))
    if case.edition:
        edition = _filter_link(list_url, "edition", case.edition.slug, case.edition.name)
    else:
        edition = escape(_("Not from an award edition"))
    rows.append(_fact(_("Edition"), edition))
    if case.category:
        link = _filter_link(list_url, "category", case.category.slug, case.category.name)
        rows.append(_fact(_("Category"), link))
    rows.append(_fact(_("Outcome"), escape(case.outcome_label)))
    if case.registration_number:
        rows.append(_fact(_("Registration number"), escape(case.registration_number)))
    if case.innovation_stage:
        stage = case.innovation_stage
        link = _filter_link(list_url, "stage", stage.slug, stage.display_label)
        rows.append(_fact(_("Innovation stage"), link))
    if case.start_date or case.end_date or case.ongoing:
        rows.append(_fact(_("Dates"), escape(_date_range(case))))
    if case.website:
        website = escape(case.website)
        link = f'<a href="{website}" rel="nofollow noopener">{website}</a>'
        rows.append(_fact(_("Website"), link))
    if not case.is_fact_only:
        rows.append(_fact(_("Licence of the text"), escape(case.get_licence_display())))
    rows.append(_fact(_("Provenance"), escape(case.get_provenance_display())))
    return _facts_section("facts-heading", _("Key facts"), rows)


def _date_range(case) -> str:
    """ "from March 2019 to June 2021", "from March 2019 (ongoing)", "to June 2021"."""
    parts = []
    if case.start_date:
        start = date_format(case.start_date, "YEAR_MONTH_FORMAT")
        parts.append(_("from %(start)s") % {"start": start})
    if case.end_date:
        end = date_format(case.end_date, "YEAR_MONTH_FORMAT")
        parts.append(" " + _("to %(end)s") % {"end": end})
    elif case.ongoing:
        parts.append(f" ({_('ongoing')})")
    return "".join(parts)


def _narrative_headings() -> dict[str, str]:
    return {
        "problem": _("Problem and context"),
        "solution": _("Solution and what is innovative"),
        "collaboration": _("Collaboration and the partners' roles"),
        "results": _("Results and evidence"),
        "challenges": _("Challenges"),
        "sustainability": _("Sustainability"),
        "transferability": _("Transferability and lessons"),
    }


def narrative_section(case) -> SafeString:
    """ "The case in detail": each part of the narrative the case has, under its heading (none
    for a case known by its facts only)."""
    if case.is_fact_only:
        return mark_safe("")
    parts = [
        '<section aria-labelledby="narrative-heading">\n    <h2 id="narrative-heading">',
        escape(_("The case in detail")),
        "</h2>",
    ]
    headings = _narrative_headings()
    for name in NARRATIVE_FIELDS:
        text, heading = getattr(case, name), headings[name]
        if text:
            parts.append(
                f'\n    <h3>{escape(heading)}</h3><div class="prose">{paragraphs(text)}</div>'
            )
    parts.append("\n  </section>")
    return _safe(parts)


def partner_rows(partners) -> SafeString:
    """The body rows of the partners table."""
    return _safe(
        f'<tr><th scope="row">{escape(partner.name)}</th>'
        f"<td>{escape(partner.get_sector_display())}</td>"
        f"<td>{escape(country_name(partner.country) or '–')}</td>"
        f"<td>{escape(partner.role or '–')}</td></tr>"
        for partner in partners
    )


def profile_rows(rows) -> SafeString:
    """The body rows of the factor profile table: the factors the case has a value for."""
    list_url = escape(named_url("library:list"))
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
                    f'<dt>{texts["text"]}</dt><dd class="prose">{paragraphs(item.text)}</dd>'
                )
            parts.append("\n        ")
            if item.evidence:
                parts.append(
                    f"<dt>{texts['evidence']}</dt>"
                    f'<dd class="prose">{paragraphs(item.evidence)}</dd>'
                )
            parts.append("\n      </dl>")
        parts.append("\n    </section>\n    ")
    return _safe(parts)


def similar_list_items(similar) -> SafeString:
    """The ``<li>`` of each similar case: its link, a synthetic badge, the reason it is listed."""
    synthetic = escape(_("Synthetic"))
    parts = []
    for item in similar:
        badge = (
            f' <span class="badge badge-synthetic">{synthetic}</span>'
            if item.case.is_synthetic
            else ""
        )
        parts.append(
            f'\n    <li>\n      <a href="{escape(slug_url("library:case", item.case.slug))}">'
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
        (_("Country"), lambda c: escape(country_name(c.country) or "–")),
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
