"""Evaluation of an edition's entries: screening, conflicts, assignments, reviews, decisions.

The rules live in ``cases.domain.evaluation``; these models only hold the facts and the
constraints the database can keep by itself.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from cases.models.limits import LONG_TEXT_MAX, SHORT_TEXT_MAX


class EvaluatorProfile(models.Model):
    """What the portal needs to know about an evaluator to find conflicts and fit."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="evaluator_profile"
    )
    countries = CountryField(
        _("countries"),
        multiple=True,
        blank=True,
        help_text=_("Countries the evaluator works in or for (nationality, employer)."),
    )
    organisations = models.ManyToManyField(
        "cases.Organisation",
        blank=True,
        related_name="evaluator_profiles",
        verbose_name=_("organisations"),
        help_text=_("Organisations the evaluator works for or with."),
    )
    preferred_categories = models.ManyToManyField(
        "cases.Category",
        blank=True,
        related_name="preferred_by",
        verbose_name=_("preferred categories"),
    )
    expertise = models.TextField(_("expertise"), blank=True, max_length=SHORT_TEXT_MAX)

    class Meta:
        verbose_name = _("evaluator profile")

    def __str__(self):
        return str(self.user)


class IneligibilityReason(models.TextChoices):
    LEAD_NOT_PUBLIC = "lead-not-public", _("The lead applicant is not a public-sector body")
    COUNTRY = "country", _("The lead applicant's country is not eligible")
    INCOMPLETE = "incomplete", _("The application is incomplete")
    OUT_OF_SCOPE = "out-of-scope", _("The project is outside the call's scope")
    NOT_IMPLEMENTED = "not-implemented", _("The project has no results to show yet")
    RESUBMISSION = "resubmission", _("A resubmission without a material update")
    DUPLICATE = "duplicate", _("A duplicate of another entry")
    OTHER = "other", _("Another reason (explained in the note)")


class Screening(models.Model):
    """The eligibility decision on one submitted entry (the latest one; history is logged)."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="screening")
    eligible = models.BooleanField(_("eligible"))
    reason = models.CharField(
        _("reason"), max_length=30, choices=IneligibilityReason.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True, max_length=SHORT_TEXT_MAX)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        verbose_name = _("eligibility screening")
        constraints = [
            models.CheckConstraint(
                condition=Q(eligible=True, reason="") | Q(eligible=False) & ~Q(reason=""),
                name="screening_reason_only_when_ineligible",
            )
        ]

    def __str__(self):
        return f"{self.case_id}: {'eligible' if self.eligible else self.reason}"


class ConflictKind(models.TextChoices):
    AUTOMATIC = "automatic", _("Found automatically")
    DECLARED = "declared", _("Declared by the evaluator")


class Conflict(models.Model):
    """A conflict of interest between an evaluator and an entry; active unless overridden."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="conflicts")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflicts"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ConflictKind.choices)
    reason = models.TextField(_("reason"), max_length=SHORT_TEXT_MAX)
    created_at = models.DateTimeField(default=timezone.now)
    overridden = models.BooleanField(_("overridden"), default=False)
    override_reason = models.TextField(
        _("reason for the override"), blank=True, max_length=SHORT_TEXT_MAX
    )
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    overridden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        ordering = ["case", "evaluator", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "evaluator", "kind"], name="conflict_one_per_kind"
            ),
            models.CheckConstraint(
                condition=Q(overridden=False) | ~Q(override_reason=""),
                name="conflict_override_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["evaluator", "overridden"], name="conflict_eval_idx")]

    def __str__(self):
        return f"{self.evaluator} / {self.case}: {self.get_kind_display()}"


class AssignmentMethod(models.TextChoices):
    MANUAL = "manual", _("Manual")
    AUTOMATIC = "automatic", _("Automatic")


class Assignment(models.Model):
    """An evaluator is asked to review an entry. Inactive once withdrawn (conflict, removal)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="assignments")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments"
    )
    method = models.CharField(_("method"), max_length=20, choices=AssignmentMethod.choices)
    is_active = models.BooleanField(_("active"), default=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("assignment")
        ordering = ["case", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "evaluator"], name="assignment_unique_pair")
        ]
        indexes = [models.Index(fields=["evaluator", "is_active"], name="assignment_eval_idx")]

    def __str__(self):
        return f"{self.evaluator} → {self.case}"


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Review(models.Model):
    """One evaluator's review of one entry: scores per criterion and per ecosystem factor."""

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="review")
    status = models.CharField(
        _("status"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    overall_comment = models.TextField(_("overall comment"), blank=True, max_length=LONG_TEXT_MAX)
    # Set by cases.domain.evaluation.scoring whenever every criterion has a score.
    weighted_total = models.DecimalField(
        _("weighted total"), max_digits=7, decimal_places=3, null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # Incremented by every save, so that a form based on an older version can be refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("review")
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ReviewStatus.DRAFT)
                | Q(submitted_at__isnull=False, weighted_total__isnull=False),
                name="review_submitted_is_complete",
            )
        ]
        indexes = [models.Index(fields=["status"], name="review_status_idx")]

    def __str__(self):
        return f"{self.assignment} ({self.get_status_display()})"

    @property
    def is_submitted(self) -> bool:
        return self.status == ReviewStatus.SUBMITTED


