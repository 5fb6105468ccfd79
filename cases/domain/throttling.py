"""Throttling: log-in lockouts (django-axes) and the client address every limit counts by.

django-axes records failed log-ins in the database, so every worker process sees them; a
lockout holds for an account (the e-mail address typed, whatever its case) and, separately,
for a network address. This module says until when a lockout holds, lists the current ones for
the coordinators, and lifts one.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone

logger = logging.getLogger(__name__)


def login_username(request, credentials=None) -> str:
    """The account a log-in names: the e-mail address typed, trimmed and in lower case, so that
    ``Ann@City.eu`` and ``ann@city.eu`` count against one account."""
    source = credentials if credentials is not None else getattr(request, "POST", {})
    value = source.get(settings.AXES_USERNAME_FORM_FIELD) or source.get("username") or ""
    return str(value).strip().lower()[:254]


def client_ip(request, *args) -> str:
    """The client's address. Behind the TLS proxy (``BEHIND_TLS_PROXY``) it is the last
    address of ``X-Forwarded-For``, the one the proxy itself appended, which a client cannot
    forge; otherwise the connection's own address."""
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
        if addresses:
            return addresses[-1][:45]
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"  # noqa: S104 (an address, not a bind)


def _recent_attempts():
    return AccessAttempt.objects.filter(
        attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME
    )


def _locked_until(attempts) -> datetime | None:
    totals = attempts.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    if (totals["failures"] or 0) >= settings.AXES_FAILURE_LIMIT:
        return totals["last"] + settings.AXES_COOLOFF_TIME
    return None


def locked_until(*, username: str, ip_address: str) -> datetime | None:
    """When the lockout of this account or this address ends (the later one), or None."""
    ends = [
        _locked_until(_recent_attempts().filter(username=username)) if username else None,
        _locked_until(_recent_attempts().filter(ip_address=ip_address)) if ip_address else None,
    ]
    ends = [end for end in ends if end is not None]
    return max(ends) if ends else None


@dataclass(frozen=True)
class Lockout:
    kind: str  # "account" or "address"
    value: str
    failures: int
    until: datetime


def current_lockouts() -> list[Lockout]:
    """Every account and every address locked out now, the longest-lasting first."""
    lockouts = []
    for kind, column in (("account", "username"), ("address", "ip_address")):
        rows = (
            _recent_attempts()
            .exclude(**{column: None})
            .values(column)
            .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
            .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        )
        lockouts.extend(
            Lockout(
                kind=kind,
                value=row[column],
                failures=row["failures"],
                until=row["last"] + settings.AXES_COOLOFF_TIME,
            )
            for row in rows
        )
    return sorted(lockouts, key=lambda lockout: (-lockout.until.timestamp(), lockout.value))


@transaction.atomic
def unlock(*, by, username: str = "", ip_address: str = "") -> int:
    """Lift the lockout of an account or of an address; return how many records went."""
    removed = 0
    if username:
        removed += reset(username=username.strip().lower())
    if ip_address:
        removed += reset(ip=ip_address.strip())
    logger.info("%s unlocked log-in for %s (%s records)", by, username or ip_address, removed)
    return removed
