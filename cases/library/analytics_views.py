"""Factor analytics on the statistics page, the cases behind each figure, and the page that
explains the library's methods (similarity, analytics, suppression)."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cases.domain.queries.analytics import (
    MIN_CASES,
    OUTCOME_GROUPS,
    RATINGS,
    cached_factor_analytics,
    cases_behind,
)
from cases.domain.queries.library import LIST_FIELDS, PAGE_SIZE, STRONG_FACTOR_VALUE
from cases.domain.similarity import (
    MISSING_DIFFERENCE,
    POOL_SIZE,
    SIMILAR_COUNT,
    SIMILAR_PROFILE_DIFFERENCE,
    WEIGHT_COLLABORATION,
    WEIGHT_PHASES,
    WEIGHT_PROFILE,
    WEIGHT_TEXT,
)
from cases.interfaces.analytics_charts import distribution_chart, heat_class
from cases.interfaces.analytics_html import count_cell, mean_cell
from cases.interfaces.filters import LibraryFilterSet
from cases.interfaces.permissions import permission_required
from cases.models import CollaborationType, EcosystemFactor

MAX_STRONG = 2


def _params(criteria) -> dict[str, list[str]]:
    params = criteria.as_params()
    params.pop("sort", None)
    return params


def _items(params: dict[str, list[str]]) -> list[tuple[str, str]]:
    return [(key, value) for key, values in params.items() for value in values]


def _with_query(path: str, items: list[tuple[str, str]], extra: dict) -> str:
    items = list(items)
    for key, value in extra.items():
        for item in value if isinstance(value, list | tuple) else [value]:
            items.append((key, str(item)))
    query = urlencode(items)
    return path + (f"?{query}" if query else "")


def _url(name: str, params: dict[str, list[str]], **extra) -> str:
    return _with_query(reverse(name), _items(params), extra)


def analytics_context(request) -> dict:
    """What the statistics page shows of the factor analytics for the request's filters."""
    filterset = LibraryFilterSet(request.GET)
    criteria = filterset.criteria
    params = _params(criteria)
    figures = cached_factor_analytics(criteria)
    factors = figures.factors

    figure_cases_url = reverse("library:figure_cases")
    base_items = _items(params)

    def behind(**extra) -> str:
        return _with_query(figure_cases_url, base_items, extra)

    def counted(figure, url):
        return {"figure": figure, "url": url, "html": count_cell(figure, url, MIN_CASES)}

    distribution_rows = [
        {
            "factor": factor,
            "cells": [
                counted(cell, behind(rating=f"{factor.slug}:{rating}"))
                for rating, cell in zip(RATINGS, row, strict=True)
            ],
        }
        for factor, row in zip(factors, figures.distribution, strict=True)
    ]

    def group_rows(groups, kind):
        rows = []
        for group in groups:
            cells = []
            for factor, mean in zip(factors, group.means, strict=True):
                url = behind(group=f"{kind}:{group.key}", rated=factor.slug)
                cells.append(
                    {
                        "figure": mean,
                        "heat": heat_class(mean.value),
                        "url": url,
                        "html": mean_cell(mean, url, MIN_CASES),
                    }
                )
            group_url = behind(group=f"{kind}:{group.key}")
            rows.append({"group": group, "url": group_url, "cells": cells})
        return rows

    cooccurrence_rows = [
        {
            "factor": factor,
            "cells": [
                counted(
                    cell,
                    behind(strong=[factor.slug, other.slug] if factor != other else [factor.slug]),
                )
                for other, cell in zip(factors, row, strict=True)
            ],
        }
        for factor, row in zip(factors, figures.cooccurrence, strict=True)
    ]
    return {
        "analytics": figures,
        "analytics_filterset": filterset,
        "analytics_notices": filterset.notices,
        "analytics_filtered": bool(params),
        "analytics_library_url": _url("library:list", params),
        "analytics_data_url": _url("library:analytics_json", params),
        "distribution_rows": distribution_rows,
        "distribution_chart": distribution_chart(figures) if figures.total else None,
        "collaboration_rows": group_rows(figures.by_collaboration, "collaboration"),
        "outcome_rows": group_rows(figures.by_outcome, "outcome"),
        "cooccurrence_rows": cooccurrence_rows,
        "ratings": RATINGS,
        "min_cases": MIN_CASES,
    }


