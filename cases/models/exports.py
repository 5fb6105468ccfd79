"""A library export prepared in the task queue: one requested download of a filtered set of
published cases, too large to stream within a request (``cases.domain.library_exports``)."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExportFormat(models.TextChoices):
    CSV = "csv", _("CSV")
    JSON = "json", _("JSON")
    BIBTEX = "bibtex", _("BibTeX")
    RIS = "ris", _("RIS")
    CSL_JSON = "csl-json", _("CSL-JSON")


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting in the queue")
    RUNNING = "running", _("Being prepared")
    READY = "ready", _("Ready to download")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


PENDING_STATUSES = (ExportStatus.QUEUED, ExportStatus.RUNNING)


def new_export_token() -> str:
    return secrets.token_urlsafe(24)


class LibraryExport(models.Model):
    """Who asked for which export of the library, and where its file is once written.

    The requester is a signed-in user or, for a visitor, a random key kept in their session
    (``requester_key``). ``query`` holds the validated library parameters, ``request_key`` a
    digest of format, parameters and site address, under which an identical request finds it.
    """

    token = models.CharField(max_length=40, unique=True, default=new_export_token, editable=False)
    format = models.CharField(_("format"), max_length=10, choices=ExportFormat.choices)
    query = models.JSONField(_("query"), default=dict, blank=True)
    base_url = models.CharField(_("site address"), max_length=200)
    request_key = models.CharField(max_length=64, db_index=True)
    generation = models.PositiveBigIntegerField(
        _("library generation"),
        help_text=_("The library's generation number when the export was asked for."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    error = models.TextField(_("error"), blank=True, max_length=2000)
    rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    bytes = models.PositiveBigIntegerField(_("bytes"), null=True, blank=True)
    file = models.CharField(_("file in private storage"), max_length=300, blank=True)
    file_name = models.CharField(_("file name"), max_length=100)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="library_exports",
    )
    requester_key = models.CharField(_("visitor's session key"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)

    class Meta:
        verbose_name = _("library export")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["requested_by", "status"], name="export_user_status"),
            models.Index(fields=["requester_key", "status"], name="export_visitor_status"),
            models.Index(fields=["status", "expires_at"], name="export_status_expiry"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(requested_by__isnull=False) | ~Q(requester_key=""),
                name="export_has_a_requester",
            ),
        ]

    def __str__(self):
        return f"{self.get_format_display()} {self.token[:8]}… ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING_STATUSES
