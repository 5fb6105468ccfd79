"""Results: the decided outcomes (searchable), publishing them to the applicants, and
publishing the consenting cases in the library: one URL each."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from cases.domain.evaluation import publication as publication_actions
from cases.domain.evaluation.errors import EvaluationError
from cases.domain.queries import coordination as queries
from cases.interfaces.coordination_forms import PublishForm

from .common import PAGE_SIZE, coordinator_of_edition, search_query


def _page(request, edition, forms=None, status=200):
    forms = forms or {}
    query = search_query(request)
    page = Paginator(queries.decided_entries(edition, query), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    groups = {}
    for case in page:
        key = case.category.name if case.category else _("No category")
        groups.setdefault(key, []).append(case)
    context = {
        "edition": edition,
        "groups": groups,
        "page": page,
        "q": query,
        "query": urlencode({"q": query}) if query else "",
        "publication": queries.publication_counts(edition),
        "results_form": forms.get("results") or PublishForm(prefix="results"),
        "library_form": forms.get("library") or PublishForm(prefix="library"),
        "can_publish": edition.phase in publication_actions.PUBLICATION_PHASES,
    }
    return render(request, "coordination/results.html", context, status=status)


@coordinator_of_edition
@require_safe
def results(request, edition):
    return _page(request, edition)


@coordinator_of_edition
@require_POST
def publish_results(request, edition):
    form = PublishForm(request.POST, prefix="results")
    if not form.is_valid():
        return _page(request, edition, {"results": form}, status=400)
    try:
        publication_actions.publish_results(edition=edition, by=request.user)
    except EvaluationError as error:
        form.add_error(None, error.message)
        return _page(request, edition, {"results": form}, status=error.status)
    messages.success(request, _("The results are published and the applicants e-mailed."))
    return redirect("coordination:results", edition=edition.slug)


@coordinator_of_edition
@require_POST
def publish_library(request, edition):
    form = PublishForm(request.POST, prefix="library")
    if not form.is_valid():
        return _page(request, edition, {"library": form}, status=400)
    try:
        published = publication_actions.publish_cases(edition=edition, by=request.user)
    except EvaluationError as error:
        form.add_error(None, error.message)
        return _page(request, edition, {"library": form}, status=error.status)
    messages.success(
        request,
        ngettext(
            "%(count)d case is published in the library.",
            "%(count)d cases are published in the library.",
            len(published),
        )
        % {"count": len(published)},
    )
    return redirect("coordination:results", edition=edition.slug)
