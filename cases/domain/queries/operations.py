"""Read paths of running an edition: its outbox, its group messages, its evaluator pool."""

from django.db.models import Count, Q
from django.utils import timezone

from cases.models import (
    Assignment,
    CaseImport,
    CaseStatus,
    EmailStatus,
    GroupMessage,
    OutboundEmail,
    PoolMembership,
    ReviewStatus,
)


def outbox_of(edition, *, status: str = "", query: str = ""):
    """The edition's recorded e-mails, newest first; optionally one status, or a search on
    the address and the subject."""
    emails = OutboundEmail.objects.filter(edition=edition).select_related("case")
    if status in EmailStatus.values:
        emails = emails.filter(status=status)
    if query:
        emails = emails.filter(Q(to__icontains=query) | Q(subject__icontains=query))
    return emails.order_by("-created_at", "-id")


def outbox_counts(edition) -> dict:
    return OutboundEmail.objects.filter(edition=edition).aggregate(
        queued=Count("id", filter=Q(status=EmailStatus.QUEUED)),
        sent=Count("id", filter=Q(status=EmailStatus.SENT)),
        failed=Count("id", filter=Q(status=EmailStatus.FAILED)),
    )


def group_messages_of(edition):
    return GroupMessage.objects.filter(edition=edition).select_related("sent_by")


def pool_of(edition):
    """The edition's pool with each evaluator's load, progress and lateness.

    ``assigned``: active assignments on eligible entries; ``submitted``: reviews submitted;
    ``late``: reviews still missing once the evaluation deadline has passed.
    """
    active = Q(
        evaluator__assignments__is_active=True,
        evaluator__assignments__case__edition=edition,
        evaluator__assignments__case__status=CaseStatus.ELIGIBLE,
    )
    submitted = active & Q(evaluator__assignments__review__status=ReviewStatus.SUBMITTED)
    memberships = (
        PoolMembership.objects.filter(edition=edition)
        .select_related("evaluator", "evaluator__evaluator_profile")
        .prefetch_related("expertise", "conflicting_organisations")
        .annotate(
            assigned=Count("evaluator__assignments", filter=active, distinct=True),
            submitted=Count("evaluator__assignments", filter=submitted, distinct=True),
        )
        .order_by("status", "evaluator__full_name", "evaluator__email")
    )
    deadline_passed = bool(
        edition.evaluation_deadline and edition.evaluation_deadline < timezone.now()
    )
    rows = list(memberships)
    for row in rows:
        row.pending = row.assigned - row.submitted
        row.late = row.pending if deadline_passed else 0
        row.progress = round(100 * row.submitted / row.assigned) if row.assigned else 0
    return rows


def invitations_of(user):
    """The pool invitations a user has, newest first."""
    return (
        PoolMembership.objects.filter(evaluator=user)
        .select_related("edition")
        .order_by("-invited_at")
    )


def imports_of(user):
    """The imports a coordinator checked or ran, newest first (without their rows)."""
    return CaseImport.objects.filter(created_by=user).defer("rows", "report")


def pending_assignments(edition):
    return Assignment.objects.filter(
        case__edition=edition, is_active=True, case__status=CaseStatus.ELIGIBLE
    ).exclude(review__status=ReviewStatus.SUBMITTED)


def failed_tasks(limit: int = 100) -> list[dict]:
    """The queue's most recent failed tasks, with their error (the last line of the
    traceback), newest first. Empty with a backend that keeps no results."""
    from django_tasks_db.models import DBTaskResult

    rows = (
        DBTaskResult.objects.failed()
        .order_by("-finished_at")
        .only("id", "task_path", "finished_at", "exception_class_path", "traceback", "args_kwargs")[
            :limit
        ]
    )
    return [
        {
            "id": row.id,
            "task": row.task_path.rsplit(".", 1)[-1],
            "finished_at": row.finished_at,
            "error": (row.traceback.strip().splitlines() or [row.exception_class_path])[-1],
            "arguments": row.args_kwargs.get("kwargs", {}),
        }
        for row in rows
    ]
