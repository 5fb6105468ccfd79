from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models.limits import LONG_TEXT_MAX, SHORT_TEXT_MAX

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
    rules = models.TextField(_("rules"), blank=True, max_length=LONG_TEXT_MAX)

    # Evaluation settings (issue 5).
    registration_prefix = models.CharField(
        _("registration number prefix"),
        max_length=20,
        blank=True,
        help_text=_("For example EPSA2023; empty means the slug in capitals without hyphens."),
    )
    registration_counter = models.PositiveIntegerField(
        _("last registration number issued"), default=0, editable=False
    )
    evaluation_deadline = models.DateTimeField(_("evaluation deadline"), null=True, blank=True)
    anonymous_reviews = models.BooleanField(
        _("anonymous reviews"),
        default=True,
        help_text=_("Only coordinators see who evaluated which entry."),
    )
    same_country_conflicts = models.BooleanField(
        _("same-country conflicts"),
        default=True,
        help_text=_(
            "An evaluator from a country the entry involves (the lead organisation's, the "
            "project's or a partner's) has a conflict of interest."
        ),
    )
    disagreement_threshold = models.DecimalField(
        _("disagreement threshold"),
        max_digits=6,
        decimal_places=2,
        default=2,
        validators=[MinValueValidator(0)],
        help_text=_("Flag an entry when its evaluators' weighted totals differ by more than this."),
    )
    nominees_per_category = models.PositiveSmallIntegerField(
        _("nominees per category"), default=3, validators=[MinValueValidator(1)]
    )
    reminders_enabled = models.BooleanField(
        _("automatic reminders"),
        default=True,
        help_text=_(
            "Remind applicants of unsubmitted drafts, evaluators of pending reviews, and "
            "coordinators of complete reviews."
        ),
    )
    results_published_at = models.DateTimeField(_("results published at"), null=True, blank=True)
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="coordinated_editions", blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Incremented by every change made on the edition settings page (settings, categories,
    # criteria), so that a form sent over a newer state can be refused.
    version = models.PositiveIntegerField(default=1, editable=False)

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

    @property
    def registration_code(self) -> str:
        return self.registration_prefix or self.slug.replace("-", "").upper()

    @property
    def results_are_published(self) -> bool:
        """Applicants see their outcome once a coordinator has published the results."""
        return self.results_published_at is not None

    @property
    def is_evaluation_open(self) -> bool:
        """Reviews may be saved and changed only in the evaluation phase, before its deadline."""
        if self.phase != EditionPhase.EVALUATION:
            return False
        return self.evaluation_deadline is None or timezone.now() < self.evaluation_deadline

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
    description = models.TextField(_("description"), blank=True, max_length=SHORT_TEXT_MAX)
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
    guidance = models.TextField(_("guidance for evaluators"), blank=True, max_length=SHORT_TEXT_MAX)
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
