"""Figures the home page shows about the live library."""

from django.db.models import Count, Q

from cases.models import Case, Edition, EditionPhase


def portal_figures() -> dict:
    published = Case.objects.filter(is_published=True)
    figures = published.aggregate(
        cases=Count("id"),
        countries=Count("country", distinct=True, filter=~Q(country="")),
    )
    figures["editions"] = Edition.objects.exclude(phase=EditionPhase.DRAFT).count()
    return figures
