"""E-mails of the evaluation process.

Each message is rendered from a plain-text template under ``templates/emails/evaluation/``:
the first line of the rendered text is the subject, the rest the body. Sending goes through
:func:`cases.domain.notifications.send_text_template`, like every other message of the portal
(in each recipient's language): it waits for the coordinator's decision to be committed, and a
refusing mail server is retried by the queue without undoing the decision.
"""

from django.urls import reverse

from cases.domain.notifications import send_text_template, site_link
from cases.domain.queries.access import member_emails


def _send(template, context, recipients):
    return send_text_template(
        template=f"evaluation/{template}", context=context, recipients=recipients
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
    """Tell the coordinators at once, once per conflict, unless the edition has its automatic
    reminders and notices switched off (``Edition.reminders_enabled``)."""
    edition = conflict.case.edition
    if not edition.reminders_enabled:
        return 0
    return send_text_template(
        template="evaluation/conflict_declared",
        context={"conflict": conflict, "case": conflict.case, "edition": edition},
        recipients=[user.email for user in coordinators],
        key=f"conflict:{conflict.pk}",
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
