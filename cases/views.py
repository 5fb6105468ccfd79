"""Site-wide pages: the home page, the about page and the error pages."""

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from cases.domain import throttling
from cases.domain.accounts import save_language
from cases.domain.queries.home import latest_published_cases, open_calls, portal_figures
from cases.interfaces.form_labels import NoLabelSuffixMixin
from cases.interfaces.language import LANGUAGE_CODES
from cases.interfaces.navigation import landing_url, reverse_or_none
from cases.interfaces.permissions import allows, permission_required
from cases.interfaces.throttling import too_many_requests

LATEST_CASES_ON_HOME = 6


class LoginForm(NoLabelSuffixMixin, AuthenticationForm):
    pass


class PortalLoginView(LoginView):
    """The login form; without a ``next`` it leads each user to where they work."""

    form_class = LoginForm

    def get_default_redirect_url(self):
        return landing_url(self.request.user)


def _login_url(next_url):
    login = reverse_or_none("login")
    if login is None:
        return None
    return f"{login}?{urlencode({'next': next_url})}" if next_url else login


def _audiences(user):
    """One description card per audience, for everyone; its buttons only for who may use them.

    Visitors are invited to create an account or log in; a signed-in user sees the way into
    the areas their roles open, and no button that would only answer "forbidden".
    """
    signed_in = user.is_authenticated

    def area(url_name, perm, action, log_in_action):
        url = reverse_or_none(url_name)
        if url is None:
            return []
        if signed_in and allows(user, perm):
            return [{"url": url, "label": action, "primary": True}]
        if not signed_in:
            login = _login_url(url)
            return [{"url": login, "label": log_in_action, "primary": False}] if login else []
        return []

    applicant_actions = area(
        "applications:dashboard",
        "cases.use_applicant_area",
        _("Go to your applications"),
        _("Log in to apply"),
    )
    register = reverse_or_none("accounts:register")
    if not signed_in and register:
        applicant_actions.insert(
            0, {"url": register, "label": _("Create an account"), "primary": True}
        )
    library = reverse_or_none("library:list")
    return [
        {
            "key": "researchers",
            "title": _("Researchers and the public"),
            "text": _(
                "Search, filter and compare published cases by country, level of government, "
                "collaboration type, co-production and the enabling-ecosystem factors, and "
                "download the data for your own analysis."
            ),
            "actions": (
                [{"url": library, "label": _("Explore the case library"), "primary": True}]
                if library
                else []
            ),
        },
        {
            "key": "applicants",
            "title": _("Public-sector applicants"),
            "text": _(
                "Present your organisation's project for an open call: save drafts as you go, "
                "describe your partners and their roles, submit before the deadline and follow "
                "your entry through evaluation."
            ),
            "actions": applicant_actions,
        },
        {
            "key": "evaluators",
            "title": _("Evaluators"),
            "text": _(
                "Independent experts invited by the award team declare conflicts of interest, "
                "score the entries assigned to them against the published criteria and "
                "comment on them."
            ),
            "actions": area(
                "evaluation:assignments",
                "cases.view_evaluation",
                _("See your assignments"),
                _("Log in to evaluate"),
            ),
        },
        {
            "key": "coordinators",
            "title": _("Award coordinators"),
            "text": _(
                "Run editions from the call to the ceremony: categories, criteria and "
                "deadlines, eligibility, evaluator assignments, the consensus meeting, the "
                "jury's results and publication in the library."
            ),
            "actions": area(
                "coordination:editions",
                "cases.coordinate",
                _("Manage editions"),
                _("Log in to coordinate"),
            ),
        },
    ]


@permission_required("cases.view_public_pages")
def home(request):
    cases = list(latest_published_cases(limit=LATEST_CASES_ON_HOME))
    # Case pages belong to the library; link to them only once the library exists.
    link_cases = reverse_or_none("library:case", slug="any") is not None
    for case in cases:
        case.library_url = case.get_absolute_url() if link_cases else None
    return render(
        request,
        "home.html",
        {
            "figures": portal_figures(),
            "calls": list(open_calls()),
            "latest_cases": cases,
            "audiences": _audiences(request.user),
            "library_url": reverse_or_none("library:list"),
            # Visitors are led to log in first; signed-in users only when they may apply.
            "apply_url": (
                reverse_or_none("applications:dashboard")
                if not request.user.is_authenticated
                or allows(request.user, "cases.use_applicant_area")
                else None
            ),
        },
    )


@permission_required("cases.view_public_pages")
def about(request):
    return render(
        request,
        "about.html",
        {
            "contact_email": getattr(settings, "CONTACT_EMAIL", ""),
            "library_url": reverse_or_none("library:list"),
        },
    )


@permission_required("cases.view_public_pages")
def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin); send ours."""
    return redirect(static("img/favicon.svg"), permanent=True)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


@never_cache
def server_error(request):
    # No request context, no context processors, no database: the failure may be in any of them.
    # The stylesheet's unhashed URL needs no static storage manifest (collectstatic keeps the
    # original name beside the hashed one); the page stays readable if it fails to load.
    stylesheet = f"{settings.STATIC_URL}css/errors.css"
    return HttpResponseServerError(
        loader.get_template("errors/500.html").render({"stylesheet": stylesheet})
    )


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out log-in (``AXES_LOCKOUT_CALLABLE``): 429, and when the
    pause of this account or address ends."""
    until = throttling.locked_until(
        username=throttling.login_username(request, credentials),
        ip_address=throttling.client_ip(request),
    )
    return too_many_requests(
        request,
        retry_at=until or timezone.now() + settings.AXES_COOLOFF_TIME,
        reason="login",
        extra={"failure_limit": settings.AXES_FAILURE_LIMIT},
    )

    return HttpResponseServerError(loader.get_template("errors/500.html").render())


@permission_required("cases.view_public_pages")
@require_POST
def set_language(request):
    """The language switcher (a POST form on every page): Django's cookie and redirect to the
    same page in the new language, and for a signed-in user the choice kept in their profile,
    which their pages and e-mails then use."""
    # Django translates the return address only from the active language's prefix: make the
    # page's own language active, so that /fr/library/x/ becomes /de/library/x/.
    page_language = translation.get_language_from_path(urlsplit(request.POST.get("next", "")).path)
    if page_language:
        translation.activate(page_language)
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in LANGUAGE_CODES:
        save_language(user=request.user, language=language)
    return response


# Areas only signed-in people use, and downloads that are the library's own pages again.
ROBOTS_DISALLOW = (
    "/accounts/",
    "/apply/",
    "/evaluate/",
    "/coordinate/",
    "/admin/",
    *(
        f"{prefix}/library/{page}"
        for prefix in ("", *(f"/{code}" for code in LANGUAGE_CODES))
        for page in ("compare/", "export")
    ),
)


@permission_required("cases.view_public_pages")
@require_GET
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW)]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
