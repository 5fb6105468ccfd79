"""Assignments: the eligible entries with their evaluators (paginated, searchable), and one
URL per action: automatic assignment, manual assignment, withdrawal, conflict override and
the conflict check."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from cases.domain.evaluation import assignment as assignment_actions
from cases.domain.evaluation import conflicts as conflict_actions
from cases.domain.evaluation.errors import EvaluationError
from cases.domain.queries import coordination as queries
from cases.domain.queries.access_conflicts import conflict_rule
from cases.interfaces.coordination_forms import (
    AutomaticAssignmentForm,
    ManualAssignmentForm,
    OverrideConflictForm,
    RemoveAssignmentForm,
)

from .common import PAGE_SIZE, coordinator_of_edition, search_query


def _manual_form(edition, data=None):
    return ManualAssignmentForm(
        data,
        find_entry=lambda text: queries.find_entry(edition, text),
        find_evaluator=lambda text: queries.find_evaluator(edition, text),
    )


def _page(request, edition, forms=None, status=200):
    forms = forms or {}
    by_evaluator = request.GET.get("by") == "evaluator"
    query = search_query(request)
    page = Paginator(queries.eligible_entries(edition, query), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    evaluators = list(queries.pool_with_load(edition))
    if by_evaluator:
        entries = queries.entries_by_evaluator(edition)
        for evaluator in evaluators:
            evaluator.entries = entries.get(evaluator.pk, [])
    context = {
        "edition": edition,
        "page": page,
        "q": query,
        "query": urlencode({"q": query}) if query else "",
        "by_evaluator": by_evaluator,
        "evaluators": evaluators,
        "entry_choices": queries.entry_choices(edition),
        "conflicts": list(queries.edition_conflicts(edition)),
        "conflict_rule": conflict_rule(edition),
        "report": request.session.pop(f"assignment-report-{edition.pk}", None),
        "automatic_form": forms.get("automatic") or AutomaticAssignmentForm(),
        "manual_form": forms.get("manual") or _manual_form(edition),
        "remove_form": forms.get("remove"),
        "override_form": forms.get("override"),
    }
    return render(request, "coordination/assignments.html", context, status=status)


def _back(edition):
    return redirect("coordination:assignments", edition=edition.slug)


@coordinator_of_edition
@require_safe
def assignments(request, edition):
    return _page(request, edition)


@coordinator_of_edition
@require_POST
def assign_automatically(request, edition):
    form = AutomaticAssignmentForm(request.POST)
    if not form.is_valid():
        return _page(request, edition, {"automatic": form}, status=400)
    try:
        report = assignment_actions.assign_automatically(
            edition=edition, by=request.user, seed=form.cleaned_data["seed"]
        )
    except EvaluationError as error:
        form.add_error(None, error.message)
        return _page(request, edition, {"automatic": form}, status=error.status)
    request.session[f"assignment-report-{edition.pk}"] = {
        "created": report.created,
        "evaluators": len(report.per_evaluator),
        "problems": [[case_id, title, str(text)] for case_id, title, text in report.problems],
    }
    messages.success(
        request,
        ngettext(
            "Automatic assignment made %(count)d assignment.",
            "Automatic assignment made %(count)d assignments.",
            report.created,
        )
        % {"count": report.created},
    )
    return _back(edition)


@coordinator_of_edition
@require_POST
def assign_manually(request, edition):
    form = _manual_form(edition, request.POST)
    if not form.is_valid():
        return _page(request, edition, {"manual": form}, status=400)
    try:
        assignment_actions.assign_manually(
            case=form.cleaned_data["case"],
            evaluator=form.cleaned_data["evaluator"],
            by=request.user,
        )
    except EvaluationError as error:
        form.add_error(None, error.message)
        return _page(request, edition, {"manual": form}, status=error.status)
    messages.success(request, _("The evaluator is assigned and has been e-mailed."))
    return _back(edition)


@coordinator_of_edition
@require_POST
def remove_assignment(request, edition):
    """Withdraw an evaluator from an entry, after a confirmation page."""
    form = RemoveAssignmentForm(request.POST)
    if not form.is_valid():
        return _page(request, edition, {"remove": form}, status=400)
    assignment = queries.edition_assignment(edition, form.cleaned_data["assignment"])
    if assignment is None:
        raise Http404
    if request.POST.get("confirm") != "yes":
        return render(
            request,
            "coordination/confirm_withdrawal.html",
            {"edition": edition, "assignment": assignment, "form": form},
        )
    try:
        assignment_actions.remove_assignment(
            assignment=assignment, by=request.user, reason=form.cleaned_data["reason"]
        )
    except EvaluationError as error:
        form.add_error(None, error.message)
        return _page(request, edition, {"remove": form}, status=error.status)
    messages.success(request, _("The assignment is withdrawn."))
    return _back(edition)


@coordinator_of_edition
@require_POST
def override_conflict(request, edition):
    form = OverrideConflictForm(request.POST)
    if not form.is_valid():
        return _page(request, edition, {"override": form}, status=400)
    conflict = queries.edition_conflict(edition, form.cleaned_data["conflict"])
    if conflict is None:
        raise Http404
    try:
        conflict_actions.override_conflict(
            conflict=conflict, by=request.user, reason=form.cleaned_data["reason"]
        )
    except EvaluationError as error:
        form.add_error(None, error.message)
        return _page(request, edition, {"override": form}, status=error.status)
    messages.success(request, _("The conflict is overridden and the reason logged."))
    return _back(edition)


@coordinator_of_edition
@require_POST
def check_conflicts(request, edition):
    try:
        active = conflict_actions.refresh_automatic_conflicts(edition=edition)
    except EvaluationError as error:
        messages.error(request, error.message)
        return _page(request, edition, status=error.status)
    messages.success(
        request,
        ngettext(
            "Conflicts checked: %(count)d active conflict.",
            "Conflicts checked: %(count)d active conflicts.",
            len(active),
        )
        % {"count": len(active)},
    )
    return _back(edition)
