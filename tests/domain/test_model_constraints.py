"""Database constraints hold even when the ORM's validation is bypassed."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.models import Case, CaseStatus, EcosystemFactor, Outcome
from tests.factories import (
    CaseFactory,
    CategoryFactory,
    CriterionFactory,
    EditionFactory,
    FactorAssessmentFactory,
)

pytestmark = pytest.mark.django_db


def _violates(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


@pytest.mark.parametrize("outcome", [Outcome.NONE, Outcome.NOMINEE, Outcome.CERTIFICATE])
def test_place_only_for_winners(outcome):
    _violates(lambda: CaseFactory(outcome=outcome, place=1))


@pytest.mark.parametrize("place", [1, 2, 3])
def test_winner_may_have_places_one_to_three(place):
    case = CaseFactory(outcome=Outcome.WINNER, place=place)
    assert case.outcome_label == f"Winner, place {place}"


@pytest.mark.parametrize("place", [0, 4])
def test_winner_place_outside_one_to_three_is_refused(place):
    _violates(lambda: CaseFactory(outcome=Outcome.WINNER, place=place))


def test_winner_without_place_is_allowed():
    assert CaseFactory(outcome=Outcome.WINNER, place=None).outcome_label == "Winner"


def test_one_assessment_per_case_and_factor():
    case = CaseFactory()
    factor = EcosystemFactor.objects.get(slug="partner-selection")
    FactorAssessmentFactory(case=case, factor=factor)
    _violates(lambda: FactorAssessmentFactory(case=case, factor=factor))


def test_same_factor_on_two_cases_is_fine():
    factor = EcosystemFactor.objects.get(slug="partner-selection")
    FactorAssessmentFactory(factor=factor)
    FactorAssessmentFactory(factor=factor)
    assert factor.assessments.count() == 2


def test_registration_numbers_are_unique():
    CaseFactory(registration_number="EPSA2023-0042")
    _violates(lambda: CaseFactory(registration_number="EPSA2023-0042"))


def test_many_cases_without_registration_number():
    CaseFactory(registration_number=None)
    CaseFactory(registration_number=None)


def test_end_date_must_not_precede_start():
    start = datetime.date(2022, 5, 1)
    _violates(lambda: CaseFactory(start_date=start, end_date=start - datetime.timedelta(days=1)))
    assert CaseFactory(start_date=start, end_date=start).end_date == start


def test_published_case_needs_a_publication_time():
    eligible = CaseStatus.ELIGIBLE
    _violates(lambda: CaseFactory(status=eligible, is_published=True, published_at=None))
    assert CaseFactory(status=eligible, is_published=True, published_at=timezone.now()).is_published


@pytest.mark.parametrize(
    "status",
    [CaseStatus.DRAFT, CaseStatus.SUBMITTED, CaseStatus.INELIGIBLE, CaseStatus.WITHDRAWN],
)
def test_only_an_eligible_case_can_be_published(status):
    _violates(lambda: CaseFactory(status=status, is_published=True, published_at=timezone.now()))


def test_published_case_cannot_leave_eligibility_behind():
    case = CaseFactory(status=CaseStatus.ELIGIBLE, is_published=True, published_at=timezone.now())
    case.status = CaseStatus.WITHDRAWN
    _violates(case.save)
    # The same change is fine once the case is out of the library.
    case.is_published = False
    case.save()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.WITHDRAWN


@pytest.mark.parametrize("rating", [0, 4])
def test_self_rating_bounds_are_accepted(rating):
    assert FactorAssessmentFactory(self_rating=rating).self_rating == rating


def test_self_rating_above_four_is_refused():
    _violates(lambda: FactorAssessmentFactory(self_rating=5))


def test_not_applicable_assessment_has_no_rating():
    _violates(lambda: FactorAssessmentFactory(not_applicable=True, self_rating=2))


def test_slugs_unique_per_edition_for_categories_and_criteria():
    edition = EditionFactory()
    CategoryFactory(edition=edition, slug="digital")
    CategoryFactory(slug="digital")  # another edition may reuse it
    _violates(lambda: CategoryFactory(edition=edition, slug="digital"))
    CriterionFactory(edition=edition, slug="impact")
    _violates(lambda: CriterionFactory(edition=edition, slug="impact"))


def test_criterion_weight_must_be_positive():
    _violates(lambda: CriterionFactory(weight=0))


def test_edition_deadline_after_opening_and_ordered_scale():
    now = timezone.now()
    _violates(lambda: EditionFactory(submissions_open_at=now, deadline=now))
    _violates(lambda: EditionFactory(score_min=5, score_max=5))
