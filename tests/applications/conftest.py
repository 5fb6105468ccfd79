import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases.domain import applications as app
from cases.models import (
    CollaborationType,
    EcosystemFactor,
    MembershipStatus,
    PolicySector,
    Role,
    Sector,
)
from tests.factories import (
    CaseFactory,
    CategoryFactory,
    EditionFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def pdf_upload(name="report.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def edition(db):
    return EditionFactory(
        slug="epsa-2026",
        name="EPSA 2026",
        deadline=timezone.now() + datetime.timedelta(days=20),
    )


@pytest.fixture
def category(edition):
    return CategoryFactory(edition=edition, slug="innovation", name="Innovation")


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="City of Ghent", country="BE", sector=Sector.PUBLIC)


@pytest.fixture
def applicant(organisation):
    user = UserFactory(roles=[Role.APPLICANT], full_name="Ann Applicant")
    MembershipFactory(user=user, organisation=organisation, status=MembershipStatus.APPROVED)
    return user


@pytest.fixture
def colleague(organisation):
    user = UserFactory(roles=[Role.APPLICANT], full_name="Carl Colleague")
    MembershipFactory(user=user, organisation=organisation, status=MembershipStatus.APPROVED)
    return user


@pytest.fixture
def outsider(db):
    """An applicant of another organisation."""
    user = UserFactory(roles=[Role.APPLICANT], full_name="Olga Outsider")
    MembershipFactory(user=user, status=MembershipStatus.APPROVED)
    return user


@pytest.fixture
def coordinator(db):
    return UserFactory(roles=[Role.COORDINATOR], full_name="Cora Coordinator")


@pytest.fixture
def evaluator(db):
    return UserFactory(roles=[Role.EVALUATOR], full_name="Eva Evaluator")


@pytest.fixture
def draft(edition, category, organisation, applicant):
    return app.start_application(user=applicant, edition=edition, organisation=organisation)


def fill_every_section(case, user, category):
    """Save every required section with valid content, as an applicant would."""

    def save(section, data):
        fresh = type(case).objects.get(pk=case.pk)
        return app.save_section(
            case=fresh, user=user, section=section, data=data, loaded_version=fresh.version
        )

    save(app.APPLICANT, {"contact_name": "Ann Applicant", "contact_email": "ann@example.eu"})
    save(
        app.PROJECT,
        {
            "title": "Neighbourhood care circles",
            "category": category,
            "country": "BE",
            "level": "local",
            "policy_sectors": list(
                PolicySector.objects.filter(slug="public-health-social-affairs")
            ),
            "start_date": datetime.date(2022, 1, 1),
            "end_date": None,
            "ongoing": True,
        },
    )
    save(app.SUMMARY, {"summary": "Volunteers and nurses share the care of older people."})
    save(
        app.DESCRIPTION,
        {name: f"Text for {name}." for name in app.REQUIRED_DESCRIPTION_FIELDS},
    )
    save(
        app.COLLABORATION,
        {
            "partners": [
                {
                    "name": "Red Cross Flanders",
                    "sector": "third-sector",
                    "country": "BE",
                    "role": "Volunteers",
                }
            ],
            "collaboration_types": list(
                CollaborationType.objects.filter(slug="public-third-sector")
            ),
            "coproduction_phases": [],
            "coproduction_levels": [],
        },
    )
    save(
        app.ECOSYSTEM,
        {
            "assessments": {
                factor.pk: {"text": "Present.", "evidence": "Council minutes.", "rating": "3"}
                for factor in EcosystemFactor.objects.all()
            }
        },
    )
    return save(
        app.DECLARATIONS,
        {"declares_accuracy": True, "consents_to_evaluation": True, "publication_consent": True},
    )


@pytest.fixture
def complete_draft(draft, applicant, category):
    return fill_every_section(draft, applicant, category)


@pytest.fixture
def submitted(complete_draft, applicant):
    case, _ = app.submit_case(case=complete_draft, user=applicant, link_base="http://testserver")
    return case


@pytest.fixture
def other_case(db):
    """A draft of another organisation in another edition."""
    return CaseFactory()


__all__ = ["CaseFactory", "JPEG_BYTES", "PNG_BYTES"]
