"""The outbox: every e-mail of the portal is recorded here, then delivered by the queue.

:func:`record` stores one row per address (status *queued*) inside the caller's transaction,
so a rolled-back decision leaves no message behind; the delivery task is enqueued only after
the commit. :func:`deliver_emails` sends a batch over one mail-server connection, marks each
row *sent*, or keeps it *queued* for a retry with backoff, or marks it *failed* with the error
when no attempt is left. Coordinators see their editions' rows and may retry a failed one.
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.domain.evaluation.errors import EvaluationError
from cases.domain.queue import RETRYABLE_ERRORS, backoff, can_retry, enqueue_after_commit
from cases.models import EmailStatus, OutboundEmail

logger = logging.getLogger(__name__)

# Rows per delivery task: one connection each, small enough to retry cheaply.
BATCH_SIZE = 100
# A queued message this long past its planned attempt has lost its task (a worker stopped
# between the commit and the enqueue, say): the periodic sweep enqueues it again.
STALLED_AFTER = timezone.timedelta(minutes=10)


class NotRetryable(EvaluationError):
    status = 409
    default_message = _("Only a failed message can be sent again.")


def record(
    *,
    name: str,
    subject: str,
    body: str,
    recipients: Iterable[str],
    edition=None,
    case=None,
    message=None,
    key: str | None = None,
) -> list[int]:
    """Record one queued message per address and enqueue their delivery after the commit.

    With a ``key``, each address's row carries ``"<key>:<address>"`` and is recorded at most
    once: an address whose key is already in the outbox is skipped. Returns the new rows' ids.
    """
    addresses = list(dict.fromkeys(a.strip() for a in recipients if a and a.strip()))
    if not addresses:
        return []
    keys = {address: f"{key}:{address}"[:200] if key else None for address in addresses}
    if key:
        known = set(
            OutboundEmail.objects.filter(key__in=list(keys.values())).values_list("key", flat=True)
        )
        addresses = [a for a in addresses if keys[a] not in known]
    now = timezone.now()
    ids = []
    for address in addresses:
        row = OutboundEmail(
            to=address,
            subject=subject[:300],
            body=body,
            template=name[:100],
            edition=edition,
            case=case,
            message=message,
            key=keys[address],
            created_at=now,
            updated_at=now,
            next_attempt_at=now,
        )
        if key:
            # Another process may record the same step at the same moment: the unique key
            # keeps one, and this one steps aside without spoiling the caller's transaction.
            try:
                with transaction.atomic():
                    row.save()
            except IntegrityError:
                continue
        else:
            row.save()
        ids.append(row.pk)
    enqueue_delivery(ids)
    return ids


def enqueue_delivery(ids: list[int]) -> None:
    from cases.tasks import send_emails

    for start in range(0, len(ids), BATCH_SIZE):
        enqueue_after_commit(send_emails, email_ids=ids[start : start + BATCH_SIZE])


def _message(row: OutboundEmail, connection) -> EmailMessage:
    return EmailMessage(
        subject=row.subject,
        body=row.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.to],
        connection=connection,
    )


def deliver_emails(*, email_ids: list[int], attempt: int = 1) -> int:
    """Send the queued rows among ``email_ids``; return how many were sent now.

    Idempotent: a row already sent (or failed) is skipped, and each row is sent under its row
    lock, so two workers never send the same message twice.
    """
    from cases.tasks import send_emails

    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except RETRYABLE_ERRORS:
        # Each message below tries again, and records the error if the server is still away.
        logger.warning("Could not connect to the mail server", exc_info=True)
    sent, to_retry = 0, []
    try:
        for email_id in email_ids:
            with transaction.atomic():
                row = (
                    OutboundEmail.objects.select_for_update()
                    .filter(pk=email_id, status=EmailStatus.QUEUED)
                    .first()
                )
                if row is None:
                    continue
                row.attempts += 1
                row.updated_at = timezone.now()
                try:
                    _message(row, connection).send()
                except RETRYABLE_ERRORS as error:
                    logger.warning("Could not send e-mail %s to %s: %s", row.pk, row.to, error)
                    row.last_error = f"{type(error).__name__}: {error}"[:2000]
                    if can_retry(send_emails, attempt):
                        row.next_attempt_at = row.updated_at + backoff(row.attempts)
                        to_retry.append(row.pk)
                    else:
                        row.status = EmailStatus.FAILED
                except Exception as error:
                    logger.exception("E-mail %s to %s cannot be sent", row.pk, row.to)
                    row.last_error = f"{type(error).__name__}: {error}"[:2000]
                    row.status = EmailStatus.FAILED
                else:
                    row.status = EmailStatus.SENT
                    row.sent_at = row.updated_at
                    row.last_error = ""
                    sent += 1
                row.save(
                    update_fields=[
                        "attempts",
                        "updated_at",
                        "status",
                        "sent_at",
                        "last_error",
                        "next_attempt_at",
                    ]
                )
    finally:
        connection.close()
    if to_retry:
        send_emails.using(run_after=timezone.now() + backoff(attempt)).enqueue(
            email_ids=to_retry, attempt=attempt + 1
        )
    return sent


def requeue_stalled(now=None) -> int:
    """Enqueue again the queued messages whose planned attempt is long past."""
    now = now or timezone.now()
    ids = list(
        OutboundEmail.objects.filter(
            status=EmailStatus.QUEUED, next_attempt_at__lt=now - STALLED_AFTER
        ).values_list("pk", flat=True)[:1000]
    )
    if ids:
        OutboundEmail.objects.filter(pk__in=ids).update(next_attempt_at=now)
        enqueue_delivery(ids)
    return len(ids)


@transaction.atomic
def retry_email(*, email: OutboundEmail, by) -> OutboundEmail:
    """Queue a failed message again (a coordinator asked); its attempts keep counting."""
    locked = OutboundEmail.objects.select_for_update().get(pk=email.pk)
    if locked.status != EmailStatus.FAILED:
        raise NotRetryable
    now = timezone.now()
    locked.status = EmailStatus.QUEUED
    locked.updated_at = now
    locked.next_attempt_at = now
    locked.save(update_fields=["status", "updated_at", "next_attempt_at"])
    logger.info("%s queued e-mail %s again", by, locked.pk)
    enqueue_delivery([locked.pk])
    return locked
