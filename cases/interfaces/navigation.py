"""Header navigation that fits the user's roles.

An area shows only once its URL exists, so the header never links to a page that is not there.
"""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from cases.domain.queries.access import is_staff_member
from cases.interfaces.language import path_without_language
from cases.interfaces.permissions import allows

# (url name, label, the permission its view declares): each link shows exactly when the page
# behind it would open.
AREAS = (
    ("library:list", _("Case library"), "cases.view_public_pages"),
    ("applications:dashboard", _("Apply"), "cases.use_applicant_area"),
    ("evaluation:assignments", _("Evaluate"), "cases.view_evaluation"),
    ("coordination:editions", _("Coordinate"), "cases.coordinate"),
)


def reverse_or_none(name, *args, **kwargs):
    """The URL of ``name``, or None while that page does not exist (yet).

    Templates and views use it to link to another audience's area only once it is there.
    """
    try:
        return reverse(name, args=args or None, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def navigation_items(user):
    items = []
    for url_name, label, perm in AREAS:
        if not allows(user, perm):
            continue
        url = reverse_or_none(url_name)
        if url:
            items.append({"url": url, "label": label, "name": url_name})
    if is_staff_member(user):
        items.append({"url": reverse("admin:index"), "label": _("Admin"), "name": "admin"})
    return items


def navigation(request):
    user = request.user
    # /fr/library/ and /library/ are the same area.
    current = path_without_language(request.path)
    items = navigation_items(user)
    for item in items:
        url = path_without_language(item["url"])
        item["current"] = current.startswith(url) and url != "/"
    return {"nav_items": items}


# Where a user lands after logging in without a ``next``: the area of their main role
# (the permission that opens it, the area's URL name), most specific role first.
LANDING_AREAS = (
    ("cases.coordinate", "coordination:editions"),
    ("cases.view_evaluation", "evaluation:assignments"),
    ("cases.use_applicant_area", "applications:dashboard"),
)


def landing_url(user) -> str:
    for permission, url_name in LANDING_AREAS:
        if allows(user, permission):
            url = reverse_or_none(url_name)
            if url:
                return url
    return reverse("home")
