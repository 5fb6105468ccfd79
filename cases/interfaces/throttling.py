"""Rate limits on the forms that send e-mail or create records (django-ratelimit), and the
page that tells a throttled person when they may try again (HTTP 429).

The counts live in the default cache. With several worker processes that cache must be the
shared Redis cache (``REDIS_URL``), or each worker counts on its own and the limits multiply.
"""

import math
from datetime import datetime, timedelta
from functools import wraps

from django import forms
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import get_usage

# What one person may send, per hour.
PASSWORD_RESET_PER_ADDRESS = "3/h"  # noqa: S105 (a rate, not a password)
PASSWORD_RESET_PER_CLIENT = "20/h"  # noqa: S105 (a rate, not a password)
REGISTRATION_PER_CLIENT = "10/h"
VERIFICATION_RESEND_PER_USER = "3/h"
JOIN_REQUESTS_PER_USER = "10/h"
# Library exports prepared in the queue, asked for from one network address.
EXPORTS_PER_CLIENT = "30/h"


def posted_address(group, request) -> str:
    """The e-mail address a form names, trimmed and in lower case: one count per mailbox."""
    return request.POST.get("email", "").strip().lower()[:254]


def too_many_requests(request, *, retry_at: datetime, reason: str = "form", extra=None):
    """The 429 page: what was refused and when to try again (also as ``Retry-After``)."""
    seconds = max(0, math.ceil((retry_at - timezone.now()).total_seconds()))
    response = render(
        request,
        "errors/429.html",
        {
            "retry_at": retry_at,
            "minutes": max(1, math.ceil(seconds / 60)),
            "reason": reason,
            **(extra or {}),
        },
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response


def throttle(group: str, *, key, rate: str, method: str = "POST"):
    """Refuse a view's ``method`` requests beyond ``rate`` per ``key`` with the 429 page.

    ``key`` is what django-ratelimit accepts: ``"ip"``, ``"user"``, or a function of
    (group, request). Requests are counted whether or not the form is valid.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            usage = get_usage(
                request, group=group, key=key, rate=rate, method=method, increment=True
            )
            if usage is not None and usage["should_limit"]:
                retry_at = timezone.now() + timedelta(seconds=max(usage["time_left"], 1))
                return too_many_requests(request, retry_at=retry_at)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class UnlockForm(forms.Form):
    """A coordinator lifts the log-in pause of an account or of a network address."""

    kind = forms.ChoiceField(choices=[("account", _("Account")), ("address", _("Address"))])
    value = forms.CharField(max_length=254)
