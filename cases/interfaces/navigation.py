"""Header navigation that fits the user's roles.

An area shows only once its URL exists, so the header never links to a page that is not there.
"""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from cases.interfaces.language import path_without_language
from cases.models import Role

# (url name, label, who sees it): None means everyone.
AREAS = (
    ("library:list", _("Case library"), None),
    ("applications:dashboard", _("Apply"), Role.APPLICANT),
    ("evaluation:assignments", _("Evaluate"), Role.EVALUATOR),
    ("coordination:editions", _("Coordinate"), Role.COORDINATOR),
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
    for url_name, label, role in AREAS:
        if role is not None and not (user.is_authenticated and user.has_role(role)):
            continue
        url = reverse_or_none(url_name)
        if url:
            items.append({"url": url, "label": label, "name": url_name})
    if user.is_authenticated and user.is_staff:
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
