"""Running an edition: the outbox, group messages, the evaluator pool and bulk imports.

The rules live in ``cases.domain.outbox``, ``cases.domain.pool``, ``cases.domain.messaging``
and ``cases.domain.imports``; these models hold the facts.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models.limits import LONG_TEXT_MAX


class EmailStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutboundEmail(models.Model):
    """One e-mail to one address, recorded before it is handed to the queue.

    ``key`` makes a message idempotent: a reminder or a group message carries a key naming the
    person and the step, and a second attempt to record the same key records nothing.
    """

    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"), max_length=LONG_TEXT_MAX)
    template = models.CharField(_("template"), max_length=100)
    edition = models.ForeignKey(
        "cases.Edition",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbound_emails",
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbound_emails",
    )
    message = models.ForeignKey(
        "cases.GroupMessage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="emails",
    )
    key = models.CharField(_("idempotency key"), max_length=200, null=True, blank=True, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True, max_length=LONG_TEXT_MAX)
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # When the queue will try a queued message (again); a message long past it has lost its task
    # and the periodic sweep enqueues it anew.
    next_attempt_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outbox")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["edition", "-created_at"], name="outbox_edition_idx"),
            models.Index(fields=["status", "next_attempt_at"], name="outbox_status_idx"),
        ]

    def __str__(self):
        return f"{self.to}: {self.subject}"


class Segment(models.TextChoices):
    DRAFTS = "drafts", _("Applicants with drafts not submitted")
    SUBMITTED = "submitted", _("Applicants who submitted")
    ELIGIBLE = "eligible", _("Applicants of eligible entries")
    NOT_ELIGIBLE = "not-eligible", _("Applicants of entries found not eligible")
    NOMINEES = "nominees", _("Applicants of nominated entries")
    CERTIFICATES = "certificates", _("Applicants holding a certificate")
    EVALUATORS_PENDING = "evaluators-pending", _("Evaluators with reviews pending")
    EVALUATORS = "evaluators", _("All evaluators of the edition")


class GroupMessage(models.Model):
    """A message a coordinator sent to a segment of an edition's people."""

    edition = models.ForeignKey(
        "cases.Edition", on_delete=models.CASCADE, related_name="group_messages"
    )
    segment = models.CharField(_("recipients"), max_length=30, choices=Segment.choices)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), max_length=LONG_TEXT_MAX)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("group message")
        ordering = ["-sent_at", "-id"]

    def __str__(self):
        return self.subject


class PoolStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


def new_token():
    return secrets.token_urlsafe(32)


class PoolMembership(models.Model):
    """An evaluator invited to an edition's pool; only accepted members are assigned entries."""

    edition = models.ForeignKey(
        "cases.Edition", on_delete=models.CASCADE, related_name="pool_memberships"
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pool_memberships"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PoolStatus.choices, default=PoolStatus.INVITED
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    expertise = models.ManyToManyField(
        "cases.Category", blank=True, related_name="+", verbose_name=_("expertise")
    )
    conflicting_organisations = models.ManyToManyField(
        "cases.Organisation",
        blank=True,
        related_name="+",
        verbose_name=_("organisations with a conflict of interest"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    invited_at = models.DateTimeField(_("invited at"), default=timezone.now)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("evaluator pool membership")
        ordering = ["edition", "evaluator__full_name", "evaluator__email"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "evaluator"], name="pool_one_per_edition")
        ]

    def __str__(self):
        return f"{self.evaluator} ({self.get_status_display()})"


class ImportStatus(models.TextChoices):
    CHECKED = "checked", _("Checked (dry run)")
    QUEUED = "queued", _("Queued")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


class CaseImport(models.Model):
    """One uploaded file of cases: its checked rows, then the outcome of importing them."""

    source = models.SlugField(
        _("source"),
        max_length=60,
        help_text=_("A short name for where the rows come from, e.g. epsa-archive."),
    )
    file_name = models.CharField(_("file"), max_length=200)
    rows = models.JSONField(default=list, editable=False)
    report = models.JSONField(default=list, editable=False)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.CHECKED
    )
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    error = models.TextField(_("error"), blank=True, max_length=LONG_TEXT_MAX)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(_("duration in seconds"), null=True, blank=True)

    class Meta:
        verbose_name = _("case import")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.source}: {self.file_name}"


class ImportedRecord(models.Model):
    """Where an imported case came from: its source and its key there (the stable key)."""

    source = models.SlugField(_("source"), max_length=60)
    key = models.CharField(_("key"), max_length=100)
    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="imported_record"
    )
    case_import = models.ForeignKey(
        CaseImport, on_delete=models.SET_NULL, null=True, related_name="records"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("imported record")
        constraints = [
            models.UniqueConstraint(fields=["source", "key"], name="imported_record_unique_key")
        ]

    def __str__(self):
        return f"{self.source}/{self.key}"
