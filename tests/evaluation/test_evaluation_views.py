import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from cases.models import (
    Assignment,
    Attachment,
    EcosystemFactor,
    EditionPhase,
    Review,
    ReviewStatus,
)
from tests.factories import (
    AssignmentFactory,
    EligibleCaseFactory,
    EvaluationEditionFactory,
    EvaluatorFactory,
    FactorAssessmentFactory,
    PartnerFactory,
    submitted_review,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def assignment():
    return AssignmentFactory(
        case__problem="Permits took nine months.", case__solution="A joint back office."
    )


@pytest.fixture
def evaluator_client(client, assignment):
    client.force_login(assignment.evaluator)
    return client


def review_url(assignment):
    return reverse("evaluation:review", args=[assignment.pk])


def form_data(assignment, score=7, factor=3, **extra):
    data = {"overall_comment": "A convincing partnership."}
    for criterion in assignment.case.edition.criteria.all():
        data[f"criterion_{criterion.pk}"] = str(score)
        data[f"criterion_{criterion.pk}_comment"] = f"Notes on {criterion.name}"
    for factor_row in EcosystemFactor.objects.all():
        data[f"factor_{factor_row.pk}"] = str(factor)
    data.update(extra)
    return data


@pytest.mark.parametrize("count", [1, 3])
def test_assignment_list_queries_do_not_grow(client, django_assert_num_queries, count):
    evaluator = EvaluatorFactory()
    for _ in range(count):
        submitted_review(AssignmentFactory(evaluator=evaluator))
    client.force_login(evaluator)
    # session, user, roles, count, page
    with django_assert_num_queries(5):
        response = client.get(reverse("evaluation:assignments"))
    assert response.status_code == 200
    assert response.content.decode().count("Submitted") >= count


def test_list_shows_status_and_deadline(evaluator_client, assignment):
    response = evaluator_client.get(reverse("evaluation:assignments"))
    html = response.content.decode()
    assert assignment.case.title in html
    assert "Not started" in html
    assert assignment.case.edition.evaluation_deadline.strftime("%Y") in html


def test_review_page_shows_the_full_application_and_the_form(evaluator_client, assignment):
    PartnerFactory(case=assignment.case, name="Neighbourhood Trust")
    FactorAssessmentFactory(case=assignment.case, text="Strategy obliges data sharing.")
    Attachment.objects.create(
        case=assignment.case,
        file=ContentFile(b"%PDF-1.4", name="annex.pdf"),
        title="Annex with evidence",
        size=2048,
        content_type="application/pdf",
    )
    response = evaluator_client.get(review_url(assignment))
    html = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Permits took nine months.",
        "A joint back office.",
        "Neighbourhood Trust",
        "Strategy obliges data sharing.",
        "Annex with evidence",
        "2.0\xa0KB",
    ):
        assert text in html
    for criterion in assignment.case.edition.criteria.all():
        assert criterion.guidance in html
    # Each factor as the applicant saw it: its short name as the legend, its description as
    # the hint; each score input is labelled with its criterion's name.
    for factor in EcosystemFactor.objects.all():
        assert f"<legend>{factor.order}. {factor.display_short}</legend>" in html
        assert f'id="factor-hint-{factor.pk}">{factor.description}</p>' in html
    for criterion in assignment.case.edition.criteria.all():
        assert f'Score <span class="visually-hidden">for {criterion.name}</span>' in html
    assert 'min="0" max="10"' in html


def test_save_a_partial_draft_then_submit(evaluator_client, assignment):
    criterion = assignment.case.edition.criteria.first()
    response = evaluator_client.post(
        review_url(assignment),
        {f"criterion_{criterion.pk}": "8", "overall_comment": "Half way", "save": ""},
    )
    assert response.status_code == 302
    review = Review.objects.get(assignment=assignment)
    assert review.status == ReviewStatus.DRAFT
    page = evaluator_client.get(review_url(assignment)).content.decode()
    assert "Half way" in page and 'value="8"' in page

    data = form_data(assignment, version=review.version, submit="")
    response = evaluator_client.post(review_url(assignment), data)
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED
    assert str(review.weighted_total) == "7.000"


