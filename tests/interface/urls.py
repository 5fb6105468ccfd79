"""A URLconf for interface tests: the portal's own URLs, plus stand-ins for audience areas
that do not exist (yet) in this tree, plus views that fail on purpose for the error pages.

With it, navigation and home-page tests can check links to every area whether or not the
areas have been built, without ever linking to a page that is not there in production.
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import NoReverseMatch, include, path, reverse

from epsa_portal.urls import handler403, handler404, handler500  # noqa: F401
from epsa_portal.urls import urlpatterns as portal_urlpatterns

STUB_AREAS = {
    "library": [("", "list"), ("cases/<slug:slug>/", "case")],
    "applications": [("", "dashboard")],
    "evaluation": [("", "assignments")],
    "coordination": [("", "editions")],
}


def area_stub(request, **kwargs):
    return HttpResponse("<h1>Stand-in area page</h1>")


def forbidden(request):
    raise PermissionDenied


def crash(request):
    raise RuntimeError("A deliberate failure for the 500 page test.")


def _exists_in_portal(namespace, name):
    try:
        reverse(f"{namespace}:{name}", urlconf="epsa_portal.urls")
    except NoReverseMatch:
        # Names that need arguments (library:case) are checked through their area's entry.
        return False
    return True


def _stub_patterns():
    patterns = []
    for namespace, routes in STUB_AREAS.items():
        if _exists_in_portal(namespace, routes[0][1]):
            continue
        stub_routes = [path(route, area_stub, name=name) for route, name in routes]
        patterns.append(path(f"stub-{namespace}/", include((stub_routes, namespace))))
    return patterns


urlpatterns = [
    *portal_urlpatterns,
    *_stub_patterns(),
    path("test/forbidden/", forbidden),
    path("test/crash/", crash),
]
