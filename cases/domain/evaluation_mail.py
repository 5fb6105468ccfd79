"""E-mails of the evaluation process.

Each message is rendered from a plain-text template under ``templates/emails/evaluation/``:
the first line of the rendered text is the subject, the rest the body. Sending goes through
:func:`cases.domain.notifications.send_after_commit`, like every other message of the portal: it
waits for the coordinator's decision to be committed, and a refusing mail server is logged
without undoing the decision.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from cases.domain.notifications import send_after_commit
from cases.domain.queries.access import member_emails


def site_link(path):
    """An absolute link to a page of the portal, for e-mails sent outside a request."""
    return settings.SITE_URL.rstrip("/") + path


def _send(template, context, recipients):
    recipients = sorted({address for address in recipients if address})
    if not recipients:
        return 0
    text = render_to_string(f"emails/evaluation/{template}.txt", context)
    subject, _sep, body = text.strip().partition("\n")
    return send_after_commit(
        name=f"evaluation/{template}",
        subject=subject.strip(),
        body=body.strip() + "\n",
        recipients=recipients,
    )


def applicant_addresses(case):
    """The person who created the entry, else the approved members of the lead organisation."""
    if case.created_by_id and case.created_by.email:
        return [case.created_by.email]
    if case.lead_organisation_id is None:
        return []
    return member_emails(case.lead_organisation_id)


def send_eligibility_decision(case, screening):
    return _send(
        "eligibility",
        {"case": case, "screening": screening, "edition": case.edition},
        applicant_addresses(case),
    )


def send_assignments_notice(evaluator, edition, count):
    return _send(
        "assigned",
        {
            "evaluator": evaluator,
            "edition": edition,
            "count": count,
            "link": site_link(reverse("evaluation:assignments")),
        },
        [evaluator.email],
    )


def send_conflict_declared(conflict, coordinators):
    return _send(
        "conflict_declared",
        {"conflict": conflict, "case": conflict.case, "edition": conflict.case.edition},
        [user.email for user in coordinators],
    )


def send_results(case):
    return _send(
        "results",
        {
            "case": case,
            "edition": case.edition,
            "link": site_link(reverse("applications:case", kwargs={"pk": case.pk})),
        },
        applicant_addresses(case),
    )
