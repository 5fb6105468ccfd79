"""Read paths of the library exports prepared in the queue: a requester's own, one by token."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from cases.models import PENDING_STATUSES, ExportStatus, LibraryExport

RECENT_EXPORTS = 50


def exports_of(*, user=None, requester_key: str = "") -> QuerySet:
    """The exports a requester asked for: a signed-in user's, and those of the visitor key
    their session holds (asked for before they signed in)."""
    condition = Q()
    if user is not None and user.is_authenticated:
        condition |= Q(requested_by=user)
    if requester_key:
        condition |= Q(requester_key=requester_key)
    if not condition:
        return LibraryExport.objects.none()
    return LibraryExport.objects.filter(condition)


def recent_exports_of(*, user=None, requester_key: str = "") -> list[LibraryExport]:
    """A requester's most recent exports, newest first (one query)."""
    return list(
        exports_of(user=user, requester_key=requester_key)
        .defer("query")
        .order_by("-created_at", "-id")[:RECENT_EXPORTS]
    )


def pending_count(*, user=None, requester_key: str = "") -> int:
    return (
        exports_of(user=user, requester_key=requester_key)
        .filter(status__in=PENDING_STATUSES)
        .count()
    )


def reusable_export(
    *, request_key: str, generation: int, user=None, requester_key: str = ""
) -> LibraryExport | None:
    """The requester's export of the same request, pending or ready and unexpired, made while
    the library was as it is now: asking again gives it instead of building anew."""
    now = timezone.now()
    return (
        exports_of(user=user, requester_key=requester_key)
        .filter(request_key=request_key, generation=generation)
        .filter(Q(status__in=PENDING_STATUSES) | Q(status=ExportStatus.READY, expires_at__gt=now))
        .order_by("-created_at", "-id")
        .first()
    )


def export_by_token(token: str) -> LibraryExport | None:
    return LibraryExport.objects.filter(token=token).first()
