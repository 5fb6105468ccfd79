"""Applicant accounts: registration, e-mail verification, profile, organisations, memberships.

Login, logout and password reset are Django's own views (see ``epsa_portal/urls.py``).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.domain import accounts
from cases.domain.queries.access import (
    approved_memberships,
    has_confirmed_address,
    membership_requests_decidable_by,
)
from cases.interfaces.forms.accounts import (
    JoinOrganisationForm,
    MembershipDecisionForm,
    OrganisationForm,
    OrganisationSearchForm,
    ProfileForm,
    RegistrationForm,
)
from cases.interfaces.permissions import allows, load, permission_required
from cases.interfaces.throttling import (
    JOIN_REQUESTS_PER_USER,
    REGISTRATION_PER_CLIENT,
    VERIFICATION_RESEND_PER_USER,
    throttle,
)
from cases.models import Organisation, OrganisationMembership

ORGANISATIONS_PAGE_SIZE = 20
REQUESTS_PAGE_SIZE = 20


def _base(request) -> str:
    return request.build_absolute_uri("/")


ORGANISATIONS_ARE_FOR_APPLICANTS = gettext_lazy("Organisations are managed by applicants.")


@permission_required("cases.view_public_pages")
@throttle("register", key="ip", rate=REGISTRATION_PER_CLIENT)
@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = accounts.register_applicant(
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
                country=form.cleaned_data.get("country") or "",
                language=get_language(),
                link_base=_base(request),
            )
        except accounts.AccountError as error:
            form.add_error("email", error.message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _(
                    "Welcome! We have sent a link to %(email)s: follow it to confirm your "
                    "address. You can start your application meanwhile."
                )
                % {"email": user.email},
            )
            return redirect("accounts:profile")
    return render(
        request,
        "accounts/register.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


@permission_required("cases.view_public_pages")
def verify(request, token):
    try:
        user = accounts.verify_email(token=token)
    except accounts.AccountError as error:
        return render(
            request,
            "accounts/verify_failed.html",
            {
                "message": error.message,
                "expired": isinstance(error, accounts.VerificationLinkExpired),
            },
            status=400,
        )
    messages.success(
        request, _("Thank you: the address %(email)s is confirmed.") % {"email": user.email}
    )
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    return redirect("login")


@permission_required("cases.manage_account")
@require_POST
@throttle("resend-verification", key="user", rate=VERIFICATION_RESEND_PER_USER)
def resend_verification(request):
    if request.user.email_verified_at is not None:
        messages.info(request, _("Your e-mail address is already confirmed."))
    else:
        accounts.send_verification_email(user=request.user, link_base=_base(request))
        messages.success(
            request, _("A new link has been sent to %(email)s.") % {"email": request.user.email}
        )
    return redirect("accounts:profile")


@permission_required("cases.manage_account")
@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        accounts.update_profile(
            user=user,
            full_name=form.cleaned_data["full_name"],
            country=form.cleaned_data["country"],
            language=form.cleaned_data["language"],
        )
        messages.success(request, _("Your profile has been saved."))
        response = redirect("accounts:profile")
        if user.language:
            # Keep the switcher's cookie in step, so the choice holds after logging out too.
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                user.language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response
    memberships = list(
        user.memberships.select_related("organisation").order_by("organisation__name")
    )
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "memberships": memberships,
            "is_applicant": allows(user, "cases.use_applicant_area"),
            "has_pending_requests": membership_requests_decidable_by(user).exists(),
        },
        status=400 if form.is_bound else 200,
    )


@permission_required("cases.use_applicant_area", message=ORGANISATIONS_ARE_FOR_APPLICANTS)
@require_http_methods(["GET", "POST"])
def create_organisation(request):
    form = OrganisationForm(request.POST or None)
    existing = None
    status = 400 if form.is_bound else 200
    if request.method == "POST" and form.is_valid():
        try:
            organisation = accounts.create_organisation(user=request.user, **form.cleaned_data)
        except accounts.OrganisationExists as error:
            # Offer to join the registered one instead; the form keeps what was typed.
            form.add_error("name", error.message)
            existing = error.organisation
            status = 409
        else:
            messages.success(
                request,
                _("%(name)s has been created and you are its first member.")
                % {"name": organisation.name},
            )
            return redirect("applications:dashboard")
    return render(
        request,
        "accounts/organisation_form.html",
        {
            "form": form,
            "existing": existing,
            "already_asked": existing is not None
            and accounts.existing_membership(user=request.user, organisation=existing) is not None,
        },
        status=status,
    )


@permission_required("cases.use_applicant_area", message=ORGANISATIONS_ARE_FOR_APPLICANTS)
@require_http_methods(["GET", "POST"])
@throttle("join-organisation", key="user", rate=JOIN_REQUESTS_PER_USER)
def join_organisation(request):
    if request.method == "POST":
        choice = JoinOrganisationForm(request.POST)
        if not choice.is_valid():
            return _join_page(request, status=400, error=choice.errors["organisation"][0])
        organisation = get_object_or_404(Organisation, pk=choice.cleaned_data["organisation"])
        to_coordinators = accounts.decided_by_coordinators(organisation)
        try:
            accounts.request_membership(
                user=request.user, organisation=organisation, link_base=_base(request)
            )
        except accounts.AddressNotConfirmed as error:
            return _join_page(request, error=error.message, status=403)
        except accounts.AccountError as error:
            messages.error(request, error.message)
            return redirect("accounts:profile")
        if to_coordinators:
            text = _(
                "%(name)s has no approved member yet, so your request to join it has been sent "
                "to the award team's coordinators: one of them will decide. You will receive an "
                "e-mail with the decision."
            )
        else:
            text = _(
                "Your request to join %(name)s has been sent to its members: one of them will "
                "decide. You will receive an e-mail with the decision."
            )
        messages.success(request, text % {"name": organisation.name})
        return redirect("accounts:profile")
    return _join_page(request)


def _join_page(request, *, error="", status=200):
    search = OrganisationSearchForm(request.GET or None)
    organisations = Organisation.objects.order_by("name")
    query = ""
    if search.is_valid():
        query = search.cleaned_data["q"].strip()
        if query:
            organisations = organisations.filter(name__icontains=query)
    mine = set(request.user.memberships.values_list("organisation_id", flat=True))
    page = Paginator(organisations, ORGANISATIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/organisation_join.html",
        {
            "search": search,
            "page_obj": page,
            "query": query,
            "mine": mine,
            "error": error,
            "confirmed": has_confirmed_address(request.user),
        },
        status=status,
    )


@permission_required("cases.manage_account")
def membership_requests(request):
    return _membership_requests_page(request)


def _membership_requests_page(request, status=200):
    pending = (
        # One's own request waits for somebody else (see accounts.decide_membership).
        membership_requests_decidable_by(request.user)
        .select_related("user", "organisation")
        .annotate(
            # Requests to organisations without members wait for the coordinators.
            approved_members=Exists(
                approved_memberships().filter(organisation=OuterRef("organisation"))
            )
        )
        .order_by("created_at", "id")
    )
    page = Paginator(pending, REQUESTS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/membership_requests.html",
        {"page_obj": page, "is_coordinator": allows(request.user, "cases.coordinate")},
        status=status,
    )


@permission_required(
    "cases.decide_membership",
    fn=load(
        OrganisationMembership.objects.select_related("organisation", "user"),
        pk="pk",
        as_="membership",
    ),
)
@require_POST
def decide_membership(request, membership):
    form = MembershipDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or to refuse the request."))
        return redirect("accounts:membership_requests")
    approve = form.cleaned_data["decision"] == "approve"
    try:
        accounts.decide_membership(
            membership=membership,
            decided_by=request.user,
            approve=approve,
            link_base=_base(request),
        )
    except accounts.OwnRequest as error:
        messages.error(request, error.message)
        return _membership_requests_page(request, status=403)
    except accounts.RequesterNotConfirmed as error:
        messages.error(request, error.message)
        return _membership_requests_page(request, status=409)
    except accounts.AccountError as error:
        messages.error(request, error.message)
        return redirect("accounts:membership_requests")
    if approve:
        text = _("%(user)s is now a member of %(organisation)s.")
    else:
        text = _("The request of %(user)s to join %(organisation)s was refused.")
    messages.success(
        request, text % {"user": membership.user, "organisation": membership.organisation}
    )
    return redirect("accounts:membership_requests")
