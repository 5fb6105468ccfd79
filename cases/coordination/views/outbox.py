"""The outbox of an edition: every e-mail sent about it, with its status and error."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cases.domain import outbox
from cases.domain.evaluation.errors import EvaluationError
from cases.domain.queries import operations as queries
from cases.domain.queries.operations import outbox_counts, outbox_of
from cases.interfaces.operations_forms import OutboxFilterForm

from .common import PAGE_SIZE, coordinator_area, coordinator_of_edition


@coordinator_of_edition
@require_safe
def outbox_list(request, edition):
    form = OutboxFilterForm(request.GET or None)
    status, query = "", ""
    if form.is_valid():
        status, query = form.cleaned_data["status"], form.cleaned_data["q"].strip()
    page = Paginator(outbox_of(edition, status=status, query=query), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "edition": edition,
        "form": form,
        "page": page,
        "counts": outbox_counts(edition),
        "query": urlencode({"status": status, "q": query}),
    }
    return render(request, "coordination/outbox.html", context)


@coordinator_of_edition
@require_safe
def outbox_message(request, edition, email_id):
    email = get_object_or_404(outbox_of(edition), pk=email_id)
    return render(request, "coordination/outbox_message.html", {"edition": edition, "email": email})


@coordinator_of_edition
@require_POST
def outbox_retry(request, edition, email_id):
    email = get_object_or_404(outbox_of(edition), pk=email_id)
    try:
        outbox.retry_email(email=email, by=request.user)
    except EvaluationError as error:
        messages.error(request, error.message)
        return render(
            request,
            "coordination/outbox_message.html",
            {"edition": edition, "email": email},
            status=error.status,
        )
    messages.success(request, _("The message to %(to)s is queued again.") % {"to": email.to})
    return redirect("coordination:outbox_message", edition.slug, email.pk)


@coordinator_area
@require_safe
def failed_tasks(request):
    """The queue's failed tasks with their errors, for coordinators to see what went wrong."""
    return render(request, "coordination/failed_tasks.html", {"tasks": queries.failed_tasks()})
