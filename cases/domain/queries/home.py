"""What the home page shows about the live portal: figures, open calls, the newest cases.

Each function is one query (two for the figures), so the home page costs the same whatever
the size of the library.
"""

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from cases.models import Case, Category, Edition, EditionPhase


def portal_figures() -> dict:
    published = Case.objects.filter(is_published=True)
    figures = published.aggregate(
        cases=Count("id"),
        countries=Count("country", distinct=True, filter=~Q(country="")),
    )
    figures["editions"] = Edition.objects.exclude(phase=EditionPhase.DRAFT).count()
    return figures


def open_calls(*, now=None):
    """Editions taking submissions now, soonest deadline first, with their categories.

    The same window as ``Edition.is_open_for_submissions``: phase open, opened (or no
    opening date) and the deadline still ahead.
    """
    now = now or timezone.now()
    return (
        Edition.objects.filter(phase=EditionPhase.OPEN, deadline__gt=now)
        .filter(Q(submissions_open_at__isnull=True) | Q(submissions_open_at__lte=now))
        .only("slug", "name", "year_label", "theme", "deadline", "submissions_open_at", "phase")
        .prefetch_related(
            Prefetch(
                "categories",
                queryset=Category.objects.only("edition_id", "name", "order"),
            )
        )
        .order_by("deadline", "name")
    )


def latest_published_cases(*, limit: int = 6):
    """The newest library cases, without the long narrative columns or the search vector."""
    return (
        Case.objects.filter(is_published=True)
        .select_related("edition", "lead_organisation")
        .only(
            "title",
            "slug",
            "summary",
            "country",
            "level",
            "outcome",
            "place",
            "provenance",
            "published_at",
            "edition__name",
            "edition__year_label",
            "lead_organisation__name",
        )
        .order_by("-published_at", "-id")[:limit]
    )
