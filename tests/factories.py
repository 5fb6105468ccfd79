"""factory_boy factories for the domain model. Vocabulary rows come from the seed migration."""

import datetime

import factory
from django.contrib.auth.models import Group
from django.utils import timezone
from factory.django import DjangoModelFactory

from cases import models


class UserFactory(DjangoModelFactory):
    class Meta:
        model = models.User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.eu")
    full_name = factory.Faker("name")
    country = "BE"
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if not create:
            return
        for role in extracted or ():
            self.groups.add(Group.objects.get(name=role))
        # Always save: it also persists the password set just above (skip_postgeneration_save).
        self.save()


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = models.Organisation

    name = factory.Sequence(lambda n: f"Municipality of Example {n}")
    country = "BE"
    level = models.GovernmentLevel.LOCAL
    sector = models.Sector.PUBLIC


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = models.OrganisationMembership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    status = models.MembershipStatus.APPROVED


class EditionFactory(DjangoModelFactory):
    class Meta:
        model = models.Edition
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"test-edition-{n}")
    name = factory.Sequence(lambda n: f"Test Edition {n}")
    year_label = "2026"
    theme = "Collaboration for better services"
    phase = models.EditionPhase.OPEN
    submissions_open_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=10))
    deadline = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))


class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = models.Category

    edition = factory.SubFactory(EditionFactory)
    slug = factory.Sequence(lambda n: f"category-{n}")
    name = factory.Sequence(lambda n: f"Category {n}")


class CriterionFactory(DjangoModelFactory):
    class Meta:
        model = models.Criterion

    edition = factory.SubFactory(EditionFactory)
    slug = factory.Sequence(lambda n: f"criterion-{n}")
    name = factory.Sequence(lambda n: f"Criterion {n}")
    order = factory.Sequence(lambda n: n)


class CaseFactory(DjangoModelFactory):
    class Meta:
        model = models.Case

    edition = factory.SubFactory(EditionFactory)
    category = factory.SubFactory(CategoryFactory, edition=factory.SelfAttribute("..edition"))
    lead_organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Shared service hub number {n}")
    slug = factory.Sequence(lambda n: f"shared-service-hub-{n}")
    summary = "Neighbouring towns pooled their back offices with a regional agency."
    country = "BE"
    level = models.GovernmentLevel.LOCAL
    status = models.CaseStatus.DRAFT


class PublishedCaseFactory(CaseFactory):
    status = models.CaseStatus.ELIGIBLE
    is_published = True
    published_at = factory.LazyFunction(timezone.now)
    publication_consent = True
    provenance = models.Provenance.SUBMITTED


class PartnerFactory(DjangoModelFactory):
    class Meta:
        model = models.Partner

    case = factory.SubFactory(CaseFactory)
    name = factory.Sequence(lambda n: f"Partner organisation {n}")
    sector = models.Sector.THIRD_SECTOR
    country = "BE"
    role = "Runs the volunteer network."


class FactorAssessmentFactory(DjangoModelFactory):
    class Meta:
        model = models.FactorAssessment

    case = factory.SubFactory(CaseFactory)
    factor = factory.LazyFunction(lambda: models.EcosystemFactor.objects.order_by("order").first())
    text = "The regional strategy obliges agencies to share data."
    evidence = "Council decision 2022/14."
    self_rating = 3


ATTACHMENT_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class AttachmentFactory(DjangoModelFactory):
    """A private PDF attached to a case (stored in the test's private media folder)."""

    class Meta:
        model = models.Attachment

    case = factory.SubFactory(CaseFactory)
    title = factory.Sequence(lambda n: f"Evidence {n}")
    file = factory.django.FileField(filename="evidence.pdf", data=ATTACHMENT_PDF)
    size = len(ATTACHMENT_PDF)
    content_type = "application/pdf"


# Evaluation (issue 5) ----------------------------------------------------------------------------


class EvaluationEditionFactory(EditionFactory):
    """An edition in its evaluation phase with the six EPSA criteria at equal weights."""

    class Meta:
        skip_postgeneration_save = True

    phase = models.EditionPhase.EVALUATION
    submissions_open_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=90))
    deadline = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=30))
    evaluation_deadline = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=20))
    score_min = 0
    score_max = 10

    @factory.post_generation
    def criteria(self, create, extracted, **kwargs):
        if not create:
            return
        slugs = (
            extracted
            if extracted is not None
            else [
                "relevance",
                "innovation",
                "stakeholder-engagement",
                "impact",
                "sustainability",
                "transferability",
            ]
        )
        for order, slug in enumerate(slugs):
            models.Criterion.objects.get_or_create(
                edition=self,
                slug=slug,
                defaults={
                    "name": slug.replace("-", " ").capitalize(),
                    "order": order,
                    "guidance": f"How well does the entry do on {slug.replace('-', ' ')}?",
                },
            )


