"""Item 8 of the issue: each kind of bad input gets its own clear error and status."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cases.domain import applications as app
from cases.domain.files import MAX_ATTACHMENT_BYTES
from cases.models import CaseStatus
from tests.applications.conftest import PDF_BYTES, pdf_upload
from tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db


def edit_url(case, section):
    return reverse("applications:edit", kwargs={"pk": case.pk, "section": section})


def test_over_long_text_is_refused_and_kept(client, applicant, draft):
    client.force_login(applicant)
    text = "word " * 301
    response = client.post(
        edit_url(draft, app.SUMMARY), {"version": draft.version, "summary": text}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "This text has 301 words; the limit is 300 words. Shorten it by 1." in content
    assert text.strip() in content
    draft.refresh_from_db()
    assert draft.summary == ""


def test_over_long_description_field(client, applicant, draft):
    client.force_login(applicant)
    response = client.post(
        edit_url(draft, app.DESCRIPTION),
        {"version": draft.version, "problem": "ok", "solution": "x " * 501},
    )
    assert response.status_code == 400
    assert "the limit is 500 words" in response.content.decode()
    draft.refresh_from_db()
    assert draft.problem == ""


def test_file_whose_extension_lies(client, applicant, draft):
    client.force_login(applicant)
    fake = SimpleUploadedFile(
        "budget.pdf", b"PK\x03\x04 a zip archive", content_type="application/pdf"
    )
    response = client.post(edit_url(draft, app.ATTACHMENTS), {"file": fake})
    assert response.status_code == 400
    assert "is not a PDF, PNG or JPEG file" in response.content.decode()
    assert draft.attachments.count() == 0


def test_oversize_file(client, applicant, draft):
    client.force_login(applicant)
    big = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * MAX_ATTACHMENT_BYTES)
    response = client.post(edit_url(draft, app.ATTACHMENTS), {"file": big})
    assert response.status_code == 400
    assert "files may be at most 10.0" in response.content.decode()
    assert draft.attachments.count() == 0


def test_sixth_file(client, applicant, draft):
    client.force_login(applicant)
    for number in range(5):
        app.add_attachment(case=draft, user=applicant, uploaded_file=pdf_upload(f"f{number}.pdf"))
    response = client.post(edit_url(draft, app.ATTACHMENTS), {"file": pdf_upload("six.pdf")})
    assert response.status_code == 400
    assert "at most 5 attachments" in response.content.decode()
    assert draft.attachments.count() == 5


def test_end_date_before_start_date(client, applicant, draft):
    client.force_login(applicant)
    response = client.post(
        edit_url(draft, app.PROJECT),
        {
            "version": draft.version,
            "title": "Typed title stays",
            "start_date": "2024-05-01",
            "end_date": "2024-04-30",
        },
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "The end date must be on or after the start date (2024-05-01)." in content
    assert "Typed title stays" in content
    draft.refresh_from_db()
    assert draft.start_date is None


def test_end_date_with_ongoing_ticked_is_refused(client, applicant, draft):
    client.force_login(applicant)
    response = client.post(
        edit_url(draft, app.PROJECT),
        {
            "version": draft.version,
            "title": "Typed title stays",
            "start_date": "2024-05-01",
            "end_date": "2024-09-30",
            "ongoing": "on",
        },
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert (
        "An ongoing project has no end date yet: clear the end date or untick ongoing." in content
    )
    assert "Typed title stays" in content
    assert 'value="2024-09-30"' in content
    draft.refresh_from_db()
    assert draft.end_date is None
    assert draft.title != "Typed title stays"


def test_partner_rows_have_no_colon_label_suffix(client, applicant, draft):
    client.force_login(applicant)
    content = client.get(edit_url(draft, app.COLLABORATION)).content.decode()
    assert ">Name</label>" in content
    assert ">Remove this partner</label>" in content
    assert "Name:" not in content
    assert "Remove this partner:" not in content


def test_unknown_category(client, applicant, draft):
    client.force_login(applicant)
    foreign = CategoryFactory()  # a category of another edition
    for value in (foreign.pk, 999999, "innovation"):
        response = client.post(
            edit_url(draft, app.PROJECT), {"version": draft.version, "category": value}
        )
        assert response.status_code == 400
        assert "not one of the edition&#x27;s categories" in response.content.decode()
    draft.refresh_from_db()
    assert draft.category is None


def test_submission_after_the_deadline(client, applicant, complete_draft, edition):
    edition.deadline = edition.submissions_open_at + datetime.timedelta(days=1)
    edition.save()
    client.force_login(applicant)
    response = client.post(reverse("applications:review", kwargs={"pk": complete_draft.pk}))
    assert response.status_code == 409
    content = response.content.decode()
    assert "Submissions for EPSA 2026 are closed" in content
    assert "Your application was not submitted" in content
    complete_draft.refresh_from_db()
    assert complete_draft.status == CaseStatus.DRAFT


def test_missing_csrf_token(applicant, draft):
    client = Client(enforce_csrf_checks=True)
    client.force_login(applicant)
    response = client.post(edit_url(draft, app.SUMMARY), {"version": draft.version, "summary": "x"})
    assert response.status_code == 403
    # The site's CSRF failure page explains what happened (its template renders the message).
    assert "security token was missing" in response.context["message"]
    draft.refresh_from_db()
    assert draft.summary == ""


def test_version_that_is_not_a_number(client, applicant, draft):
    client.force_login(applicant)
    response = client.post(edit_url(draft, app.SUMMARY), {"version": "abc", "summary": "Kept"})
    assert response.status_code == 400
    assert "Kept" in response.content.decode()
