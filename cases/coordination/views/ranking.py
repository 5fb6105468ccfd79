"""The provisional ranking of an edition, with its filters and CSV export."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from cases.domain.queries.ranking import SORTS, attach_factor_profiles, edition_ranking
from cases.interfaces.coordination_forms import RankingFilterForm
from cases.interfaces.ranking_export import ranking_csv

from .common import PAGE_SIZE, coordinator_of_edition


@coordinator_of_edition
@require_safe
def ranking(request, edition):
    categories = list(edition.categories.all())
    filters = RankingFilterForm(request.GET or None, categories=categories)
    if filters.is_bound and not filters.is_valid():
        filters = RankingFilterForm(categories=categories)
        messages.error(request, _("Some filters were not valid and were reset."))
    data = filters.cleaned_data if filters.is_bound else {}
    entries = edition_ranking(edition, categories)
    if data.get("category"):
        entries = [
            e for e in entries if e.case.category and e.case.category.slug == data["category"]
        ]
    if data.get("disagreement"):
        entries = [e for e in entries if e.disagreement]
    if data.get("incomplete"):
        entries = [e for e in entries if not e.is_complete]
    sort = data.get("sort") or "rank"
    entries.sort(key=SORTS[sort])
    if request.GET.get("format") == "csv":
        factors = attach_factor_profiles(entries)
        response = HttpResponse(
            ranking_csv(entries, factors), content_type="text/csv; charset=utf-8"
        )
        name = slugify(edition.slug) or "edition"
        response["Content-Disposition"] = f'attachment; filename="{name}-ranking.csv"'
        return response
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    factors = attach_factor_profiles(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    context = {
        "edition": edition,
        "page": page,
        "factors": factors,
        "filters": filters,
        "sort": sort,
        "query": query.urlencode(),
    }
    return render(request, "coordination/ranking.html", context)
