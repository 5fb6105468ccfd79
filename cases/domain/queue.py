"""The task queue's rules, shared by every task: when to enqueue, what to retry, how long to wait.

Tasks (``cases/tasks.py``) are thin: each calls one domain function. They are enqueued only once
the transaction that decided them commits (:func:`enqueue_after_commit`), so a rolled-back
decision starts nothing. Every task is idempotent (it re-reads the state it works on under a row
lock and skips what is already done), so running one twice is harmless: that is what makes
retries and the periodic sweep safe.

Errors of the mail server or the database are worth retrying: :func:`retry_later` enqueues the
task again after an exponential backoff (30 s, 1 min, 2 min ... at most an hour), up to
``settings.TASKS_MAX_ATTEMPTS`` attempts. A backend that cannot defer a task (the immediate
backend used in tests and by ``TASKS_BACKEND``) gets no retry: the failure is recorded at once.
"""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

# Failures that may pass by themselves: a mail server down or refusing for now, a network
# error (OSError covers refused connections and time-outs), a database that went away.
RETRYABLE_ERRORS = (smtplib.SMTPException, OSError, DatabaseError)


def backoff(attempt: int) -> timedelta:
    """How long to wait after failed attempt number ``attempt`` (1-based)."""
    return timedelta(seconds=min(30 * 2 ** (attempt - 1), 3600))


def enqueue_after_commit(task, /, **kwargs) -> None:
    """Enqueue ``task`` with keyword arguments once the current transaction commits."""
    transaction.on_commit(lambda: task.enqueue(**kwargs), robust=True)


def can_retry(task, attempt: int) -> bool:
    return attempt < settings.TASKS_MAX_ATTEMPTS and task.get_backend().supports_defer


def retry_later(task, /, *, attempt: int, **kwargs):
    """Enqueue the task again for attempt ``attempt + 1`` after its backoff; return when, or
    None when it may not be retried (attempts exhausted, or a backend that cannot defer)."""
    if not can_retry(task, attempt):
        return None
    when = timezone.now() + backoff(attempt)
    task.using(run_after=when).enqueue(attempt=attempt + 1, **kwargs)
    logger.warning("Task %s failed (attempt %s); retrying at %s", task.name, attempt, when)
    return when


def run_retrying(task, function, /, *, attempt: int, **kwargs):
    """Run ``function(**kwargs)``; on a retryable error enqueue the task again, or re-raise the
    error when no retry is left (the worker then records the task as failed, with its error)."""
    try:
        return function(**kwargs)
    except RETRYABLE_ERRORS:
        if retry_later(task, attempt=attempt, **kwargs) is None:
            raise
        return None
