"""Who reaches which page of the applicant area; ids changed in every URL (IDOR)."""

import pytest
from django.urls import reverse

from cases.domain import applications as app
from cases.models import CaseStatus
from tests.applications.conftest import pdf_upload
from tests.factories import CaseFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def case_urls(case, attachment=None):
    urls = [
        reverse("applications:case", kwargs={"pk": case.pk}),
        reverse("applications:review", kwargs={"pk": case.pk}),
        reverse("applications:withdraw", kwargs={"pk": case.pk}),
    ]
    urls += [
        reverse("applications:edit", kwargs={"pk": case.pk, "section": section.slug})
        for section in app.SECTIONS
    ]
    if attachment is not None:
        kwargs = {"pk": case.pk, "attachment_pk": attachment.pk}
        urls.append(reverse("applications:attachment_delete", kwargs=kwargs))
    return urls


@pytest.fixture
def attachment(draft, applicant):
    return app.add_attachment(case=draft, user=applicant, uploaded_file=pdf_upload())


def test_members_reach_every_page_of_their_application(client, colleague, draft, attachment):
    client.force_login(colleague)
    for url in case_urls(draft, attachment):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["outsider", "evaluator", "coordinator", "pending_member"])
def test_others_get_404_on_every_page_and_every_method(
    client, request, who, draft, attachment, organisation
):
    if who == "pending_member":
        user = UserFactory(roles=["applicant"])
        MembershipFactory(user=user, organisation=organisation, status="pending")
    else:
        user = request.getfixturevalue(who)
    client.force_login(user)
    draft.refresh_from_db()
    before = (draft.version, draft.summary)
    for url in case_urls(draft, attachment):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"version": draft.version, "summary": "hijack"}).status_code == 404
    draft.refresh_from_db()
    assert (draft.version, draft.summary) == before
    assert draft.attachments.count() == 1


def test_anonymous_is_sent_to_login(client, draft):
    for url in [reverse("applications:dashboard")] + case_urls(draft):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_dashboard_only_for_applicants(client, evaluator, coordinator, applicant):
    for user in (evaluator, coordinator):
        client.force_login(user)
        assert client.get(reverse("applications:dashboard")).status_code == 403
        assert (
            client.get(
                reverse("applications:new", kwargs={"edition_slug": "epsa-2026"})
            ).status_code
            == 403
        )
    client.force_login(applicant)
    assert client.get(reverse("applications:dashboard")).status_code == 200


def test_dashboard_lists_only_the_users_organisations_cases(client, outsider, draft, other_case):
    client.force_login(outsider)
    response = client.get(reverse("applications:dashboard"))
    assert list(response.context["page_obj"]) == []


def test_start_for_another_organisation_is_refused(client, outsider, edition, organisation):
    client.force_login(outsider)
    response = client.post(
        reverse("applications:new", kwargs={"edition_slug": edition.slug}),
        {"organisation": organisation.pk},
    )
    assert response.status_code == 400
    assert "Choose one of your public-sector organisations" in response.content.decode()


def download_url(case, attachment):
    return reverse(
        "applications:attachment", kwargs={"pk": case.pk, "attachment_pk": attachment.pk}
    )


@pytest.fixture
def submitted_attachment(complete_draft, applicant):
    """An attachment of an application that has been submitted."""
    attachment = app.add_attachment(case=complete_draft, user=applicant, uploaded_file=pdf_upload())
    app.submit_case(case=complete_draft, user=applicant, link_base="http://testserver")
    attachment.case.refresh_from_db()
    return attachment


def test_attachment_served_to_members_and_coordinators_of_its_edition(
    client, colleague, coordinator, submitted_attachment
):
    case = submitted_attachment.case
    case.edition.coordinators.add(coordinator)
    for user in (colleague, coordinator):
        client.force_login(user)
        response = client.get(download_url(case, submitted_attachment))
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"


def test_staff_user_counts_as_coordinator_for_attachments(client, submitted_attachment):
    staff = UserFactory(is_staff=True)
    staff.save()  # the factory saves the password only when roles are given
    client.force_login(staff)
    case = submitted_attachment.case
    assert client.get(download_url(case, submitted_attachment)).status_code == 200


