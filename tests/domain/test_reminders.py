"""Reminders go by themselves, once per person and step, only where the edition wants them."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from cases.domain.reminders import due_step, send_due_reminders
from cases.models import CaseStatus, OutboundEmail
from tests.committing import committed
from tests.factories import (
    AssignmentFactory,
    CaseFactory,
    CoordinatorFactory,
    EditionFactory,
    EligibleCaseFactory,
    EvaluationEditionFactory,
    MembershipFactory,
    submitted_review,
)

pytestmark = pytest.mark.django_db


def run(now=None):
    with committed():
        return send_due_reminders(now=now)


def test_the_most_urgent_step_reached_is_due():
    now = timezone.now()
    steps = (14, 3, 1)
    assert due_step(now + timedelta(days=20), steps, now) is None
    assert due_step(now + timedelta(days=10), steps, now) == 14
    assert due_step(now + timedelta(days=2), steps, now) == 3
    assert due_step(now + timedelta(hours=5), steps, now) == 1
    assert due_step(now - timedelta(hours=5), steps, now) is None


def test_draft_reminders_at_14_3_and_1_days_once_each():
    now = timezone.now()
    edition = EditionFactory(deadline=now + timedelta(days=13))
    member = MembershipFactory()
    draft = CaseFactory(edition=edition, lead_organisation=member.organisation)
    CaseFactory(edition=edition, status=CaseStatus.SUBMITTED)  # submitted: no reminder
    assert run(now) == 1
    assert run(now) == 0  # the same step again: nothing
    assert run(now + timedelta(days=11)) == 1  # the 3-day step
    assert run(now + timedelta(days=12, hours=1)) == 1  # the 1-day step
    emails = OutboundEmail.objects.filter(template="reminders/draft").order_by("pk")
    assert [e.key.split(":")[4] for e in emails] == ["14", "3", "1"]
    assert {e.to for e in emails} == {member.user.email}
    assert all(e.case == draft for e in emails)
    assert "13 days left" not in mail.outbox[0].subject
    assert draft.title in mail.outbox[0].body


def test_an_edition_with_reminders_off_gets_none():
    now = timezone.now()
    edition = EditionFactory(deadline=now + timedelta(days=2), reminders_enabled=False)
    CaseFactory(edition=edition, lead_organisation=MembershipFactory().organisation)
    assert run(now) == 0
    assert mail.outbox == []


def test_evaluators_with_pending_reviews_are_reminded_and_coordinators_told_when_complete():
    now = timezone.now()
    edition = EvaluationEditionFactory(evaluation_deadline=now + timedelta(days=6))
    coordinator = CoordinatorFactory(editions=[edition])
    done = AssignmentFactory(case=EligibleCaseFactory(edition=edition))
    submitted_review(done)
    pending = AssignmentFactory(case=EligibleCaseFactory(edition=edition))
    assert run(now) == 2
    reminder = OutboundEmail.objects.get(template="reminders/reviews_pending")
    assert reminder.to == pending.evaluator.email
    complete = OutboundEmail.objects.get(template="reminders/reviews_complete")
    assert complete.to == coordinator.email and complete.case == done.case
    assert run(now) == 0
    assert run(now + timedelta(days=5)) == 1  # the 2-day step


def test_a_declared_conflict_is_told_once_and_only_where_notices_are_on():
    from cases.domain.evaluation.conflicts import declare_conflict

    edition = EvaluationEditionFactory()
    coordinator = CoordinatorFactory(editions=[edition])
    assignment = AssignmentFactory(case=EligibleCaseFactory(edition=edition))
    with committed():
        declare_conflict(assignment=assignment, by=assignment.evaluator, reason="My cousin.")
    told = OutboundEmail.objects.get(template="evaluation/conflict_declared")
    assert told.to == coordinator.email and told.key.startswith("conflict:")
    quiet = EvaluationEditionFactory(reminders_enabled=False)
    CoordinatorFactory(editions=[quiet])
    other = AssignmentFactory(case=EligibleCaseFactory(edition=quiet))
    with committed():
        declare_conflict(assignment=other, by=other.evaluator, reason="My sister.")
    assert OutboundEmail.objects.filter(template="evaluation/conflict_declared").count() == 1
