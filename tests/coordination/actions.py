"""Posting a coordinator action to its own URL, from test data that names the action.

Each action of the back office has its URL; tests written as "this form, with this action"
use :func:`post_action` to reach it (``target`` is the category or criterion it acts on).
"""

from django.urls import reverse

URL_NAMES = {
    "settings": "save_settings",
    "add-category": "add_category",
    "rename-category": "rename_category",
    "delete-category": "delete_category",
    "add-criterion": "add_criterion",
    "update-criterion": "update_criterion",
    "automatic": "assign_automatic",
    "manual": "assign_manual",
    "remove": "remove_assignment",
    "override": "override_conflict",
    "conflicts": "check_conflicts",
    "results": "publish_results",
    "library": "publish_library",
}


def action_url(edition, data):
    data = dict(data)
    name = URL_NAMES[data.pop("action")]
    target = data.pop("target", None)
    args = [edition.slug] + ([target] if target is not None else [])
    return reverse(f"coordination:{name}", args=args), data


def post_action(client, edition, data, **kwargs):
    url, data = action_url(edition, data)
    return client.post(url, data, **kwargs)
