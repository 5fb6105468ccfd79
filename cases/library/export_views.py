"""Downloads of the library's search results, and the exports prepared in the task queue.

A set of at most ``settings.LIBRARY_INLINE_EXPORT_ROWS`` cases streams within the request (the
export URLs answer with the file). A larger one answers with a page offering to prepare it: the
visitor's POST records the request (``cases.domain.library_exports.request_export``) and the
queue's worker writes the file; its page, reachable only by its unguessable token, follows its
progress and offers the download until it expires. The formats and their writers are those of
``cases.interfaces.library_exports``, the same for both paths.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases.domain.derived import library_generation
from cases.domain.library_exports import TooManyPendingExports, request_export, request_key
from cases.domain.queries.exports import export_by_token, recent_exports_of, reusable_export
from cases.domain.queries.library import result_total
from cases.domain.queries.routing import reading_the_library
from cases.interfaces.library_exports import WRITERS, criteria_of
from cases.interfaces.permissions import permission_required
from cases.interfaces.throttling import EXPORTS_PER_CLIENT, throttle, too_many_requests
from cases.models import ExportFormat, ExportStatus

# The session key under which a visitor who is not signed in is known as a requester.
SESSION_REQUESTER = "library_export_requester"
# How often a page of a pending export reloads itself, in seconds.
REFRESH_SECONDS = 5


def _base_url(request) -> str:
    return request.build_absolute_uri("/")[:-1]


def _requester(request, *, create: bool = False) -> dict:
    """Who asks: the signed-in user, and the visitor key of the session (made on first use)."""
    key = request.session.get(SESSION_REQUESTER, "")
    if not key and create and not request.user.is_authenticated:
        key = secrets.token_urlsafe(24)
        request.session[SESSION_REQUESTER] = key
    return {"user": request.user, "requester_key": key}


def _hidden_fields(format_name: str, query: dict) -> list[tuple[str, str]]:
    """The fields of a form that asks for the export of ``query`` in ``format_name``."""
    return [("format", format_name)] + [
        (name, value) for name, values in query.items() for value in values
    ]


def _offer(request, writer, criteria, rows: int):
    """The page that answers an export URL for a set too large to stream."""
    query = criteria.as_params()
    requester = _requester(request)
    existing = None
    if requester["user"].is_authenticated or requester["requester_key"]:
        existing = reusable_export(
            request_key=request_key(format=writer.format, query=query, base_url=_base_url(request)),
            generation=library_generation(),
            **requester,
        )
    return render(
        request,
        "library/exports/offer.html",
        {
            "format_label": ExportFormat(writer.format).label,
            "rows": rows,
            "limit": settings.LIBRARY_INLINE_EXPORT_ROWS,
            "fields": _hidden_fields(writer.format, query),
            "results_url": reverse("library:list") + ("?" + urlencode(query, doseq=True))
            if query
            else reverse("library:list"),
            "existing": existing,
        },
    )


def stream_or_offer(request, format_name: str, *, limit: int | None = None):
    """The export of the request's search and filters in a format: the file, streamed, when it
    holds at most ``settings.LIBRARY_INLINE_EXPORT_ROWS`` cases; else the page that offers to
    prepare it. ``limit`` caps a citation format's cases (its writer's own limit otherwise)."""
    writer = WRITERS[format_name]
    criteria = criteria_of(request.GET)
    rows = writer.rows(result_total(criteria), limit)
    if rows > settings.LIBRARY_INLINE_EXPORT_ROWS:
        return _offer(request, writer, criteria, rows)
    response = StreamingHttpResponse(
        writer.chunks(criteria, _base_url(request), limit), content_type=writer.content_type
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{writer.file_name(timezone.localdate())}"'
    )
    return response


@permission_required("cases.view_public_pages")
@require_GET
@reading_the_library
def export_csv(request):
    return stream_or_offer(request, ExportFormat.CSV)


@permission_required("cases.view_public_pages")
@require_GET
@reading_the_library
def export_json(request):
    return stream_or_offer(request, ExportFormat.JSON)


# --- exports prepared in the queue ----------------------------------------------------------


@permission_required("cases.view_public_pages")
@require_POST
@throttle("library-export", key="ip", rate=EXPORTS_PER_CLIENT)
def export_prepare(request):
    writer = WRITERS.get(request.POST.get("format", ""))
    if writer is None:
        return render(
            request,
            "library/exports/offer.html",
            {"error": _("This export format is not known.")},
            status=400,
        )
    query = criteria_of(request.POST).as_params()
    try:
        export, created = request_export(
            format=writer.format,
            query=query,
            base_url=_base_url(request),
            file_name=writer.file_name(timezone.localdate()),
            **_requester(request, create=True),
        )
    except TooManyPendingExports as refused:
        return too_many_requests(
            request,
            retry_at=timezone.now() + timedelta(minutes=1),
            reason="exports",
            extra={"pending": refused.pending},
        )
    if created:
        messages.success(request, _("Your export is being prepared."))
    else:
        messages.info(request, _("You asked for this export already: here it is."))
    return redirect("library:export_status", token=export.token)


def _export_or_404(token: str):
    export = export_by_token(token)
    if export is None:
        raise Http404(_("There is no export at this address."))
    return export


def _is_expired(export) -> bool:
    return export.status == ExportStatus.EXPIRED or (
        export.status == ExportStatus.READY and export.expires_at <= timezone.now()
    )


def _status_page(request, export):
    expired = _is_expired(export)
    return render(
        request,
        "library/exports/status.html",
        {
            "export": export,
            "expired": expired,
            "refresh_seconds": REFRESH_SECONDS if export.is_pending else None,
            "again_fields": _hidden_fields(export.format, export.query),
            "anonymous_export": export.requested_by_id is None,
        },
        status=410 if expired else 200,
    )


@permission_required("cases.view_public_pages")
@require_GET
def export_status(request, token):
    """One prepared export: its progress, its download, or why it failed or is gone."""
    return _status_page(request, _export_or_404(token))


@permission_required("cases.view_public_pages")
@require_GET
def export_download(request, token):
    export = _export_or_404(token)
    if _is_expired(export):
        return _status_page(request, export)
    if export.status != ExportStatus.READY:
        return redirect("library:export_status", token=export.token)
    try:
        handle = default_storage.open(export.file, "rb")
    except FileNotFoundError as error:
        raise Http404(_("This file is no longer available.")) from error
    return FileResponse(
        handle,
        as_attachment=True,
        filename=export.file_name,
        content_type=WRITERS[export.format].content_type,
    )


@permission_required("cases.view_public_pages")
@require_GET
def export_list(request):
    """The requester's recent exports: a signed-in user's, and those of this browser session."""
    return render(
        request,
        "library/exports/list.html",
        {
            "exports": recent_exports_of(**_requester(request)),
            "now": timezone.now(),
            "limit": settings.LIBRARY_INLINE_EXPORT_ROWS,
        },
    )
