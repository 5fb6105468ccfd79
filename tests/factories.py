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