def test_a_draft_stays_private_to_its_organisation_until_submitted(
    client, applicant, coordinator, complete_draft
):
    """Coordinators see neither the draft nor its attachments: 404, as if it did not exist."""
    attachment = app.add_attachment(case=complete_draft, user=applicant, uploaded_file=pdf_upload())
    complete_draft.edition.coordinators.add(coordinator)
    staff = UserFactory(is_staff=True)
    staff.save()
    case_page = reverse("coordination:case", args=[complete_draft.edition.slug, complete_draft.pk])
    for user in (coordinator, staff):
        client.force_login(user)
        assert client.get(download_url(complete_draft, attachment)).status_code == 404
        assert client.get(case_page).status_code == 404

    app.submit_case(case=complete_draft, user=applicant, link_base="http://testserver")
    client.force_login(coordinator)
    assert client.get(download_url(complete_draft, attachment)).status_code == 200
    assert client.get(case_page).status_code == 200


@pytest.mark.parametrize("who", ["outsider", "evaluator", "coordinator", "anonymous"])
def test_attachment_is_404_for_everyone_else(client, request, who, draft, attachment):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    assert client.get(download_url(draft, attachment)).status_code == 404


def test_attachment_ids_cannot_be_swapped_between_cases(
    client, applicant, outsider, draft, attachment
):
    """The outsider's own case id with the victim's attachment id: still 404."""
    own_case = CaseFactory(lead_organisation=outsider.memberships.get().organisation)
    client.force_login(outsider)
    assert client.get(download_url(own_case, attachment)).status_code == 404
    remove = reverse(
        "applications:attachment_delete",
        kwargs={"pk": own_case.pk, "attachment_pk": attachment.pk},
    )
    assert client.post(remove).status_code == 404
    assert draft.attachments.count() == 1
    # A member may open their own case's pages, but not another case's attachment through it.
    second = app.start_application(
        user=applicant, edition=draft.edition, organisation=draft.lead_organisation
    )
    client.force_login(applicant)
    assert client.get(download_url(second, attachment)).status_code == 404


def test_nonexistent_ids_are_404(client, applicant, draft):
    client.force_login(applicant)
    assert client.get(reverse("applications:case", kwargs={"pk": 987654})).status_code == 404
    url = reverse("applications:attachment", kwargs={"pk": draft.pk, "attachment_pk": 987654})
    assert client.get(url).status_code == 404


def test_coordinator_reads_attachment_but_cannot_edit(client, coordinator, submitted_attachment):
    case = submitted_attachment.case
    case.edition.coordinators.add(coordinator)
    client.force_login(coordinator)
    assert client.get(download_url(case, submitted_attachment)).status_code == 200
    url = reverse("applications:edit", kwargs={"pk": case.pk, "section": app.SUMMARY})
    assert client.post(url, {"version": case.version, "summary": "x"}).status_code == 404


def test_attachment_factory_file_is_served_to_members_only(client, applicant, outsider, draft):
    from tests.factories import AttachmentFactory

    attachment = AttachmentFactory(case=draft)
    client.force_login(applicant)
    response = client.get(download_url(draft, attachment))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    client.force_login(outsider)
    assert client.get(download_url(draft, attachment)).status_code == 404


def test_attachment_whose_file_is_gone_is_404_not_500(client, applicant, draft, attachment):
    attachment.file.storage.delete(attachment.file.name)
    client.force_login(applicant)
    assert client.get(download_url(draft, attachment)).status_code == 404


def test_attachment_download_only_by_get(client, applicant, draft, attachment):
    client.force_login(applicant)
    assert client.post(download_url(draft, attachment)).status_code == 405


def test_attachment_served_to_assigned_evaluator_unless_conflicted(client, draft, attachment):
    from tests.factories import AssignmentFactory, ConflictFactory, EvaluatorFactory

    # Evaluators read eligible entries (a real one has been submitted and screened first).
    draft.status = CaseStatus.ELIGIBLE
    draft.save(update_fields=["status"])
    assigned = EvaluatorFactory()
    AssignmentFactory(case=draft, evaluator=assigned)
    client.force_login(assigned)
    assert client.get(download_url(draft, attachment)).status_code == 200

    ConflictFactory(case=draft, evaluator=assigned)
    assert client.get(download_url(draft, attachment)).status_code == 404
