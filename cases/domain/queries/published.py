"""The single gate of the public library: the only cases it ever shows.

Kept apart from ``cases.domain.queries.library`` so that the writers of derived library data
(``cases.domain.derived``, ``cases.domain.search``) select the same set without importing the
read paths that import them.
"""

from decimal import Decimal

from django.db.models import QuerySet

from cases.models import Case

# A factor counts as a strength of the case ("strong on") from this profile value up.
STRONG_FACTOR_VALUE = Decimal(3)


def published_cases() -> QuerySet:
    """The only cases the public library ever shows."""
    return Case.objects.filter(is_published=True)
