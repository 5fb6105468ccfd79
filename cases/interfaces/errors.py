from django.shortcuts import render
from django.utils.translation import gettext as _


def csrf_failure(request, reason=""):
    """A missing or stale CSRF token: say what happened and how to recover, status 403."""
    return render(
        request,
        "errors/403_csrf.html",
        {
            "message": _(
                "Your form could not be sent because its security token was missing or has "
                "expired. Go back, reload the page and send the form again."
            )
        },
        status=403,
    )
