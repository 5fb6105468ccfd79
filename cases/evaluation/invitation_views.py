"""An invited evaluator answers the invitation to an edition's pool.

The personal link (its token) is the evaluator's key: a person whose account was created by
the invitation chooses a password while accepting and is then logged in; an existing account
must be logged in as itself (``cases.answer_invitation``). An unknown token is a 404; an
answered invitation says so (409).
"""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.domain import pool as pool_actions
from cases.domain.evaluation.errors import EvaluationError
from cases.domain.queries.operations import invitations_of
from cases.interfaces.operations_forms import InvitationAnswerForm
from cases.interfaces.permissions import load, permission_required
from cases.models import PoolMembership, PoolStatus


def _refused(request, membership):
    """Someone without the right to answer an invitation they have the link of: an account
    with a password answers once logged in as itself."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied(_("This invitation is for another account."))


def invitation_of(view):
    """The view gets the PoolMembership named by the token, if the user may answer it."""
    return permission_required(
        "cases.answer_invitation",
        fn=load(
            PoolMembership.objects.select_related("edition", "evaluator"),
            token="token",  # noqa: S106 - the URL argument holding the token
            as_="membership",
        ),
        otherwise=_refused,
        login=False,
    )(view)


def _form(membership, data=None):
    return InvitationAnswerForm(
        data,
        edition=membership.edition,
        needs_password=not membership.evaluator.has_usable_password(),
    )


def _render(request, membership, form, status=200):
    return render(
        request,
        "evaluation/invitation.html",
        {"membership": membership, "form": form, "open": membership.status == PoolStatus.INVITED},
        status=status,
    )


@invitation_of
def invitation(request, membership):
    return _render(request, membership, _form(membership))


@invitation_of
@require_POST
def accept_invitation(request, membership):
    form = _form(membership, request.POST)
    if not form.is_valid():
        return _render(request, membership, form, status=400)
    data = form.cleaned_data
    try:
        answered = pool_actions.answer_invitation(
            membership=membership,
            accept=True,
            countries=data["countries"],
            affiliations=data["affiliations"],
            expertise=data["expertise"],
            conflicting_organisations=data["conflicting_organisations"],
            password=data.get("password", ""),
        )
    except EvaluationError as error:
        form.add_error(None, error.message)
        return _render(request, membership, form, status=error.status)
    if not request.user.is_authenticated:
        # The account as saved with its new password, so that the session stays valid.
        login(request, answered.evaluator, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(
        request,
        _("Thank you: you are in the evaluator pool of %(edition)s.")
        % {"edition": membership.edition.name},
    )
    return redirect("evaluation:assignments")


@invitation_of
@require_POST
def decline_invitation(request, membership):
    try:
        pool_actions.answer_invitation(membership=membership, accept=False)
    except EvaluationError as error:
        messages.error(request, error.message)
        return _render(request, membership, _form(membership), status=error.status)
    return render(request, "evaluation/invitation_declined.html", {"membership": membership})


@permission_required("cases.manage_account")
def invitations(request):
    """The signed-in user's invitations, to find an open one again."""
    return render(
        request, "evaluation/invitations.html", {"memberships": invitations_of(request.user)}
    )
