import datetime

import pytest
from django.utils import timezone

from cases.domain.evaluation.errors import InvalidInput, PhaseClosed, StaleForm
from cases.domain.evaluation.phases import describe_change, set_phase
from cases.domain.evaluation.publication import publish_results
from cases.models import DecisionAction, DecisionLog, EditionPhase
from tests.factories import CoordinatorFactory, EditionFactory

pytestmark = pytest.mark.django_db


def make(phase, **kwargs):
    edition = EditionFactory(phase=phase, **kwargs)
    return edition, CoordinatorFactory(editions=[edition])


def test_forward_by_several_steps_needs_no_confirmation():
    edition, coordinator = make(EditionPhase.ELIGIBILITY)
    set_phase(edition=edition, by=coordinator, phase=EditionPhase.JURY)
    edition.refresh_from_db()
    assert edition.phase == EditionPhase.JURY
    log = DecisionLog.objects.get(action=DecisionAction.PHASE)
    assert (log.before, log.after, log.reason) == ("Eligibility screening", "Jury", "")


def test_leaving_open_before_the_deadline_needs_confirmation():
    edition, coordinator = make(EditionPhase.OPEN)
    assert describe_change(edition=edition, phase=EditionPhase.EVALUATION).ends_submissions_early
    with pytest.raises(InvalidInput, match="end them early"):
        set_phase(edition=edition, by=coordinator, phase=EditionPhase.ELIGIBILITY)
    edition.refresh_from_db()
    assert edition.phase == EditionPhase.OPEN
    set_phase(edition=edition, by=coordinator, phase=EditionPhase.ELIGIBILITY, confirmed=True)
    edition.refresh_from_db()
    assert edition.phase == EditionPhase.ELIGIBILITY


def test_leaving_open_after_the_deadline_needs_no_confirmation():
    past = timezone.now() - datetime.timedelta(hours=1)
    edition, coordinator = make(
        EditionPhase.OPEN, submissions_open_at=past - datetime.timedelta(days=5), deadline=past
    )
    assert not describe_change(edition=edition, phase=EditionPhase.ELIGIBILITY).needs_confirmation
    set_phase(edition=edition, by=coordinator, phase=EditionPhase.ELIGIBILITY)
    edition.refresh_from_db()
    assert edition.phase == EditionPhase.ELIGIBILITY


def test_moving_back_needs_confirmation_and_a_logged_reason():
    edition, coordinator = make(EditionPhase.CONSENSUS)
    assert describe_change(edition=edition, phase=EditionPhase.EVALUATION).backward
    with pytest.raises(InvalidInput, match="confirmation"):
        set_phase(edition=edition, by=coordinator, phase=EditionPhase.EVALUATION, reason="x")
    with pytest.raises(InvalidInput, match="reason"):
        set_phase(edition=edition, by=coordinator, phase=EditionPhase.EVALUATION, confirmed=True)
    with pytest.raises(InvalidInput, match="reason"):
        set_phase(
            edition=edition,
            by=coordinator,
            phase=EditionPhase.EVALUATION,
            confirmed=True,
            reason="   ",
        )
    assert not DecisionLog.objects.exists()
    set_phase(
        edition=edition,
        by=coordinator,
        phase=EditionPhase.EVALUATION,
        confirmed=True,
        reason="Two reviews were lost",
    )
    edition.refresh_from_db()
    assert edition.phase == EditionPhase.EVALUATION
    log = DecisionLog.objects.get(action=DecisionAction.PHASE)
    assert (log.before, log.after, log.reason, log.actor) == (
        "Consensus",
        "Evaluation",
        "Two reviews were lost",
        coordinator,
    )


def test_closing_is_refused_until_the_results_are_published():
    edition, coordinator = make(EditionPhase.JURY)
    with pytest.raises(PhaseClosed, match="before its results are published") as refused:
        set_phase(edition=edition, by=coordinator, phase=EditionPhase.CLOSED)
    assert refused.value.status == 409
    publish_results(edition=edition, by=coordinator)
    edition.refresh_from_db()
    set_phase(edition=edition, by=coordinator, phase=EditionPhase.CLOSED)
    edition.refresh_from_db()
    assert edition.phase == EditionPhase.CLOSED


def test_unknown_phase_and_stale_phase_are_refused():
    edition, coordinator = make(EditionPhase.EVALUATION)
    with pytest.raises(InvalidInput):
        set_phase(edition=edition, by=coordinator, phase="party")
    with pytest.raises(StaleForm) as stale:
        set_phase(
            edition=edition,
            by=coordinator,
            phase=EditionPhase.CONSENSUS,
            expected_phase=EditionPhase.ELIGIBILITY,
        )
    assert stale.value.status == 409
    edition.refresh_from_db()
    assert edition.phase == EditionPhase.EVALUATION


def test_choosing_the_current_phase_changes_nothing_even_when_closed_without_results():
    edition, coordinator = make(EditionPhase.CLOSED)
    assert not describe_change(edition=edition, phase=EditionPhase.CLOSED).needs_confirmation
    set_phase(edition=edition, by=coordinator, phase=EditionPhase.CLOSED)
    assert not DecisionLog.objects.exists()
