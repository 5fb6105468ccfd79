import csv
import io

import pytest
from django.core import mail
from django.urls import reverse

from cases.models import (
    Assignment,
    Case,
    CaseStatus,
    Conflict,
    DecisionAction,
    DecisionLog,
    EditionPhase,
    IneligibilityReason,
    Outcome,
)
from tests.committing import committed
from tests.coordination.actions import post_action
from tests.factories import (
    AssignmentFactory,
    CategoryFactory,
    CoordinatorFactory,
    EditionFactory,
    EligibleCaseFactory,
    EvaluationEditionFactory,
    EvaluatorFactory,
    SubmittedCaseFactory,
    submitted_review,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return EvaluationEditionFactory(slug="epsa-2026")


@pytest.fixture
def coordinator(edition):
    return CoordinatorFactory(editions=[edition])


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


def url(name, edition, *args):
    return reverse(f"coordination:{name}", args=[edition.slug, *args])


# Editions ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 3])
def test_editions_list_queries_do_not_grow(client, django_assert_num_queries, count):
    coordinator = CoordinatorFactory(editions=EditionFactory.create_batch(count))
    client.force_login(coordinator)
    # session, user, roles, count, page, pending requests to join organisations
    with django_assert_num_queries(6):
        response = client.get(reverse("coordination:editions"))
    assert len(response.context["page"].object_list) == count


# Dashboard --------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 3])
def test_dashboard_queries_do_not_grow(
    coordinator_client, edition, coordinator, django_assert_num_queries, count
):
    from cases.domain.evaluation.phases import set_phase

    for _ in range(count):
        submitted_review(AssignmentFactory(case__edition=edition))
        set_phase(edition=edition, by=coordinator, phase=EditionPhase.EVALUATION)
    # session, user, roles, edition, coordinator check, status counts, review counts,
    # evaluators' progress, latest decisions
    with django_assert_num_queries(9):
        response = coordinator_client.get(url("dashboard", edition))
    assert len(response.context["progress"]) == count


def test_dashboard_figures_and_phase_change(coordinator_client, edition, coordinator):
    SubmittedCaseFactory(edition=edition)
    submitted_review(AssignmentFactory(case__edition=edition))
    response = coordinator_client.get(url("dashboard", edition))
    assert response.context["counts"][CaseStatus.SUBMITTED] == 1
    assert response.context["reviews"] == {"assigned": 1, "submitted": 1, "drafts": 0}
    response = coordinator_client.post(
        url("change_phase", edition), {"phase": "consensus", "current": "evaluation"}
    )
    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.phase == EditionPhase.CONSENSUS
    assert DecisionLog.objects.get(action=DecisionAction.PHASE).actor == coordinator
    response = coordinator_client.post(
        url("change_phase", edition), {"phase": "party", "current": "consensus"}
    )
    assert response.status_code == 400


def test_backward_phase_change_asks_for_confirmation_and_reason(coordinator_client, edition):
    dashboard = url("change_phase", edition)
    response = coordinator_client.post(dashboard, {"phase": "eligibility", "current": "evaluation"})
    assert response.status_code == 200
    assert "coordination/confirm_phase.html" in [t.name for t in response.templates]
    edition.refresh_from_db()
    assert edition.phase == EditionPhase.EVALUATION

    confirm = {"step": "confirm", "phase": "eligibility", "current": "evaluation"}
    response = coordinator_client.post(dashboard, {**confirm, "reason": "Late appeal"})
    assert response.status_code == 400
    assert "confirmation" in response.content.decode()
    assert "Late appeal" in response.content.decode()
    response = coordinator_client.post(dashboard, {**confirm, "confirm": "on"})
    assert response.status_code == 400
    assert "Give the reason" in response.content.decode()
    edition.refresh_from_db()
    assert edition.phase == EditionPhase.EVALUATION

    response = coordinator_client.post(
        dashboard, {**confirm, "confirm": "on", "reason": "Late appeal upheld"}
    )
    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.phase == EditionPhase.ELIGIBILITY
    log = DecisionLog.objects.get(action=DecisionAction.PHASE)
    assert (log.before, log.after, log.reason) == (
        "Evaluation",
        "Eligibility screening",
        "Late appeal upheld",
    )


def test_ending_submissions_early_needs_the_checkbox(client):
    edition = EditionFactory(phase=EditionPhase.OPEN)
    client.force_login(CoordinatorFactory(editions=[edition]))
    dashboard = url("change_phase", edition)
    response = client.post(dashboard, {"phase": "eligibility", "current": "open"})
    assert response.status_code == 200
    assert "ends them early" in response.content.decode()
    response = client.post(
        dashboard, {"step": "confirm", "phase": "eligibility", "current": "open"}
    )
    assert response.status_code == 400
    edition.refresh_from_db()
    assert edition.phase == EditionPhase.OPEN
    response = client.post(
        dashboard, {"step": "confirm", "phase": "eligibility", "current": "open", "confirm": "on"}
    )
    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.phase == EditionPhase.ELIGIBILITY


def test_closing_before_results_are_published_is_409(coordinator_client, edition):
    response = coordinator_client.post(
        url("change_phase", edition), {"phase": "closed", "current": "evaluation"}
    )
    assert response.status_code == 409
    assert "before its results are published" in response.content.decode()
    edition.refresh_from_db()
    assert edition.phase == EditionPhase.EVALUATION


def test_stale_phase_form_is_409_and_shows_the_current_phase(coordinator_client, edition):
    edition.phase = EditionPhase.CONSENSUS
    edition.save()
    response = coordinator_client.post(
        url("change_phase", edition), {"phase": "jury", "current": "evaluation"}
    )
    assert response.status_code == 409
    assert "Someone changed the phase" in response.content.decode()
    assert response.context["phase_form"]["current"].value() == "consensus"
    edition.refresh_from_db()
    assert edition.phase == EditionPhase.CONSENSUS


# Eligibility ------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 3])
def test_eligibility_list_queries_do_not_grow(
    coordinator_client, edition, django_assert_num_queries, count
):
    SubmittedCaseFactory.create_batch(count, edition=edition)
    # session, user, roles, edition, coordinator check, count, page, screenings, status counts
    with django_assert_num_queries(9):
        response = coordinator_client.get(url("eligibility", edition))
    assert len(response.context["rows"]) == count


def test_screening_through_the_page(coordinator_client, edition):
    case = SubmittedCaseFactory(edition=edition)
    with committed():
        response = coordinator_client.post(
            url("screen", edition),
            {"case": case.pk, "version": case.version, "decision": "eligible"},
        )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.registration_number == "EPSA2026-0001"
    assert len(mail.outbox) == 1


def test_ineligible_without_reason_is_400_and_keeps_the_note(coordinator_client, edition):
    case = SubmittedCaseFactory(edition=edition)
    response = coordinator_client.post(
        url("screen", edition),
        {
            "case": case.pk,
            "version": case.version,
            "decision": "ineligible",
            "note": "Led by a firm",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose the reason" in html
    assert "Led by a firm" in html
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUBMITTED


def test_screening_a_stale_form_is_409(coordinator_client, edition):
    case = SubmittedCaseFactory(edition=edition)
    response = coordinator_client.post(
        url("screen", edition),
        {
            "case": case.pk,
            "version": case.version - 1,
            "decision": "ineligible",
            "reason": IneligibilityReason.INCOMPLETE,
            "note": "Annex missing",
        },
    )
    assert response.status_code == 409
    assert "Someone else decided" in response.content.decode()
    assert "Annex missing" in response.content.decode()


def test_screening_a_case_of_another_edition_is_404(coordinator_client, edition):
    case = SubmittedCaseFactory()
    response = coordinator_client.post(
        url("screen", edition),
        {"case": case.pk, "version": case.version, "decision": "eligible"},
    )
    assert response.status_code == 404


# Assignments ------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 3])
def test_assignments_page_queries_do_not_grow(
    coordinator_client, edition, django_assert_num_queries, count
):
    for _ in range(count):
        case = EligibleCaseFactory(edition=edition)
        AssignmentFactory(case=case)
        Conflict.objects.create(
            case=case, evaluator=EvaluatorFactory(), kind="declared", reason="Knows the team"
        )
    # session, user, roles, edition, coordinator check, count, page, assignments, conflicts,
    # evaluators (also the manual form's suggestions), conflict table, entry suggestions
    with django_assert_num_queries(12):
        response = coordinator_client.get(url("assignments", edition))
    assert response.status_code == 200
    # by evaluator: the entry table is not shown; one query for everyone's entries instead
    with django_assert_num_queries(10):
        response = coordinator_client.get(url("assignments", edition) + "?by=evaluator")
    assert response.status_code == 200


def test_automatic_assignment_from_the_page_reports(coordinator_client, edition):
    EligibleCaseFactory.create_batch(2, edition=edition)
    blocked = EligibleCaseFactory(edition=edition, country="PT")
    EvaluatorFactory.create_batch(2, pools=[edition])
    EvaluatorFactory()  # not in the edition's pool: never assigned
    response = post_action(
        coordinator_client, edition, {"action": "automatic", "seed": "5"}, follow=True
    )
    assert response.status_code == 200
    assert Assignment.objects.filter(is_active=True).count() == 4
    html = response.content.decode()
    assert "4 assignments made" in html
    assert blocked.title in html and "2 evaluators missing" in html
    response = post_action(coordinator_client, edition, {"action": "automatic", "seed": "-1"})
    assert response.status_code == 400


def test_manual_assignment_of_a_conflicted_evaluator_then_override(coordinator_client, edition):
    case = EligibleCaseFactory(edition=edition, country="PT")
    evaluator = EvaluatorFactory(pools=[edition])
    # Found by what the coordinator types: the title and the evaluator's e-mail address.
    data = {"action": "manual", "case": case.title, "evaluator": evaluator.email.upper()}
    response = post_action(coordinator_client, edition, data)
    assert response.status_code == 403
    assert "conflict of interest" in response.content.decode()
    conflict = Conflict.objects.get(case=case, evaluator=evaluator)

    response = post_action(
        coordinator_client, edition, {"action": "override", "conflict": conflict.pk, "reason": ""}
    )
    assert response.status_code == 400
    response = post_action(
        coordinator_client,
        edition,
        {"action": "override", "conflict": conflict.pk, "reason": "Lives abroad for 20 years"},
    )
    assert response.status_code == 302
    with committed():
        assert post_action(coordinator_client, edition, data).status_code == 302
    (notice,) = [m for m in mail.outbox if m.to == [evaluator.email]]
    assert "http://127.0.0.1:8000/evaluate/" in notice.body
    assignment = Assignment.objects.get(case=case, evaluator=evaluator)
    data = {"action": "remove", "assignment": assignment.pk, "reason": "Unavailable"}
    response = post_action(coordinator_client, edition, data)
    assert response.status_code == 200
    assert "Withdraw the assignment" in response.content.decode()
    assert Assignment.objects.get(pk=assignment.pk).is_active
    response = post_action(coordinator_client, edition, {**data, "confirm": "yes"})
    assert response.status_code == 302
    assert not Assignment.objects.get(pk=assignment.pk).is_active
    log = DecisionLog.objects.filter(action=DecisionAction.UNASSIGNED).get()
    assert log.reason == "Unavailable"


def test_assignment_actions_in_a_closed_phase_are_409(coordinator_client, edition):
    edition.phase = EditionPhase.CLOSED
    edition.save()
    response = post_action(coordinator_client, edition, {"action": "automatic", "seed": "1"})
    assert response.status_code == 409


# Ranking ----------------------------------------------------------------------------------------


def scored_entry(edition, category, first, second):
    case = EligibleCaseFactory(edition=edition, category=category)
    submitted_review(AssignmentFactory(case=case), scores=first)
    submitted_review(AssignmentFactory(case=case), scores=second)
    return case


@pytest.mark.parametrize("count", [1, 3])
def test_ranking_queries_do_not_grow(coordinator_client, edition, django_assert_num_queries, count):
    category = CategoryFactory(edition=edition)
    for index in range(count):
        scored_entry(edition, category, 5 + index, 6)
    # session, user, roles, edition, coordinator check, categories, entries, reviews,
    # factors, factor means
    with django_assert_num_queries(10):
        response = coordinator_client.get(url("ranking", edition))
    assert len(response.context["page"].object_list) == count


def test_ranking_filters_sorts_and_flags(coordinator_client, edition):
    first, second = CategoryFactory(edition=edition), CategoryFactory(edition=edition)
    agreed = scored_entry(edition, first, 8, 8)
    disputed = scored_entry(edition, first, 2, 9)
    other = scored_entry(edition, second, 5, 5)
    response = coordinator_client.get(url("ranking", edition))
    entries = response.context["page"].object_list
    assert [e.case.pk for e in entries][:2] == [agreed.pk, disputed.pk]
    html = response.content.decode()
    assert "Disagreement" in html
    # The title is the link; each total stays whole; the mini-bars carry their 0-4 scale.
    link = url("case", edition, agreed.pk)
    assert f'<a href="{link}">{agreed.title}</a>' in html
    assert '<span class="nowrap">8.00' in html
    assert 'class="factor-profile-scale"' in html and "(0 to 4)" in html
    response = coordinator_client.get(url("ranking", edition) + "?disagreement=on")
    assert [e.case.pk for e in response.context["page"].object_list] == [disputed.pk]
    response = coordinator_client.get(url("ranking", edition) + f"?category={second.slug}")
    assert [e.case.pk for e in response.context["page"].object_list] == [other.pk]
    response = coordinator_client.get(url("ranking", edition) + "?sort=stddev")
    assert response.context["page"].object_list[0].case.pk == disputed.pk
    response = coordinator_client.get(url("ranking", edition) + "?sort=nonsense")
    assert response.status_code == 200


def test_ranking_csv(coordinator_client, edition):
    category = CategoryFactory(edition=edition, name="Digital")
    case = scored_entry(edition, category, 6, 8)
    response = coordinator_client.get(url("ranking", edition) + "?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    header, row = rows[0], rows[1]
    assert header[:4] == ["category", "position", "registration number", "title"]
    assert header[-8:][0] == "policy-environment"
    record = dict(zip(header, row, strict=True))
    assert record["title"] == case.title
    assert record["mean"] == "7.000"
    assert record["weighted totals"] == "6.000 8.000"
    assert record["z-scores"] == "0.000 0.000"  # one review per evaluator: not calibrated
    assert record["policy-environment"] == "2.00"


# Case page and outcomes -------------------------------------------------------------------------


def test_case_page_shows_reviews_names_and_history(coordinator_client, edition):
    case = scored_entry(edition, CategoryFactory(edition=edition), 6, 8)
    review = case.assignments.first().review
    review.changes.create(item="Innovation", old_value="", new_value="7")
    review.changes.create(item="Relevance", old_value="5", new_value="6")
    response = coordinator_client.get(url("case", edition, case.pk))
    html = response.content.decode()
    for assignment in case.assignments.all():
        assert str(assignment.evaluator) in html
    assert "Relevance" in html and "Score changes" in html
    # Scores and comments first, the outcome after them, the history folded at the end; a
    # first score reads "scored", a change shows both values.
    assert html.index('id="scores-heading"') < html.index('id="outcome-heading"')
    assert html.index('id="outcome-heading"') < html.index('class="history-fold"')
    assert "scored 7" in html and "5 → 6" in html and "— → 7" not in html
    assert response.context["entry"].mean == 7.0


def test_outcomes_through_the_case_page(coordinator_client, edition, coordinator):
    edition.phase = EditionPhase.CONSENSUS
    edition.save()
    case = EligibleCaseFactory(edition=edition)
    response = coordinator_client.post(
        url("set_outcome", edition, case.pk),
        {"version": case.version, "outcome": Outcome.NOMINEE, "reason": "Strong and agreed"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.outcome == Outcome.NOMINEE
    response = coordinator_client.post(
        url("set_outcome", edition, case.pk),
        {"version": case.version, "outcome": Outcome.WINNER, "place": "1"},
    )
    assert response.status_code == 409
    assert "jury phase" in response.content.decode()
    response = coordinator_client.post(
        url("set_outcome", edition, case.pk), {"version": case.version, "outcome": Outcome.WINNER}
    )
    assert response.status_code == 400
    response = coordinator_client.post(
        url("set_outcome", edition, case.pk), {"version": case.version - 1, "outcome": Outcome.NONE}
    )
    assert response.status_code == 409
    page = coordinator_client.get(url("case", edition, case.pk)).content.decode()
    assert "Strong and agreed" in page and "No distinction" in page


def test_case_of_another_edition_is_404(coordinator_client, edition):
    case = EligibleCaseFactory()
    assert coordinator_client.get(url("case", edition, case.pk)).status_code == 404


# Results ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 3])
def test_results_queries_do_not_grow(coordinator_client, edition, django_assert_num_queries, count):
    category = CategoryFactory(edition=edition)
    EligibleCaseFactory.create_batch(count, edition=edition, category=category, outcome="nominee")
    # session, user, roles, edition, coordinator check, count and page of the decided
    # entries, publication figures
    with django_assert_num_queries(8):
        response = coordinator_client.get(url("results", edition))
    assert len(response.context["groups"][category.name]) == count


def test_publish_results_then_library(coordinator_client, edition):
    edition.phase = EditionPhase.JURY
    edition.save()
    consenting = EligibleCaseFactory(edition=edition, outcome=Outcome.NOMINEE)
    EligibleCaseFactory(edition=edition, publication_consent=False)
    response = post_action(coordinator_client, edition, {"action": "library"})
    assert response.status_code == 400
    response = post_action(
        coordinator_client, edition, {"action": "library", "library-confirm": "on"}
    )
    assert response.status_code == 409
    assert "Publish the results first" in response.content.decode()
    with committed():
        response = post_action(
            coordinator_client, edition, {"action": "results", "results-confirm": "on"}
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    response = post_action(
        coordinator_client, edition, {"action": "library", "library-confirm": "on"}, follow=True
    )
    assert "1 case is published in the library." in response.content.decode()
    assert Case.objects.get(pk=consenting.pk).is_published
    response = post_action(
        coordinator_client, edition, {"action": "library", "library-confirm": "on"}
    )
    assert response.status_code == 302
    consenting.refresh_from_db()
    assert consenting.is_published
    assert Case.objects.filter(is_published=True).count() == 1


def test_publishing_before_the_jury_phase_is_409(coordinator_client, edition):
    response = post_action(
        coordinator_client, edition, {"action": "results", "results-confirm": "on"}
    )
    assert response.status_code == 409


def test_ranking_csv_defuses_formulas_in_titles(coordinator_client, edition):
    EligibleCaseFactory(edition=edition, title="=HYPERLINK('http://example.com')")
    response = coordinator_client.get(url("ranking", edition) + "?format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][3] == "'=HYPERLINK('http://example.com')"


# Search and one URL per action ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["eligibility", "assignments", "results"])
def test_lists_are_searchable_by_number_title_and_organisation(coordinator_client, edition, name):
    wanted = EligibleCaseFactory(
        edition=edition,
        title="Water board data hub",
        outcome=Outcome.NOMINEE,
        lead_organisation__name="Rivierenland Water Authority",
    )
    other = EligibleCaseFactory(edition=edition, title="School meals", outcome=Outcome.NOMINEE)
    extra = "&status=eligible" if name == "eligibility" else ""
    # Each list links the title to the entry page.
    shown = f'{url("case", edition, wanted.pk)}">{wanted.title}</a>'
    hidden = f'{url("case", edition, other.pk)}">{other.title}</a>'
    for term in ("data hub", "rivierenland", wanted.registration_number):
        html = coordinator_client.get(url(name, edition) + f"?q={term}{extra}").content.decode()
        assert shown in html and hidden not in html, (name, term)
    html = coordinator_client.get(url(name, edition) + "?q=nothing-like-it" + extra).content
    assert shown not in html.decode()


def test_manual_assignment_asks_for_a_precise_search(coordinator_client, edition):
    first = EligibleCaseFactory(edition=edition, title="Health hub north")
    EligibleCaseFactory(edition=edition, title="Health hub south")
    evaluator = EvaluatorFactory(pools=[edition], full_name="Ana Sousa")
    EvaluatorFactory(full_name="Ana Outside")  # not in the pool: never found
    data = {"action": "manual", "case": "health hub", "evaluator": "ana"}
    response = post_action(coordinator_client, edition, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Several eligible entry match" in html and 'value="health hub"' in html
    data["case"] = first.registration_number
    with committed():
        response = post_action(coordinator_client, edition, data)
    assert response.status_code == 302
    assert Assignment.objects.get().evaluator == evaluator
    page = coordinator_client.get(url("assignments", edition)).content.decode()
    assert '<select name="case"' not in page and 'list="entry-suggestions"' in page


@pytest.mark.parametrize("name", ["dashboard", "eligibility", "assignments", "results"])
def test_pages_take_no_posted_action(coordinator_client, edition, name):
    response = coordinator_client.post(url(name, edition), {"action": "automatic"})
    assert response.status_code == 405
