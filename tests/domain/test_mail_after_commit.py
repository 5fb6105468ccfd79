"""Notifications leave only once the decision is committed, and a refusing mail server is
logged, never undoing the decision nor turning the user's request into an error page."""

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cases.domain import applications as app
from cases.domain.evaluation.conflicts import declare_conflict
from cases.domain.evaluation.eligibility import screen_case
from cases.domain.evaluation.phases import set_phase
from cases.domain.evaluation.publication import publish_results
from cases.domain.notifications import send_templated_mail
from cases.models import Case, CaseStatus, Conflict, EditionPhase, MembershipStatus, Role
from tests.applications.conftest import fill_every_section
from tests.committing import committed
from tests.factories import (
    AssignmentFactory,
    CategoryFactory,
    CoordinatorFactory,
    EditionFactory,
    EligibleCaseFactory,
    EvaluationEditionFactory,
    MembershipFactory,
    SubmittedCaseFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

FAILING = "tests.applications.failing_mail.Backend"
REFUSES_SOME = "tests.applications.failing_mail.RefusesSomeBackend"


class Rollback(Exception):
    pass


def applicant():
    return UserFactory(roles=[Role.APPLICANT], email_verified_at=timezone.now())


def test_nothing_is_sent_when_the_transaction_is_rolled_back():
    with committed(), pytest.raises(Rollback), transaction.atomic():
        queued = send_templated_mail(
            name="application_withdrawn",
            recipients=["ann@example.eu"],
            context={"case": SubmittedCaseFactory(), "withdrawn_by": UserFactory(), "link": "x"},
        )
        assert queued == 1
        assert mail.outbox == []  # not before the commit
        raise Rollback
    assert mail.outbox == []


def test_a_submission_that_fails_after_the_mail_is_queued_tells_nobody(monkeypatch):
    edition = EditionFactory(slug="epsa-2026")
    category = CategoryFactory(edition=edition)
    member = MembershipFactory(status=MembershipStatus.APPROVED, user=applicant())
    draft = app.start_application(
        user=member.user, edition=edition, organisation=member.organisation
    )
    fill_every_section(draft, member.user, category)
    mail.outbox.clear()

    def fail_after_queueing(*args, **kwargs):
        original(*args, **kwargs)
        raise Rollback

    original = app.send_templated_mail
    monkeypatch.setattr(app, "send_templated_mail", fail_after_queueing)
    with committed(), pytest.raises(Rollback):
        app.submit_case(case=draft, user=member.user, link_base="http://x")
    assert mail.outbox == []
    assert Case.objects.get(pk=draft.pk).status == CaseStatus.DRAFT


def test_results_reach_the_others_when_one_mailbox_refuses(settings):
    settings.EMAIL_BACKEND = REFUSES_SOME
    edition = EvaluationEditionFactory(phase=EditionPhase.CONSENSUS)
    coordinator = CoordinatorFactory(editions=[edition])
    first = EligibleCaseFactory(edition=edition, created_by__email="ann@example.eu")
    EligibleCaseFactory(edition=edition, created_by__email="refused@example.eu")
    last = EligibleCaseFactory(edition=edition, created_by__email="zoe@example.eu")
    set_phase(edition=edition, by=coordinator, phase=EditionPhase.JURY)
    with committed():
        publish_results(edition=edition, by=coordinator)
    edition.refresh_from_db()
    assert edition.results_are_published
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [first.created_by.email, last.created_by.email]
    )


def test_screening_is_kept_when_the_mail_server_is_down(settings, client):
    settings.EMAIL_BACKEND = FAILING
    edition = EvaluationEditionFactory(slug="epsa-2026")
    coordinator = CoordinatorFactory(editions=[edition])
    case = SubmittedCaseFactory(edition=edition)
    client.force_login(coordinator)
    with committed():
        response = client.post(
            reverse("coordination:screen", args=[edition.slug]),
            {"case": case.pk, "version": case.version, "decision": "eligible"},
        )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.ELIGIBLE


def test_domain_decisions_do_not_raise_when_the_mail_server_is_down(settings):
    settings.EMAIL_BACKEND = FAILING
    edition = EvaluationEditionFactory()
    CoordinatorFactory(editions=[edition])
    case = SubmittedCaseFactory(edition=edition)
    with committed():
        screen_case(case=case, by=CoordinatorFactory(editions=[edition]), eligible=True)
    assignment = AssignmentFactory(case__edition=edition)
    with committed():
        declare_conflict(assignment=assignment, by=assignment.evaluator, reason="My cousin.")
    assert Conflict.objects.filter(case=assignment.case).exists()


def test_submission_page_answers_normally_when_the_mail_server_is_down(settings, client):
    settings.EMAIL_BACKEND = FAILING
    edition = EditionFactory(slug="epsa-2026")
    category = CategoryFactory(edition=edition)
    member = MembershipFactory(status=MembershipStatus.APPROVED, user=applicant())
    user = member.user
    draft = app.start_application(user=user, edition=edition, organisation=member.organisation)
    fill_every_section(draft, user, category)
    client.force_login(user)
    with committed():
        response = client.post(reverse("applications:review", kwargs={"pk": draft.pk}))
    assert response.status_code == 302
    assert Case.objects.get(pk=draft.pk).status == CaseStatus.SUBMITTED
