from decimal import Decimal

import pytest
from django.core import mail

from cases.domain.evaluation.errors import InvalidInput, PhaseClosed, StaleForm, WrongState
from cases.domain.evaluation.outcomes import set_outcome
from cases.domain.evaluation.phases import set_phase
from cases.domain.evaluation.publication import (
    publish_cases,
    publish_results,
    store_consensus_profiles,
)
from cases.models import (
    Case,
    DecisionAction,
    DecisionLog,
    EcosystemFactor,
    EditionPhase,
    FactorProfileSource,
    FactorProfileValue,
    Outcome,
)
from tests.committing import committed
from tests.factories import (
    AssignmentFactory,
    CategoryFactory,
    CoordinatorFactory,
    EligibleCaseFactory,
    EvaluationEditionFactory,
    SubmittedCaseFactory,
    submitted_review,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return EvaluationEditionFactory(phase=EditionPhase.CONSENSUS, nominees_per_category=2)


@pytest.fixture
def coordinator(edition):
    return CoordinatorFactory(editions=[edition])


def test_nominees_are_limited_per_category_and_every_decision_is_logged(edition, coordinator):
    category = CategoryFactory(edition=edition)
    first, second, third = EligibleCaseFactory.create_batch(3, edition=edition, category=category)
    elsewhere = EligibleCaseFactory(edition=edition)
    set_outcome(case=first, by=coordinator, outcome=Outcome.NOMINEE, reason="Top of the ranking")
    set_outcome(case=second, by=coordinator, outcome=Outcome.NOMINEE)
    with pytest.raises(WrongState, match="already has 2 nominees"):
        set_outcome(case=third, by=coordinator, outcome=Outcome.NOMINEE)
    set_outcome(case=elsewhere, by=coordinator, outcome=Outcome.NOMINEE)
    set_outcome(case=third, by=coordinator, outcome=Outcome.CERTIFICATE)

    log = DecisionLog.objects.filter(action=DecisionAction.OUTCOME, case=first).get()
    assert (log.before, log.after, log.actor, log.reason) == (
        "No distinction",
        "Nominee",
        coordinator,
        "Top of the ranking",
    )
    assert Case.objects.get(pk=third.pk).outcome == Outcome.CERTIFICATE


def test_winners_are_placed_among_nominees_by_the_jury(edition, coordinator):
    category = CategoryFactory(edition=edition)
    nominee, other_nominee, plain = EligibleCaseFactory.create_batch(
        3, edition=edition, category=category
    )
    set_outcome(case=nominee, by=coordinator, outcome=Outcome.NOMINEE)
    set_outcome(case=other_nominee, by=coordinator, outcome=Outcome.NOMINEE)
    with pytest.raises(PhaseClosed):
        set_outcome(case=nominee, by=coordinator, outcome=Outcome.WINNER, place=1)
    set_phase(edition=edition, by=coordinator, phase=EditionPhase.JURY)
    nominee.refresh_from_db()
    with pytest.raises(InvalidInput):
        set_outcome(case=nominee, by=coordinator, outcome=Outcome.WINNER, place=4)
    with pytest.raises(WrongState, match="nominee first"):
        set_outcome(case=plain, by=coordinator, outcome=Outcome.WINNER, place=2)
    set_outcome(case=nominee, by=coordinator, outcome=Outcome.WINNER, place=1)
    with pytest.raises(WrongState, match="Place 1"):
        set_outcome(case=other_nominee, by=coordinator, outcome=Outcome.WINNER, place=1)
    set_outcome(case=other_nominee, by=coordinator, outcome=Outcome.WINNER, place=2)
    nominee.refresh_from_db()
    assert (nominee.outcome, nominee.place) == (Outcome.WINNER, 1)
    assert DecisionLog.objects.filter(action=DecisionAction.PHASE).get().after == "Jury"
    with pytest.raises(StaleForm):
        set_outcome(
            case=nominee,
            by=coordinator,
            outcome=Outcome.NOMINEE,
            expected_version=nominee.version - 1,
        )


def test_outcomes_need_an_eligible_entry_and_the_right_phase(edition, coordinator):
    with pytest.raises(WrongState):
        set_outcome(case=SubmittedCaseFactory(edition=edition), by=coordinator, outcome="nominee")
    case = EligibleCaseFactory(edition=edition)
    with pytest.raises(InvalidInput):
        set_outcome(case=case, by=coordinator, outcome="gold")
    set_phase(
        edition=edition,
        by=coordinator,
        phase=EditionPhase.EVALUATION,
        confirmed=True,
        reason="Scores need a second look",
    )
    with pytest.raises(PhaseClosed):
        set_outcome(case=case, by=coordinator, outcome=Outcome.NOMINEE)


def test_results_mail_every_applicant_once(edition, coordinator):
    cases = EligibleCaseFactory.create_batch(2, edition=edition)
    SubmittedCaseFactory(edition=edition)  # never screened: no result to announce
    with pytest.raises(PhaseClosed):
        publish_results(edition=edition, by=coordinator)
    set_phase(edition=edition, by=coordinator, phase=EditionPhase.JURY)
    with committed():
        publish_results(edition=edition, by=coordinator)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(c.created_by.email for c in cases)
    assert "No distinction" in mail.outbox[0].body
    with pytest.raises(WrongState):
        publish_results(edition=edition, by=coordinator)
    with pytest.raises(WrongState, match="outcomes can no longer change"):
        set_outcome(case=cases[0], by=coordinator, outcome=Outcome.CERTIFICATE)


def test_publication_takes_consenting_cases_with_the_evaluators_profile(edition, coordinator):
    consenting = EligibleCaseFactory(edition=edition, publication_consent=True)
    refusing = EligibleCaseFactory(edition=edition, publication_consent=False)
    submitted_review(AssignmentFactory(case=consenting), factor_scores=[4, 3, 2, 1, 0, 4, 4, 4])
    submitted_review(AssignmentFactory(case=consenting), factor_scores=[3, 3, 2, 2, 1, 4, 3, 4])
    FactorProfileValue.objects.create(
        case=consenting,
        factor=EcosystemFactor.objects.order_by("order").first(),
        value=1,
        source=FactorProfileSource.SELF_ASSESSMENT,
    )
    set_phase(edition=edition, by=coordinator, phase=EditionPhase.JURY)
    with pytest.raises(WrongState, match="results first"):
        publish_cases(edition=edition, by=coordinator)
    publish_results(edition=edition, by=coordinator)

    published = publish_cases(edition=edition, by=coordinator)

    assert [case.pk for case in published] == [consenting.pk]
    consenting.refresh_from_db()
    refusing.refresh_from_db()
    assert consenting.is_published and consenting.published_at is not None
    assert not refusing.is_published
    values = list(
        FactorProfileValue.objects.filter(case=consenting)
        .order_by("factor__order")
        .values_list("value", "source")
    )
    assert [value for value, _source in values] == [
        Decimal("3.50"),
        Decimal("3.00"),
        Decimal("2.00"),
        Decimal("1.50"),
        Decimal("0.50"),
        Decimal("4.00"),
        Decimal("3.50"),
        Decimal("4.00"),
    ]
    assert {source for _value, source in values} == {FactorProfileSource.CONSENSUS}
    assert DecisionLog.objects.filter(action=DecisionAction.CASE_PUBLISHED).count() == 1
    assert publish_cases(edition=edition, by=coordinator) == []


def test_consensus_profile_leaves_cases_without_scores_alone(edition):
    case = EligibleCaseFactory(edition=edition)
    assert store_consensus_profiles([case.pk]) == {}


def test_published_cases_count_in_the_library_at_once_despite_cached_counts(
    client, edition, coordinator, django_capture_on_commit_callbacks
):
    """Publication writes with a queryset update (no signals) yet must refresh facet counts."""
    EligibleCaseFactory(edition=edition, publication_consent=True, title="Harbour pact")
    set_phase(edition=edition, by=coordinator, phase=EditionPhase.JURY)
    publish_results(edition=edition, by=coordinator)
    assert client.get("/library/").context["total"] == 0  # counts now cached

    with django_capture_on_commit_callbacks(execute=True):
        publish_cases(edition=edition, by=coordinator)

    after = client.get("/library/")
    assert after.context["total"] == 1
    assert "Harbour pact" in after.content.decode()
