"""The outbox records every message and the queue delivers it: sent, retried with backoff,
or failed with its error; keys make reminders and group messages idempotent."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from cases.domain import outbox
from cases.domain.notifications import send_after_commit, send_templated_mail
from cases.domain.queue import backoff, retry_later
from cases.models import EmailStatus, OutboundEmail
from cases.tasks import send_emails
from tests.committing import committed
from tests.factories import CoordinatorFactory, EligibleCaseFactory, SubmittedCaseFactory

pytestmark = pytest.mark.django_db

FAILING = "tests.applications.failing_mail.Backend"
REFUSES_SOME = "tests.applications.failing_mail.RefusesSomeBackend"
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class Rollback(Exception):
    pass


def test_a_message_is_recorded_with_its_edition_and_case_then_sent():
    case = SubmittedCaseFactory()
    with committed():
        queued = send_templated_mail(
            name="application_withdrawn",
            recipients=["ann@example.eu", "ann@example.eu", ""],
            context={"case": case, "withdrawn_by": case.created_by, "link": "x"},
        )
    assert queued == 1
    email = OutboundEmail.objects.get()
    assert (email.to, email.template, email.edition, email.case) == (
        "ann@example.eu",
        "application_withdrawn",
        case.edition,
        case,
    )
    assert email.status == EmailStatus.SENT and email.attempts == 1 and email.sent_at
    assert [m.to for m in mail.outbox] == [["ann@example.eu"]]
    assert mail.outbox[0].subject == email.subject


def test_a_rolled_back_decision_leaves_no_row_and_sends_nothing():
    with committed(), pytest.raises(Rollback), transaction.atomic():
        send_after_commit(name="t", subject="S", body="B", recipients=["a@example.eu"])
        assert OutboundEmail.objects.count() == 1
        raise Rollback
    assert OutboundEmail.objects.count() == 0
    assert mail.outbox == []


def test_a_refused_message_is_failed_with_its_error_and_others_are_sent(settings):
    settings.EMAIL_BACKEND = REFUSES_SOME
    with committed():
        send_after_commit(
            name="t", subject="S", body="B", recipients=["refused@example.eu", "zoe@example.eu"]
        )
    failed = OutboundEmail.objects.get(to="refused@example.eu")
    assert failed.status == EmailStatus.FAILED
    assert "ConnectionRefusedError" in failed.last_error and failed.attempts == 1
    assert OutboundEmail.objects.get(to="zoe@example.eu").status == EmailStatus.SENT


def test_a_key_records_each_person_once():
    for _ in range(2):
        with committed():
            send_after_commit(
                name="t", subject="S", body="B", recipients=["a@example.eu"], key="step:1"
            )
    assert OutboundEmail.objects.filter(key="step:1:a@example.eu").count() == 1
    assert len(mail.outbox) == 1


def test_delivery_is_idempotent():
    with committed():
        send_after_commit(name="t", subject="S", body="B", recipients=["a@example.eu"])
    email = OutboundEmail.objects.get()
    assert outbox.deliver_emails(email_ids=[email.pk]) == 0
    assert len(mail.outbox) == 1


def test_a_failed_message_can_be_sent_again(settings):
    settings.EMAIL_BACKEND = FAILING
    case = EligibleCaseFactory()
    with committed():
        send_after_commit(name="t", subject="S", body="B", recipients=["a@example.eu"], case=case)
    email = OutboundEmail.objects.get()
    assert email.status == EmailStatus.FAILED
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with committed():
        outbox.retry_email(email=email, by=CoordinatorFactory())
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT and email.attempts == 2
    with pytest.raises(outbox.NotRetryable):
        outbox.retry_email(email=email, by=CoordinatorFactory())


def test_backoff_doubles_up_to_an_hour():
    assert [backoff(n).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]
    assert backoff(20) == timedelta(hours=1)


def test_a_backend_that_cannot_defer_gets_no_retry():
    assert retry_later(send_emails, attempt=1, email_ids=[1]) is None


def test_with_the_database_backend_a_refused_message_is_retried_later(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE_TASKS
    settings.EMAIL_BACKEND = FAILING
    with committed():
        send_after_commit(name="t", subject="S", body="B", recipients=["a@example.eu"])
    email = OutboundEmail.objects.get()
    queued = DBTaskResult.objects.get()
    assert queued.args_kwargs["kwargs"] == {"email_ids": [email.pk]}
    outbox.deliver_emails(email_ids=[email.pk], attempt=1)
    email.refresh_from_db()
    assert email.status == EmailStatus.QUEUED and email.attempts == 1
    assert "mail server is down" in email.last_error
    retry = DBTaskResult.objects.exclude(pk=queued.pk).get()
    assert retry.args_kwargs["kwargs"] == {"email_ids": [email.pk], "attempt": 2}
    assert retry.run_after > timezone.now() + timedelta(seconds=20)
    # The last attempt marks it failed instead of retrying.
    outbox.deliver_emails(email_ids=[email.pk], attempt=settings.TASKS_MAX_ATTEMPTS)
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED and email.attempts == 2


def test_stalled_queued_messages_are_enqueued_again(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE_TASKS
    with committed():
        send_after_commit(name="t", subject="S", body="B", recipients=["a@example.eu"])
    DBTaskResult.objects.all().delete()  # the task was lost
    assert outbox.requeue_stalled() == 0  # not yet overdue
    later = timezone.now() + outbox.STALLED_AFTER + timedelta(minutes=1)
    with committed():
        assert outbox.requeue_stalled(now=later) == 1
    assert DBTaskResult.objects.count() == 1
