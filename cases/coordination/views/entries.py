"""One entry as the coordinators see it: scores and comments first, then the outcome form,
assignments and conflicts, the folded history and the application."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cases.domain.evaluation import outcomes as outcome_actions
from cases.domain.evaluation.errors import EvaluationError
from cases.domain.queries import coordination as queries
from cases.domain.queries.evaluation import reviews_of_case
from cases.domain.queries.ranking import attach_factor_profiles, edition_ranking
from cases.interfaces.attachment_links import attachment_links
from cases.interfaces.coordination_forms import OutcomeForm
from cases.models import NARRATIVE_FIELDS, Case

from .common import coordinator_of_edition


def _entry(request, edition, case_id):
    case = queries.coordinated_entry(request.user, edition, case_id)
    if case is None:
        raise Http404
    return case


def _page(request, edition, case, form, status=200):
    entry = next((e for e in edition_ranking(edition) if e.case.pk == case.pk), None)
    if entry is not None:
        attach_factor_profiles([entry])
    reviews = list(reviews_of_case(case).order_by("assignment_id"))
    z_by_evaluator = dict(entry.z_scores) if entry else {}
    for review in reviews:
        review.z = z_by_evaluator.get(review.assignment.evaluator_id)
    context = {
        "edition": edition,
        "case": case,
        "sections": [
            (Case._meta.get_field(name).verbose_name, getattr(case, name))
            for name in NARRATIVE_FIELDS
        ],
        "attachments": attachment_links(case),
        "entry": entry,
        "reviews": reviews,
        **queries.entry_page_facts(case),
        "form": form,
        "outcome_open": edition.phase in outcome_actions.DECISION_PHASES
        and not edition.results_are_published,
    }
    return render(request, "coordination/case.html", context, status=status)


@coordinator_of_edition
@require_safe
def case_detail(request, edition, case_id):
    case = _entry(request, edition, case_id)
    form = OutcomeForm(
        initial={"version": case.version, "outcome": case.outcome, "place": case.place}
    )
    return _page(request, edition, case, form)


@coordinator_of_edition
@require_POST
def set_outcome(request, edition, case_id):
    case = _entry(request, edition, case_id)
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        return _page(request, edition, case, form, status=400)
    try:
        outcome_actions.set_outcome(
            case=case,
            by=request.user,
            outcome=form.cleaned_data["outcome"],
            place=form.cleaned_data["place"],
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )
    except EvaluationError as error:
        form.add_error(None, error.message)
        return _page(request, edition, case, form, status=error.status)
    messages.success(request, _("The outcome is recorded."))
    return redirect(reverse("coordination:case", args=[edition.slug, case.pk]) + "#messages")
