"""What every coordinator view shares: the permissions they declare and the page size."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from cases.interfaces.permissions import load, permission_required
from cases.models import Edition

PAGE_SIZE = 50

BACK_OFFICE = _("The back office is for coordinators.")

# Pages of the back office that belong to no edition (the editions list, imports).
coordinator_area = permission_required("cases.coordinate", message=BACK_OFFICE)


def coordinator_of_edition(view):
    """Coordinators only (403), and only for an edition they coordinate (404): the view gets
    the Edition in place of the slug."""
    return coordinator_area(
        permission_required("cases.coordinate_edition", fn=load(Edition, slug="edition"))(view)
    )


def int_or_404(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def search_query(request) -> str:
    """The list's search term (registration number, title or organisation)."""
    return request.GET.get("q", "").strip()[:200]
