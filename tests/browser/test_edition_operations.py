"""Browser journeys of running an edition: the evaluator pool, a message to a group, a
reminder sent by the worker, a bulk import, and the ranking and entry pages at desktop and
phone widths. Chromium, the live server and the seeded rows come from conftest.py."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from cases.domain import imports
from cases.models import Assignment, Case, EmailStatus, OutboundEmail, PoolMembership, Provenance
from tests.factories import (
    AssignmentFactory,
    CaseFactory,
    CategoryFactory,
    CoordinatorFactory,
    EditionFactory,
    EligibleCaseFactory,
    EvaluationEditionFactory,
    MembershipFactory,
    submitted_review,
)

NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def coordinator_page(page, log_in):
    def _open(edition):
        coordinator = CoordinatorFactory(editions=[edition])
        return log_in(coordinator)

    return _open


def test_invited_evaluator_accepts_and_is_assigned(
    page, browser, live_server, coordinator_page, console_errors
):
    edition = EvaluationEditionFactory(slug="epsa-2026", name="EPSA 2026")
    CategoryFactory(edition=edition, name="Digital transformation")
    case = EligibleCaseFactory(edition=edition, title="One stop permit desk")
    coordinator_page(edition)
    page.goto(f"{live_server.url}/coordinate/epsa-2026/pool/")
    page.get_by_label("E-mail address").fill("nia.expert@example.eu")
    page.get_by_label("Name").fill("Nia Expert")
    page.get_by_role("button", name="Send the invitation").click()
    page.wait_for_load_state()
    assert "is invited" in page.content()
    link = re.search(r"http://\S+/evaluate/invitations/\S+/", mail.outbox[-1].body).group(0)
    path = link.split("/evaluate/", 1)[1]

    invited = browser.new_context().new_page()
    invited.goto(f"{live_server.url}/evaluate/{path}")
    invited.get_by_label("Digital transformation").check()
    invited.get_by_label("Choose a password").fill("a long enough secret")
    invited.get_by_role("button", name="Accept the invitation").click()
    invited.wait_for_url(f"{live_server.url}/evaluate/")
    assert PoolMembership.objects.get().status == "accepted"

    page.goto(f"{live_server.url}/coordinate/epsa-2026/pool/")
    assert "Nia Expert" in page.locator("table").inner_text()
    page.goto(f"{live_server.url}/coordinate/epsa-2026/assignments/")
    page.get_by_label("Entry", exact=True).fill(case.registration_number)
    page.get_by_label("Evaluator", exact=True).fill("nia.expert@example.eu")
    page.get_by_role("button", name="Assign", exact=True).click()
    page.wait_for_load_state()
    assert "The evaluator is assigned" in page.content()
    assert Assignment.objects.get(case=case).evaluator.email == "nia.expert@example.eu"
    invited.goto(f"{live_server.url}/evaluate/")
    assert "One stop permit desk" in invited.content()
    assert console_errors == []


def test_a_message_to_a_segment_is_previewed_and_sent(
    page, live_server, coordinator_page, console_errors
):
    edition = EditionFactory(slug="epsa-2027", name="EPSA 2027")
    members = [MembershipFactory() for _ in range(2)]
    for member in members:
        CaseFactory(edition=edition, lead_organisation=member.organisation)
    coordinator_page(edition)
    page.goto(f"{live_server.url}/coordinate/epsa-2027/messages/")
    page.get_by_label("Recipients").select_option("drafts")
    page.get_by_label("Subject").fill("Your draft {{ case_title }}")
    page.get_by_label("Message").fill("Dear {{ name }}, submit before {{ deadline }}: {{ link }}")
    page.get_by_role("button", name="Preview").click()
    page.wait_for_load_state()
    preview = page.locator(".email-preview").inner_text()
    assert "Your draft Shared service hub" in preview and "{{" not in preview
    assert "2 recipients" in page.content()
    page.get_by_label("Send it to everyone in the group").check()
    page.get_by_role("button", name="Send to 2 recipients").click()
    page.wait_for_load_state()
    assert "queued for 2 recipients" in page.content()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.user.email for m in members)
    page.goto(f"{live_server.url}/coordinate/epsa-2027/outbox/")
    assert page.locator("tbody tr").count() == 2
    assert console_errors == []


def test_a_reminder_is_sent_by_the_worker(
    page, live_server, coordinator_page, settings, console_errors
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    edition = EditionFactory(
        slug="epsa-2028", name="EPSA 2028", deadline=timezone.now() + timedelta(days=2)
    )
    member = MembershipFactory()
    CaseFactory(edition=edition, lead_organisation=member.organisation, title="Draft left open")
    call_command("run_worker", "--batch", "--interval", "0", "--no-startup-delay", verbosity=0)
    email = OutboundEmail.objects.get(template="reminders/draft")
    assert email.status == EmailStatus.SENT and email.to == member.user.email
    coordinator_page(edition)
    page.goto(f"{live_server.url}/coordinate/epsa-2028/outbox/")
    row = page.locator("tbody tr").first
    assert "days left to submit" in row.inner_text() and "Sent" in row.inner_text()
    row.get_by_role("link").click()
    page.wait_for_load_state()
    assert "Draft left open" in page.locator("pre").inner_text()
    assert console_errors == []


def _csv(rows):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=imports.template_columns())
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


def test_an_import_dry_run_with_errors_then_a_clean_import(
    page, live_server, coordinator_page, console_errors
):
    edition = EditionFactory(slug="epsa-2019", name="EPSA 2019")
    coordinator_page(edition)
    page.goto(f"{live_server.url}/coordinate/import/")
    page.get_by_label("Source").fill("archive")
    bad = [{"key": "A1", "title": ""}, {"key": "A2", "title": "Fine", "country": "XX"}]
    page.get_by_label("CSV or Excel file").set_input_files(
        {"name": "bad.csv", "mimeType": "text/csv", "buffer": _csv(bad)}
    )
    page.get_by_role("button", name="Check the file (dry run)").click()
    page.wait_for_load_state()
    report = page.locator(".import-report").inner_text()
    assert "the title is missing" in report and "unknown country" in report
    assert page.get_by_role("button", name=re.compile("^Import")).count() == 0
    assert Case.objects.count() == 0

    page.goto(f"{live_server.url}/coordinate/import/")
    page.get_by_label("Source").fill("archive")
    good = [
        {"key": "A1", "title": "Archive case one", "edition": "epsa-2019", "country": "PT"},
        {"key": "A2", "title": "Archive case two", "country": "EU"},
    ]
    page.get_by_label("CSV or Excel file").set_input_files(
        {"name": "good.csv", "mimeType": "text/csv", "buffer": _csv(good)}
    )
    page.get_by_role("button", name="Check the file (dry run)").click()
    page.wait_for_load_state()
    assert page.locator(".import-create").count() == 2
    page.get_by_role("button", name="Import 2 rows").click()
    page.wait_for_load_state()
    assert "2 cases created" in page.content()
    assert Case.objects.filter(provenance=Provenance.IMPORTED).count() == 2
    assert console_errors == []


@pytest.mark.parametrize("width", [1280, 390])
def test_ranking_and_entry_page_read_well(
    page, live_server, coordinator_page, console_errors, width
):
    edition = EvaluationEditionFactory(slug="epsa-2029", name="EPSA 2029")
    category = CategoryFactory(edition=edition)
    cases = []
    for index, scores in enumerate([(6, 9), (8, 8), (3, 10)]):
        case = EligibleCaseFactory(
            edition=edition,
            category=category,
            title=f"Interregional co-produced mobility service number {index}",
        )
        for score in scores:
            submitted_review(AssignmentFactory(case=case), scores=score)
        cases.append(case)
    page.set_viewport_size({"width": width, "height": 900})
    coordinator_page(edition)
    page.goto(f"{live_server.url}/coordinate/epsa-2029/ranking/")
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    link = page.get_by_role("link", name=cases[0].title)
    assert link.count() == 1
    # Each total stays on one line: its box is one line high.
    heights = page.eval_on_selector_all(
        ".ranking-totals .nowrap", "els => els.map(e => e.getClientRects().length)"
    )
    assert heights and set(heights) == {1}
    assert page.locator(".factor-profile-scale").count() == 3
    link.click()
    page.wait_for_load_state()
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    order = page.evaluate(
        "['scores-heading', 'outcome-heading', 'history-heading'].map("
        "id => document.getElementById(id).getBoundingClientRect().top)"
    )
    assert order == sorted(order)
    assert page.locator("details.history-fold").get_attribute("open") is None
    assert console_errors == []
