"""Site-wide pages: the home page, the about page and the error pages."""

from django.conf import settings
from django.http import HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from cases.domain.queries.home import latest_published_cases, open_calls, portal_figures
from cases.interfaces.navigation import reverse_or_none

LATEST_CASES_ON_HOME = 6


def _audiences():
    """One entry per audience, each leading to its area once that area exists."""
    return [
        {
            "key": "researchers",
            "title": _("Researchers and the public"),
            "text": _(
                "Search, filter and compare published cases by country, level of government, "
                "collaboration type, co-production and the enabling-ecosystem factors, and "
                "download the data for your own analysis."
            ),
            "url": reverse_or_none("library:list"),
            "action": _("Explore the case library"),
        },
        {
            "key": "applicants",
            "title": _("Public-sector applicants"),
            "text": _(
                "Present your organisation's project for an open call: save drafts as you go, "
                "describe your partners and their roles, submit before the deadline and follow "
                "your entry through evaluation."
            ),
            "url": reverse_or_none("applications:dashboard"),
            "action": _("Go to your applications"),
            "secondary_url": reverse_or_none("accounts:register"),
            "secondary_action": _("Create an account"),
        },
        {
            "key": "evaluators",
            "title": _("Evaluators"),
            "text": _(
                "Independent experts invited by the award team declare conflicts of interest, "
                "score the entries assigned to them against the published criteria and "
                "comment on them."
            ),
            "url": reverse_or_none("evaluation:assignments"),
            "action": _("See your assignments"),
        },
        {
            "key": "coordinators",
            "title": _("Award coordinators"),
            "text": _(
                "Run editions from the call to the ceremony: categories, criteria and "
                "deadlines, eligibility, evaluator assignments, the consensus meeting, the "
                "jury's results and publication in the library."
            ),
            "url": reverse_or_none("coordination:editions"),
            "action": _("Manage editions"),
        },
    ]


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
            "audiences": _audiences(),
            "library_url": reverse_or_none("library:list"),
            "apply_url": reverse_or_none("applications:dashboard"),
        },
    )


def about(request):
    return render(
        request,
        "about.html",
        {
            "contact_email": getattr(settings, "CONTACT_EMAIL", ""),
            "library_url": reverse_or_none("library:list"),
        },
    )


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
    return HttpResponseServerError(loader.get_template("errors/500.html").render())
