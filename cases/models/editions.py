from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import EditionPhase


class Edition(models.Model):
    """One award call, from its opening to the publication of its cases."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    year_label = models.CharField(_("year"), max_length=20, help_text=_("For example 2023-24."))
    theme = models.CharField(_("theme"), max_length=300, blank=True)
    submissions_open_at = models.DateTimeField(_("submissions open"), null=True, blank=True)
    deadline = models.DateTimeField(_("submission deadline"), null=True, blank=True)
    phase = models.CharField(
        _("phase"), max_length=20, choices=EditionPhase.choices, default=EditionPhase.DRAFT
    )
    evaluators_per_entry = models.PositiveSmallIntegerField(
        _("evaluators per entry"), default=2, validators=[MinValueValidator(1)]
    )
    score_min = models.SmallIntegerField(_("lowest score"), default=0)
    score_max = models.SmallIntegerField(_("highest score"), default=10)
    rules = models.TextField(_("rules"), blank=True)
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="coordinated_editions", blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("edition")
        ordering = ["-submissions_open_at", "-slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score_max__gt=F("score_min")), name="edition_score_scale_ordered"
            ),
            models.CheckConstraint(
                condition=Q(deadline__isnull=True)
                | Q(submissions_open_at__isnull=True)
                | Q(deadline__gt=F("submissions_open_at")),
                name="edition_deadline_after_opening",
            ),
        ]

    def __str__(self):
        return self.name

    def is_open_for_submissions(self, now=None) -> bool:
        """Open means the phase says so and the server clock is inside the window."""
        now = now or timezone.now()
        if self.phase != EditionPhase.OPEN or self.deadline is None:
            return False
        started = self.submissions_open_at is None or self.submissions_open_at <= now
        return started and now < self.deadline


class Category(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="categories")
    slug = models.SlugField(_("slug"), max_length=80)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["edition", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "slug"], name="category_unique_slug")
        ]

    def __str__(self):
        return self.name


class Criterion(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="criteria")
    slug = models.SlugField(_("slug"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    guidance = models.TextField(_("guidance for evaluators"), blank=True)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["edition", "order"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "slug"], name="criterion_unique_slug"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
        ]

    def __str__(self):
        return self.name
