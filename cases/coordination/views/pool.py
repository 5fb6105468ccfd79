"""The evaluator pool of an edition: who is invited, who accepted, their load and lateness."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cases.domain import pool as pool_actions
from cases.domain.evaluation.errors import EvaluationError
from cases.domain.queries.operations import pool_of
from cases.interfaces.operations_forms import InviteForm

from .common import coordinator_of_edition


def _render_pool(request, edition, form, status=200):
    rows = pool_of(edition)
    context = {
        "edition": edition,
        "rows": rows,
        "form": form,
        "accepted": sum(1 for row in rows if row.status == "accepted"),
    }
    return render(request, "coordination/pool.html", context, status=status)


@coordinator_of_edition
@require_safe
def pool(request, edition):
    return _render_pool(request, edition, InviteForm())


@coordinator_of_edition
@require_POST
def invite(request, edition):
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _render_pool(request, edition, form, status=400)
    try:
        membership = pool_actions.invite_evaluator(
            edition=edition,
            email=form.cleaned_data["email"],
            full_name=form.cleaned_data["full_name"],
            by=request.user,
        )
    except EvaluationError as error:
        form.add_error(None, error.message)
        return _render_pool(request, edition, form, status=error.status)
    messages.success(
        request,
        _("%(person)s is invited; the invitation is in the outbox.")
        % {"person": membership.evaluator.email},
    )
    return redirect("coordination:pool", edition.slug)
