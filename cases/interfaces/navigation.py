"""Header navigation that fits the user's roles.

An area shows only once its URL exists, so the header never links to a page that is not there.
"""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from cases.domain.queries.access import is_staff_member
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
    current = request.path
    items = navigation_items(user)
    for item in items:
        item["current"] = current.startswith(item["url"]) and item["url"] != "/"
    return {"nav_items": items}
