import threading

import pytest
from django.core import mail
from django.db import close_old_connections, connection

from cases.domain.evaluation.eligibility import screen_case
from cases.domain.evaluation.errors import InvalidInput, PhaseClosed, StaleForm, WrongState
from cases.models import (
    Case,
    CaseStatus,
    DecisionAction,
    DecisionLog,
    EditionPhase,
    IneligibilityReason,
)
from tests.committing import committed
from tests.factories import (
    CaseFactory,
    CoordinatorFactory,
    EvaluationEditionFactory,
    SubmittedCaseFactory,
    ensure_seed_data,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return EvaluationEditionFactory(slug="epsa-2023", phase=EditionPhase.ELIGIBILITY)


def test_eligible_entries_get_sequential_numbers_and_the_applicant_is_told(edition):
    coordinator = CoordinatorFactory(editions=[edition])
    first, second = SubmittedCaseFactory.create_batch(2, edition=edition)

    with committed():
        screen_case(case=first, by=coordinator, eligible=True)
        screen_case(case=second, by=coordinator, eligible=True)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.registration_number == "EPSA2023-0001"
    assert second.registration_number == "EPSA2023-0002"
    assert first.status == CaseStatus.ELIGIBLE
    assert len(mail.outbox) == 2
    assert mail.outbox[0].to == [first.created_by.email]
    assert "EPSA2023-0001" in mail.outbox[0].subject
    entry = DecisionLog.objects.get(case=first)
    assert entry.action == DecisionAction.SCREENED
    assert entry.actor == coordinator
    assert entry.before == "Submitted" and entry.after == "Eligible"


def test_registration_prefix_overrides_the_slug(edition):
    edition.registration_prefix = "EPSA23"
    edition.save()
    case = SubmittedCaseFactory(edition=edition)
    screen_case(case=case, by=CoordinatorFactory(), eligible=True)
    case.refresh_from_db()
    assert case.registration_number == "EPSA23-0001"


def test_ineligible_needs_a_reason_and_keeps_it(edition):
    case = SubmittedCaseFactory(edition=edition)
    coordinator = CoordinatorFactory()
    with pytest.raises(InvalidInput):
        screen_case(case=case, by=coordinator, eligible=False, reason="")
    with pytest.raises(InvalidInput):
        screen_case(case=case, by=coordinator, eligible=False, reason=IneligibilityReason.OTHER)

    with committed():
        screen_case(
            case=case,
            by=coordinator,
            eligible=False,
            reason=IneligibilityReason.LEAD_NOT_PUBLIC,
            note="The lead is a private foundation.",
        )
    case.refresh_from_db()
    assert case.status == CaseStatus.INELIGIBLE
    assert case.registration_number is None
    assert case.screening.reason == IneligibilityReason.LEAD_NOT_PUBLIC
    assert "private foundation" in mail.outbox[0].body
    assert "not a public-sector body" in mail.outbox[0].body


def test_rescreening_keeps_the_number_and_never_reuses_it(edition):
    coordinator = CoordinatorFactory()
    case = SubmittedCaseFactory(edition=edition)
    screen_case(case=case, by=coordinator, eligible=True)
    screen_case(case=case, by=coordinator, eligible=False, reason=IneligibilityReason.DUPLICATE)
    screen_case(case=case, by=coordinator, eligible=True)
    other = SubmittedCaseFactory(edition=edition)
    screen_case(case=other, by=coordinator, eligible=True)
    case.refresh_from_db()
    other.refresh_from_db()
    assert case.registration_number == "EPSA2023-0001"
    assert other.registration_number == "EPSA2023-0002"
    assert DecisionLog.objects.filter(case=case).count() == 3


def test_stale_form_and_wrong_state_and_closed_phase_are_refused(edition):
    coordinator = CoordinatorFactory()
    case = SubmittedCaseFactory(edition=edition)
    with pytest.raises(StaleForm):
        screen_case(case=case, by=coordinator, eligible=True, expected_version=case.version + 1)
    draft = CaseFactory(edition=edition, status=CaseStatus.DRAFT)
    with pytest.raises(WrongState):
        screen_case(case=draft, by=coordinator, eligible=True)
    edition.phase = EditionPhase.CLOSED
    edition.save()
    with pytest.raises(PhaseClosed):
        screen_case(case=case, by=coordinator, eligible=True)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUBMITTED
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_coordinators_screening_at_once_get_distinct_sequential_numbers():
    ensure_seed_data()  # a transactional test before this one may have flushed them
    edition = EvaluationEditionFactory(slug="epsa-2024", phase=EditionPhase.ELIGIBILITY)
    coordinator = CoordinatorFactory()
    cases = SubmittedCaseFactory.create_batch(6, edition=edition)
    barrier = threading.Barrier(len(cases))
    failures = []

    def screen(case):
        try:
            barrier.wait(timeout=10)
            screen_case(case=case, by=coordinator, eligible=True)
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(error)
        finally:
            close_old_connections()
            connection.close()

    # On SQLite too: the test database is a file (tests/settings.py), so each thread has its
    # own connection and waits for the write lock (immediate transactions, busy timeout).
    threads = [threading.Thread(target=screen, args=(case,)) for case in cases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    numbers = sorted(
        Case.objects.filter(edition=edition).values_list("registration_number", flat=True)
    )
    assert numbers == [f"EPSA2024-{n:04d}" for n in range(1, 7)]


def test_a_published_entry_cannot_be_screened_out_of_eligibility(edition):
    from django.utils import timezone

    case = SubmittedCaseFactory(edition=edition)
    Case.objects.filter(pk=case.pk).update(
        status=CaseStatus.ELIGIBLE, is_published=True, published_at=timezone.now()
    )
    with pytest.raises(WrongState, match="published in the library"):
        screen_case(
            case=case,
            by=CoordinatorFactory(),
            eligible=False,
            reason=IneligibilityReason.INCOMPLETE,
        )
    case.refresh_from_db()
    assert case.status == CaseStatus.ELIGIBLE and case.is_published
