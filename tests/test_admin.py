import pytest
from django.contrib import admin
from django.urls import reverse

from cases.domain.editions import add_epsa_criteria
from cases.models import (
    Attachment,
    Case,
    CollaborationType,
    EcosystemFactor,
    Edition,
    FactorProfileValue,
    Outcome,
    User,
)
from tests.factories import (
    FactorAssessmentFactory,
    MembershipFactory,
    PartnerFactory,
    PublishedCaseFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = User.objects.create_superuser("root@example.eu", "correct-horse-battery")
    client.force_login(user)
    return client


@pytest.fixture
def populated():
    case = PublishedCaseFactory()
    add_epsa_criteria(edition=case.edition)
    PartnerFactory(case=case)
    FactorAssessmentFactory(case=case, self_rating=2)
    MembershipFactory(organisation=case.lead_organisation)
    Attachment.objects.create(
        case=case, file="attachments/x.pdf", title="Plan", size=10, content_type="application/pdf"
    )
    _populate_evaluation()
    _populate_operations(case)
    return case


def _populate_operations(case):
    """An invitation, a group message (and their outbox rows), a checked import and a library
    export waiting in the queue."""
    from cases.domain.imports import check_file
    from cases.domain.messaging import send_group_message
    from cases.domain.pool import invite_evaluator
    from cases.models import Segment
    from tests.factories import CoordinatorFactory

    coordinator = CoordinatorFactory(editions=[case.edition])
    invite_evaluator(edition=case.edition, email="invited@example.eu", by=coordinator)
    send_group_message(
        edition=case.edition, segment=Segment.ELIGIBLE, subject="Hi", body="B", by=coordinator
    )
    check_file(
        source="archive",
        name="a.csv",
        content=b"key,title\nK1,A case\n",
        by=coordinator,
        may_use_edition=lambda user, edition: True,
    )
    from cases.domain.library_exports import request_export

    request_export(
        format="csv",
        query={"country": ["BE"]},
        base_url="http://testserver",
        file_name="epsa-library.csv",
        user=coordinator,
    )


def _populate_evaluation():
    """One row of every evaluation model, made through the domain where the domain makes it."""
    from cases.domain.evaluation.conflicts import override_conflict
    from cases.domain.evaluation.eligibility import screen_case
    from cases.domain.evaluation.evaluator_profiles import update_evaluator_profile
    from cases.domain.evaluation.outcomes import set_outcome
    from cases.models import EditionPhase, ScoreChange
    from tests.factories import (
        AssignmentFactory,
        ConflictFactory,
        CoordinatorFactory,
        SubmittedCaseFactory,
        submitted_review,
    )

    entry = SubmittedCaseFactory()
    coordinator = CoordinatorFactory(editions=[entry.edition])
    entry.edition.phase = EditionPhase.ELIGIBILITY
    entry.edition.save()
    screen_case(case=entry, by=coordinator, eligible=True)
    entry.edition.phase = EditionPhase.CONSENSUS
    entry.edition.save()
    set_outcome(case=entry, by=coordinator, outcome=Outcome.NOMINEE)
    assignment = AssignmentFactory(case=entry)
    update_evaluator_profile(
        user=assignment.evaluator,
        countries=["FR"],
        organisations=[],
        preferred_categories=[],
        expertise="Open data",
    )
    review = submitted_review(assignment)
    ScoreChange.objects.create(review=review, item="Relevance", old_value="6", new_value="7")
    override_conflict(conflict=ConflictFactory(case=entry), by=coordinator, reason="Old link")


def _cases_models():
    return [model for model in admin.site._registry if model._meta.app_label == "cases"]


def test_every_foundation_model_is_registered():
    names = {model.__name__ for model in _cases_models()}
    assert names >= {
        "User",
        "Organisation",
        "OrganisationMembership",
        "Edition",
        "Category",
        "Criterion",
        "Case",
        "FactorProfileValue",
        "Attachment",
        "CollaborationType",
        "CoproductionPhase",
        "CoproductionLevel",
        "EcosystemFactor",
        "PolicySector",
        "InnovationStage",
        "EvaluatorProfile",
        "Screening",
        "Conflict",
        "Assignment",
        "Review",
        "DecisionLog",
    }


def test_every_admin_page_renders(admin_client, populated):
    for model in _cases_models():
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert admin_client.get(changelist).status_code == 200, opts.model_name
        assert admin_client.get(changelist, {"q": "a"}).status_code == 200, opts.model_name
        add = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        assert add.status_code in (200, 403), opts.model_name
        obj = model.objects.first()
        assert obj is not None, opts.model_name
        change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        assert admin_client.get(change).status_code == 200, opts.model_name


def test_admin_is_closed_to_non_staff(client):
    client.force_login(UserFactory(roles=["coordinator"]))
    response = client.get(reverse("admin:cases_case_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def _edition_post(**extra):
    data = {
        "name": "EPSA 2031",
        "slug": "epsa-2031",
        "year_label": "2031",
        "theme": "",
        "phase": "draft",
        "rules": "",
        "evaluators_per_entry": "2",
        "score_min": "0",
        "score_max": "10",
        "categories-TOTAL_FORMS": "1",
        "categories-INITIAL_FORMS": "0",
        "categories-0-name": "Digital",
        "categories-0-slug": "digital",
        "categories-0-order": "1",
        "criteria-TOTAL_FORMS": "0",
        "criteria-INITIAL_FORMS": "0",
    }
    data.update(extra)
    return data


def test_edition_added_in_admin_gets_the_six_criteria(admin_client):
    response = admin_client.post(reverse("admin:cases_edition_add"), _edition_post())
    assert response.status_code == 302, response.content.decode()[:2000]
    edition = Edition.objects.get(slug="epsa-2031")
    assert edition.criteria.count() == 6
    assert list(edition.categories.values_list("slug", flat=True)) == ["digital"]


def test_criterion_typed_in_admin_is_kept(admin_client):
    data = _edition_post(
        **{
            "criteria-TOTAL_FORMS": "1",
            "criteria-0-name": "Impact first",
            "criteria-0-slug": "impact",
            "criteria-0-guidance": "Ours.",
            "criteria-0-weight": "2",
            "criteria-0-order": "1",
        }
    )
    assert admin_client.post(reverse("admin:cases_edition_add"), data).status_code == 302
    edition = Edition.objects.get(slug="epsa-2031")
    assert edition.criteria.count() == 6
    assert edition.criteria.get(slug="impact").name == "Impact first"


def test_user_added_in_admin_logs_in_with_lowercased_email(admin_client, client):
    response = admin_client.post(
        reverse("admin:cases_user_add"),
        {
            "email": "New.Person@Example.EU",
            "full_name": "New Person",
            "country": "BE",
            "usable_password": "true",
            "password1": "a-long-enough-pass-42",
            "password2": "a-long-enough-pass-42",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(full_name="New Person")
    assert user.email == "new.person@example.eu"
    assert user.check_password("a-long-enough-pass-42")


def test_user_admin_refuses_duplicate_email_in_other_case(admin_client):
    UserFactory(email="taken@example.eu")
    response = admin_client.post(
        reverse("admin:cases_user_add"),
        {
            "email": "TAKEN@example.eu",
            "full_name": "Copy",
            "usable_password": "true",
            "password1": "a-long-enough-pass-42",
            "password2": "a-long-enough-pass-42",
        },
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert User.objects.filter(email__iexact="taken@example.eu").count() == 1


def test_vocabulary_label_editable_slug_stable_and_not_deletable(admin_client):
    row = CollaborationType.objects.get(slug="public-private")
    url = reverse("admin:cases_collaborationtype_change", args=[row.pk])
    response = admin_client.post(
        url, {"label": "Public and private", "slug": "renamed", "description": "", "order": "4"}
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.label, row.slug, row.order) == ("Public and private", "public-private", 4)
    delete = reverse("admin:cases_collaborationtype_delete", args=[row.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert CollaborationType.objects.filter(pk=row.pk).exists()


def test_factors_cannot_be_added(admin_client):
    assert admin_client.get(reverse("admin:cases_ecosystemfactor_add")).status_code == 403
    assert EcosystemFactor.objects.count() == 8


def test_profile_values_are_read_only(admin_client, populated):
    value = FactorProfileValue.objects.get(case=populated)
    url = reverse("admin:cases_factorprofilevalue_change", args=[value.pk])
    admin_client.post(url, {"value": "4", "source": "consensus"})
    value.refresh_from_db()
    assert value.value == 2


def _case_change_data(case, **changes):
    data = {
        "title": case.title,
        "slug": case.slug,
        "edition": case.edition_id,
        "category": case.category_id,
        "lead_organisation": case.lead_organisation_id,
        "summary": case.summary,
        "country": "BE",
        "level": "local",
        "status": case.status,
        "outcome": case.outcome,
        "place": "",
        "is_published": "on",
        "published_at_0": "2024-03-21",
        "published_at_1": "12:00:00",
        "publication_consent": "on",
        "licence": case.licence,
        "provenance": case.provenance,
        "partners-TOTAL_FORMS": "0",
        "partners-INITIAL_FORMS": "0",
        "factor_assessments-TOTAL_FORMS": "0",
        "factor_assessments-INITIAL_FORMS": "0",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_case_edit_in_admin_bumps_version(admin_client):
    case = PublishedCaseFactory()
    url = reverse("admin:cases_case_change", args=[case.pk])
    response = admin_client.post(url, _case_change_data(case, title="Renamed in the admin"))
    assert response.status_code == 302, response.content.decode()[:3000]
    case.refresh_from_db()
    assert case.title == "Renamed in the admin"
    assert case.version == 2


def test_title_renamed_in_admin_moves_the_slug_and_the_old_address_redirects(admin_client, client):
    case = PublishedCaseFactory(title="Harbour pact", slug="harbour-pact")
    url = reverse("admin:cases_case_change", args=[case.pk])
    form = admin_client.get(url).content.decode()
    assert 'name="slug"' not in form  # a published case's address is not typed by hand
    data = _case_change_data(case, title="Harbour and river pact")
    del data["slug"]
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    case.refresh_from_db()
    assert case.slug == "harbour-and-river-pact"
    old = client.get("/library/harbour-pact/")
    assert old.status_code == 301
    assert old["Location"] == "/library/harbour-and-river-pact/"


def test_case_admin_shows_decided_fields_read_only(admin_client):
    """Status, outcome and publication change only through the domain's actions (guards,
    e-mails, decision log); the admin posts cannot move them."""
    case = PublishedCaseFactory(outcome=Outcome.NOMINEE)
    url = reverse("admin:cases_case_change", args=[case.pk])
    page = admin_client.get(url).content.decode()
    assert 'name="status"' not in page and 'name="is_published"' not in page
    response = admin_client.post(
        url,
        _case_change_data(
            case, title="Renamed", status="draft", outcome="winner", place="2", is_published=""
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    case.refresh_from_db()
    assert case.title == "Renamed"
    assert (case.status, case.outcome, case.place, case.is_published) == (
        "eligible",
        Outcome.NOMINEE,
        None,
        True,
    )


def _case_admin_form(admin_client, case, add=False, **changes):
    """The admin's own form class for ``case`` (or its add form, for a new record made from
    the case's values), bound to the case's values with ``changes``."""
    from django.forms.models import model_to_dict
    from django.test import RequestFactory

    request = RequestFactory().post("/")
    request.user = User.objects.get(email="root@example.eu")
    model_admin = admin.site._registry[Case]
    form_class = model_admin.get_form(request, None if add else case, change=not add)
    data = {}
    for name, value in {**model_to_dict(case), **changes}.items():
        if name not in form_class.base_fields or value is None:
            continue
        widget = form_class.base_fields[name].widget
        if isinstance(value, list):
            data[name] = [item.pk if hasattr(item, "pk") else item for item in value]
        elif widget.__class__.__name__ == "AdminSplitDateTime":
            data[f"{name}_0"], data[f"{name}_1"] = value.date().isoformat(), value.time()
        else:
            data[name] = value
    return form_class(data=data) if add else form_class(data=data, instance=case)


@pytest.mark.parametrize("status", ["draft", "submitted", "ineligible", "withdrawn"])
def test_admin_refuses_to_publish_an_entry_that_is_not_eligible(admin_client, status):
    """A record created in the admin (an imported case) is checked like the database does."""
    case = PublishedCaseFactory()
    form = _case_admin_form(admin_client, case, add=True, status=status, slug="imported-copy")
    assert not form.is_valid()
    assert "Only an eligible entry can be published" in form.errors["is_published"][0]
    assert "__all__" not in form.errors  # said once, next to the box


def test_admin_keeps_publishing_eligible_entries_it_creates(admin_client):
    case = PublishedCaseFactory()
    form = _case_admin_form(admin_client, case, title="Renamed in the admin")
    assert form.is_valid(), form.errors
    imported = _case_admin_form(admin_client, case, add=True, slug="imported-copy")
    assert imported.is_valid(), imported.errors
