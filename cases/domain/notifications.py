"""E-mail notifications: the one place that renders, records and enqueues every message.

Every area sends mail through this module, and every message follows the same rules:

* It is recorded in the outbox (``cases.domain.outbox``: to, subject, template, edition, case,
  status, attempts) inside the current transaction, so a rolled-back decision leaves no message.
* It leaves only once the decision it announces is stored: the delivery task is enqueued after
  the commit, and the queue's worker sends it (:func:`send_after_commit`).
* A mail server that refuses a message never undoes what the user just did, nor turns their
  request into an error page: the queue retries with backoff, then marks the message failed
  with its error, where coordinators can see it and send it again.

Each recipient reads a message in their own language: the one saved in their profile (the
language switcher and the profile form set it), else the portal's default, English. Messages are
rendered once per language among the recipients (:func:`send_in_recipient_languages`).

Messages of the accounts and applications areas are rendered from ``emails/<name>_subject.txt``
(one line) and ``emails/<name>_body.txt`` (plain text) by :func:`send_templated_mail`; the
evaluation area renders its own and hands the result to :func:`send_after_commit`.
"""

from collections.abc import Callable, Iterable

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from cases.domain import outbox
from cases.domain.text import one_line


def render_mail(name: str, context: dict) -> tuple[str, str]:
    subject = render_to_string(f"emails/{name}_subject.txt", context)
    # A header may not contain line breaks; templates often end with one.
    subject = one_line(subject)
    body = render_to_string(f"emails/{name}_body.txt", context)
    return subject, body


def send_after_commit(
    *,
    name: str,
    subject: str,
    body: str,
    recipients: Iterable[str],
    edition=None,
    case=None,
    message=None,
    key: str | None = None,
) -> int:
    """Record a rendered message for each recipient and send it once the transaction commits;
    return how many are queued.

    The message and its recipients are fixed now (what the decision was); the sending waits
    for the commit and happens in the queue's worker. ``key`` makes the message idempotent
    per recipient (reminders: one per person and step).
    """
    # A header holds one line: whatever a name or title carried, the subject never breaks.
    subject = one_line(subject)
    if case is not None and edition is None:
        edition = case.edition
    ids = outbox.record(
        name=name,
        subject=subject,
        body=body,
        recipients=recipients,
        edition=edition,
        case=case,
        message=message,
        key=key,
    )
    return len(ids)


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
    *,
    name: str,
    recipients: Iterable[str],
    render: Callable[[], tuple[str, str]],
    edition=None,
    case=None,
    key: str | None = None,
) -> int:
    """Call ``render`` (giving subject and body) once per language among the recipients, with
    that language active, and send each version to its readers after the commit."""
    queued = 0
    for language, addresses in recipients_by_language(recipients).items():
        with translation.override(language):
            subject, body = render()
        queued += send_after_commit(
            name=name,
            subject=subject,
            body=body,
            recipients=addresses,
            edition=edition,
            case=case,
            key=key,
        )
    return queued


def send_templated_mail(
    *, name: str, recipients: Iterable[str], context: dict, key: str | None = None
) -> int:
    """Render ``emails/<name>_*.txt`` in each recipient's language and send it to them after
    the commit."""
    case = context.get("case")
    edition = context.get("edition") or getattr(case, "edition", None)
    return send_in_recipient_languages(
        name=name,
        recipients=recipients,
        render=lambda: render_mail(name, context),
        edition=edition,
        case=case,
        key=key,
    )


def send_text_template(
    *, template: str, recipients: Iterable[str], context: dict, key: str | None = None
) -> int:
    """Render ``emails/<template>.txt`` (first line the subject, the rest the body) in each
    recipient's language and send it to them after the commit."""

    def render():
        text = render_to_string(f"emails/{template}.txt", context)
        subject, _sep, body = text.strip().partition("\n")
        return subject.strip(), body.strip() + "\n"

    return send_in_recipient_languages(
        name=template,
        recipients=recipients,
        render=render,
        edition=context.get("edition"),
        case=context.get("case"),
        key=key,
    )


def absolute(link_base: str, path: str) -> str:
    """Join the site's base address (scheme and host, from the request) with a path."""
    return link_base.rstrip("/") + path


def site_link(path: str) -> str:
    """An absolute link for e-mails sent outside a request: ``settings.SITE_URL`` (which
    follows the port ``make run`` serves on) joined with the path."""
    return absolute(settings.SITE_URL, path)
