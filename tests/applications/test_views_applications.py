import datetime
import json

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cases.domain import applications as app
from cases.domain.evaluation.publication import publish_results
from cases.models import Case, CaseStatus, EcosystemFactor, EditionPhase, PolicySector
from tests.applications.conftest import pdf_upload
from tests.committing import committed
from tests.factories import CoordinatorFactory

pytestmark = pytest.mark.django_db


def edit_url(case, section):
    return reverse("applications:edit", kwargs={"pk": case.pk, "section": section})


def test_dashboard_shows_open_calls_and_the_organisations_drafts(
    client, applicant, colleague, draft
):
    client.force_login(colleague)
    response = client.get(reverse("applications:dashboard"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "EPSA 2026" in content
    assert reverse("applications:new", kwargs={"edition_slug": "epsa-2026"}) in content
    # A colleague's draft is shared with the whole organisation and resumed from here.
    assert reverse("applications:case", kwargs={"pk": draft.pk}) in content
    assert "(server time, Europe/Brussels)" in content


def test_dashboard_lists_applications_first_then_calls_then_organisations(client, applicant, draft):
    client.force_login(applicant)
    content = client.get(reverse("applications:dashboard")).content.decode()
    apps = content.index('id="apps-heading"')
    calls = content.index('id="calls-heading"')
    orgs = content.index('id="orgs-heading"')
    assert apps < calls < orgs
    actions = content[content.index('<ul class="action-list">') :]
    actions = actions[: actions.index("</ul>")]
    for name in (
        "accounts:create_organisation",
        "accounts:join_organisation",
        "accounts:membership_requests",
    ):
        assert f'<li><a class="button button-secondary" href="{reverse(name)}">' in actions


def test_start_an_application(client, applicant, edition, organisation):
    client.force_login(applicant)
    url = reverse("applications:new", kwargs={"edition_slug": edition.slug})
    assert client.get(url).status_code == 200
    response = client.post(url, {"organisation": organisation.pk})
    case = Case.objects.get(lead_organisation=organisation)
    assert response.status_code == 302
    assert response["Location"] == edit_url(case, app.APPLICANT)


def test_a_double_click_on_start_opens_one_draft(client, applicant, edition, organisation):
    client.force_login(applicant)
    url = reverse("applications:new", kwargs={"edition_slug": edition.slug})
    first = client.post(url, {"organisation": organisation.pk})
    second = client.post(url, {"organisation": organisation.pk})
    case = Case.objects.get(lead_organisation=organisation)
    assert first["Location"] == second["Location"] == edit_url(case, app.APPLICANT)


def test_start_refused_for_closed_edition(client, applicant, edition):
    edition.phase = EditionPhase.EVALUATION
    edition.save()
    client.force_login(applicant)
    response = client.get(reverse("applications:new", kwargs={"edition_slug": edition.slug}))
    assert response.status_code == 409
    assert "does not take applications" in response.content.decode()


def test_start_for_unknown_edition_is_404(client, applicant):
    client.force_login(applicant)
    assert (
        client.get(reverse("applications:new", kwargs={"edition_slug": "nope"})).status_code == 404
    )


@pytest.mark.parametrize("section", [s.slug for s in app.SECTIONS])
def test_every_section_page_renders(client, applicant, draft, section):
    client.force_login(applicant)
    response = client.get(edit_url(draft, section))
    assert response.status_code == 200
    assert response.context["section"].slug == section


def test_unknown_section_is_404(client, applicant, draft):
    client.force_login(applicant)
    assert client.get(edit_url(draft, "budget")).status_code == 404


def test_save_and_save_and_continue(client, applicant, draft):
    client.force_login(applicant)
    data = {"version": draft.version, "summary": "Nurses and neighbours.", "save": ""}
    response = client.post(edit_url(draft, app.SUMMARY), data)
    assert response.status_code == 302
    assert (
        response["Location"] == edit_url(draft, app.SUMMARY) + "#messages"
    )  # keyboard keeps its place
    draft.refresh_from_db()
    assert draft.summary == "Nurses and neighbours."

    data = {"version": draft.version, "summary": "Changed.", "save_continue": ""}
    response = client.post(edit_url(draft, app.SUMMARY), data)
    assert response["Location"] == edit_url(draft, app.DESCRIPTION)


def test_progress_list_marks_complete_sections(client, applicant, draft):
    client.force_login(applicant)
    client.post(edit_url(draft, app.SUMMARY), {"version": draft.version, "summary": "Done."})
    response = client.get(edit_url(draft, app.SUMMARY))
    rows = {row["section"].slug: row["complete"] for row in response.context["progress"]}
    assert rows[app.SUMMARY] is True
    assert rows[app.DESCRIPTION] is False


def test_project_section_saves_everything(client, applicant, draft, category):
    client.force_login(applicant)
    sector = PolicySector.objects.get(slug="digital-government")
    response = client.post(
        edit_url(draft, app.PROJECT),
        {
            "version": draft.version,
            "title": "One-stop permits",
            "category": category.pk,
            "country": "BE",
            "level": "regional",
            "policy_sectors": [sector.pk],
            "start_date": "2023-03-01",
            "end_date": "2024-06-30",
            "website": "https://permits.example",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "One-stop permits"
    assert draft.category == category
    assert draft.end_date == datetime.date(2024, 6, 30)
    assert list(draft.policy_sectors.all()) == [sector]


def test_collaboration_section_adds_and_removes_partners(client, applicant, draft):
    client.force_login(applicant)
    data = {
        "version": draft.version,
        "partners-TOTAL_FORMS": "3",
        "partners-INITIAL_FORMS": "0",
        "partners-0-name": "Uni Ghent",
        "partners-0-sector": "academic",
        "partners-0-country": "BE",
        "partners-1-name": "Green Bakery",
        "partners-1-sector": "private",
        "partners-2-name": "",
    }
    assert client.post(edit_url(draft, app.COLLABORATION), data).status_code == 302
    assert [p.name for p in draft.partners.all()] == ["Uni Ghent", "Green Bakery"]

    response = client.get(edit_url(draft, app.COLLABORATION))
    suggested = [t.slug for t in response.context["suggested"]]
    assert suggested == ["public-private", "public-research"]
    assert "Suggested from your partners" in response.content.decode()

    draft.refresh_from_db()
    data.update(
        {"version": draft.version, "partners-INITIAL_FORMS": "2", "partners-1-DELETE": "on"}
    )
    assert client.post(edit_url(draft, app.COLLABORATION), data).status_code == 302
    assert [p.name for p in draft.partners.all()] == ["Uni Ghent"]


def test_partner_row_without_name_keeps_the_typed_text(client, applicant, draft):
    client.force_login(applicant)
    data = {
        "version": draft.version,
        "partners-TOTAL_FORMS": "1",
        "partners-INITIAL_FORMS": "0",
        "partners-0-name": "",
        "partners-0-sector": "private",
        "partners-0-role": "Bakes the bread for the lunches",
        "collaboration": "Our own words about the partnership",
    }
    response = client.post(edit_url(draft, app.COLLABORATION), data)
    assert response.status_code == 400
    content = response.content.decode()
    assert "Give the partner" in content
    assert "Correct the partner rows marked below." in content
    assert "Bakes the bread for the lunches" in content
    assert "Our own words about the partnership" in content
    assert draft.partners.count() == 0


def test_ecosystem_section(client, applicant, draft):
    client.force_login(applicant)
    factors = list(EcosystemFactor.objects.order_by("order"))
    data = {"version": draft.version}
    for factor in factors:
        data[f"factor_{factor.pk}_text"] = f"About {factor.slug}"
        data[f"factor_{factor.pk}_evidence"] = "Minutes"
        data[f"factor_{factor.pk}_rating"] = "2"
    data[f"factor_{factors[0].pk}_rating"] = "na"
    response = client.post(edit_url(draft, app.ECOSYSTEM), data)
    assert response.status_code == 302
    assert draft.factor_assessments.count() == 8
    assert draft.factor_assessments.get(factor=factors[0]).not_applicable
    assert not app.missing_items(draft)[app.ECOSYSTEM]

    data[f"factor_{factors[1].pk}_rating"] = "7"
    draft.refresh_from_db()
    data["version"] = draft.version
    response = client.post(edit_url(draft, app.ECOSYSTEM), data)
    assert response.status_code == 400
    assert "from 0 to 4" in response.content.decode()


def test_declarations_section(client, applicant, draft):
    client.force_login(applicant)
    response = client.post(
        edit_url(draft, app.DECLARATIONS),
        {"version": draft.version, "declares_accuracy": "on", "consents_to_evaluation": "on"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.declares_accuracy and draft.consents_to_evaluation
    assert draft.publication_consent is False


def test_autosave_answers_json_with_the_time_and_new_version(client, applicant, draft):
    client.force_login(applicant)
    response = client.post(
        edit_url(draft, app.SUMMARY),
        {"version": draft.version, "summary": "Autosaved"},
        HTTP_X_AUTOSAVE="1",
    )
    assert response.status_code == 200
    data = json.loads(response.content)
    draft.refresh_from_db()
    assert data["ok"] is True
    assert data["version"] == draft.version
    assert data["message"].startswith("Saved at ")
    assert draft.summary == "Autosaved"


def test_autosave_with_invalid_text_reports_errors(client, applicant, draft):
    client.force_login(applicant)
    response = client.post(
        edit_url(draft, app.SUMMARY),
        {"version": draft.version, "summary": "word " * 301},
        HTTP_X_AUTOSAVE="1",
    )
    assert response.status_code == 400
    data = json.loads(response.content)
    assert "summary" in data["errors"]
    assert data["message"].startswith("Not saved: Executive summary: This text has 301 words")


def test_concurrent_edit_shows_both_versions_and_keeps_the_text(
    client, applicant, colleague, draft
):
    loaded_version = draft.version
    client.force_login(colleague)
    client.post(
        edit_url(draft, app.SUMMARY), {"version": loaded_version, "summary": "Carl's summary"}
    )
    client.force_login(applicant)
    response = client.post(
        edit_url(draft, app.SUMMARY), {"version": loaded_version, "summary": "Ann's summary"}
    )
    assert response.status_code == 409
    content = response.content.decode()
    assert "Carl Colleague saved this section after you opened it" in content
    assert "Carl&#x27;s summary" in content  # the saved version
    assert "Ann&#x27;s summary" in content  # the user's text, kept in the form
    draft.refresh_from_db()
    assert draft.summary == "Carl's summary"
    # The form now carries the newer version: saving again overwrites knowingly.
    assert response.context["form"]["version"].value() == str(draft.version)
    response = client.post(
        edit_url(draft, app.SUMMARY), {"version": draft.version, "summary": "Ann's summary"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.summary == "Ann's summary"


def test_concurrent_autosave_answers_409(client, applicant, colleague, draft):
    loaded = draft.version
    client.force_login(colleague)
    client.post(edit_url(draft, app.SUMMARY), {"version": loaded, "summary": "first"})
    client.force_login(applicant)
    response = client.post(
        edit_url(draft, app.SUMMARY), {"version": loaded, "summary": "second"}, HTTP_X_AUTOSAVE="1"
    )
    assert response.status_code == 409
    assert json.loads(response.content)["conflict"] is True


def test_review_lists_what_is_missing_with_links(client, applicant, draft):
    client.force_login(applicant)
    response = client.get(reverse("applications:review", kwargs={"pk": draft.pk}))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Still missing before you can submit" in content
    assert "the executive summary" in content
    assert f'href="{edit_url(draft, app.SUMMARY)}"' in content
    assert "Submit the application" not in content


def test_submitting_an_incomplete_application_is_refused(client, applicant, draft):
    client.force_login(applicant)
    response = client.post(reverse("applications:review", kwargs={"pk": draft.pk}))
    assert response.status_code == 409
    assert "not complete" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == CaseStatus.DRAFT


def test_submit_confirms_and_mails(client, applicant, colleague, complete_draft):
    client.force_login(applicant)
    url = reverse("applications:review", kwargs={"pk": complete_draft.pk})
    page = client.get(url)
    assert "Submit the application" in page.content.decode()
    mail.outbox.clear()
    with committed():
        response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "applications:case", kwargs={"pk": complete_draft.pk}
    )
    assert "Your application has been submitted" in response.content.decode()
    complete_draft.refresh_from_db()
    assert complete_draft.status == CaseStatus.SUBMITTED
    assert {m.to[0] for m in mail.outbox} == {applicant.email, colleague.email}
    assert f"http://testserver/apply/case/{complete_draft.pk}/" in mail.outbox[0].body

    # A second submission changes nothing.
    with committed():
        again = client.post(url, follow=True)
    assert "already been submitted" in again.content.decode()
    assert len(mail.outbox) == 2


def test_unverified_user_cannot_submit(client, applicant, complete_draft):
    applicant.email_verified_at = None
    applicant.save()
    client.force_login(applicant)
    response = client.post(reverse("applications:review", kwargs={"pk": complete_draft.pk}))
    assert response.status_code == 403
    assert "Verify your e-mail address" in response.content.decode()


def test_locked_application_refuses_edits_with_409(client, applicant, submitted):
    client.force_login(applicant)
    response = client.get(edit_url(submitted, app.SUMMARY))
    assert response.status_code == 200
    assert response.context["form"].fields["summary"].disabled
    response = client.post(
        edit_url(submitted, app.SUMMARY), {"version": submitted.version, "summary": "late edit"}
    )
    assert response.status_code == 409
    assert "locked" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.summary != "late edit"
    upload = client.post(edit_url(submitted, app.ATTACHMENTS), {"file": pdf_upload()})
    assert upload.status_code == 409
    autosave = client.post(
        edit_url(submitted, app.SUMMARY),
        {"version": submitted.version, "summary": "x"},
        HTTP_X_AUTOSAVE="1",
    )
    assert autosave.status_code == 409


def test_status_page_timeline_and_registration_number(client, applicant, submitted, edition):
    client.force_login(applicant)
    url = reverse("applications:case", kwargs={"pk": submitted.pk})
    response = client.get(url)
    content = response.content.decode()
    assert 'id="case-status">Submitted<' in content
    assert [s["key"] for s in response.context["steps"]] == [
        "draft",
        "submitted",
        "eligibility",
        "evaluation",
        "results",
    ]
    assert "Registration number" not in content

    Case.objects.filter(pk=submitted.pk).update(
        status=CaseStatus.ELIGIBLE, registration_number="EPSA2026-0042", outcome="certificate"
    )
    edition.phase = EditionPhase.EVALUATION
    edition.save()
    content = client.get(url).content.decode()
    assert "EPSA2026-0042" in content
    assert "Good practice certificate" not in content

    # The jury phase alone does not reveal the outcome: only publishing the results does.
    edition.phase = EditionPhase.JURY
    edition.save()
    content = client.get(url).content.decode()
    assert "Good practice certificate" not in content

    publish_results(edition=edition, by=CoordinatorFactory(editions=[edition]))
    content = client.get(url).content.decode()
    assert "Good practice certificate" in content
    assert {s["key"]: s["state"] for s in client.get(url).context["steps"]}["results"] == "done"


def test_published_result_reaches_status_page_dashboard_and_mail(
    client, applicant, submitted, edition
):
    Case.objects.filter(pk=submitted.pk).update(
        status=CaseStatus.ELIGIBLE, registration_number="EPSA2026-0043", outcome="nominee"
    )
    edition.phase = EditionPhase.JURY
    edition.save()
    client.force_login(applicant)
    dashboard = client.get(reverse("applications:dashboard")).content.decode()
    assert "Nominee" not in dashboard

    mail.outbox.clear()
    with committed():
        publish_results(edition=edition, by=CoordinatorFactory(editions=[edition]))

    edition.refresh_from_db()
    assert edition.phase == EditionPhase.JURY and edition.results_are_published
    status_url = reverse("applications:case", kwargs={"pk": submitted.pk})
    assert "Nominee" in client.get(status_url).content.decode()
    assert "Nominee" in client.get(reverse("applications:dashboard")).content.decode()
    (message,) = mail.outbox
    assert message.to == [applicant.email]
    assert f"http://127.0.0.1:8000{status_url}" in message.body


def test_withdraw_with_confirmation(client, applicant, submitted):
    client.force_login(applicant)
    url = reverse("applications:withdraw", kwargs={"pk": submitted.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert "Yes, withdraw it" in page.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == CaseStatus.SUBMITTED
    response = client.post(url)
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == CaseStatus.WITHDRAWN


def test_withdraw_refused_once_screening_started(client, applicant, submitted, edition):
    edition.phase = EditionPhase.ELIGIBILITY
    edition.save()
    client.force_login(applicant)
    response = client.post(reverse("applications:withdraw", kwargs={"pk": submitted.pk}))
    assert response.status_code == 409
    assert "Eligibility screening has started" in response.content.decode()


def test_attachment_upload_download_and_remove(client, applicant, draft):
    client.force_login(applicant)
    response = client.post(
        edit_url(draft, app.ATTACHMENTS), {"title": "Annual report", "file": pdf_upload()}
    )
    assert response.status_code == 302
    attachment = draft.attachments.get()
    url = reverse(
        "applications:attachment", kwargs={"pk": draft.pk, "attachment_pk": attachment.pk}
    )
    download = client.get(url)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert "Annual report.pdf" in download["Content-Disposition"]

    remove_url = reverse(
        "applications:attachment_delete", kwargs={"pk": draft.pk, "attachment_pk": attachment.pk}
    )
    assert "Yes, remove it" in client.get(remove_url).content.decode()
    assert client.post(remove_url).status_code == 302
    assert draft.attachments.count() == 0


def test_deadline_shown_with_time_zone(client, applicant, draft, edition):
    client.force_login(applicant)
    content = client.get(reverse("applications:review", kwargs={"pk": draft.pk})).content.decode()
    local = timezone.localtime(edition.deadline)
    assert local.strftime("%H:%M") in content
    assert "Europe/Brussels" in content


def test_drafts_survive_logout_and_are_resumed_from_the_dashboard(client, applicant, draft):
    client.force_login(applicant)
    client.post(edit_url(draft, app.SUMMARY), {"version": draft.version, "summary": "Kept text"})
    client.post(reverse("logout"))
    assert client.get(reverse("applications:dashboard")).status_code == 302
    client.force_login(applicant)
    dashboard = client.get(reverse("applications:dashboard")).content.decode()
    assert reverse("applications:case", kwargs={"pk": draft.pk}) in dashboard
    page = client.get(edit_url(draft, app.SUMMARY)).content.decode()
    assert "Kept text" in page


def test_section_page_carries_translated_script_texts(client, applicant, draft):
    client.force_login(applicant)
    content = client.get(edit_url(draft, app.SUMMARY)).content.decode()
    assert 'id="applications-strings"' in content
    assert 'data-word-limit="300"' in content
    assert 'data-autosave="X-Autosave"' in content


def test_project_section_records_the_language_of_the_case(client, applicant, draft):
    client.force_login(applicant)
    page = client.get(edit_url(draft, app.PROJECT))
    assert 'name="language"' in page.content.decode()
    response = client.post(
        edit_url(draft, app.PROJECT),
        {"version": draft.version, "title": "Guichet unique", "language": "fr"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.language == "fr"
    # Left empty, the language is still a valid value: English, the portal's own.
    client.post(
        edit_url(draft, app.PROJECT),
        {"version": draft.version, "title": "Guichet", "language": ""},
    )
    draft.refresh_from_db()
    assert draft.language == "en"


def test_an_unknown_language_is_refused_and_the_text_kept(client, applicant, draft):
    client.force_login(applicant)
    response = client.post(
        edit_url(draft, app.PROJECT),
        {"version": draft.version, "title": "Kept title", "language": "xx"},
    )
    assert response.status_code == 400
    assert "Kept title" in response.content.decode()
    draft.refresh_from_db()
    assert draft.language == "en"
