"""Messages from the award team to a segment of an edition's people, sent through the queue.

A coordinator picks a segment (:class:`cases.models.Segment`), writes a subject and a body with
placeholders (``{{ name }}``, ``{{ case_title }}``, ``{{ deadline }}``, ``{{ link }}``), previews
it for one recipient, sees the count, confirms. :func:`send_group_message` records the message,
one outbox row per recipient (each filled in for that person and entry) and a decision-log
entry. Placeholders are filled by plain substitution, not by the template engine, so a
message can never run template code.
"""

import re
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from cases.domain.evaluation.audit import log_decision
from cases.domain.evaluation.errors import InvalidInput
from cases.domain.notifications import send_after_commit, site_link
from cases.domain.queries.access import approved_memberships, evaluator_pool
from cases.domain.reminders import pending_reviews_by_evaluator
from cases.models import (
    Case,
    CaseStatus,
    DecisionAction,
    GroupMessage,
    Outcome,
    Segment,
)

PLACEHOLDERS = ("name", "case_title", "deadline", "link")
PLACEHOLDER = re.compile(r"{{\s*([a-z_]+)\s*}}")

APPLICANT_SEGMENTS = {
    Segment.DRAFTS: Q(status=CaseStatus.DRAFT),
    Segment.SUBMITTED: Q(
        status__in=[CaseStatus.SUBMITTED, CaseStatus.ELIGIBLE, CaseStatus.INELIGIBLE]
    ),
    Segment.ELIGIBLE: Q(status=CaseStatus.ELIGIBLE),
    Segment.NOT_ELIGIBLE: Q(status=CaseStatus.INELIGIBLE),
    Segment.NOMINEES: Q(status=CaseStatus.ELIGIBLE, outcome__in=[Outcome.NOMINEE, Outcome.WINNER]),
    Segment.CERTIFICATES: Q(status=CaseStatus.ELIGIBLE, outcome=Outcome.CERTIFICATE),
}


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    case: Case | None
    link: str
    deadline: str

    def values(self) -> dict[str, str]:
        return {
            "name": self.name,
            "case_title": self.case.title if self.case else "",
            "deadline": self.deadline,
            "link": self.link,
        }


def check_placeholders(text: str) -> None:
    unknown = sorted({name for name in PLACEHOLDER.findall(text) if name not in PLACEHOLDERS})
    if unknown:
        raise InvalidInput(
            _("Unknown placeholder: %(names)s. Use %(known)s.")
            % {
                "names": ", ".join(f"{{{{ {name} }}}}" for name in unknown),
                "known": ", ".join(f"{{{{ {name} }}}}" for name in PLACEHOLDERS),
            }
        )


def fill(text: str, recipient: Recipient) -> str:
    values = recipient.values()
    return PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text)


def _date(value) -> str:
    return formats.date_format(value, "DATETIME_FORMAT") if value else ""


def recipients_of(*, edition, segment: str) -> list[Recipient]:
    """Everyone the segment reaches, one recipient per person and entry, in a stable order."""
    if segment in APPLICANT_SEGMENTS:
        cases = list(
            Case.objects.filter(APPLICANT_SEGMENTS[segment], edition=edition)
            .select_related("created_by")
            .order_by("registration_number", "pk")
        )
        members = {}
        for row in (
            approved_memberships()
            .filter(organisation_id__in={c.lead_organisation_id for c in cases})
            .select_related("user")
            .order_by("user__email")
        ):
            members.setdefault(row.organisation_id, []).append(row.user)
        deadline = _date(edition.deadline)
        result = []
        for case in cases:
            people = members.get(case.lead_organisation_id) or (
                [case.created_by] if case.created_by_id else []
            )
            link = site_link(reverse("applications:case", kwargs={"pk": case.pk}))
            for user in people:
                if user.email:
                    result.append(Recipient(user.email, user.get_full_name(), case, link, deadline))
        return result
    if segment == Segment.EVALUATORS_PENDING:
        evaluators = sorted(pending_reviews_by_evaluator(edition), key=lambda u: u.email)
    elif segment == Segment.EVALUATORS:
        evaluators = list(evaluator_pool(edition).order_by("email"))
    else:
        raise InvalidInput(_("Choose who receives the message."))
    link = site_link(reverse("evaluation:assignments"))
    deadline = _date(edition.evaluation_deadline)
    return [Recipient(u.email, u.get_full_name(), None, link, deadline) for u in evaluators]


@transaction.atomic
def send_group_message(*, edition, segment: str, subject: str, body: str, by) -> GroupMessage:
    """Record the message and queue it for every recipient of the segment."""
    subject, body = subject.strip(), body.strip()
    if not subject or not body:
        raise InvalidInput(_("Write a subject and a message."))
    check_placeholders(subject)
    check_placeholders(body)
    recipients = recipients_of(edition=edition, segment=segment)
    if not recipients:
        raise InvalidInput(_("Nobody is in this group: there is no one to send it to."))
    message = GroupMessage.objects.create(
        edition=edition,
        segment=segment,
        subject=subject,
        body=body,
        sent_by=by,
        recipient_count=len(recipients),
    )
    for recipient in recipients:
        send_after_commit(
            name="group-message",
            subject=" ".join(fill(subject, recipient).split()),
            body=fill(body, recipient) + "\n",
            recipients=[recipient.email],
            edition=edition,
            case=recipient.case,
            message=message,
            key=f"message:{message.pk}:{recipient.case.pk if recipient.case else 0}",
        )
    log_decision(
        edition=edition,
        actor=by,
        action=DecisionAction.MESSAGE_SENT,
        after=_("%(segment)s: %(count)d recipients")
        % {"segment": Segment(segment).label, "count": len(recipients)},
        reason=subject,
    )
    return message
