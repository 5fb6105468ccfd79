"""Saves refused under the user's hands keep their text; drafts close at the deadline."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.domain import applications as app
from cases.models import CaseStatus
from tests.applications.conftest import pdf_upload

pytestmark = pytest.mark.django_db


def edit_url(case, section):
    return reverse("applications:edit", kwargs={"pk": case.pk, "section": section})


def close_edition(edition):
    edition.deadline = timezone.now() - datetime.timedelta(minutes=1)
    edition.save(update_fields=["deadline"])


# --- A colleague submits while the user is typing ---------------------------------------------


def test_text_typed_while_a_colleague_submitted_is_shown_back(
    client, applicant, colleague, complete_draft
):
    client.force_login(applicant)
    loaded = client.get(edit_url(complete_draft, app.SUMMARY))
    version = loaded.context["form"]["version"].value()
    app.submit_case(case=complete_draft, user=colleague, link_base="http://testserver")

    response = client.post(
        edit_url(complete_draft, app.SUMMARY),
        {"version": version, "summary": "Ann's long unsaved summary"},
    )

    assert response.status_code == 409
    content = response.content.decode()
    assert "is locked" in content
    assert "Your changes were not saved." in content
    assert "Your unsaved text" in content
    assert "Ann&#x27;s long unsaved summary</textarea>" in content
    rows = response.context["unsaved_values"]
    assert {"label": "Executive summary", "value": "Ann's long unsaved summary", "long": True} in [
        {key: row[key] for key in ("label", "value", "long")} for row in rows
    ]
    # The form below is the saved version, read-only.
    assert response.context["form"].fields["summary"].disabled
    complete_draft.refresh_from_db()
    assert complete_draft.status == CaseStatus.SUBMITTED
    assert complete_draft.summary != "Ann's long unsaved summary"


def test_locked_project_section_shows_choices_by_their_labels(
    client, applicant, submitted, category
):
    client.force_login(applicant)
    response = client.post(
        edit_url(submitted, app.PROJECT),
        {
            "version": submitted.version,
            "title": "A title typed too late",
            "category": category.pk,
            "level": "regional",
            "start_date": "2023-02-01",
        },
    )
    assert response.status_code == 409
    values = {row["label"]: row["value"] for row in response.context["unsaved_values"]}
    assert values["Project title"] == "A title typed too late"
    assert values["Category"] == "Innovation"
    assert values["Level of government"] == "Regional"
    assert values["Start date"] == "2023-02-01"


def test_locked_collaboration_section_shows_the_typed_partner_rows(client, applicant, submitted):
    client.force_login(applicant)
    response = client.post(
        edit_url(submitted, app.COLLABORATION),
        {
            "version": submitted.version,
            "partners-TOTAL_FORMS": "2",
            "partners-INITIAL_FORMS": "0",
            "partners-MIN_NUM_FORMS": "0",
            "partners-MAX_NUM_FORMS": "1000",
            "partners-0-name": "Ghent University",
            "partners-0-sector": "academic",
            "partners-0-country": "BE",
            "partners-0-role": "Evaluation of the pilot",
            "partners-1-name": "Removed partner",
            "partners-1-sector": "private",
            "partners-1-DELETE": "on",
        },
    )
    assert response.status_code == 409
    partners = [
        row["value"] for row in response.context["unsaved_values"] if row["label"] == "Partner"
    ]
    assert len(partners) == 1
    assert partners[0].startswith("Ghent University (")
    assert "Belgium" in partners[0]
    assert partners[0].endswith("Evaluation of the pilot")


def test_locked_autosave_answers_409_and_says_the_text_is_still_on_the_page(
    client, applicant, submitted
):
    client.force_login(applicant)
    response = client.post(
        edit_url(submitted, app.SUMMARY),
        {"version": submitted.version, "summary": "typed"},
        HTTP_X_AUTOSAVE="1",
    )
    assert response.status_code == 409
    data = json.loads(response.content)
    assert data["ok"] is False
    assert data["locked"] is True
    assert "still on this page" in data["message"]


# --- Drafts after the deadline ------------------------------------------------------------------


def test_domain_refuses_to_save_a_draft_after_the_deadline(draft, applicant, edition):
    close_edition(edition)
    draft.refresh_from_db()
    assert app.is_closed(draft)
    assert not app.is_editable(draft)
    with pytest.raises(app.ApplicationClosed, match="are closed") as refused:
        app.save_section(
            case=draft,
            user=applicant,
            section=app.SUMMARY,
            data={"summary": "Too late"},
            loaded_version=draft.version,
        )
    assert refused.value.status == 409
    with pytest.raises(app.ApplicationClosed):
        app.add_attachment(case=draft, user=applicant, uploaded_file=pdf_upload())
    draft.refresh_from_db()
    assert draft.summary != "Too late"
    assert draft.attachments.count() == 0


def test_a_later_deadline_opens_the_draft_again(draft, applicant, edition):
    close_edition(edition)
    draft.refresh_from_db()
    assert app.is_closed(draft)
    edition.deadline = timezone.now() + datetime.timedelta(days=2)
    edition.save(update_fields=["deadline"])
    draft.refresh_from_db()
    assert app.is_editable(draft)
    app.save_section(
        case=draft,
        user=applicant,
        section=app.SUMMARY,
        data={"summary": "In time again"},
        loaded_version=draft.version,
    )


def test_submitted_and_withdrawn_cases_are_not_called_closed(submitted, edition):
    close_edition(edition)
    submitted.refresh_from_db()
    assert not app.is_closed(submitted)


def test_submission_after_the_deadline_keeps_its_own_message(complete_draft, applicant, edition):
    close_edition(edition)
    complete_draft.refresh_from_db()
    with pytest.raises(app.SubmissionClosed, match="Your application was not submitted"):
        app.submit_case(case=complete_draft, user=applicant, link_base="http://testserver")


def test_editing_a_draft_after_the_deadline_is_refused_with_409_and_keeps_the_text(
    client, applicant, draft, edition
):
    client.force_login(applicant)
    version = client.get(edit_url(draft, app.SUMMARY)).context["form"]["version"].value()
    close_edition(edition)

    response = client.post(
        edit_url(draft, app.SUMMARY), {"version": version, "summary": "Typed after the deadline"}
    )

    assert response.status_code == 409
    content = response.content.decode()
    assert "Applications for EPSA 2026 are closed" in content
    assert "can no longer be changed or submitted" in content
    assert "Typed after the deadline</textarea>" in content
    draft.refresh_from_db()
    assert draft.summary != "Typed after the deadline"

    autosave = client.post(
        edit_url(draft, app.SUMMARY),
        {"version": version, "summary": "x"},
        HTTP_X_AUTOSAVE="1",
    )
    assert autosave.status_code == 409
    assert "are closed" in json.loads(autosave.content)["message"]

    upload = client.post(edit_url(draft, app.ATTACHMENTS), {"file": pdf_upload()})
    assert upload.status_code == 409
    assert "are closed" in upload.content.decode()
    assert draft.attachments.count() == 0


def test_section_page_of_a_closed_draft_is_read_only_with_the_reason(
    client, applicant, draft, edition
):
    close_edition(edition)
    client.force_login(applicant)
    response = client.get(edit_url(draft, app.SUMMARY))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Applications for EPSA 2026 are closed" in content
    assert response.context["form"].fields["summary"].disabled
    assert 'name="save_continue"' not in content
    assert "js/autosave.js" not in content


def test_status_page_shows_a_closed_draft(client, applicant, draft, edition):
    close_edition(edition)
    client.force_login(applicant)
    response = client.get(reverse("applications:case", kwargs={"pk": draft.pk}))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="closed-notice"' in content
    assert "can no longer be changed or submitted" in content
    assert "Check and submit" not in content
    assert "Read the unsent draft" in content
    assert "Read the submitted application" not in content


def test_review_page_of_a_closed_draft_offers_no_submission(
    client, applicant, complete_draft, edition
):
    close_edition(edition)
    client.force_login(applicant)
    response = client.get(reverse("applications:review", kwargs={"pk": complete_draft.pk}))
    content = response.content.decode()
    assert "The unsent draft" in content
    assert "The submitted application" not in content
    assert "Submit the application" not in content
    assert "can no longer be changed or submitted" in content


def test_dashboard_marks_drafts_past_their_deadline(client, applicant, draft, edition):
    client.force_login(applicant)
    before = client.get(reverse("applications:dashboard")).content.decode()
    assert "Closed: deadline passed" not in before
    close_edition(edition)
    after = client.get(reverse("applications:dashboard")).content.decode()
    assert "Closed: deadline passed, not submitted" in after


def test_submissions_ended_early_say_so_instead_of_a_future_deadline(
    client, applicant, draft, edition
):
    from cases.models import EditionPhase

    edition.phase = EditionPhase.ELIGIBILITY
    edition.save(update_fields=["phase"])
    client.force_login(applicant)

    content = client.get(edit_url(draft, app.SUMMARY)).content.decode()

    assert edition.deadline > timezone.now()
    assert "Submissions closed early by the award team." in content
    assert "Deadline:" not in content
    assert "were closed early by the award team, before the announced deadline" in content
    assert "the deadline was" not in content
    # A locked draft offers no way to the submission page from the section list.
    assert "Check and submit" not in content


def test_open_draft_keeps_its_deadline_and_check_and_submit_link(client, applicant, draft):
    client.force_login(applicant)
    content = client.get(edit_url(draft, app.SUMMARY)).content.decode()
    assert "Deadline:" in content
    assert "closed early" not in content
    assert "Check and submit" in content


def test_submitted_case_section_page_offers_no_check_and_submit(client, applicant, submitted):
    client.force_login(applicant)
    content = client.get(edit_url(submitted, app.SUMMARY)).content.decode()
    assert "Check and submit" not in content