@permission_required("cases.view_public_pages")
@require_GET
def analytics_json(request):
    """The factor analytics for the request's filters as data (the API serves the same)."""
    from django.http import JsonResponse

    filterset = LibraryFilterSet(request.GET)
    data = cached_factor_analytics(filterset.criteria).as_dict()
    data["query"] = _params(filterset.criteria)
    data["notices"] = [str(notice) for notice in filterset.notices]
    return JsonResponse(data)


class FigureError(ValueError):
    pass


def _figure_arguments(request) -> tuple[dict, list[str]]:
    """The figure a request names, validated, and the words that describe it."""
    factor_labels = {
        slug: short or label
        for slug, short, label in EcosystemFactor.objects.values_list(
            "slug", "short_label", "label"
        )
    }
    arguments: dict = {}
    described: list[str] = []
    rating = request.GET.get("rating")
    if rating:
        slug, _sep, value = rating.partition(":")
        if slug not in factor_labels or value not in {str(item) for item in RATINGS}:
            raise FigureError(_("“%(value)s” is not a factor rating.") % {"value": rating[:60]})
        arguments["rating"] = (slug, int(value))
        described.append(
            _("%(factor)s rated %(rating)s") % {"factor": factor_labels[slug], "rating": value}
        )
    strong = [slug for slug in request.GET.getlist("strong") if slug]
    if strong:
        if len(strong) > MAX_STRONG or any(slug not in factor_labels for slug in strong):
            raise FigureError(_("Name one or two known factors to be strong on."))
        arguments["strong"] = tuple(strong)
        described.append(
            _("strong (%(value)s or more) on %(factors)s")
            % {
                "value": int(STRONG_FACTOR_VALUE),
                "factors": _(" and ").join(factor_labels[slug] for slug in strong),
            }
        )
    rated = request.GET.get("rated")
    if rated:
        if rated not in factor_labels:
            raise FigureError(_("“%(value)s” is not a factor.") % {"value": rated[:60]})
        arguments["rated"] = rated
        described.append(_("with a value for %(factor)s") % {"factor": factor_labels[rated]})
    group = request.GET.get("group")
    if group:
        kind, _sep, key = group.partition(":")
        if kind == "collaboration":
            label = CollaborationType.objects.filter(slug=key).values_list("label", flat=True)
            if not label:
                raise FigureError(
                    _("“%(value)s” is not a collaboration type.") % {"value": key[:60]}
                )
            arguments["collaboration"] = key
            described.append(_("collaboration type %(label)s") % {"label": label[0]})
        elif kind == "outcome" and key in OUTCOME_GROUPS:
            arguments["outcome_group"] = key
            described.append(
                _("winners and nominees") if key == "distinguished" else _("no win or nomination")
            )
        else:
            raise FigureError(_("“%(value)s” is not a group of cases.") % {"value": group[:60]})
    return arguments, described


@permission_required("cases.view_public_pages")
@require_GET
def figure_cases(request):
    """The published cases behind one figure of the analytics, under the same filters."""
    filterset = LibraryFilterSet(request.GET)
    criteria = filterset.criteria
    params = _params(criteria)
    try:
        arguments, described = _figure_arguments(request)
    except FigureError as error:
        return render(
            request,
            "library/figure_cases.html",
            {"error": str(error), "stats_url": _url("library:stats", params)},
            status=400,
        )
    queryset = (
        cases_behind(criteria, **arguments)
        .only(*LIST_FIELDS)
        .select_related("edition", "category", "lead_organisation")
        .order_by("title", "id")
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    keep = request.GET.copy()
    keep.pop("page", None)
    return render(
        request,
        "library/figure_cases.html",
        {
            "page": page,
            "described": described,
            "notices": filterset.notices,
            "stats_url": _url("library:stats", params),
            "library_url": _url("library:list", params),
            "filtered": bool(params),
            "page_query": keep.urlencode(),
        },
    )


@permission_required("cases.view_public_pages")
@require_GET
def methods(request):
    """How similarity and the factor analytics are computed (linked from the footer)."""
    return render(
        request,
        "library/methods.html",
        {
            "weights": {
                "profile": round(WEIGHT_PROFILE * 100),
                "collaboration": round(WEIGHT_COLLABORATION * 100),
                "phases": round(WEIGHT_PHASES * 100),
                "text": round(WEIGHT_TEXT * 100),
            },
            "missing_difference": MISSING_DIFFERENCE / 100,
            "similar_count": SIMILAR_COUNT,
            "pool_size": POOL_SIZE,
            "similar_profile": SIMILAR_PROFILE_DIFFERENCE,
            "min_cases": MIN_CASES,
            "strong_from": int(STRONG_FACTOR_VALUE),
        },
    )
