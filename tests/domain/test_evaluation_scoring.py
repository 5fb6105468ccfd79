import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from cases.domain.evaluation.errors import (
    ConflictOfInterest,
    InvalidInput,
    NotAllowed,
    PhaseClosed,
    StaleForm,
)
from cases.domain.evaluation.scoring import save_review, weighted_total
from cases.domain.queries.evaluation import other_reviews_visible_to
from cases.models import EcosystemFactor, EditionPhase, Review, ReviewStatus, ScoreChange
from tests.factories import AssignmentFactory, ConflictFactory, EvaluatorFactory, submitted_review

pytestmark = pytest.mark.django_db


def test_weighted_total_is_the_weighted_mean_to_three_places():
    assert weighted_total([(8, 1), (6, 1)]) == Decimal("7.000")
    assert weighted_total([(10, 2), (4, 1)]) == Decimal("8.000")
    assert weighted_total([(7, Decimal("1.5")), (8, 1), (9, 1)]) == Decimal("7.857")
    with pytest.raises(ValueError):
        weighted_total([])


def full_values(assignment, score=6, factor=3):
    criteria = {
        c.pk: (score, f"Comment on {c.name}") for c in assignment.case.edition.criteria.all()
    }
    factors = {f.pk: factor for f in EcosystemFactor.objects.all()}
    return criteria, factors


@pytest.fixture
def assignment():
    return AssignmentFactory()


def test_draft_may_be_partial_and_submit_needs_everything(assignment):
    criteria, factors = full_values(assignment)
    first = next(iter(criteria))
    partial = {first: criteria[first]}
    review = save_review(
        assignment=assignment,
        by=assignment.evaluator,
        criterion_values=partial,
        factor_values={},
        overall_comment="Started.",
    )
    assert review.status == ReviewStatus.DRAFT
    assert review.weighted_total is None
    with pytest.raises(InvalidInput, match="Missing"):
        save_review(
            assignment=assignment,
            by=assignment.evaluator,
            criterion_values=partial,
            factor_values={},
            overall_comment="",
            submit=True,
        )
    review = save_review(
        assignment=assignment,
        by=assignment.evaluator,
        criterion_values=criteria,
        factor_values=factors,
        overall_comment="Convincing evidence.",
        expected_version=review.version,
        submit=True,
    )
    assert review.status == ReviewStatus.SUBMITTED
    assert review.weighted_total == Decimal("6.000")
    assert review.submitted_at is not None
    assert review.factor_scores.filter(score=3).count() == 8


def test_weights_change_the_stored_total(assignment):
    criteria_objects = list(assignment.case.edition.criteria.all())
    criteria_objects[0].weight = 4
    criteria_objects[0].save()
    criteria, factors = full_values(assignment)
    criteria[criteria_objects[0].pk] = (10, "")
    review = save_review(
        assignment=assignment,
        by=assignment.evaluator,
        criterion_values=criteria,
        factor_values=factors,
        overall_comment="",
        submit=True,
    )
    assert review.weighted_total == Decimal("7.778")  # (4 * 10 + 5 * 6) / 9


def test_out_of_scale_scores_are_refused_and_nothing_is_saved(assignment):
    criteria, factors = full_values(assignment)
    first = next(iter(criteria))
    criteria[first] = (11, "")
    with pytest.raises(InvalidInput, match="between 0 and 10"):
        save_review(
            assignment=assignment,
            by=assignment.evaluator,
            criterion_values=criteria,
            factor_values=factors,
            overall_comment="",
        )
    criteria[first] = (5, "")
    factors[next(iter(factors))] = 5
    with pytest.raises(InvalidInput, match="between 0 and 4"):
        save_review(
            assignment=assignment,
            by=assignment.evaluator,
            criterion_values=criteria,
            factor_values=factors,
            overall_comment="",
        )
    assert not Review.objects.exists()


def test_stale_version_is_refused(assignment):
    criteria, factors = full_values(assignment)
    review = save_review(
        assignment=assignment,
        by=assignment.evaluator,
        criterion_values=criteria,
        factor_values=factors,
        overall_comment="One",
    )
    with pytest.raises(StaleForm):
        save_review(
            assignment=assignment,
            by=assignment.evaluator,
            criterion_values=criteria,
            factor_values=factors,
            overall_comment="Two",
            expected_version=review.version - 1,
        )
    assert Review.objects.get().overall_comment == "One"


