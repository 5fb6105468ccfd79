"""Eligibility: the submitted entries, paginated and searchable, and the screening decision."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cases.domain.evaluation import eligibility as eligibility_actions
from cases.domain.evaluation.errors import EvaluationError
from cases.domain.queries import coordination as queries
from cases.interfaces.coordination_forms import ScreeningForm
from cases.models import CaseStatus

from .common import PAGE_SIZE, coordinator_of_edition, search_query


def _shown(value):
    return value if value in queries.ELIGIBILITY_FILTERS else "submitted"


def _page(request, edition, bound=None, status=200):
    shown = _shown(request.GET.get("status", "submitted"))
    query = search_query(request)
    cases = queries.eligibility_list(edition, shown, query)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for case in page:
        if bound is not None and str(case.pk) == request.POST.get("case"):
            form = bound
        else:
            form = ScreeningForm(initial={"case": case.pk, "version": case.version})
        rows.append((case, form))
    if bound is not None and not any(form is bound for _case, form in rows):
        rows.insert(0, (None, bound))
    counts = queries.status_counts(edition)
    context = {
        "edition": edition,
        "page": page,
        "rows": rows,
        "shown": shown,
        "q": query,
        "query": urlencode({"status": shown, "q": query}),
        "filters": [
            ("submitted", _("To screen"), counts.get(CaseStatus.SUBMITTED, 0)),
            ("eligible", _("Eligible"), counts.get(CaseStatus.ELIGIBLE, 0)),
            ("ineligible", _("Not eligible"), counts.get(CaseStatus.INELIGIBLE, 0)),
            ("all", _("All"), sum(counts.get(s, 0) for s in queries.ELIGIBILITY_FILTERS["all"])),
        ],
    }
    return render(request, "coordination/eligibility.html", context, status=status)


@coordinator_of_edition
@require_safe
def eligibility(request, edition):
    return _page(request, edition)


@coordinator_of_edition
@require_POST
def screen(request, edition):
    """Record one eligibility decision; back to the list the coordinator was on."""
    form = ScreeningForm(request.POST)
    if not form.is_valid():
        return _page(request, edition, form, status=400)
    data = form.cleaned_data
    case = queries.screenable_case(edition, data["case"])
    if case is None:
        raise Http404
    try:
        eligibility_actions.screen_case(
            case=case,
            by=request.user,
            eligible=data["decision"] == ScreeningForm.ELIGIBLE,
            reason=data["reason"],
            note=data["note"],
            expected_version=data["version"],
        )
    except EvaluationError as error:
        form.add_error(None, error.message)
        return _page(request, edition, form, status=error.status)
    case.refresh_from_db()
    if case.status == CaseStatus.ELIGIBLE:
        text = _("%(title)s is eligible: %(number)s.") % {
            "title": case.title,
            "number": case.registration_number,
        }
    else:
        text = _("%(title)s is marked not eligible.") % {"title": case.title}
    messages.success(request, text + " " + _("The applicant has been e-mailed."))
    shown = _shown(request.GET.get("status", "submitted"))
    back = {"status": shown}
    if search_query(request):
        back["q"] = search_query(request)
    return redirect(f"{reverse('coordination:eligibility', args=[edition.slug])}?{urlencode(back)}")
