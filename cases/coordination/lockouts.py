"""Log-in lockouts, for coordinators: who is locked out until when, and unlocking one.

A person who mistyped their password too often (or shares a network address with someone who
did) can ask the award team instead of waiting for the pause to end.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cases.domain import throttling
from cases.interfaces.permissions import permission_required
from cases.interfaces.throttling import UnlockForm

FOR_COORDINATORS = gettext_lazy("The back office is for coordinators.")


@permission_required("cases.coordinate", message=FOR_COORDINATORS)
def lockouts(request):
    return render(
        request,
        "coordination/lockouts.html",
        {"lockouts": throttling.current_lockouts()},
    )


@permission_required("cases.coordinate", message=FOR_COORDINATORS)
@require_POST
def unlock(request):
    form = UnlockForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "coordination/lockouts.html",
            {
                "lockouts": throttling.current_lockouts(),
                "error": _("Choose a lockout from the list to lift."),
            },
            status=400,
        )
    kind, value = form.cleaned_data["kind"], form.cleaned_data["value"]
    if kind == "account":
        throttling.unlock(by=request.user, username=value)
    else:
        throttling.unlock(by=request.user, ip_address=value)
    messages.success(request, _("%(value)s may log in again.") % {"value": value})
    return redirect("coordination:lockouts")
