"""Scoring: evaluators save drafts and submit reviews; the weighted total is computed here only."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.domain.queries.access_conflicts import has_active_conflict
from cases.models import (
    Assignment,
    CaseStatus,
    CriterionScore,
    EcosystemFactor,
    FactorScore,
    Review,
    ReviewStatus,
    ScoreChange,
)

from .errors import ConflictOfInterest, InvalidInput, NotAllowed, PhaseClosed, StaleForm, WrongState

# ``expected_version`` default: the caller does not take part in stale-form detection.
UNCHECKED = object()

FACTOR_MIN = 0
FACTOR_MAX = 4
TOTAL_PLACES = Decimal("0.001")


def weighted_total(scored) -> Decimal:
    """The weighted mean of (score, weight) pairs, on the edition's scale, to three places."""
    scored = [(Decimal(score), Decimal(weight)) for score, weight in scored]
    weights = sum(weight for _score, weight in scored)
    if not scored or weights <= 0:
        raise ValueError("A weighted total needs at least one score with a positive weight.")
    total = sum(score * weight for score, weight in scored) / weights
    return total.quantize(TOTAL_PLACES, rounding=ROUND_HALF_UP)


def check_may_review(*, assignment, user):
    """Raise unless ``user`` may read and score this assignment's entry."""
    if assignment.evaluator_id != user.pk or not assignment.is_active:
        raise NotAllowed(_("This entry is not assigned to you."))
    if has_active_conflict(case_id=assignment.case_id, evaluator_id=user.pk):
        raise ConflictOfInterest()
    if assignment.case.status != CaseStatus.ELIGIBLE:
        raise WrongState(_("This entry is no longer in the evaluation."))


def _text(value):
    return "" if value is None else str(value)


@transaction.atomic
def save_review(
    *,
    assignment,
    by,
    criterion_values,
    factor_values,
    overall_comment,
    expected_version=UNCHECKED,
    submit=False,
):
    """Save a review as a draft, or submit it; a submitted review stays submitted.

    ``criterion_values`` maps criterion id to (score or None, comment); ``factor_values`` maps
    ecosystem factor id to a score 0-4 or None. Every change is kept in the score history.
    ``expected_version`` is the review version the form was built on (None: there was no
    review yet); a different current version means someone else saved in between.
    """
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("case__edition")
        .get(pk=assignment.pk)
    )
    check_may_review(assignment=assignment, user=by)
    edition = assignment.case.edition
    if not edition.is_evaluation_open:
        raise PhaseClosed(
            _("The evaluation phase is closed: reviews can no longer be saved or submitted.")
        )
    review, created = Review.objects.select_for_update().get_or_create(assignment=assignment)
    if expected_version is not UNCHECKED:
        current_version = None if created else review.version
        if current_version != expected_version:
            raise StaleForm(
                _(
                    "Someone else changed this review while you were editing it (perhaps in "
                    "another window). Your entries are kept below: send the form again to "
                    "replace the saved version with them, or reload the page to see it."
                )
            )

    criteria = list(edition.criteria.all())
    factors = list(EcosystemFactor.objects.all())
    errors = []
    for criterion in criteria:
        score, _comment = criterion_values.get(criterion.pk, (None, ""))
        if score is not None and not edition.score_min <= score <= edition.score_max:
            errors.append(
                _("%(criterion)s: the score must be between %(low)d and %(high)d.")
                % {"criterion": criterion.name, "low": edition.score_min, "high": edition.score_max}
            )
    for factor in factors:
        score = factor_values.get(factor.pk)
        if score is not None and not FACTOR_MIN <= score <= FACTOR_MAX:
            errors.append(
                _("%(factor)s: the score must be between 0 and 4.") % {"factor": factor.label}
            )
    if errors:
        raise InvalidInput(" ".join(errors))
    finishing = submit or review.is_submitted
    if finishing:
        missing = [c.name for c in criteria if criterion_values.get(c.pk, (None, ""))[0] is None]
        missing += [f.display_short for f in factors if factor_values.get(f.pk) is None]
        if missing:
            raise InvalidInput(
                _("Score every criterion and every factor before submitting. Missing: %(items)s.")
                % {"items": ", ".join(missing)}
            )
    if not criteria:
        raise WrongState(_("The edition has no criteria yet; ask the coordinators."))

    now = timezone.now()
    changes = []
    stored_criteria = {s.criterion_id: s for s in review.criterion_scores.all()}
    for criterion in criteria:
        score, comment = criterion_values.get(criterion.pk, (None, ""))
        comment = (comment or "").strip()
        current = stored_criteria.get(criterion.pk)
        if current is None:
            current = CriterionScore(review=review, criterion=criterion)
            old_score, old_comment = None, ""
        else:
            old_score, old_comment = current.score, current.comment
        if old_score != score:
            changes.append((criterion.name, _text(old_score), _text(score)))
        if old_comment != comment:
            changes.append(
                (_("%(criterion)s, comment") % {"criterion": criterion.name}, old_comment, comment)
            )
        if current.pk is None or old_score != score or old_comment != comment:
            current.score, current.comment = score, comment
            current.save()
    stored_factors = {s.factor_id: s for s in review.factor_scores.all()}
    for factor in factors:
        score = factor_values.get(factor.pk)
        current = stored_factors.get(factor.pk) or FactorScore(review=review, factor=factor)
        old_score = current.score
        if old_score != score:
            changes.append((factor.display_short, _text(old_score), _text(score)))
        if current.pk is None or old_score != score:
            current.score = score
            current.save()
    overall_comment = (overall_comment or "").strip()
    if overall_comment != review.overall_comment:
        changes.append((_("Overall comment"), review.overall_comment, overall_comment))
        review.overall_comment = overall_comment

    scores = [criterion_values.get(c.pk, (None, ""))[0] for c in criteria]
    if all(score is not None for score in scores):
        review.weighted_total = weighted_total(
            (score, criterion.weight) for score, criterion in zip(scores, criteria, strict=True)
        )
    else:
        review.weighted_total = None
    if submit and not review.is_submitted:
        changes.append((_("Status"), review.get_status_display(), ReviewStatus.SUBMITTED.label))
        review.status = ReviewStatus.SUBMITTED
        review.submitted_at = now
    review.updated_at = now
    review.version += 1
    review.save()
    ScoreChange.objects.bulk_create(
        [
            ScoreChange(
                review=review,
                changed_by=by,
                changed_at=now,
                item=item,
                old_value=old,
                new_value=new,
            )
            for item, old, new in changes
        ]
    )
    return review