class SubmittedCaseFactory(CaseFactory):
    edition = factory.SubFactory(EvaluationEditionFactory)
    status = models.CaseStatus.SUBMITTED
    submitted_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=40))
    created_by = factory.SubFactory(UserFactory, roles=[models.Role.APPLICANT])
    publication_consent = True
    problem = "Residents waited months for permits."
    solution = "One shared back office for five towns."


class EligibleCaseFactory(SubmittedCaseFactory):
    status = models.CaseStatus.ELIGIBLE
    registration_number = factory.Sequence(lambda n: f"TEST-{n:04d}")
    screened_at = factory.LazyFunction(timezone.now)


class EvaluatorFactory(UserFactory):
    """An evaluator from a country no test case comes from, so no same-country conflict."""

    country = "PT"

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create:
            for role in extracted or [models.Role.EVALUATOR]:
                self.groups.add(Group.objects.get(name=role))
            self.save()  # also stores the password set by the parent factory

    @factory.post_generation
    def pools(self, create, extracted, **kwargs):
        """``pools=[edition, ...]``: editions whose pool the evaluator has accepted."""
        if create and extracted:
            for edition in extracted:
                models.PoolMembership.objects.get_or_create(
                    edition=edition,
                    evaluator=self,
                    defaults={"status": models.PoolStatus.ACCEPTED, "responded_at": timezone.now()},
                )


class CoordinatorFactory(UserFactory):
    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create:
            for role in extracted or [models.Role.COORDINATOR]:
                self.groups.add(Group.objects.get(name=role))
            self.save()  # also stores the password set by the parent factory

    @factory.post_generation
    def editions(self, create, extracted, **kwargs):
        if create and extracted:
            for edition in extracted:
                edition.coordinators.add(self)


class EvaluatorProfileFactory(DjangoModelFactory):
    class Meta:
        model = models.EvaluatorProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(EvaluatorFactory)
    countries = ["PT"]
    expertise = "Local government reform"


class AssignmentFactory(DjangoModelFactory):
    class Meta:
        model = models.Assignment

    case = factory.SubFactory(EligibleCaseFactory)
    evaluator = factory.SubFactory(EvaluatorFactory)
    method = models.AssignmentMethod.MANUAL


class ConflictFactory(DjangoModelFactory):
    class Meta:
        model = models.Conflict

    case = factory.SubFactory(EligibleCaseFactory)
    evaluator = factory.SubFactory(EvaluatorFactory)
    kind = models.ConflictKind.DECLARED
    reason = "I advised the project team in 2022."


def submitted_review(assignment, scores=None, factor_scores=None, comment="Solid entry."):
    """A submitted review written directly (not through the domain), for read-side tests."""
    from cases.domain.evaluation.scoring import weighted_total

    edition = assignment.case.edition
    criteria = list(edition.criteria.all())
    if scores is None:
        scores = [7] * len(criteria)
    if isinstance(scores, int):
        scores = [scores] * len(criteria)
    total = weighted_total((s, c.weight) for s, c in zip(scores, criteria, strict=True))
    review = models.Review.objects.create(
        assignment=assignment,
        status=models.ReviewStatus.SUBMITTED,
        submitted_at=timezone.now(),
        weighted_total=total,
        overall_comment=comment,
    )
    models.CriterionScore.objects.bulk_create(
        models.CriterionScore(review=review, criterion=c, score=s, comment=f"On {c.name}")
        for c, s in zip(criteria, scores, strict=True)
    )
    factors = list(models.EcosystemFactor.objects.all())
    if factor_scores is None:
        factor_scores = [2] * len(factors)
    if isinstance(factor_scores, int):
        factor_scores = [factor_scores] * len(factors)
    models.FactorScore.objects.bulk_create(
        models.FactorScore(review=review, factor=f, score=s)
        for f, s in zip(factors, factor_scores, strict=True)
    )
    return review


def ensure_seed_data():
    """Re-create the rows migration 0002 seeds (roles, vocabularies), idempotently.

    Transactional tests (live server, threads) empty the database when they end; the next one
    needs the seeded rows back whatever order the tests run in.
    """
    import importlib

    from django.apps import apps

    importlib.import_module("cases.migrations.0002_seed_vocabularies").seed(apps, None)
