import datetime

import pytest
from django.contrib.auth import authenticate
from django.utils import timezone

from cases.demo.loader import (
    DEMO_EDITION_SLUG,
    DEMO_ORGANISATION_NAME,
    DEMO_USERS,
    load_demo,
    read_reference,
    real_case_slug,
)
from cases.domain.evaluation.assignment import assign_automatically
from cases.domain.queries.access import role_table
from cases.models import (
    NARRATIVE_FIELDS,
    Case,
    Category,
    Criterion,
    Edition,
    EditionPhase,
    EvaluatorProfile,
    FactorAssessment,
    MembershipStatus,
    Organisation,
    Outcome,
    Partner,
    Provenance,
    Role,
    User,
)
from tests.factories import EligibleCaseFactory

pytestmark = pytest.mark.django_db


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Edition,
            Category,
            Criterion,
            Organisation,
            Case,
            Partner,
            FactorAssessment,
            User,
            EvaluatorProfile,
        )
    }


def test_reference_file_is_the_projects_own_copy():
    reference = read_reference()
    assert len(reference["outcomes"]) == 26
    assert {item["slug"] for item in reference["editions"]} == {
        "epsa-2019",
        "epsa-2021",
        "epsa-2023",
    }


def test_load_demo_creates_editions_real_and_synthetic_cases(settings):
    settings.DEMO_USERS_ALLOWED = False
    load_demo()
    historical = Edition.objects.exclude(slug=DEMO_EDITION_SLUG)
    assert set(historical.values_list("slug", "phase")) == {
        ("epsa-2019", EditionPhase.CLOSED),
        ("epsa-2021", EditionPhase.CLOSED),
        ("epsa-2023", EditionPhase.CLOSED),
    }
    for edition in Edition.objects.all():
        assert edition.categories.count() == 3
        assert edition.criteria.count() == 6
    epsa2023 = Edition.objects.get(slug="epsa-2023")
    assert epsa2023.year_label == "2023-24"
    assert epsa2023.theme == "Boosting Innovation Through Learning"
    assert timezone.localtime(epsa2023.deadline).date() == datetime.date(2023, 11, 15)
    assert list(epsa2023.categories.values_list("slug", flat=True)) == [
        "innovation-in-public-administration",
        "green-transition-and-sustainability",
        "digital-transformation",
    ]
    epsa2021 = Edition.objects.get(slug="epsa-2021")
    assert list(epsa2021.criteria.values_list("slug", flat=True))[:2] == ["innovation", "impact"]
    assert timezone.localtime(epsa2021.submissions_open_at).date() == datetime.date(2021, 2, 18)

    real = Case.objects.filter(provenance=Provenance.IMPORTED)
    assert real.count() == 26
    synthetic = Case.objects.filter(provenance=Provenance.SYNTHETIC)
    assert synthetic.count() >= 200
    assert set(synthetic.values_list("edition__slug", flat=True)) == {
        "epsa-2019",
        "epsa-2021",
        "epsa-2023",
        None,
    }
    assert not synthetic.filter(edition__slug=DEMO_EDITION_SLUG).exists()
    assert Case.objects.filter(is_published=True).count() == Case.objects.count()


def test_real_cases_carry_facts_only():
    load_demo()
    real = Case.objects.filter(provenance=Provenance.IMPORTED)
    for case in real:
        assert case.summary == ""
        assert all(getattr(case, name) == "" for name in NARRATIVE_FIELDS)
        assert not case.partners.exists() and not case.factor_assessments.exists()
        assert not case.collaboration_types.exists()
        assert case.is_fact_only
        assert "published results of the European Public Sector Award" in case.source_note
        assert case.category.edition_id == case.edition_id
    winner = real.get(title="Hansken, the open digital forensic platform")
    assert (winner.outcome, winner.place, winner.country.code, winner.level) == (
        Outcome.WINNER,
        1,
        "NL",
        "national",
    )
    assert winner.lead_organisation.name == "Netherlands Forensic Institute"
    assert winner.edition.slug == "epsa-2023"
    assert winner.category.slug == "digital-transformation"
    inferred = real.get(title="e-Nabiz - Electronic personal health record")
    assert inferred.lead_organisation is None
    assert "third place inferred" in inferred.source_note
    # The same organisation won twice and is recorded once.
    assert Organisation.objects.filter(name="Spanish Ministry of Justice").count() == 1
    assert real.filter(lead_organisation__name="Spanish Ministry of Justice").count() == 2
    assert real.filter(outcome=Outcome.WINNER).count() == 15
    assert real.filter(outcome=Outcome.CERTIFICATE).count() == 11


def test_real_case_slugs_are_unique():
    slugs = [real_case_slug(outcome) for outcome in read_reference()["outcomes"]]
    assert len(slugs) == len(set(slugs))


def test_open_demo_edition_accepts_submissions():
    load_demo()
    edition = Edition.objects.get(slug=DEMO_EDITION_SLUG)
    assert edition.phase == EditionPhase.OPEN
    assert edition.is_open_for_submissions()
    assert edition.deadline > timezone.now() + datetime.timedelta(days=30)
    assert edition.evaluation_deadline > edition.deadline + datetime.timedelta(days=30)
    assert timezone.localtime(edition.evaluation_deadline).hour == 18
    assert not edition.cases.exists()


