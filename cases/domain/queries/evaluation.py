"""Read paths of the evaluation: an evaluator's assignments, what a review page may show.

The blind rule is written once, here: an evaluator sees another review of an entry, or its
total, only after submitting their own review of that entry.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from cases.domain.queries.access import reviewable_assignments_of
from cases.models import (
    CriterionScore,
    FactorScore,
    Review,
    ReviewStatus,
)


def evaluator_assignments(user):
    """The user's assignments they may score (``access.reviewable_assignments_of``), in order."""
    return (
        reviewable_assignments_of(user)
        .select_related("case__edition", "case__category", "review")
        .order_by("case__edition__evaluation_deadline", "case__registration_number", "pk")
    )


def _reviews_with_scores():
    return Review.objects.select_related("assignment__evaluator").prefetch_related(
        Prefetch(
            "criterion_scores",
            queryset=CriterionScore.objects.select_related("criterion").order_by(
                "criterion__order"
            ),
        ),
        Prefetch(
            "factor_scores",
            queryset=FactorScore.objects.select_related("factor").order_by("factor__order"),
        ),
    )


def reviews_of_case(case):
    """All reviews of an entry that count (active assignments), for the coordinators."""
    return _reviews_with_scores().filter(assignment__case=case, assignment__is_active=True)


def other_reviews_visible_to(user, case):
    """The other submitted reviews of ``case`` that ``user`` may see (the blind rule).

    Empty until the user has submitted their own review of the entry. In an anonymous edition
    each review is labelled "Evaluator 1", "Evaluator 2" ... instead of the person's name.
    """
    own_submitted = Review.objects.filter(
        assignment__case=case,
        assignment__evaluator=user,
        assignment__is_active=True,
        status=ReviewStatus.SUBMITTED,
    ).exists()
    if not own_submitted:
        return []
    reviews = list(
        _reviews_with_scores()
        .filter(
            assignment__case=case,
            assignment__is_active=True,
            status=ReviewStatus.SUBMITTED,
        )
        .exclude(assignment__evaluator=user)
        .order_by("assignment_id")
    )
    for number, review in enumerate(reviews, start=1):
        review.label = evaluator_label(review, number, case.edition)
    return reviews


def evaluator_label(review, number, edition):
    if edition.anonymous_reviews:
        return _("Evaluator %(number)d") % {"number": number}
    return str(review.assignment.evaluator)