class CriterionScore(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="criterion_scores")
    criterion = models.ForeignKey(
        "cases.Criterion", on_delete=models.PROTECT, related_name="scores"
    )
    score = models.SmallIntegerField(_("score"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True, max_length=SHORT_TEXT_MAX)

    class Meta:
        verbose_name = _("criterion score")
        ordering = ["review", "criterion__order"]
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="criterion_score_unique")
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}"


class FactorScore(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="factor_scores")
    factor = models.ForeignKey(
        "cases.EcosystemFactor", on_delete=models.PROTECT, related_name="scores"
    )
    score = models.PositiveSmallIntegerField(
        _("score (0-4)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(4)],
    )

    class Meta:
        verbose_name = _("factor score")
        ordering = ["review", "factor__order"]
        constraints = [
            models.UniqueConstraint(fields=["review", "factor"], name="factor_score_unique"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__lte=4), name="factor_score_0_to_4"
            ),
        ]

    def __str__(self):
        return f"{self.factor}: {self.score}"


class ScoreChange(models.Model):
    """One changed value of a review: who, when, the old and the new value."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    item = models.CharField(_("item"), max_length=200)
    old_value = models.TextField(_("old value"), blank=True, max_length=LONG_TEXT_MAX)
    new_value = models.TextField(_("new value"), blank=True, max_length=LONG_TEXT_MAX)

    class Meta:
        verbose_name = _("score change")
        ordering = ["changed_at", "id"]

    def __str__(self):
        return f"{self.item}: {self.old_value} → {self.new_value}"


class DecisionAction(models.TextChoices):
    SCREENED = "screened", _("Eligibility decided")
    CONFLICT_DECLARED = "conflict-declared", _("Conflict declared")
    CONFLICT_OVERRIDDEN = "conflict-overridden", _("Conflict overridden")
    ASSIGNED = "assigned", _("Evaluator assigned")
    UNASSIGNED = "unassigned", _("Evaluator removed")
    AUTO_ASSIGNED = "auto-assigned", _("Automatic assignment run")
    OUTCOME = "outcome", _("Outcome changed")
    PHASE = "phase", _("Phase changed")
    RESULTS_PUBLISHED = "results-published", _("Results published")
    CASE_PUBLISHED = "case-published", _("Case published in the library")
    MESSAGE_SENT = "message-sent", _("Message sent to a group")
    EVALUATOR_INVITED = "evaluator-invited", _("Evaluator invited to the pool")
    CASES_IMPORTED = "cases-imported", _("Cases imported")
    PUBLISHED_OUTCOME_REVISED = "published-outcome-revised", _("Published case's outcome revised")
    CASE_UNPUBLISHED = "case-unpublished", _("Case withdrawn from the library")


class DecisionLog(models.Model):
    """Every coordinator decision, with who, when, the state before and after, and why."""

    edition = models.ForeignKey(
        "cases.Edition", on_delete=models.CASCADE, related_name="decision_log"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="decision_log"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(_("action"), max_length=30, choices=DecisionAction.choices)
    before = models.TextField(_("before"), blank=True, max_length=LONG_TEXT_MAX)
    after = models.TextField(_("after"), blank=True, max_length=LONG_TEXT_MAX)
    reason = models.TextField(_("reason"), blank=True, max_length=SHORT_TEXT_MAX)

    class Meta:
        verbose_name = _("decision log entry")
        verbose_name_plural = _("decision log")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["edition", "at"], name="decision_edition_idx")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"