def test_demo_users_every_role_when_allowed(settings, rf):
    settings.DEMO_USERS_ALLOWED = True
    report = load_demo()
    assert report.users == 7
    for demo in DEMO_USERS:
        # A request, as the log-in form passes: the lockout backend (django-axes) needs it.
        user = authenticate(rf.post("/accounts/login/"), email=demo.email, password=demo.password)
        assert user is not None, demo.email
        roles = role_table(user)
        if demo.role:
            assert roles[demo.role]
            assert not roles["staff"]
        else:
            assert user.is_superuser and roles["staff"]
    applicant = User.objects.get(email="applicant@demo.example")
    membership = applicant.memberships.get()
    assert membership.status == MembershipStatus.APPROVED
    assert membership.organisation.may_lead_applications
    coordinator = User.objects.get(email="coordinator@demo.example")
    assert list(coordinator.coordinated_editions.values_list("slug", flat=True)) == [
        DEMO_EDITION_SLUG
    ]
    evaluator = User.objects.get(email="evaluator@demo.example")
    assert not role_table(evaluator)["applicant"]


def test_four_demo_evaluators_from_four_countries_with_preferences(settings):
    settings.DEMO_USERS_ALLOWED = True
    report = load_demo()
    evaluators = User.objects.filter(groups__name=Role.EVALUATOR).order_by("email")
    emails = [user.email for user in evaluators]
    assert emails == [
        "evaluator2@demo.example",
        "evaluator3@demo.example",
        "evaluator4@demo.example",
        "evaluator@demo.example",
    ]
    assert [c.email for c in report.credentials if c.role == Role.EVALUATOR][0] == (
        "evaluator@demo.example"
    )
    countries = [str(user.evaluator_profile.countries[0]) for user in evaluators]
    assert sorted(countries) == ["BE", "DE", "IT", "NL"]
    assert sorted(str(user.country) for user in evaluators) == ["BE", "DE", "IT", "NL"]
    preferred = set()
    for user in evaluators:
        categories = list(user.evaluator_profile.preferred_categories.all())
        assert categories, user.email
        assert {category.edition.slug for category in categories} == {DEMO_EDITION_SLUG}
        preferred |= {category.slug for category in categories}
    assert preferred == set(
        Edition.objects.get(slug=DEMO_EDITION_SLUG).categories.values_list("slug", flat=True)
    )


def test_no_demo_users_when_not_allowed(settings):
    settings.DEMO_USERS_ALLOWED = False
    report = load_demo()
    assert report.users == 0 and report.credentials == []
    assert not User.objects.exists()


def test_second_run_changes_nothing(settings):
    settings.DEMO_USERS_ALLOWED = True
    first = load_demo()
    assert first.created_anything
    counts = _counts()
    stamps = dict(Case.objects.values_list("pk", "updated_at"))
    versions = dict(Case.objects.values_list("pk", "version"))
    passwords = dict(User.objects.values_list("pk", "password"))
    second = load_demo()
    assert not second.created_anything
    assert _counts() == counts
    assert dict(Case.objects.values_list("pk", "updated_at")) == stamps
    assert dict(Case.objects.values_list("pk", "version")) == versions
    assert dict(User.objects.values_list("pk", "password")) == passwords
    assert len(second.credentials) == 7


def test_main_demo_evaluator_can_be_assigned_the_demo_municipality_s_entries(settings):
    settings.DEMO_USERS_ALLOWED = True
    load_demo()
    evaluator = User.objects.get(email="evaluator@demo.example")
    municipality = Organisation.objects.get(name=DEMO_ORGANISATION_NAME)
    assert str(evaluator.country) != str(municipality.country)
    assert str(municipality.country) not in [str(c) for c in evaluator.evaluator_profile.countries]


def test_demo_users_added_later_when_allowed_then(settings):
    settings.DEMO_USERS_ALLOWED = False
    load_demo()
    cases = Case.objects.count()
    settings.DEMO_USERS_ALLOWED = True
    report = load_demo()
    assert report.users == 7 and report.synthetic_cases == 0 and report.real_cases == 0
    assert Case.objects.count() == cases


def test_synthetic_cases_fit_their_categories():
    load_demo()
    synthetic = Case.objects.filter(provenance=Provenance.SYNTHETIC)
    by_level = synthetic.filter(edition__slug="epsa-2019")
    assert by_level.exists()
    for case in by_level.select_related("category"):
        expected = {
            "european-and-national": {"national", "eu-institution"},
            "regional": {"regional"},
            "supra-local-and-local": {"local"},
        }[case.category.slug]
        assert case.level in expected
    digital = synthetic.filter(category__slug="digital-transformation")
    about_digital = digital.filter(summary__icontains="digital").count()
    assert about_digital > digital.count() / 2


def test_demo_shows_two_evaluators_per_entry_without_the_same_country_one(settings):
    settings.DEMO_USERS_ALLOWED = True
    load_demo()
    edition = Edition.objects.get(slug=DEMO_EDITION_SLUG)
    edition.phase = EditionPhase.EVALUATION
    edition.save(update_fields=["phase"])
    municipality = Organisation.objects.get(name=DEMO_ORGANISATION_NAME)
    case = EligibleCaseFactory(
        edition=edition,
        lead_organisation=municipality,
        country="BE",
        category=edition.categories.get(slug="green-transition-and-sustainability"),
    )
    coordinator = User.objects.get(email="coordinator@demo.example")

    assign_automatically(edition=edition, by=coordinator, seed=0)

    evaluators = set(
        case.assignments.filter(is_active=True).values_list("evaluator__email", flat=True)
    )
    assert len(evaluators) == edition.evaluators_per_entry == 2
    # evaluator4 is Belgian like the municipality: a same-country conflict.
    assert "evaluator4@demo.example" not in evaluators
    assert "evaluator2@demo.example" in evaluators
