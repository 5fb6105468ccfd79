"""Messages to groups of an edition's people: write, preview for one recipient, confirm, send."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cases.domain import messaging
from cases.domain.evaluation.errors import EvaluationError
from cases.domain.queries.operations import group_messages_of
from cases.interfaces.operations_forms import MessageForm, SendMessageForm
from cases.models import Segment

from .common import PAGE_SIZE, coordinator_of_edition


def _compose(request, edition, form, status=200):
    page = Paginator(group_messages_of(edition), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "coordination/messages.html",
        {"edition": edition, "form": form, "page": page},
        status=status,
    )


@coordinator_of_edition
@require_safe
def message_list(request, edition):
    return _compose(request, edition, MessageForm())


@coordinator_of_edition
@require_POST
def message_preview(request, edition):
    form = MessageForm(request.POST)
    if not form.is_valid():
        return _compose(request, edition, form, status=400)
    data = form.cleaned_data
    try:
        messaging.check_placeholders(data["subject"])
        messaging.check_placeholders(data["body"])
        recipients = messaging.recipients_of(edition=edition, segment=data["segment"])
        if not recipients:
            raise EvaluationError(_("Nobody is in this group: there is no one to send it to."))
    except EvaluationError as error:
        form.add_error(None, error.message)
        return _compose(request, edition, form, status=error.status)
    index = min(data["preview_for"] or 0, len(recipients) - 1)
    shown = recipients[index]
    send_form = SendMessageForm(
        initial={
            "segment": data["segment"],
            "subject": data["subject"],
            "body": data["body"],
            "preview_for": index,
        }
    )
    context = {
        "edition": edition,
        "form": form,
        "send_form": send_form,
        "recipients": recipients,
        "count": len(recipients),
        "segment_label": Segment(data["segment"]).label,
        "index": index,
        "shown": shown,
        "subject": " ".join(messaging.fill(data["subject"], shown).split()),
        "body": messaging.fill(data["body"], shown),
    }
    return render(request, "coordination/message_preview.html", context)


@coordinator_of_edition
@require_POST
def message_send(request, edition):
    form = SendMessageForm(request.POST)
    if not form.is_valid():
        return _compose(request, edition, form, status=400)
    data = form.cleaned_data
    try:
        message = messaging.send_group_message(
            edition=edition,
            segment=data["segment"],
            subject=data["subject"],
            body=data["body"],
            by=request.user,
        )
    except EvaluationError as error:
        form.add_error(None, error.message)
        return _compose(request, edition, form, status=error.status)
    messages.success(
        request,
        _("The message is queued for %(count)d recipients; follow it in the outbox.")
        % {"count": message.recipient_count},
    )
    return redirect("coordination:messages", edition.slug)
