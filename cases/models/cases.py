from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from cases.interfaces.reversing import slug_url
from cases.models.limits import LONG_TEXT_MAX, SHORT_TEXT_MAX

from .choices import (
    CaseLanguage,
    CaseStatus,
    ChoiceLabels,
    GovernmentLevel,
    Licence,
    Outcome,
    Provenance,
    Sector,
    choice_label,
)


def outcome_label(outcome: str, place: int | None) -> str:
    """How the library names a result: "Winner, place 2", or the outcome's own label."""
    if outcome == Outcome.WINNER and place:
        return _("Winner, place %(place)s") % {"place": place}
    return choice_label(Case._meta.get_field("outcome"), outcome)


# The structured narrative, in the order the case page and the application form show it.
NARRATIVE_FIELDS = (
    "problem",
    "solution",
    "collaboration",
    "results",
    "challenges",
    "sustainability",
    "transferability",
)


class Case(ChoiceLabels, models.Model):
    """One innovation, from the applicant's first draft to a published library case."""

    edition = models.ForeignKey(
        "cases.Edition",
        on_delete=models.PROTECT,
        related_name="cases",
        null=True,
        blank=True,
        help_text=_("Empty for cases imported from elsewhere."),
    )
    category = models.ForeignKey(
        "cases.Category", on_delete=models.PROTECT, related_name="cases", null=True, blank=True
    )
    lead_organisation = models.ForeignKey(
        "cases.Organisation",
        on_delete=models.PROTECT,
        related_name="led_cases",
        null=True,
        blank=True,
        help_text=_("Empty only for imported cases whose organisation is not on record."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="created_cases",
    )
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    summary = models.TextField(_("executive summary"), blank=True, max_length=LONG_TEXT_MAX)
    # The language the applicant wrote the case in: the library filters on it, and the search
    # document is built with that language's stemming (cases.domain.search).
    language = models.CharField(
        _("language of the case"),
        max_length=8,
        choices=CaseLanguage.choices,
        default=CaseLanguage.ENGLISH,
        help_text=_("The language the title, summary and description are written in."),
    )

    problem = models.TextField(_("problem and context"), blank=True, max_length=LONG_TEXT_MAX)
    solution = models.TextField(
        _("solution and what is innovative"), blank=True, max_length=LONG_TEXT_MAX
    )
    collaboration = models.TextField(
        _("collaboration and the partners' roles"), blank=True, max_length=LONG_TEXT_MAX
    )
    results = models.TextField(_("results and evidence"), blank=True, max_length=LONG_TEXT_MAX)
    challenges = models.TextField(_("challenges"), blank=True, max_length=LONG_TEXT_MAX)
    sustainability = models.TextField(_("sustainability"), blank=True, max_length=LONG_TEXT_MAX)
    transferability = models.TextField(
        _("transferability and lessons"), blank=True, max_length=LONG_TEXT_MAX
    )

    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    ongoing = models.BooleanField(_("ongoing"), default=False)
    country = CountryField(_("country"), blank=True)
    level = models.CharField(
        _("level of government"), max_length=20, choices=GovernmentLevel.choices, blank=True
    )
    policy_sectors = models.ManyToManyField(
        "cases.PolicySector", blank=True, related_name="cases", verbose_name=_("policy sectors")
    )
    collaboration_types = models.ManyToManyField(
        "cases.CollaborationType",
        blank=True,
        related_name="cases",
        verbose_name=_("collaboration types"),
    )
    coproduction_phases = models.ManyToManyField(
        "cases.CoproductionPhase",
        blank=True,
        related_name="cases",
        verbose_name=_("co-production phases"),
    )
    coproduction_levels = models.ManyToManyField(
        "cases.CoproductionLevel",
        blank=True,
        related_name="cases",
        verbose_name=_("co-production levels"),
    )
    innovation_stage = models.ForeignKey(
        "cases.InnovationStage",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("innovation stage"),
    )
    website = models.URLField(_("website"), blank=True)

    # Section (a) of the application: who the award team writes to about this entry.
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_position = models.CharField(_("position"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact telephone"), max_length=40, blank=True)
    second_contact_name = models.CharField(_("second contact person"), max_length=200, blank=True)
    second_contact_email = models.EmailField(_("second contact e-mail"), blank=True)

    # Section (h): the applicant's declarations (publication_consent is below).
    declares_accuracy = models.BooleanField(_("the information given is accurate"), default=False)
    consents_to_evaluation = models.BooleanField(
        _("consents to evaluation by independent experts"), default=False
    )
    # Per application section: the case version at which it was last saved, when and by whom,
    # so that a save over a newer version of the same section can be refused.
    section_log = models.JSONField(default=dict, blank=True, editable=False)

    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.DRAFT
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    screened_at = models.DateTimeField(_("eligibility decided at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    registration_number = models.CharField(
        _("registration number"), max_length=40, unique=True, null=True, blank=True
    )
    # Incremented by every saved edit, so that a save over a newer version can be refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    outcome = models.CharField(
        _("outcome"), max_length=30, choices=Outcome.choices, default=Outcome.NONE
    )
    place = models.PositiveSmallIntegerField(
        _("place"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
        help_text=_("Winners only: the jury's place, 1 to 3."),
    )

    is_published = models.BooleanField(_("published in the library"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    publication_consent = models.BooleanField(_("applicant consents to publication"), default=False)
    licence = models.CharField(
        _("licence"), max_length=30, choices=Licence.choices, default=Licence.CC_BY_4
    )
    provenance = models.CharField(
        _("provenance"), max_length=20, choices=Provenance.choices, default=Provenance.SUBMITTED
    )
    source_note = models.TextField(
        _("source note"),
        blank=True,
        max_length=LONG_TEXT_MAX,
        help_text=_("Where the facts of an imported case come from."),
    )

    # The library's year of the case: its edition's year, else the year it started. Stored so
    # that year_from/year_to filter on an indexed column (kept current by cases.domain.derived).
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("case")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(place__isnull=True) | Q(outcome=Outcome.WINNER, place__in=[1, 2, 3]),
                name="case_place_only_for_winners",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="case_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(published_at__isnull=False),
                name="case_published_has_time",
            ),
            # The library shows published cases only; an entry still in draft, ineligible or
            # withdrawn must never be among them, whoever ticks the box.
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(status=CaseStatus.ELIGIBLE),
                name="case_published_is_eligible",
                violation_error_message=_(
                    "Only an eligible entry can be published in the library."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["is_published", "-published_at"], name="case_published_idx"),
            models.Index(fields=["status"], name="case_status_idx"),
            models.Index(fields=["country"], name="case_country_idx"),
            models.Index(fields=["level"], name="case_level_idx"),
            models.Index(fields=["outcome"], name="case_outcome_idx"),
            models.Index(fields=["start_date"], name="case_start_idx"),
            models.Index(fields=["year"], name="case_year_idx"),
            models.Index(fields=["language"], name="case_language_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return slug_url("library:case", self.slug)

    @property
    def is_synthetic(self) -> bool:
        return self.provenance == Provenance.SYNTHETIC

    @property
    def is_fact_only(self) -> bool:
        """Imported records carry facts (names, places, dates) but no description."""
        return self.provenance == Provenance.IMPORTED and not self.summary

    @property
    def outcome_label(self) -> str:
        return outcome_label(self.outcome, self.place)


class Partner(ChoiceLabels, models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(_("name"), max_length=300)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    country = CountryField(_("country"), blank=True)
    role = models.TextField(_("role in the project"), blank=True, max_length=SHORT_TEXT_MAX)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("partner")
        ordering = ["case", "order", "id"]

    def __str__(self):
        return self.name


class FactorAssessment(models.Model):
    """The applicant's self-assessment of the case against one enabling-ecosystem factor."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="factor_assessments")
    factor = models.ForeignKey(
        "cases.EcosystemFactor", on_delete=models.PROTECT, related_name="assessments"
    )
    text = models.TextField(_("self-assessment"), blank=True, max_length=SHORT_TEXT_MAX)
    evidence = models.TextField(_("evidence"), blank=True, max_length=SHORT_TEXT_MAX)
    not_applicable = models.BooleanField(_("not applicable"), default=False)
    self_rating = models.PositiveSmallIntegerField(
        _("self-rating (0-4)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(4)],
    )

    class Meta:
        verbose_name = _("factor self-assessment")
        ordering = ["case", "factor__order"]
        constraints = [
            models.UniqueConstraint(fields=["case", "factor"], name="assessment_one_per_factor"),
            models.CheckConstraint(
                condition=Q(self_rating__isnull=True) | Q(self_rating__lte=4),
                name="assessment_rating_0_to_4",
            ),
            models.CheckConstraint(
                condition=Q(not_applicable=False) | Q(self_rating__isnull=True),
                name="assessment_not_applicable_has_no_rating",
            ),
        ]

    def __str__(self):
        return f"{self.case} / {self.factor}"


class FactorProfileSource(models.TextChoices):
    CONSENSUS = "consensus", _("Evaluators' consensus")
    SELF_ASSESSMENT = "self-assessment", _("Applicant's self-assessment")


class FactorProfileValue(ChoiceLabels, models.Model):
    """One stored value of a case's factor profile (0-4), so lists never compute it per row."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="profile_values")
    factor = models.ForeignKey(
        "cases.EcosystemFactor", on_delete=models.PROTECT, related_name="profile_values"
    )
    value = models.DecimalField(
        max_digits=3,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(4)],
    )
    source = models.CharField(max_length=20, choices=FactorProfileSource.choices)

    class Meta:
        verbose_name = _("factor profile value")
        constraints = [
            models.UniqueConstraint(fields=["case", "factor"], name="profile_one_per_factor"),
            models.CheckConstraint(
                condition=Q(value__gte=0) & Q(value__lte=4), name="profile_value_0_to_4"
            ),
        ]
        indexes = [models.Index(fields=["factor", "value"], name="profile_factor_value_idx")]

    def __str__(self):
        return f"{self.case_id} / {self.factor_id}: {self.value}"


def attachment_path(instance, filename):
    return f"attachments/case-{instance.case_id}/{filename}"


class Attachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    title = models.CharField(_("title"), max_length=200)
    size = models.PositiveIntegerField(_("size in bytes"))
    content_type = models.CharField(_("content type"), max_length=100)
    is_public = models.BooleanField(
        _("public in the library"),
        default=False,
        help_text=_("Shown on the published case page."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        ordering = ["case", "uploaded_at"]

    def __str__(self):
        return self.title


class CaseSlugHistory(models.Model):
    """A slug a published case had before its title changed: its old address redirects (301)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="former_slugs")
    slug = models.SlugField(_("former slug"), max_length=120, unique=True)
    retired_at = models.DateTimeField(_("retired at"), default=timezone.now)

    class Meta:
        verbose_name = _("former case slug")
        verbose_name_plural = _("former case slugs")
        ordering = ["case", "-retired_at"]

    def __str__(self):
        return self.slug
