"""What every coordinator view shares: the permissions they declare and the page size."""

from django.http import Http404

from cases.interfaces.permissions import BACK_OFFICE, coordinator_of_edition, permission_required

PAGE_SIZE = 50

# Pages of the back office that belong to no edition (the editions list, imports).
coordinator_area = permission_required("cases.coordinate", message=BACK_OFFICE)

__all__ = ["BACK_OFFICE", "PAGE_SIZE", "coordinator_area", "coordinator_of_edition"]


def int_or_404(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def search_query(request) -> str:
    """The list's search term (registration number, title or organisation)."""
    return request.GET.get("q", "").strip()[:200]