def test_submit_with_missing_scores_keeps_what_was_typed(evaluator_client, assignment):
    data = form_data(assignment, submit="")
    first_factor = EcosystemFactor.objects.order_by("order").first()
    del data[f"factor_{first_factor.pk}"]
    response = evaluator_client.post(review_url(assignment), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Score this factor before submitting." in html
    assert "A convincing partnership." in html
    assert not Review.objects.exists()


def test_out_of_scale_score_is_a_400_with_the_field_message(evaluator_client, assignment):
    criterion = assignment.case.edition.criteria.first()
    data = form_data(assignment, save="")
    data[f"criterion_{criterion.pk}"] = "12"
    response = evaluator_client.post(review_url(assignment), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "The score must be between 0 and 10." in html
    assert 'value="12"' in html
    assert 'aria-invalid="true"' in html
    data[f"factor_{EcosystemFactor.objects.first().pk}"] = "7"
    data[f"criterion_{criterion.pk}"] = "5"
    response = evaluator_client.post(review_url(assignment), data)
    assert response.status_code == 400
    assert "Choose a score from 0 to 4." in response.content.decode()


def test_stale_form_is_a_409_and_keeps_the_text(evaluator_client, assignment):
    evaluator_client.post(review_url(assignment), form_data(assignment, save=""))
    review = Review.objects.get()
    data = form_data(assignment, version=review.version - 1, save="")
    data["overall_comment"] = "My longer second thoughts."
    response = evaluator_client.post(review_url(assignment), data)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this review" in html
    assert "My longer second thoughts." in html
    assert Review.objects.get().overall_comment == "A convincing partnership."
    # The returned form carries the saved version: sending it again, knowingly, works.
    data["version"] = response.context["form"].data["version"]
    response = evaluator_client.post(review_url(assignment), data)
    assert response.status_code == 302
    assert Review.objects.get().overall_comment == "My longer second thoughts."


def test_submit_after_the_phase_closed_is_a_409(evaluator_client, assignment):
    edition = assignment.case.edition
    edition.phase = EditionPhase.CONSENSUS
    edition.save()
    response = evaluator_client.post(review_url(assignment), form_data(assignment, submit=""))
    assert response.status_code == 409
    assert "evaluation phase is closed" in response.content.decode()
    assert not Review.objects.exists()


def test_blind_rule_on_the_page(evaluator_client, assignment):
    other = AssignmentFactory(case=assignment.case)
    submitted_review(other, scores=3, comment="Weak evidence of impact, in my view.")
    page = evaluator_client.get(review_url(assignment)).content.decode()
    assert "Weak evidence of impact" not in page
    assert "3.000" not in page
    evaluator_client.post(review_url(assignment), form_data(assignment, submit=""))
    page = evaluator_client.get(review_url(assignment)).content.decode()
    assert "Weak evidence of impact" in page
    assert "Evaluator 1: 3.000" in page
    assert str(other.evaluator) not in page  # anonymous edition


def test_named_reviews_in_a_non_anonymous_edition(client):
    edition = EvaluationEditionFactory(anonymous_reviews=False)
    case = EligibleCaseFactory(edition=edition)
    mine, theirs = AssignmentFactory(case=case), AssignmentFactory(case=case)
    submitted_review(mine)
    submitted_review(theirs)
    client.force_login(mine.evaluator)
    assert str(theirs.evaluator) in client.get(review_url(mine)).content.decode()


def test_declare_a_conflict(evaluator_client, assignment):
    url = reverse("evaluation:declare_conflict", args=[assignment.pk])
    assert evaluator_client.get(url).status_code == 200
    response = evaluator_client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert "Say briefly why" in response.content.decode()
    response = evaluator_client.post(url, {"reason": "I advised the lead in 2021."})
    assert response.status_code == 302
    assert not Assignment.objects.get(pk=assignment.pk).is_active
    assert evaluator_client.get(review_url(assignment)).status_code == 404


def test_another_evaluators_assignment_is_404(client, assignment):
    client.force_login(EvaluatorFactory())
    assert client.get(review_url(assignment)).status_code == 404
    response = client.post(review_url(assignment), form_data(assignment, submit=""))
    assert response.status_code == 404
    assert not Review.objects.exists()


def test_profile_revealing_a_conflict_withdraws_the_assignment(evaluator_client, assignment):
    category = assignment.case.category
    url = reverse("evaluation:profile")
    page = evaluator_client.get(url).content.decode()
    assert category.name in page
    response = evaluator_client.post(
        url,
        {
            "countries": ["PT", "ES"],
            "organisations": [assignment.case.lead_organisation.pk],
            "preferred_categories": [category.pk],
            "expertise": "Municipal services",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "withdrawn" in response.content.decode()
    profile = assignment.evaluator.evaluator_profile
    assert [str(c) for c in profile.countries] == ["ES", "PT"]
    assert list(profile.preferred_categories.all()) == [category]
    assert not Assignment.objects.get(pk=assignment.pk).is_active


def test_profile_with_an_unknown_country_is_400(evaluator_client):
    response = evaluator_client.post(reverse("evaluation:profile"), {"countries": ["XX"]})
    assert response.status_code == 400
    assert "field-error" in response.content.decode()


def test_evaluator_pages_write_dates_day_first_like_the_rest_of_the_portal(
    evaluator_client, assignment
):
    import datetime
    from zoneinfo import ZoneInfo

    edition = assignment.case.edition
    edition.evaluation_deadline = datetime.datetime(
        2031, 5, 1, 18, 0, tzinfo=ZoneInfo("Europe/Brussels")
    )
    edition.save(update_fields=["evaluation_deadline"])
    case = assignment.case
    case.start_date = datetime.date(2024, 5, 1)
    case.save(update_fields=["start_date"])

    listing = evaluator_client.get(reverse("evaluation:assignments")).content.decode()
    assert "1 May 2031, 18:00 CEST" in listing
    review = evaluator_client.get(review_url(assignment)).content.decode()
    assert "1 May 2031, 18:00 CEST" in review
    assert "1 May 2024" in review
    for page in (listing, review):
        assert "May 1, 20" not in page
