"""Site-wide pages: the home page and the error pages."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache

from cases.domain.queries.home import portal_figures


def home(request):
    return render(request, "home.html", {"figures": portal_figures()})


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


@never_cache
def server_error(request):
    # No context processors: the failure may be in one of them or in the database.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("errors/500.html").render())
