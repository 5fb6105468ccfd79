"""Exports of the library too large to stream within a request, prepared in the task queue.

A visitor asks (``request_export``): the request is recorded (format, validated parameters,
site address, the library's generation number, the requester) and the ``prepare_library_export``
task is enqueued once that commits. The task (``build_export``) writes the file into private
storage with the same writers as the streamed download, then marks the export ready and, for a
signed-in requester, sends an e-mail with its link. Files are kept
``settings.LIBRARY_EXPORT_EXPIRY_DAYS``; the periodic task deletes them (``expire_exports``).

Idempotent throughout: asking again for the same export while the library has not changed gives
the pending or ready one; the task skips an export that is no longer pending, and a run that
finds another run finished first deletes its own file.
"""

import hashlib
import json
import tempfile
from collections.abc import Callable, Iterator
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.domain.derived import library_generation
from cases.domain.notifications import send_templated_mail, site_link
from cases.domain.queries.exports import pending_count, reusable_export
from cases.domain.queue import enqueue_after_commit
from cases.models import PENDING_STATUSES, ExportStatus, LibraryExport

STORAGE_FOLDER = "library-exports"
# An export still pending after this long is given up (its worker stopped, or every retry
# failed without the failure being recorded): its requester may ask again.
STALLED_AFTER = timedelta(hours=6)
STALLED_ERROR = _("The export was not finished within six hours.")


class TooManyPendingExports(Exception):
    """The requester already has ``settings.LIBRARY_EXPORTS_PENDING`` exports waiting."""

    def __init__(self, pending: int):
        super().__init__(pending)
        self.pending = pending


def request_key(*, format: str, query: dict, base_url: str) -> str:
    """What makes two export requests the same: format, validated parameters, site address."""
    text = json.dumps([format, query, base_url], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


@transaction.atomic
def request_export(
    *,
    format: str,
    query: dict,
    base_url: str,
    file_name: str,
    user=None,
    requester_key: str = "",
) -> tuple[LibraryExport, bool]:
    """The requester's export of ``query`` in ``format``: the pending or ready one asked for
    while the library was as it is now, else a new one queued; and whether it is new."""
    requester = {"user": user if user is not None and user.is_authenticated else None}
    requester["requester_key"] = "" if requester["user"] else requester_key
    key = request_key(format=format, query=query, base_url=base_url)
    generation = library_generation()
    existing = reusable_export(request_key=key, generation=generation, **requester)
    if existing is not None:
        return existing, False
    pending = pending_count(**requester)
    if pending >= settings.LIBRARY_EXPORTS_PENDING:
        raise TooManyPendingExports(pending)
    export = LibraryExport.objects.create(
        format=format,
        query=query,
        base_url=base_url,
        request_key=key,
        generation=generation,
        file_name=file_name,
        requested_by=requester["user"],
        requester_key=requester["requester_key"],
    )
    from cases.tasks import prepare_library_export

    enqueue_after_commit(prepare_library_export, export_id=export.pk)
    return export, True


def _start(export_id: int) -> LibraryExport | None:
    with transaction.atomic():
        export = LibraryExport.objects.select_for_update().filter(pk=export_id).first()
        if export is None or export.status not in PENDING_STATUSES:
            return None
        export.status = ExportStatus.RUNNING
        export.started_at = timezone.now()
        export.save(update_fields=["status", "started_at"])
        return export


def _store(export: LibraryExport, chunks: Iterator[str]) -> tuple[str, int]:
    """Write the text to private storage through a local temporary file (memory stays flat
    whatever the size); return the stored name and the size in bytes."""
    with tempfile.TemporaryFile() as handle:
        for piece in chunks:
            handle.write(piece.encode("utf-8"))
        size = handle.tell()
        handle.seek(0)
        name = default_storage.save(
            f"{STORAGE_FOLDER}/{export.token}/{export.file_name}", File(handle)
        )
    return name, size


def status_link(export: LibraryExport) -> str:
    """The export's page, without a language prefix: it opens in the reader's language."""
    return site_link(reverse("library-any:export_status", kwargs={"token": export.token}))


def build_export(
    *, export_id: int, render: Callable[[LibraryExport], tuple[int, Iterator[str]]]
) -> dict:
    """Write the file of a pending export and mark it ready (``render`` gives its row count and
    its text); skip an export that is no longer pending."""
    export = _start(export_id)
    if export is None:
        return {"skipped": export_id}
    rows, chunks = render(export)
    name, size = _store(export, chunks)
    with transaction.atomic():
        current = (
            LibraryExport.objects.select_for_update(of=("self",))
            .select_related("requested_by")
            .filter(pk=export_id)
            .first()
        )
        if current is None or current.status != ExportStatus.RUNNING:
            # Another run finished it (or it was given up): this run's file is nobody's.
            _delete_file(name)
            return {"skipped": export_id}
        now = timezone.now()
        current.status = ExportStatus.READY
        current.file = name
        current.rows = rows
        current.bytes = size
        current.error = ""
        current.finished_at = now
        current.expires_at = now + timedelta(days=settings.LIBRARY_EXPORT_EXPIRY_DAYS)
        current.save(
            update_fields=["status", "file", "rows", "bytes", "error", "finished_at", "expires_at"]
        )
        user = current.requested_by
        if user is not None and user.email:
            send_templated_mail(
                name="library_export_ready",
                recipients=[user.email],
                context={"user": user, "export": current, "link": status_link(current)},
                key=f"library-export:{current.pk}",
            )
    return {"rows": rows, "bytes": size}


def mark_failed(*, export_id: int, error: BaseException) -> None:
    """Record why a pending export could not be prepared (its requester may try again)."""
    LibraryExport.objects.filter(pk=export_id, status__in=PENDING_STATUSES).update(
        status=ExportStatus.FAILED,
        error=f"{type(error).__name__}: {error}"[:2000],
        finished_at=timezone.now(),
    )


def _delete_file(name: str) -> None:
    if name:
        default_storage.delete(name)


def expire_exports(*, now=None) -> dict:
    """Delete the files of exports past their expiry (the record stays, so that its address
    answers "expired"), and give up exports pending for longer than ``STALLED_AFTER``."""
    now = now or timezone.now()
    expired = 0
    due = LibraryExport.objects.filter(status=ExportStatus.READY, expires_at__lte=now)
    for pk, name in due.values_list("pk", "file"):
        # The record first: a download never opens a file being deleted.
        if LibraryExport.objects.filter(pk=pk, status=ExportStatus.READY).update(
            status=ExportStatus.EXPIRED, file=""
        ):
            _delete_file(name)
            expired += 1
    stalled = LibraryExport.objects.filter(
        status__in=PENDING_STATUSES, created_at__lte=now - STALLED_AFTER
    ).update(status=ExportStatus.FAILED, error=str(STALLED_ERROR), finished_at=now)
    return {"expired": expired, "stalled": stalled}
