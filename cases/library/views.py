"""The public case library: list and search, case pages, comparison, exports, statistics.

Every view reads published cases only (cases.domain.queries.library.published_cases). The only
state a visitor changes is the comparison list in their own session.
"""

import os
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import (
    FileResponse,
    Http404,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from cases.domain.queries.case_pages import case_page, cases_for_comparison
from cases.domain.queries.library import (
    FACETS,
    PAGE_SIZE,
    cached_library_statistics,
    counts_and_page,
    editions_newest_first,
    facet_vocabulary,
    parse_query,
    published_cases,
    result_page,
)
from cases.domain.queries.routing import reading_the_library
from cases.interfaces import case_html
from cases.interfaces.charts import BarSeries, RadarSeries, bar_chart, radar_chart
from cases.interfaces.citations import CITATION_EXPORT_LIMIT, apa, from_case
from cases.interfaces.comparison import MAX_COMPARED, ComparisonFull, ComparisonTray
from cases.interfaces.exporters import (
    FIELD_DOCUMENTATION,
    MULTI_VALUE_SEPARATOR,
)
from cases.interfaces.filter_summary import filter_sentence, fold_options
from cases.interfaces.filters import FACET_LABELS, LibraryFilterSet
from cases.interfaces.language import library_alternates
from cases.interfaces.library_html import facet_fieldsets, result_items
from cases.interfaces.maps import case_map, country_name
from cases.interfaces.permissions import permission_required
from cases.interfaces.reversing import named_url, slug_url
from cases.interfaces.similarity import page_similar_items
from cases.library.analytics_views import analytics_context
from cases.library.collection_views import collection_context
from cases.library.metadata import case_page_metadata, former_address_redirect
from cases.models import (
    Attachment,
    CollaborationType,
    CoproductionPhase,
    EcosystemFactor,
    Edition,
    Sector,
)
from cases.models.vocabularies import label_column

# Country values with no result are hidden from the facet panel; the others list every value.
HIDE_EMPTY_FACETS = {"country", "edition", "category", "language"}


def _query_string(params: dict[str, list[str]], **changes) -> str:
    merged = {key: list(values) for key, values in params.items()}
    for key, value in changes.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return urlencode([(key, v) for key, values in merged.items() for v in values])


def _asked_page(raw: str | None, notices: list[str]) -> int:
    """The page number the address asks for, before anyone knows how many pages there are."""
    if raw in (None, ""):
        return 1
    try:
        number = int(raw)
    except (TypeError, ValueError):
        notices.append(
            _("“%(page)s” is not a page number; showing the first page.") % {"page": raw[:20]}
        )
        return 1
    if number < 1:
        notices.append(_("Pages start at 1; showing the first page."))
        return 1
    # Bounded, so that the offset stays a number the database takes (past the last page anyway).
    return min(number, 1_000_000)


def _page_number(asked: int, page_count: int, total: int, notices: list[str]) -> int:
    """``asked``, or the last page when it is past the end."""
    if asked > page_count:
        if total:  # with no results at all, the page says so; a page notice would only confuse
            notices.append(
                ngettext(
                    "There is only %(count)s page of results; showing it.",
                    "There are only %(count)s pages of results; showing the last one.",
                    page_count,
                )
                % {"count": page_count}
            )
        return page_count
    return asked


@permission_required("cases.view_public_pages")
@require_GET
@reading_the_library
def case_list(request):
    vocabulary = facet_vocabulary()
    filterset = LibraryFilterSet(request.GET, vocabulary=vocabulary)
    criteria = filterset.criteria
    notices = list(filterset.notices)
    asked = _asked_page(request.GET.get("page"), notices)
    counts, chosen = counts_and_page(criteria, offset=(asked - 1) * PAGE_SIZE)
    page_count = max(1, -(-counts.total // PAGE_SIZE))
    page = _page_number(asked, page_count, counts.total, notices)
    if page != asked:  # a page past the end: the last one is shown instead
        chosen = None
    offset = (page - 1) * PAGE_SIZE
    results = result_page(criteria, offset=offset, chosen=chosen) if counts.total else []

    params = criteria.as_params()
    facets = []
    chips = []
    for name in FACETS:
        selected = set(getattr(criteria, name))
        facet_counts = counts.counts.get(name, {})
        options = []
        for option in vocabulary[name]:
            count = sum(facet_counts.get(key, 0) for key in option.keys)
            is_selected = option.value in selected
            if not count and not is_selected and (name in HIDE_EMPTY_FACETS or not counts.total):
                continue
            options.append(
                {
                    "value": option.value,
                    "label": option.label,
                    "count": count,
                    "selected": is_selected,
                }
            )
            if is_selected:
                remaining = [value for value in params.get(name, []) if value != option.value]
                chips.append(
                    {
                        "facet": FACET_LABELS[name],
                        "label": option.label,
                        "remove_url": "?" + _query_string(params, **{name: remaining}),
                    }
                )
        shown, folded = fold_options(options)
        facets.append(
            {
                "name": name,
                "label": FACET_LABELS[name],
                "options": options,
                "shown": shown,
                "folded": folded,
                "active": bool(selected),
            }
        )
    if criteria.q:
        chips.insert(
            0,
            {
                "facet": _("Search"),
                "label": criteria.q,
                "remove_url": "?" + _query_string(params, q=None),
            },
        )
    for name, label in (("year_from", _("From year")), ("year_to", _("To year"))):
        value = getattr(criteria, name)
        if value is not None:
            chips.append(
                {
                    "facet": label,
                    "label": str(value),
                    "remove_url": "?" + _query_string(params, **{name: None}),
                }
            )

    base_query = _query_string(params)
    # The map shades the country facet counts computed above: every other filter applies.
    country_map = case_map(
        counts.counts.get("country", {}),
        link_prefix="?" + _query_string(params, country=None, page=None),
        title=_("Cases by country under the current filters"),
        map_id="library-map",
    )
    highlight_words = parse_query(criteria.q).positive_words if criteria.q else []
    tray = ComparisonTray(request.session)
    context = {
        "alternates": library_alternates(request, "list"),
        "case_map": country_map,
        "filterset": filterset,
        "criteria": criteria,
        "notices": notices,
        "results": results,
        "total": counts.total,
        "facets": facets,
        "chips": chips,
        "filter_sentence": filter_sentence(counts.total, criteria, facets),
        "active_filter_count": len(chips) - (1 if criteria.q else 0),
        "page": page,
        "page_count": page_count,
        "previous_url": f"?{_query_string(params, page=[str(page - 1)])}" if page > 1 else None,
        "next_url": f"?{_query_string(params, page=[str(page + 1)])}"
        if page < page_count
        else None,
        "first_shown": (page - 1) * PAGE_SIZE + 1,
        "last_shown": min(page * PAGE_SIZE, counts.total),
        "highlight_words": highlight_words,
        "facet_html": facet_fieldsets(facets),
        "results_html": result_items(request, results, highlight_words=highlight_words, tray=tray),
        "export_query": base_query,
        "citation_limit": CITATION_EXPORT_LIMIT,
        # Larger sets are not downloaded at once: their links lead to a page that offers to
        # prepare them (cases.library.export_views), so they carry no ``download`` attribute.
        "inline_limit": settings.LIBRARY_INLINE_EXPORT_ROWS,
        "inline_export": counts.total <= settings.LIBRARY_INLINE_EXPORT_ROWS,
        "inline_citations": min(counts.total, CITATION_EXPORT_LIMIT)
        <= settings.LIBRARY_INLINE_EXPORT_ROWS,
        "tray": tray,
        "sort": criteria.effective_sort,
    }
    return render(request, "library/list.html", context)


def _profile_rows(read, factors):
    return [{"factor": factor, "value": read.profile.get(factor.pk)} for factor in factors]


def _radar_values(rows) -> list[float | None]:
    return [float(row["value"].value) if row["value"] else None for row in rows]


def _sector_labels(partners) -> list[str]:
    return sorted({Sector(p.sector).label for p in partners if p.sector in Sector.values})


@permission_required("cases.view_public_pages")
@require_GET
@reading_the_library
def case_detail(request, slug):
    page = case_page(slug)
    if page is None:
        return former_address_redirect(slug, request.resolver_match.view_name)
    read, factors = page.read, page.factors
    case = read.case
    rows = _profile_rows(read, factors)
    assessment_rows = [
        {"factor": factor, "assessment": read.assessments[factor.pk]}
        for factor in factors
        if factor.pk in read.assessments and read.assessments[factor.pk].has_content
    ]
    sources = sorted({row["value"].get_source_display() for row in rows if row["value"]})
    chart = None
    if any(row["value"] for row in rows):
        chart = radar_chart(
            [factor.display_short for factor in factors],
            [RadarSeries(case.title, _radar_values(rows))],
            title=_("Factor profile of %(title)s") % {"title": case.title},
            description=_(
                "Values from 0 to 4 per enabling-ecosystem factor; the table below lists them."
            ),
        )
    tray = ComparisonTray(request.session)
    # The application instance the page answers under (with or without a language prefix),
    # which its links stay in, as {% url %} does.
    namespace = request.resolver_match.namespace
    permalink = request.build_absolute_uri(case.get_absolute_url())
    keywords = [term.english for term in (*read.types, *read.sectors)]
    partner_sectors = _sector_labels(read.partners)
    similar = page_similar_items(page)
    context = {
        "case": case,
        "country_name": country_name(case.country),
        "types": read.types,
        "phases": read.phases,
        "levels": read.levels,
        "sectors": read.sectors,
        "files": read.files,
        "profile_rows": rows,
        "profile_sources": sources,
        "unrated_factors": [row["factor"].display_short for row in rows if not row["value"]],
        "assessment_rows": assessment_rows,
        "radar": chart,
        "partners": read.partners,
        "partner_sectors": partner_sectors,
        "tray": tray,
        "in_tray": case.slug in tray,
        "tray_full": len(tray) >= MAX_COMPARED,
        "permalink": permalink,
        "similar": similar,
        "list_url": reverse("library:list"),
        "key_facts_html": case_html.key_facts(case),
        "narrative_html": case_html.narrative_section(case),
        "typology_html": case_html.typology_section(
            types=read.types,
            phases=read.phases,
            levels=read.levels,
            partner_sectors=partner_sectors,
            sectors=read.sectors,
        ),
        "partner_rows_html": case_html.partner_rows(read.partners),
        "profile_rows_html": case_html.profile_rows(rows),
        "assessments_html": case_html.assessment_sections(assessment_rows),
        "similar_html": case_html.similar_list_items(similar),
        "library_url": _library_back_url(request),
        **{
            f"{kind}_url": slug_url(f"library:case_{kind}", case.slug, current_app=namespace)
            for kind in ("bibtex", "ris", "csl_json")
        },
        **collection_context(request, case),
        **case_page_metadata(request, case, permalink, keywords=keywords),
        "alternates": library_alternates(request, "case", slug=case.slug),
    }
    return render(request, "library/case.html", context)


def _library_back_url(request) -> str:
    """The library list the visitor came from, with its filters, or the plain list."""
    from urllib.parse import urlsplit

    plain = named_url("library:list")
    lists = {plain, named_url("library-any:list")}
    referer = urlsplit(request.META.get("HTTP_REFERER", ""))
    if referer.netloc == request.get_host() and referer.path in lists and referer.query:
        return f"{referer.path}?{referer.query}"
    return plain


@permission_required("cases.view_public_pages")
@require_GET
@reading_the_library
def attachment(request, slug, pk):
    found = (
        Attachment.objects.filter(
            pk=pk, is_public=True, case__in=published_cases().filter(slug=slug)
        )
        .only("file", "title", "content_type")
        .first()
    )
    if found is None:
        raise Http404(_("This file is not public."))
    try:
        handle = found.file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404(_("This file is no longer available.")) from error
    return FileResponse(
        handle,
        as_attachment=True,
        filename=os.path.basename(found.file.name),
        content_type=found.content_type or "application/octet-stream",
    )


# --- comparison -----------------------------------------------------------------------------


def _compare_error(request, message, status, tray):
    return render(
        request,
        "library/compare.html",
        {"error": message, "cases": [], "tray": tray, "max_compared": MAX_COMPARED},
        status=status,
    )


@permission_required("cases.view_public_pages")
@require_GET
@reading_the_library
def compare(request):
    tray = ComparisonTray(request.session)
    raw = request.GET.get("cases")
    if raw is None:
        # The visitor's own list: cases unpublished since they were added are dropped quietly.
        chosen = cases_for_comparison(tray.slugs)
        tray_cases = [read.case for read in chosen.cases]
        tray.keep_only([case.slug for case in tray_cases])
        if len(tray_cases) < 2:
            return render(
                request,
                "library/compare.html",
                {"cases": [], "tray_cases": tray_cases, "tray": tray, "max_compared": MAX_COMPARED},
            )
        slugs = tray.slugs
    else:
        chosen = None
        slugs = []
        for item in raw.split(","):
            item = item.strip()
            if item and item not in slugs:
                slugs.append(item[:120])
        if len(slugs) > MAX_COMPARED:
            return _compare_error(
                request,
                _("A comparison holds at most %(max)s cases; you asked for %(count)s.")
                % {"max": MAX_COMPARED, "count": len(slugs)},
                400,
                tray,
            )
        if len(slugs) < 2:
            return _compare_error(request, _("Choose at least two cases to compare."), 400, tray)
    if chosen is None:
        chosen = cases_for_comparison(slugs)
    found = {read.case.slug for read in chosen.cases}
    missing = [slug for slug in slugs if slug not in found]
    if missing:
        return _compare_error(
            request,
            _("No published case has the address %(slugs)s.")
            % {"slugs": ", ".join(f"“{slug}”" for slug in missing)},
            404,
            tray,
        )
    factors = chosen.factors
    profiles = [_profile_rows(read, factors) for read in chosen.cases]
    cases = []
    for read in chosen.cases:
        case = read.case
        case.types, case.phases = read.types, read.phases
        case.partner_list = read.partners
        case.partner_sector_labels = _sector_labels(read.partners)
        cases.append(case)
    radar = radar_chart(
        [factor.display_short for factor in factors],
        [
            RadarSeries(case.title, _radar_values(rows))
            for case, rows in zip(cases, profiles, strict=True)
        ],
        title=_("Factor profiles of the compared cases"),
        description=_(
            "One line per case over the eight enabling-ecosystem factors, 0 to 4; "
            "the table below lists the values."
        ),
    )
    factor_rows = [
        {"factor": factor, "values": [rows[index]["value"] for rows in profiles]}
        for index, factor in enumerate(factors)
    ]
    return render(
        request,
        "library/compare.html",
        {
            "cases": cases,
            "radar": radar,
            "factor_rows": factor_rows,
            "fact_rows_html": case_html.comparison_fact_rows(cases),
            "profile_rows_html": case_html.comparison_profile_rows(factor_rows),
            "tray": tray,
            "max_compared": MAX_COMPARED,
            "share_url": request.build_absolute_uri(
                reverse("library:compare")
                + "?"
                + urlencode({"cases": ",".join(c.slug for c in cases)})
            ),
            "compared_slugs": ",".join(c.slug for c in cases),
            "citations": [
                apa(from_case(case, request.build_absolute_uri(case.get_absolute_url())))
                for case in cases
            ],
        },
    )


def _back(request, fallback: str):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


@permission_required("cases.view_public_pages")
@require_POST
def compare_add(request):
    slug = request.POST.get("case", "")
    case = published_cases().filter(slug=slug).only("slug", "title").first()
    if case is None:
        raise Http404(_("No published case has this address."))
    tray = ComparisonTray(request.session)
    try:
        if tray.add(case.slug):
            messages.success(
                request, _("“%(title)s” was added to your comparison.") % {"title": case.title}
            )
    except ComparisonFull as full:
        messages.error(request, full.message)
    return _back(request, case.get_absolute_url())


@permission_required("cases.view_public_pages")
@require_POST
def compare_remove(request):
    slug = request.POST.get("case", "")
    if ComparisonTray(request.session).remove(slug):
        messages.success(request, _("The case was removed from your comparison."))
    return _back(request, reverse("library:compare"))


@permission_required("cases.view_public_pages")
@require_POST
def compare_clear(request):
    ComparisonTray(request.session).clear()
    messages.success(request, _("Your comparison is empty again."))
    return _back(request, reverse("library:list"))


# --- exports --------------------------------------------------------------------------------


@permission_required("cases.view_public_pages")
@require_GET
@reading_the_library
def export_fields(request):
    """What each field of the CSV and JSON exports means."""
    return render(
        request,
        "library/export_fields.html",
        {
            "fields": FIELD_DOCUMENTATION,
            "factors": EcosystemFactor.objects.order_by("order").only(
                "slug", "label", label_column()
            ),
            "separator": MULTI_VALUE_SEPARATOR,
            "inline_limit": settings.LIBRARY_INLINE_EXPORT_ROWS,
            "days": settings.LIBRARY_EXPORT_EXPIRY_DAYS,
        },
    )


# --- statistics -----------------------------------------------------------------------------

# The chart of collaboration types per edition shows this many editions; the table shows all.
CHART_EDITIONS = 6
CHART_COUNTRIES = 20


@permission_required("cases.view_public_pages")
@require_GET
@reading_the_library
def stats(request):
    from django_countries import countries

    figures = cached_library_statistics()
    types = list(CollaborationType.objects.order_by("order"))
    phases = list(CoproductionPhase.objects.order_by("order"))
    factors = list(EcosystemFactor.objects.order_by("order"))
    edition_ids = {edition_id for edition_id, _type in figures.collaboration_by_edition}
    editions = [
        (edition.pk, edition.name)
        for edition in editions_newest_first(
            Edition.objects.filter(pk__in=edition_ids).only("pk", "slug", "name", "year_label")
        )
    ]
    if None in edition_ids:
        editions.append((None, _("No edition (imported)")))
    collaboration_table = [
        {
            "label": kind.display_label,
            "values": [
                figures.collaboration_by_edition.get((edition_id, kind.pk), 0)
                for edition_id, _name in editions
            ],
        }
        for kind in types
    ]
    shown = editions[:CHART_EDITIONS]
    collaboration_chart = (
        bar_chart(
            [kind.display_label for kind in types],
            [
                BarSeries(
                    name,
                    [
                        figures.collaboration_by_edition.get((edition_id, kind.pk), 0)
                        for kind in types
                    ],
                )
                for edition_id, name in shown
            ],
            title=_("Cases by collaboration type per edition"),
            description=_(
                "Grouped bars: for each collaboration type, one bar per edition; "
                "the table below gives every figure."
            ),
        )
        if shown
        else None
    )
    country_names = dict(countries)
    country_rows = [
        {
            "code": code,
            "label": str(country_names.get(code, code)) if code else _("Not stated"),
            "count": count,
        }
        for code, count in figures.by_country
    ]
    country_chart = (
        bar_chart(
            [row["label"] for row in country_rows[:CHART_COUNTRIES]],
            [BarSeries(_("Cases"), [row["count"] for row in country_rows[:CHART_COUNTRIES]])],
            title=_("Cases by country"),
            description=_("The countries with the most published cases; the table lists all."),
        )
        if country_rows
        else None
    )
    country_map = case_map(
        dict(figures.by_country),
        link_prefix=reverse("library:list", current_app=request.resolver_match.namespace) + "?",
        title=_("Published cases by country"),
        map_id="stats-map",
    )
    phase_rows = [{"phase": phase, "count": figures.by_phase.get(phase.pk, 0)} for phase in phases]
    phase_chart = bar_chart(
        [row["phase"].display_label for row in phase_rows],
        [BarSeries(_("Cases"), [row["count"] for row in phase_rows])],
        title=_("Cases by co-production phase"),
        description=_("Published cases tagged with each co-production phase."),
    )
    factor_rows = []
    for factor in factors:
        with_value, strong, mean = figures.factor_coverage.get(factor.pk, (0, 0, None))
        factor_rows.append(
            {"factor": factor, "with_value": with_value, "strong": strong, "mean": mean}
        )
    factor_chart = bar_chart(
        [row["factor"].display_short for row in factor_rows],
        [
            BarSeries(_("Cases with a value"), [row["with_value"] for row in factor_rows]),
            BarSeries(
                _("Cases strong on the factor (3 or more)"), [row["strong"] for row in factor_rows]
            ),
        ],
        title=_("Factor coverage"),
        description=_(
            "For each enabling-ecosystem factor, how many published cases have a profile "
            "value and how many are strong on it."
        ),
    )
    return render(
        request,
        "library/stats.html",
        {
            "figures": figures,
            "editions": editions,
            "collaboration_table": collaboration_table,
            "collaboration_chart": collaboration_chart,
            "country_rows": country_rows,
            "case_map": country_map,
            "alternates": library_alternates(request, "stats"),
            "country_chart": country_chart,
            "phase_rows": phase_rows,
            "phase_chart": phase_chart,
            "factor_rows": factor_rows,
            "factor_chart": factor_chart,
            **analytics_context(request),
        },
    )
