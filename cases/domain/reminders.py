"""Reminders that send themselves, run by the queue's periodic task.

* Organisations with an unsubmitted draft: 14, 3 and 1 days before the submission deadline.
* Evaluators with reviews pending: 7 and 2 days before the evaluation deadline.
* Coordinators: when every review of an entry is in (a conflict declared is told at once, by
  ``cases.domain.evaluation_mail.send_conflict_declared``).

Each reminder goes at most once per person and step: its outbox key names the step (the
entry or edition, and the number of days), and the outbox records a key only once, so a
worker restarted, or two workers ticking together, never send it twice. Only the most urgent
step due is sent: a worker that was stopped for a week does not send the 14-day reminder two
days before the deadline. An edition whose ``reminders_enabled`` is off gets none.
"""

from datetime import timedelta

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone

from cases.domain.evaluation_mail import applicant_addresses
from cases.domain.notifications import send_text_template, site_link
from cases.domain.queries.access import member_emails
from cases.models import (
    Assignment,
    Case,
    CaseStatus,
    Conflict,
    Edition,
    EditionPhase,
    OutboundEmail,
    ReviewStatus,
)

DRAFT_STEPS = (14, 3, 1)
REVIEW_STEPS = (7, 2)


def due_step(deadline, steps, now) -> int | None:
    """The most urgent step (days before ``deadline``) already reached, or None."""
    if deadline is None or now >= deadline:
        return None
    left = deadline - now
    reached = [days for days in steps if left <= timedelta(days=days)]
    return min(reached) if reached else None


def _known_keys(prefix: str) -> set[str]:
    return set(OutboundEmail.objects.filter(key__startswith=prefix).values_list("key", flat=True))


def _draft_addresses(case) -> list[str]:
    """The approved members of the lead organisation, else the person who created the draft."""
    members = member_emails(case.lead_organisation_id) if case.lead_organisation_id else []
    return members or applicant_addresses(case)


def remind_drafts(edition, now) -> int:
    step = due_step(edition.deadline, DRAFT_STEPS, now)
    if step is None or edition.phase != EditionPhase.OPEN:
        return 0
    sent = 0
    prefix = f"reminder:draft:{edition.pk}:"
    known = _known_keys(prefix)
    drafts = Case.objects.filter(edition=edition, status=CaseStatus.DRAFT).select_related(
        "created_by", "lead_organisation"
    )
    for case in drafts:
        key = f"{prefix}{case.pk}:{step}"
        addresses = [a for a in _draft_addresses(case) if f"{key}:{a}" not in known]
        if not addresses:
            continue
        sent += send_text_template(
            template="reminders/draft",
            context={
                "case": case,
                "edition": edition,
                "days": step,
                "link": site_link(reverse("applications:case", kwargs={"pk": case.pk})),
            },
            recipients=addresses,
            key=key,
        )
    return sent


def pending_reviews_by_evaluator(edition):
    """{evaluator: number of entries still to review} for the edition's active assignments."""
    conflicted = Conflict.objects.filter(overridden=False).values("case_id", "evaluator_id")
    pending = (
        Assignment.objects.filter(
            case__edition=edition, case__status=CaseStatus.ELIGIBLE, is_active=True
        )
        .exclude(review__status=ReviewStatus.SUBMITTED)
        .select_related("evaluator")
    )
    blocked = {
        (row["case_id"], row["evaluator_id"]) for row in conflicted.filter(case__edition=edition)
    }
    counts = {}
    for assignment in pending:
        if (assignment.case_id, assignment.evaluator_id) in blocked:
            continue
        counts[assignment.evaluator] = counts.get(assignment.evaluator, 0) + 1
    return counts


def remind_evaluators(edition, now) -> int:
    step = due_step(edition.evaluation_deadline, REVIEW_STEPS, now)
    if step is None or edition.phase != EditionPhase.EVALUATION:
        return 0
    sent = 0
    key = f"reminder:review:{edition.pk}:{step}"
    known = _known_keys(key)
    for evaluator, count in pending_reviews_by_evaluator(edition).items():
        if f"{key}:{evaluator.email}" in known:
            continue
        sent += send_text_template(
            template="reminders/reviews_pending",
            context={
                "edition": edition,
                "evaluator": evaluator,
                "count": count,
                "days": step,
                "link": site_link(reverse("evaluation:assignments")),
            },
            recipients=[evaluator.email],
            key=key,
        )
    return sent


def tell_reviews_complete(edition) -> int:
    """Tell the edition's coordinators about each entry whose active reviews are all in."""
    if edition.phase != EditionPhase.EVALUATION:
        return 0
    coordinators = [user.email for user in edition.coordinators.filter(is_active=True)]
    if not coordinators:
        return 0
    prefix = f"reminder:complete:{edition.pk}:"
    told = {key.split(":")[3] for key in _known_keys(prefix)}
    complete = (
        Case.objects.filter(edition=edition, status=CaseStatus.ELIGIBLE)
        .annotate(
            active=Count("assignments", filter=Q(assignments__is_active=True)),
            submitted=Count(
                "assignments",
                filter=Q(
                    assignments__is_active=True,
                    assignments__review__status=ReviewStatus.SUBMITTED,
                ),
            ),
        )
        .filter(active__gt=0, active=F("submitted"))
    )
    sent = 0
    for case in complete:
        if str(case.pk) in told:
            continue
        sent += send_text_template(
            template="reminders/reviews_complete",
            context={
                "case": case,
                "edition": edition,
                "count": case.submitted,
                "link": site_link(reverse("coordination:case", args=[edition.slug, case.pk])),
            },
            recipients=coordinators,
            key=f"{prefix}{case.pk}",
        )
    return sent


def send_due_reminders(now=None) -> int:
    """Send every reminder due now, for every edition that has reminders on; return how many."""
    now = now or timezone.now()
    sent = 0
    editions = Edition.objects.filter(
        reminders_enabled=True, phase__in=[EditionPhase.OPEN, EditionPhase.EVALUATION]
    )
    for edition in editions:
        sent += remind_drafts(edition, now)
        sent += remind_evaluators(edition, now)
        sent += tell_reviews_complete(edition)
    return sent
