"""Browser journeys of the evaluation: an evaluator scores an entry; a coordinator assigns,
ranks, decides and publishes. Drives Debian's Chromium through Playwright."""

import re

import pytest

from cases.models import (
    Assignment,
    Case,
    FactorProfileSource,
    FactorProfileValue,
    Outcome,
    Review,
    ReviewStatus,
)
from tests.factories import (
    CategoryFactory,
    CoordinatorFactory,
    EligibleCaseFactory,
    EvaluationEditionFactory,
    EvaluatorFactory,
    ensure_seed_data,
    submitted_review,
)

PASSWORD = "correct-horse-battery"


def logged_in_page(browser, live_server, user):
    context = browser.new_context()
    context.set_default_timeout(15000)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.email)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()  # each role lands in its own area (tests/insight/test_ux.py)
    return page


@pytest.fixture
def journey_world():
    # A transactional test before this one may have flushed the seeded rows.
    ensure_seed_data()
    edition = EvaluationEditionFactory(slug="epsa-2026", name="EPSA 2026")
    category = CategoryFactory(edition=edition, name="Digital transformation")
    case = EligibleCaseFactory(
        edition=edition,
        category=category,
        title="One stop permit desk",
        problem="Permits took nine months to issue.",
        publication_consent=True,
    )
    coordinator = CoordinatorFactory(editions=[edition])
    evaluators = EvaluatorFactory.create_batch(2, pools=[edition])
    return {
        "edition": edition,
        "case": case,
        "coordinator": coordinator,
        "evaluators": evaluators,
    }


def test_evaluator_scores_an_entry_fully_saves_a_draft_and_submits(
    browser, live_server, journey_world
):
    case = journey_world["case"]
    evaluator = journey_world["evaluators"][0]
    assignment = Assignment.objects.create(case=case, evaluator=evaluator, method="manual")
    page = logged_in_page(browser, live_server, evaluator)

    page.click("nav >> text=Evaluate")
    page.click(f"text={case.title}")
    assert page.locator("text=Permits took nine months to issue.").is_visible()

    criteria = list(case.edition.criteria.all())
    for index, criterion in enumerate(criteria):
        page.fill(f"#id_criterion_{criterion.pk}", str(5 + index % 3))
        page.fill(f"#id_criterion_{criterion.pk}_comment", f"Reasoned note on {criterion.name}")
    # The live total (JavaScript) follows the typed scores: 5,6,7,5,6,7 -> 6.000.
    assert page.locator("#live-total").inner_text() == "6.000"
    page.click("text=Save draft")
    assert page.locator("text=Draft saved").is_visible()
    review = Review.objects.get(assignment=assignment)
    assert review.status == ReviewStatus.DRAFT

    factor_labels = page.locator(".factor")
    assert factor_labels.count() == 8
    for index in range(8):
        factor_labels.nth(index).locator("label", has_text=re.compile(r"^\s*3\s*$")).click()
    page.fill("#id_overall_comment", "A partnership that others can copy.")
    page.click("button[name=submit]")
    assert page.locator("text=Your review is submitted").is_visible()

    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED
    assert str(review.weighted_total) == "6.000"
    assert review.factor_scores.filter(score=3).count() == 8
    assert page.locator("[data-total=own]").inner_text() == "6.000"


def test_coordinator_assigns_ranks_decides_and_publishes(browser, live_server, journey_world):
    edition, case = journey_world["edition"], journey_world["case"]
    page = logged_in_page(browser, live_server, journey_world["coordinator"])
    base = f"{live_server.url}/coordinate/{edition.slug}"

    page.click("nav >> text=Coordinate")
    page.click("text=EPSA 2026")
    page.click(".edition-nav >> text=Assignments")
    page.fill("#id_seed", "11")
    page.click("text=Run automatic assignment")
    assert page.locator("text=2 assignments made for 2 evaluators").is_visible()
    assignments = list(Assignment.objects.filter(case=case, is_active=True))
    assert len(assignments) == 2
    submitted_review(assignments[0], scores=8, factor_scores=4)
    submitted_review(assignments[1], scores=6, factor_scores=2)

    page.goto(f"{base}/ranking/")
    row = page.locator(f"#rank-{case.pk}")
    assert "7.00" in row.inner_text()

    page.goto(f"{base}/")
    page.select_option("#id_phase", "consensus")
    page.click("text=Change phase")
    page.goto(f"{base}/case/{case.pk}/")
    page.select_option("#id_outcome", Outcome.NOMINEE)
    page.fill("#id_reason", "Top of its category")
    page.click("text=Record outcome")
    assert page.locator("[data-outcome]").inner_text() == "Nominee"

    page.goto(f"{base}/")
    page.select_option("#id_phase", "jury")
    page.click("text=Change phase")
    page.goto(f"{base}/case/{case.pk}/")
    page.select_option("#id_outcome", Outcome.WINNER)
    page.select_option("#id_place", "1")
    page.click("text=Record outcome")
    assert page.locator("[data-outcome]").inner_text() == "Winner, place 1"

    page.click(".edition-nav >> text=Results")
    page.check("#id_results-confirm")
    page.click("text=Publish results")
    assert page.locator("text=The results are published").is_visible()
    page.check("#id_library-confirm")
    page.click("text=Publish in the library")
    assert page.locator("text=1 case is published in the library").is_visible()

    # Closing is allowed now that the results are published; moving back asks for a reason.
    page.goto(f"{base}/")
    page.select_option("#id_phase", "closed")
    page.click("text=Change phase")
    assert page.locator("text=The phase is changed").is_visible()
    page.select_option("#id_phase", "jury")
    page.click("text=Change phase")
    assert page.locator("h1", has_text="Confirm the phase change").is_visible()
    page.fill("#phase-reason", "A place was recorded wrongly")
    page.check("#phase-confirm")
    page.click("text=Change the phase")
    assert page.locator("text=The phase is changed").is_visible()
    edition.refresh_from_db()
    assert edition.phase == "jury"

    # The settings page keeps its dates when saved unchanged, and saves what changed.
    page.click(".edition-nav >> text=Settings")
    assert "Europe/Brussels" in page.locator("main").inner_text()
    page.fill("#id_theme", "Working together across borders")
    page.click("text=Save the settings")
    assert page.locator("text=The edition settings are saved").is_visible()
    deadline = edition.deadline
    edition.refresh_from_db()
    assert edition.theme == "Working together across borders"
    assert edition.deadline == deadline

    case = Case.objects.get(pk=case.pk)
    assert case.is_published and (case.outcome, case.place) == (Outcome.WINNER, 1)
    profile = FactorProfileValue.objects.filter(case=case)
    assert profile.count() == 8
    assert {(str(v.value), v.source) for v in profile} == {("3.00", FactorProfileSource.CONSENSUS)}

    # The public sees it in the library: listed as a winner, its page shows the outcome and the
    # evaluators' factor profile.
    page.goto(f"{live_server.url}/library/?outcome=winner")
    page.click(f"text={case.title}")
    badge = page.locator(".case-page .badge-outcome")
    assert badge.inner_text() == "Winner, place 1"
    profile_table = page.locator(".profile-table tbody")
    assert profile_table.locator("tr").count() == 8
    assert profile_table.inner_text().count("Evaluators' consensus") == 8
    assert page.locator(".case-page svg").count() >= 1
