"""The one way a view declares the permission it needs.

::

    @permission_required("cases.coordinate")                       # an area: 403 if refused
    @permission_required("cases.coordinate_edition", fn=load(Edition, slug="edition"))
    def dashboard(request, edition):                                # an Edition, not a slug
        ...

- Without ``fn`` the permission is about the user alone (an area). Refused: anonymous users
  are sent to log in, signed-in users get 403 with ``message``.
- With ``fn`` (a ``load(...)``), the object is looked up from the URL's arguments, the
  permission is asked about it, and the view receives the object in place of those arguments.
  Refused, or not found: 404, so that nobody learns that an object they may not see exists.
  ``otherwise`` replaces the 404 with a response of its own (e.g. an evaluator's conflict page)
  for objects the user does know about. Visitors are sent to log in before any lookup,
  unless ``login=False`` (an object some visitors may see, e.g. a file: they get the 404).
- The permission is asked through ``rules.has_perm``, the policy of ``cases/rules.py`` alone:
  ``user.has_perm`` would let superusers through every check.

Decorated views carry ``permissions`` (what they declare), which the URL permission test reads.
"""

from collections.abc import Callable
from functools import wraps

import rules
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from cases.models import Edition

DEFAULT_MESSAGE = _("You do not have access to this page.")


class load:  # noqa: N801 - reads as a verb where it is used: fn=load(Case, pk="pk")
    """Look up the object a URL names: ``load(model_or_queryset, as_=name, field=url_kwarg...)``.

    Each keyword maps a model lookup to the URL argument holding its value; the URL arguments
    used are removed and the object is passed as ``as_`` (by default the first URL argument's
    name).
    """

    def __init__(self, source: type[Model] | QuerySet, *, as_: str | None = None, **lookups):
        if not lookups:
            raise ValueError("load() needs at least one lookup, e.g. pk='pk'.")
        self.source = source
        self.lookups = lookups
        self.as_ = as_ or next(iter(lookups.values()))

    def queryset(self) -> QuerySet:
        if isinstance(self.source, QuerySet):
            return self.source.all()
        return self.source._default_manager.all()

    def __call__(self, kwargs: dict) -> tuple[Model, dict]:
        if isinstance(kwargs.get(self.as_), Model):
            # An outer declaration on the same view has loaded it already.
            return kwargs[self.as_], kwargs
        remaining = dict(kwargs)
        criteria = {field: remaining.pop(argument) for field, argument in self.lookups.items()}
        obj = self.queryset().filter(**criteria).first()
        if obj is None:
            raise Http404
        remaining[self.as_] = obj
        return obj, remaining


def allows(user, perm: str, obj=None) -> bool:
    """The policy's answer, for views and templates that show or hide a link."""
    return rules.has_perm(perm, user, obj)


def permission_required(
    perm: str,
    *,
    fn: load | None = None,
    message=DEFAULT_MESSAGE,
    otherwise: Callable | None = None,
    login: bool = True,
):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if fn is None:
                if allows(user, perm):
                    return view(request, *args, **kwargs)
                if not user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                raise PermissionDenied(message)
            if login and not user.is_authenticated:
                # Pages behind a log-in send visitors there first, whatever the object.
                return redirect_to_login(request.get_full_path())
            obj, kwargs = fn(kwargs)
            if not allows(user, perm, obj):
                if otherwise is not None:
                    return otherwise(request, obj)
                raise Http404
            return view(request, *args, **kwargs)

        wrapped.permissions = (perm, *getattr(view, "permissions", ()))
        return wrapped

    return decorator


BACK_OFFICE = _("The back office is for coordinators.")


def coordinator_of_edition(view):
    """The back office of one edition: coordinators only (403), and only for an edition they
    coordinate (404). The view receives the Edition in place of the ``edition`` slug."""
    return permission_required("cases.coordinate", message=BACK_OFFICE)(
        permission_required("cases.coordinate_edition", fn=load(Edition, slug="edition"))(view)
    )
