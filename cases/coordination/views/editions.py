"""The editions a coordinator runs, an edition's dashboard, and changing its phase."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cases.domain.evaluation import phases as phase_actions
from cases.domain.evaluation.errors import EvaluationError
from cases.domain.queries import coordination as queries
from cases.domain.queries.access import membership_requests_decidable_by
from cases.interfaces.coordination_forms import PhaseForm
from cases.models import CaseStatus, EditionPhase

from .common import PAGE_SIZE, coordinator_area, coordinator_of_edition


@coordinator_area
@require_safe
def editions(request):
    page = Paginator(queries.editions_overview(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    # Coordinators decide requests to join organisations that have no member yet.
    pending_memberships = membership_requests_decidable_by(request.user).count()
    return render(
        request,
        "coordination/editions.html",
        {"page": page, "pending_memberships": pending_memberships},
    )


def _dashboard(request, edition, phase_form, status=200):
    counts = queries.status_counts(edition)
    context = {
        "edition": edition,
        "counts": counts,
        "entries": sum(n for key, n in counts.items() if key != CaseStatus.DRAFT),
        "reviews": queries.review_totals(edition),
        "progress": queries.evaluator_progress(edition),
        "recent": queries.recent_decisions(edition),
        "phase_form": phase_form,
    }
    return render(request, "coordination/dashboard.html", context, status=status)


@coordinator_of_edition
@require_safe
def dashboard(request, edition):
    form = PhaseForm(initial={"phase": edition.phase, "current": edition.phase})
    return _dashboard(request, edition, form)


def _phase_confirmation(request, edition, form, change, status):
    context = {
        "edition": edition,
        "form": form,
        "change": change,
        "before_label": EditionPhase(change.before).label,
        "after_label": EditionPhase(change.after).label,
    }
    return render(request, "coordination/confirm_phase.html", context, status=status)


@coordinator_of_edition
@require_POST
def change_phase(request, edition):
    """Move the edition to another phase. A change that needs confirmation (ending
    submissions early, moving back) first shows a confirmation page; the change itself happens
    only when that page is sent back confirmed."""
    form = PhaseForm(request.POST)
    if not form.is_valid():
        return _dashboard(request, edition, form, status=400)
    data = form.cleaned_data
    confirming = request.POST.get("step") == "confirm"
    try:
        phase_actions.check_expected_phase(edition=edition, expected_phase=data["current"])
        change = phase_actions.describe_change(edition=edition, phase=data["phase"])
        if change.needs_confirmation and not confirming:
            return _phase_confirmation(request, edition, form, change, 200)
        phase_actions.set_phase(
            edition=edition,
            by=request.user,
            phase=data["phase"],
            confirmed=data["confirm"],
            reason=data["reason"],
            expected_phase=data["current"],
        )
    except EvaluationError as error:
        if confirming and error.status == 400:
            form.add_error(None, error.message)
            change = phase_actions.describe_change(edition=edition, phase=data["phase"])
            return _phase_confirmation(request, edition, form, change, 400)
        # Back on the dashboard, the form shows the phase as it is now, so that sending it
        # again decides on the current state.
        fresh = request.POST.copy()
        fresh["current"] = edition.phase
        form = PhaseForm(fresh)
        form.is_valid()
        form.add_error(None, error.message)
        return _dashboard(request, edition, form, status=error.status)
    messages.success(request, _("The phase is changed."))
    return redirect("coordination:dashboard", edition=edition.slug)
