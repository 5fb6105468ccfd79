"""Tests run inside a transaction that is never committed, so mail queued for after the commit
(see cases.domain.notifications.send_after_commit) would never leave. ``committed()`` runs what a
block queued, as the commit of a real request would; what a rolled-back block queued is dropped,
as in production."""

from django.test import TestCase


def committed():
    return TestCase.captureOnCommitCallbacks(execute=True)
