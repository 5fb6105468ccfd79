"""The outbox of an edition: every e-mail sent about it, with its status and error."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.domain import outbox
from cases.domain.evaluation.errors import EvaluationError
from cases.domain.queries import operations as queries
from cases.domain.queries.operations import outbox_counts, outbox_of
from cases.interfaces.operations_forms import OutboxFilterForm
from cases.models import OutboundEmail
from cases.rules import is_coordinator

from .views import PAGE_SIZE, _edition


@login_required
def outbox_list(request, edition):
    edition = _edition(request, edition)
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


@login_required
def outbox_message(request, edition, email_id):
    edition = _edition(request, edition)
    email = get_object_or_404(OutboundEmail, pk=email_id, edition=edition)
    return render(request, "coordination/outbox_message.html", {"edition": edition, "email": email})


@require_POST
@login_required
def outbox_retry(request, edition, email_id):
    edition = _edition(request, edition)
    email = get_object_or_404(OutboundEmail, pk=email_id, edition=edition)
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


@login_required
def failed_tasks(request):
    """The queue's failed tasks with their errors, for coordinators to see what went wrong."""
    if not is_coordinator(request.user):
        raise PermissionDenied(_("The back office is for coordinators."))
    return render(request, "coordination/failed_tasks.html", {"tasks": queries.failed_tasks()})