def test_closed_phase_unassigned_and_conflicted_are_refused(assignment):
    criteria, factors = full_values(assignment)
    kwargs = {"criterion_values": criteria, "factor_values": factors, "overall_comment": ""}
    with pytest.raises(NotAllowed):
        save_review(assignment=assignment, by=EvaluatorFactory(), **kwargs)
    ConflictFactory(case=assignment.case, evaluator=assignment.evaluator)
    with pytest.raises(ConflictOfInterest):
        save_review(assignment=assignment, by=assignment.evaluator, **kwargs)
    other = AssignmentFactory()
    edition = other.case.edition
    edition.phase = EditionPhase.CONSENSUS
    edition.save()
    with pytest.raises(PhaseClosed):
        save_review(assignment=other, by=other.evaluator, submit=True, **full_values_kwargs(other))
    assert not Review.objects.exists()


def full_values_kwargs(assignment):
    criteria, factors = full_values(assignment)
    return {"criterion_values": criteria, "factor_values": factors, "overall_comment": ""}


def test_every_change_is_kept_with_who_old_and_new(assignment):
    criteria, factors = full_values(assignment, score=5)
    review = save_review(
        assignment=assignment,
        by=assignment.evaluator,
        criterion_values=criteria,
        factor_values=factors,
        overall_comment="",
        submit=True,
    )
    first_criterion = assignment.case.edition.criteria.first()
    criteria[first_criterion.pk] = (9, criteria[first_criterion.pk][1])
    ScoreChange.objects.all().delete()
    review = save_review(
        assignment=assignment,
        by=assignment.evaluator,
        criterion_values=criteria,
        factor_values=factors,
        overall_comment="Changed my mind.",
        expected_version=review.version,
    )
    assert review.status == ReviewStatus.SUBMITTED  # an edit keeps it submitted
    changes = {(c.item, c.old_value, c.new_value) for c in ScoreChange.objects.all()}
    assert changes == {
        (first_criterion.name, "5", "9"),
        ("Overall comment", "", "Changed my mind."),
    }
    assert ScoreChange.objects.first().changed_by == assignment.evaluator


def test_a_submitted_review_cannot_lose_scores(assignment):
    criteria, factors = full_values(assignment)
    save_review(
        assignment=assignment,
        by=assignment.evaluator,
        criterion_values=criteria,
        factor_values=factors,
        overall_comment="",
        submit=True,
    )
    factors[next(iter(factors))] = None
    with pytest.raises(InvalidInput):
        save_review(
            assignment=assignment,
            by=assignment.evaluator,
            criterion_values=criteria,
            factor_values=factors,
            overall_comment="",
        )


def test_blind_rule_other_reviews_only_after_own_submission(assignment):
    other = AssignmentFactory(case=assignment.case)
    submitted_review(other, scores=9)
    assert other_reviews_visible_to(assignment.evaluator, assignment.case) == []
    criteria, factors = full_values(assignment)
    save_review(
        assignment=assignment,
        by=assignment.evaluator,
        criterion_values=criteria,
        factor_values=factors,
        overall_comment="",
    )
    assert other_reviews_visible_to(assignment.evaluator, assignment.case) == []
    save_review(
        assignment=assignment,
        by=assignment.evaluator,
        criterion_values=criteria,
        factor_values=factors,
        overall_comment="",
        submit=True,
    )
    visible = other_reviews_visible_to(assignment.evaluator, assignment.case)
    assert [r.weighted_total for r in visible] == [Decimal("9.000")]
    assert visible[0].label == "Evaluator 1"  # editions are anonymous by default
    edition = assignment.case.edition
    edition.anonymous_reviews = False
    edition.save()
    visible = other_reviews_visible_to(assignment.evaluator, assignment.case)
    assert visible[0].label == str(other.evaluator)


def test_two_blank_forms_the_second_save_is_stale(assignment):
    criteria, factors = full_values(assignment)
    kwargs = {"criterion_values": criteria, "factor_values": factors}
    save_review(
        assignment=assignment,
        by=assignment.evaluator,
        overall_comment="First tab",
        expected_version=None,
        **kwargs,
    )
    with pytest.raises(StaleForm):
        save_review(
            assignment=assignment,
            by=assignment.evaluator,
            overall_comment="Second tab",
            expected_version=None,
            **kwargs,
        )
    assert Review.objects.get().overall_comment == "First tab"


def test_the_evaluation_deadline_closes_scoring(assignment):
    edition = assignment.case.edition
    edition.evaluation_deadline = timezone.now() - datetime.timedelta(minutes=1)
    edition.save()
    with pytest.raises(PhaseClosed):
        save_review(
            assignment=assignment, by=assignment.evaluator, **full_values_kwargs(assignment)
        )
    assert not Review.objects.exists()
