"""Phases and publication hold: results sent close the call for good, and a published case
changes only by a coordinator's recorded decision."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from cases.domain.evaluation.errors import InvalidInput, NotAllowed, WrongState
from cases.domain.evaluation.outcomes import set_outcome
from cases.domain.evaluation.phases import set_phase
from cases.domain.evaluation.revision import revise_published_case
from cases.models import Case, DecisionAction, DecisionLog, Edition, EditionPhase, Outcome
from tests.factories import (
    CaseFactory,
    CategoryFactory,
    CoordinatorFactory,
    EditionFactory,
    PublishedCaseFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return EditionFactory(phase=EditionPhase.CLOSED, results_published_at=timezone.now())


@pytest.fixture
def coordinator(edition):
    return CoordinatorFactory(editions=[edition])


@pytest.fixture
def published(edition):
    return PublishedCaseFactory(
        edition=edition, category=CategoryFactory(edition=edition), outcome=Outcome.NOMINEE
    )


@pytest.mark.parametrize("phase", [EditionPhase.OPEN, EditionPhase.DRAFT])
def test_an_edition_whose_results_were_sent_never_takes_entries_again(edition, coordinator, phase):
    with pytest.raises(WrongState) as refused:
        set_phase(edition=edition, by=coordinator, phase=phase, confirmed=True, reason="Oops")
    assert refused.value.status == 409
    edition.refresh_from_db()
    assert edition.phase == EditionPhase.CLOSED
    # Other moves back stay possible, confirmed and explained.
    set_phase(
        edition=edition, by=coordinator, phase=EditionPhase.JURY, confirmed=True, reason="Recount"
    )


def test_changing_the_phase_answers_409_to_reopening(client, edition, coordinator):
    client.force_login(coordinator)
    url = reverse("coordination:change_phase", args=[edition.slug])
    data = {"phase": "open", "current": "closed", "confirm": "on", "reason": "More entries"}
    response = client.post(url, {**data, "step": "confirm"})
    assert response.status_code == 409
    assert "cannot take entries again" in response.content.decode()
    edition.refresh_from_db()
    assert edition.phase == EditionPhase.CLOSED


def test_the_normal_outcome_form_no_longer_changes_a_published_case(published, coordinator):
    # Even back in the jury phase: the results are sent.
    Edition.objects.filter(pk=published.edition_id).update(phase=EditionPhase.JURY)
    with pytest.raises(WrongState):
        set_outcome(case=published, by=coordinator, outcome=Outcome.NONE)


def test_a_coordinator_revises_a_published_outcome_with_a_recorded_reason(published, coordinator):
    revised = revise_published_case(
        case=published,
        by=coordinator,
        outcome=Outcome.WINNER,
        place=2,
        reason="The jury's minutes were misread.",
        confirmed=True,
    )
    assert (revised.outcome, revised.place, revised.is_published) == (Outcome.WINNER, 2, True)
    log = DecisionLog.objects.get(case=published)
    assert log.action == DecisionAction.PUBLISHED_OUTCOME_REVISED
    assert log.reason == "The jury's minutes were misread."
    assert log.actor == coordinator
    assert log.after == "Winner, place 2"


def test_withdrawing_from_the_library_is_recorded_and_the_page_goes(client, published, coordinator):
    assert client.get(reverse("library:case", args=[published.slug])).status_code == 200
    revise_published_case(
        case=published,
        by=coordinator,
        outcome=published.outcome,
        unpublish=True,
        reason="The applicant withdrew consent.",
        confirmed=True,
    )
    published.refresh_from_db()
    assert not published.is_published and published.published_at is None
    assert DecisionLog.objects.get(case=published).action == DecisionAction.CASE_UNPUBLISHED
    assert client.get(reverse("library:case", args=[published.slug])).status_code == 404


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"reason": "  "}, InvalidInput),
        ({"confirmed": False}, InvalidInput),
        ({"outcome": Outcome.NOMINEE}, InvalidInput),  # nothing would change
        ({"outcome": Outcome.WINNER, "place": None}, InvalidInput),
    ],
)
def test_a_revision_needs_a_reason_a_confirmation_and_a_change(
    published, coordinator, changes, error
):
    arguments = {"outcome": Outcome.NONE, "reason": "Correction", "confirmed": True, **changes}
    with pytest.raises(error):
        revise_published_case(case=published, by=coordinator, **arguments)
    published.refresh_from_db()
    assert published.outcome == Outcome.NOMINEE
    assert not DecisionLog.objects.exists()


def test_only_the_editions_coordinators_revise(published):
    for outsider in (CoordinatorFactory(editions=[EditionFactory()]), UserFactory()):
        with pytest.raises(NotAllowed):
            revise_published_case(
                case=published, by=outsider, outcome=Outcome.NONE, reason="x", confirmed=True
            )


def test_a_case_not_in_the_library_is_not_revised_here(edition, coordinator):
    case = CaseFactory(edition=edition, status="eligible", outcome=Outcome.NOMINEE)
    with pytest.raises(WrongState):
        revise_published_case(
            case=case, by=coordinator, outcome=Outcome.NONE, reason="x", confirmed=True
        )


def test_a_place_already_given_is_refused(published, coordinator):
    PublishedCaseFactory(
        edition=published.edition, category=published.category, outcome=Outcome.WINNER, place=1
    )
    with pytest.raises(WrongState):
        revise_published_case(
            case=published,
            by=coordinator,
            outcome=Outcome.WINNER,
            place=1,
            reason="x",
            confirmed=True,
        )


def revise_url(case):
    return reverse("coordination:revise_case", args=[case.edition.slug, case.pk])


def test_the_revision_page_confirms_records_and_keeps_what_was_typed(
    client, published, coordinator
):
    client.force_login(coordinator)
    case_page = reverse("coordination:case", args=[published.edition.slug, published.pk])
    assert revise_url(published) in client.get(case_page).content.decode()
    assert client.get(revise_url(published)).status_code == 200

    data = {"version": published.version, "outcome": "none", "reason": "Duplicate entry"}
    response = client.post(revise_url(published), data)  # not confirmed
    assert response.status_code == 400
    assert "Duplicate entry" in response.content.decode()
    assert not DecisionLog.objects.exists()

    response = client.post(revise_url(published), {**data, "confirm": "on", "unpublish": "on"})
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.outcome == Outcome.NONE and not published.is_published
    assert DecisionLog.objects.filter(case=published).count() == 2


def test_a_stale_revision_is_refused_with_409(client, published, coordinator):
    client.force_login(coordinator)
    data = {"version": published.version - 1, "outcome": "none", "reason": "x", "confirm": "on"}
    assert client.post(revise_url(published), data).status_code == 409


def test_the_revision_page_of_an_unpublished_case_says_why_with_409(client, edition, coordinator):
    case = CaseFactory(edition=edition, status="eligible")
    client.force_login(coordinator)
    response = client.get(revise_url(case))
    assert response.status_code == 409
    assert "not in the library" in response.content.decode()


def _admin_request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_the_admin_shows_an_editions_phase_read_only(edition):
    model_admin = admin.site._registry[Edition]
    superuser = UserFactory(is_staff=True, is_superuser=True)
    assert "phase" in model_admin.get_readonly_fields(_admin_request(superuser), edition)
    assert "phase" not in model_admin.get_readonly_fields(_admin_request(superuser), None)


def test_the_admin_lists_drafts_to_superusers_only():
    draft = CaseFactory(status="draft")
    submitted = CaseFactory(status="submitted")
    model_admin = admin.site._registry[Case]
    staff = UserFactory(is_staff=True)
    superuser = UserFactory(is_staff=True, is_superuser=True)
    assert set(model_admin.get_queryset(_admin_request(staff))) == {submitted}
    assert set(model_admin.get_queryset(_admin_request(superuser))) == {draft, submitted}
