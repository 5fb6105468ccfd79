import math
from decimal import Decimal

import pytest

from cases.domain.queries.ranking import (
    attach_factor_profiles,
    edition_ranking,
    evaluator_calibration,
    z_score,
)
from tests.factories import (
    AssignmentFactory,
    CategoryFactory,
    EligibleCaseFactory,
    EvaluationEditionFactory,
    EvaluatorFactory,
    submitted_review,
)

pytestmark = pytest.mark.django_db


def test_z_scores_correct_harsh_and_lenient_evaluators():
    calibration = evaluator_calibration({1: [Decimal(2), Decimal(4)], 2: [Decimal(8), Decimal(10)]})
    assert calibration[1] == (3.0, 1.0)
    assert z_score(Decimal(4), calibration[1]) == 1.0
    assert z_score(Decimal(10), calibration[2]) == 1.0
    assert z_score(Decimal(8), calibration[2]) == -1.0
    single = evaluator_calibration({3: [Decimal(7)]})
    assert z_score(Decimal(7), single[3]) == 0.0


def test_ranking_aggregates_per_entry_and_ranks_within_category():
    edition = EvaluationEditionFactory(disagreement_threshold=Decimal("2.5"))
    first_category = CategoryFactory(edition=edition, order=1)
    second_category = CategoryFactory(edition=edition, order=2)
    harsh, lenient = EvaluatorFactory(), EvaluatorFactory()
    top = EligibleCaseFactory(edition=edition, category=first_category)
    split = EligibleCaseFactory(edition=edition, category=first_category)
    alone = EligibleCaseFactory(edition=edition, category=second_category)
    unscored = EligibleCaseFactory(edition=edition, category=second_category)

    submitted_review(AssignmentFactory(case=top, evaluator=harsh), scores=6)
    submitted_review(AssignmentFactory(case=top, evaluator=lenient), scores=9, factor_scores=4)
    submitted_review(AssignmentFactory(case=split, evaluator=harsh), scores=2)
    submitted_review(AssignmentFactory(case=split, evaluator=lenient), scores=7, factor_scores=1)
    submitted_review(AssignmentFactory(case=alone, evaluator=harsh), scores=4)
    AssignmentFactory(case=alone)  # assigned, nothing submitted yet
    inactive = AssignmentFactory(case=unscored, is_active=False)
    submitted_review(inactive, scores=10)  # a withdrawn assignment does not count

    ranking = edition_ranking(edition)
    by_case = {entry.case.pk: entry for entry in ranking}

    assert [entry.case.pk for entry in ranking] == [top.pk, split.pk, alone.pk, unscored.pk]
    assert by_case[top.pk].mean == 7.5
    assert by_case[top.pk].median == 7.5
    assert by_case[top.pk].stddev == pytest.approx(math.sqrt(4.5))
    assert by_case[top.pk].disagreement is True  # 3 > 2.5
    assert by_case[split.pk].spread == 5.0
    assert by_case[alone.pk].stddev == 0.0
    assert by_case[alone.pk].submitted == 1 and by_case[alone.pk].assigned == 2
    assert not by_case[alone.pk].is_complete
    assert by_case[unscored.pk].mean is None and by_case[unscored.pk].position is None
    assert [by_case[c.pk].position for c in (top, split, alone)] == [1, 2, 1]

    # harsh: totals 6, 2, 4 -> mean 4, pstdev sqrt(8/3); lenient: 9, 7 -> mean 8, pstdev 1.
    harsh_sd = math.sqrt(8 / 3)
    expected_top = ((6 - 4) / harsh_sd + 1.0) / 2
    assert by_case[top.pk].normalised == pytest.approx(expected_top)
    assert by_case[alone.pk].normalised == pytest.approx(0.0)
    assert by_case[split.pk].totals_text.startswith("2.00 (z ")
    assert by_case[unscored.pk].totals_text == "—"

    attach_factor_profiles(ranking)
    profile = {f.slug: v for f, v in by_case[top.pk].factor_profile}
    assert len(profile) == 8
    assert set(profile.values()) == {Decimal("3")}  # mean of 2 and 4
    assert all(value is None for _f, value in by_case[unscored.pk].factor_profile)
