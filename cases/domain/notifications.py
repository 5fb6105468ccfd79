"""E-mail notifications: one place that renders, queues and sends every message of the portal.

Every area sends mail through this module, so that tests can read ``django.core.mail.outbox``
and so that all messages follow the same two rules:

* A message is sent only once the decision it announces is stored: :func:`send_after_commit`
  waits for the current transaction to commit (and sends nothing when it is rolled back), so a
  failing step can never leave people told about something that did not happen, and a retry
  does not tell them twice.
* A mail server that refuses a message never undoes what the user just did, nor turns their
  request into an error page: each failure is logged for the administrators and the other
  recipients are still sent theirs.

Each recipient reads a message in their own language: the one saved in their profile (the
language switcher and the profile form set it), else the portal's default, English. Messages are
rendered once per language among the recipients (:func:`send_in_recipient_languages`).

Messages of the accounts and applications areas are rendered from ``emails/<name>_subject.txt``
(one line) and ``emails/<name>_body.txt`` (plain text) by :func:`send_templated_mail`; the
evaluation area renders its own and hands the result to :func:`send_after_commit`.
"""

import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from cases.domain.text import one_line

logger = logging.getLogger(__name__)


def render_mail(name: str, context: dict) -> tuple[str, str]:
    subject = render_to_string(f"emails/{name}_subject.txt", context)
    # A header may not contain line breaks; templates often end with one.
    subject = one_line(subject)
    body = render_to_string(f"emails/{name}_body.txt", context)
    return subject, body


def deliver(*, name: str, subject: str, body: str, recipients: Iterable[str]) -> int:
    """Send one message per recipient now (addresses stay private); return how many were sent.

    Refusals are logged, never raised. Callers inside a transaction use
    :func:`send_after_commit` instead.
    """
    # A header holds one line: whatever a name or title carried, the subject never breaks.
    subject = one_line(subject)
    sent = 0
    for address in dict.fromkeys(a for a in recipients if a):
        try:
            sent += send_mail(
                subject, body, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=False
            )
        except Exception:
            logger.exception("Could not send the %s e-mail to %s", name, address)
    return sent


def send_after_commit(*, name: str, subject: str, body: str, recipients: Iterable[str]) -> int:
    """Send a rendered message once the current transaction commits; return how many are queued.

    The message and its recipients are fixed now (what the decision was), the sending waits for
    the commit. Outside a transaction the message is sent at once.
    """
    addresses = list(dict.fromkeys(a for a in recipients if a))
    if addresses:
        transaction.on_commit(
            lambda: deliver(name=name, subject=subject, body=body, recipients=addresses),
            robust=True,
        )
    return len(addresses)


def recipients_by_language(recipients: Iterable[str]) -> dict[str, list[str]]:
    """The addresses grouped by the language their owners chose (default: LANGUAGE_CODE)."""
    from cases.models import User

    addresses = list(dict.fromkeys(a for a in recipients if a))
    known = {code for code, _name in settings.LANGUAGES}
    saved = {
        email.lower(): language
        for email, language in User.objects.filter(email__in=addresses).values_list(
            "email", "language"
        )
    }
    groups: dict[str, list[str]] = {}
    for address in addresses:
        language = saved.get(address.lower())
        groups.setdefault(language if language in known else settings.LANGUAGE_CODE, []).append(
            address
        )
    return groups


def send_in_recipient_languages(
    *, name: str, recipients: Iterable[str], render: Callable[[], tuple[str, str]]
) -> int:
    """Call ``render`` (giving subject and body) once per language among the recipients, with
    that language active, and send each version to its readers after the commit."""
    queued = 0
    for language, addresses in recipients_by_language(recipients).items():
        with translation.override(language):
            subject, body = render()
        queued += send_after_commit(name=name, subject=subject, body=body, recipients=addresses)
    return queued


def send_templated_mail(*, name: str, recipients: Iterable[str], context: dict) -> int:
    """Render ``emails/<name>_*.txt`` now, in each recipient's language, and send it to them
    after the commit."""
    return send_in_recipient_languages(
        name=name, recipients=recipients, render=lambda: render_mail(name, context)
    )


def absolute(link_base: str, path: str) -> str:
    """Join the site's base address (scheme and host, from the request) with a path."""
    return link_base.rstrip("/") + path
