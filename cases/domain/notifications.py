"""E-mail notifications: one place that renders a subject and a body and sends them.

Every area sends mail through :func:`send_templated_mail`, so that templates live together under
``templates/emails/`` and tests can read ``django.core.mail.outbox``. A message is rendered as
``emails/<name>_subject.txt`` (one line) and ``emails/<name>_body.txt`` (plain text).
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


def render_mail(name: str, context: dict) -> tuple[str, str]:
    subject = render_to_string(f"emails/{name}_subject.txt", context)
    # A header may not contain line breaks; templates often end with one.
    subject = " ".join(subject.split())
    body = render_to_string(f"emails/{name}_body.txt", context)
    return subject, body


def send_templated_mail(*, name: str, recipients: Iterable[str], context: dict) -> int:
    """Send one message per recipient (addresses stay private); return how many were sent.

    A mail server that refuses a message must not undo what the user just did (a registration,
    a submission): the failure is logged for the administrators and the others are still sent.
    """
    subject, body = render_mail(name, context)
    sent = 0
    for address in dict.fromkeys(a for a in recipients if a):
        try:
            sent += send_mail(
                subject, body, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=False
            )
        except Exception:
            logger.exception("Could not send the %s e-mail to %s", name, address)
    return sent


def absolute(link_base: str, path: str) -> str:
    """Join the site's base address (scheme and host, from the request) with a path."""
    return link_base.rstrip("/") + path
