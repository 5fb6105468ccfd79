import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases.domain import applications as app
from cases.domain.files import MAX_ATTACHMENT_BYTES
from cases.models import Case, CaseStatus, EditionPhase, MembershipStatus, Sector
from tests.applications.conftest import PDF_BYTES, PNG_BYTES, pdf_upload
from tests.committing import committed
from tests.factories import EditionFactory, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_start_application_prefills_what_is_known(edition, organisation, applicant):
    case = app.start_application(user=applicant, edition=edition, organisation=organisation)
    assert case.status == CaseStatus.DRAFT
    assert case.lead_organisation == organisation
    assert case.contact_email == applicant.email
    assert case.country == organisation.country
    assert case.slug.startswith("epsa-2026-application-")


def test_starting_again_returns_the_untouched_draft_just_opened(
    edition, category, organisation, applicant, colleague
):
    first = app.start_application(user=applicant, edition=edition, organisation=organisation)
    again = app.start_application(user=applicant, edition=edition, organisation=organisation)
    assert again == first
    assert Case.objects.filter(edition=edition).count() == 1

    # A colleague's start, a draft already written in, or one opened long ago is not reused.
    theirs = app.start_application(user=colleague, edition=edition, organisation=organisation)
    assert theirs != first
    app.save_section(
        case=first,
        user=applicant,
        section=app.SUMMARY,
        data={"summary": "Written."},
        loaded_version=first.version,
    )
    written_in = app.start_application(user=applicant, edition=edition, organisation=organisation)
    assert written_in != first
    Case.objects.filter(pk=written_in.pk).update(
        created_at=timezone.now() - app.UNTOUCHED_DRAFT_REUSE - datetime.timedelta(seconds=1)
    )
    later = app.start_application(user=applicant, edition=edition, organisation=organisation)
    assert later not in (first, written_in, theirs)
    assert Case.objects.filter(edition=edition).count() == 4


def test_only_public_sector_organisations_may_lead(edition, applicant):
    ngo = OrganisationFactory(sector=Sector.THIRD_SECTOR)
    MembershipFactory(user=applicant, organisation=ngo)
    with pytest.raises(app.NotAllowed, match="public-sector"):
        app.start_application(user=applicant, edition=edition, organisation=ngo)


def test_start_needs_an_approved_membership(edition, applicant):
    other = OrganisationFactory()
    MembershipFactory(user=applicant, organisation=other, status=MembershipStatus.PENDING)
    with pytest.raises(app.NotAllowed):
        app.start_application(user=applicant, edition=edition, organisation=other)


def test_start_refused_when_edition_closed(organisation, applicant):
    closed = EditionFactory(phase=EditionPhase.EVALUATION)
    with pytest.raises(app.SubmissionClosed):
        app.start_application(user=applicant, edition=closed, organisation=organisation)


def test_missing_items_lists_every_section_of_a_new_draft(draft):
    missing = app.missing_items(draft)
    for section in app.SECTIONS:
        if section.optional or section.slug == app.APPLICANT:
            continue
        assert missing[section.slug], section.slug
    # The contact was prefilled from the account.
    assert missing[app.APPLICANT] == []
    assert missing[app.ATTACHMENTS] == []


def test_complete_draft_has_nothing_missing(complete_draft):
    assert not any(app.missing_items(complete_draft).values())


def test_save_section_increments_version_and_logs_who(draft, applicant):
    before = draft.version
    case = app.save_section(
        case=draft,
        user=applicant,
        section=app.SUMMARY,
        data={"summary": "Short."},
        loaded_version=before,
    )
    assert case.version == before + 1
    assert case.section_log[app.SUMMARY]["by"] == "Ann Applicant"
    assert Case.objects.get(pk=draft.pk).summary == "Short."


def test_concurrent_save_of_same_section_is_refused(draft, applicant, colleague):
    loaded = draft.version
    app.save_section(
        case=draft,
        user=colleague,
        section=app.SUMMARY,
        data={"summary": "Colleague's text"},
        loaded_version=loaded,
    )
    with pytest.raises(app.StaleSection) as refusal:
        app.save_section(
            case=draft,
            user=applicant,
            section=app.SUMMARY,
            data={"summary": "Mine"},
            loaded_version=loaded,
        )
    assert "Carl Colleague" in refusal.value.message
    assert Case.objects.get(pk=draft.pk).summary == "Colleague's text"
    # Saving again with the newer version overwrites knowingly.
    app.save_section(
        case=draft,
        user=applicant,
        section=app.SUMMARY,
        data={"summary": "Mine"},
        loaded_version=refusal.value.case.version,
    )
    assert Case.objects.get(pk=draft.pk).summary == "Mine"


def test_save_of_another_section_meanwhile_is_not_a_conflict(draft, applicant, colleague):
    loaded = draft.version
    app.save_section(
        case=draft,
        user=colleague,
        section=app.SUMMARY,
        data={"summary": "S"},
        loaded_version=loaded,
    )
    case = app.save_section(
        case=draft,
        user=applicant,
        section=app.APPLICANT,
        data={"contact_phone": "+32 9 000"},
        loaded_version=loaded,
    )
    assert case.contact_phone == "+32 9 000"


def test_category_of_another_edition_is_refused(draft, applicant):
    from tests.factories import CategoryFactory

    foreign = CategoryFactory()
    with pytest.raises(app.ApplicationError, match="edition"):
        app.save_section(
            case=draft,
            user=applicant,
            section=app.PROJECT,
            data={"category": foreign},
            loaded_version=draft.version,
        )


def test_partners_are_replaced_in_order(draft, applicant):
    rows = [
        {"name": "Uni Ghent", "sector": "academic", "country": "BE", "role": "Research"},
        {"name": "Bakery", "sector": "private", "country": "BE", "role": ""},
    ]
    case = app.save_section(
        case=draft,
        user=applicant,
        section=app.COLLABORATION,
        data={"partners": rows},
        loaded_version=draft.version,
    )
    assert [p.name for p in case.partners.all()] == ["Uni Ghent", "Bakery"]
    case = app.save_section(
        case=case,
        user=applicant,
        section=app.COLLABORATION,
        data={"partners": rows[1:]},
        loaded_version=case.version,
    )
    assert [p.name for p in case.partners.all()] == ["Bakery"]


def test_not_applicable_rating_stores_no_number(draft, applicant):
    from cases.models import EcosystemFactor

    factor = EcosystemFactor.objects.get(slug="policy-environment")
    case = app.save_section(
        case=draft,
        user=applicant,
        section=app.ECOSYSTEM,
        data={"assessments": {factor.pk: {"text": "", "evidence": "", "rating": "na"}}},
        loaded_version=draft.version,
    )
    assessment = case.factor_assessments.get(factor=factor)
    assert assessment.not_applicable is True
    assert assessment.self_rating is None


@pytest.mark.parametrize(
    ("partners", "lead", "expected"),
    [
        ([("private", "BE")], "BE", ["public-private"]),
        ([("academic", "BE")], "BE", ["public-research"]),
        ([("citizens", "")], "BE", ["public-citizen"]),
        ([("third-sector", "BE")], "BE", ["public-third-sector"]),
        ([("public", "NL")], "BE", ["cross-border"]),
        ([("public", "BE")], "BE", ["public-public-horizontal", "public-public-vertical"]),
        (
            [("private", "BE"), ("academic", "BE"), ("citizens", "BE")],
            "BE",
            ["public-private", "public-research", "public-citizen", "multi-stakeholder"],
        ),
        ([], "BE", []),
    ],
)
def test_collaboration_types_suggested_from_sectors(db, partners, lead, expected):
    assert app.suggest_collaboration_types(partners=partners, lead_country=lead) == expected


def test_submit_locks_and_mails_every_approved_member(
    complete_draft, applicant, colleague, organisation
):
    pending = UserFactory()
    MembershipFactory(user=pending, organisation=organisation, status=MembershipStatus.PENDING)
    mail.outbox.clear()
    with committed():
        case, submitted_now = app.submit_case(
            case=complete_draft, user=applicant, link_base="https://portal.example"
        )
    assert submitted_now is True
    assert case.status == CaseStatus.SUBMITTED
    assert case.submitted_at is not None
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([applicant.email, colleague.email])
    body = mail.outbox[0].body
    assert "Neighbourhood care circles" in body
    assert "Red Cross Flanders" in body
    assert f"https://portal.example/apply/case/{case.pk}/" in body


def test_second_submit_changes_nothing(submitted, applicant):
    mail.outbox.clear()
    before = Case.objects.get(pk=submitted.pk)
    with committed():
        case, submitted_now = app.submit_case(case=submitted, user=applicant, link_base="http://x")
    assert submitted_now is False
    after = Case.objects.get(pk=submitted.pk)
    assert (after.submitted_at, after.version) == (before.submitted_at, before.version)
    assert mail.outbox == []


def test_submit_refused_after_the_deadline(complete_draft, applicant, edition):
    later = edition.deadline + datetime.timedelta(seconds=1)
    with pytest.raises(app.SubmissionClosed, match="closed"):
        app.submit_case(case=complete_draft, user=applicant, link_base="http://x", now=later)
    assert Case.objects.get(pk=complete_draft.pk).status == CaseStatus.DRAFT


def test_submit_refused_when_incomplete(draft, applicant):
    with pytest.raises(app.NotReady) as refusal:
        app.submit_case(case=draft, user=applicant, link_base="http://x")
    assert app.SUMMARY in refusal.value.missing


def test_unverified_user_cannot_submit(complete_draft, applicant):
    applicant.email_verified_at = None
    applicant.save()
    with pytest.raises(app.NotAllowed, match="Verify"):
        app.submit_case(case=complete_draft, user=applicant, link_base="http://x")


def test_submitted_case_is_locked_for_edits(submitted, applicant):
    with pytest.raises(app.ApplicationLocked):
        app.save_section(
            case=submitted,
            user=applicant,
            section=app.SUMMARY,
            data={"summary": "late"},
            loaded_version=submitted.version,
        )


def test_withdraw_while_open_then_not_after_screening_starts(submitted, applicant, edition):
    assert app.can_withdraw(submitted)
    edition.phase = EditionPhase.ELIGIBILITY
    edition.save()
    submitted.refresh_from_db()
    assert not app.can_withdraw(submitted)
    with pytest.raises(app.ApplicationLocked, match="eligibility"):
        app.withdraw_case(case=submitted, user=applicant, link_base="http://x")


def test_withdraw_marks_case_and_tells_members(submitted, applicant):
    mail.outbox.clear()
    with committed():
        case = app.withdraw_case(case=submitted, user=applicant, link_base="http://x")
    assert case.status == CaseStatus.WITHDRAWN
    assert case.withdrawn_at is not None
    assert "withdrawn" in mail.outbox[0].subject


def test_attachment_stored_with_sniffed_type(draft, applicant):
    attachment = app.add_attachment(case=draft, user=applicant, uploaded_file=pdf_upload())
    assert attachment.content_type == "application/pdf"
    assert attachment.title == "report.pdf"
    assert attachment.file.name.endswith(".pdf")
    with attachment.file.open("rb") as handle:
        assert handle.read() == PDF_BYTES


def test_sixth_attachment_refused(draft, applicant):
    for number in range(5):
        app.add_attachment(
            case=draft, user=applicant, uploaded_file=pdf_upload(f"file{number}.pdf")
        )
    with pytest.raises(app.AttachmentRejected, match="at most 5"):
        app.add_attachment(case=draft, user=applicant, uploaded_file=pdf_upload("six.pdf"))
    assert draft.attachments.count() == 5


def test_lying_extension_refused(draft, applicant):
    fake = SimpleUploadedFile("photo.png", b"MZ\x90\x00 not an image", content_type="image/png")
    with pytest.raises(app.AttachmentRejected, match="not a PDF, PNG or JPEG"):
        app.add_attachment(case=draft, user=applicant, uploaded_file=fake)
    renamed = SimpleUploadedFile("scan.pdf", PNG_BYTES, content_type="application/pdf")
    with pytest.raises(app.AttachmentRejected, match="content is PNG"):
        app.add_attachment(case=draft, user=applicant, uploaded_file=renamed)


def test_oversize_attachment_refused(draft, applicant):
    big = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * MAX_ATTACHMENT_BYTES)
    with pytest.raises(app.AttachmentRejected, match="at most 10"):
        app.add_attachment(case=draft, user=applicant, uploaded_file=big)


def test_remove_attachment_deletes_the_file(draft, applicant, django_capture_on_commit_callbacks):
    attachment = app.add_attachment(case=draft, user=applicant, uploaded_file=pdf_upload())
    storage, name = attachment.file.storage, attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        app.remove_attachment(case=draft, user=applicant, attachment=attachment)
    assert not storage.exists(name)
    assert draft.attachments.count() == 0


def test_timeline_follows_the_edition(submitted, edition):
    states = {step["key"]: step["state"] for step in app.timeline(submitted)}
    assert states["draft"] == "done"
    assert states["submitted"] == "current"
    assert states["eligibility"] == "upcoming"

    edition.phase = EditionPhase.ELIGIBILITY
    edition.save()
    submitted.refresh_from_db()
    assert {s["key"]: s["state"] for s in app.timeline(submitted)}["eligibility"] == "current"

    submitted.status = CaseStatus.ELIGIBLE
    submitted.registration_number = "EPSA2026-0007"
    submitted.save()
    edition.phase = EditionPhase.EVALUATION
    edition.save()
    submitted.refresh_from_db()
    steps = {s["key"]: s for s in app.timeline(submitted)}
    assert "EPSA2026-0007" in steps["eligibility"]["note"]
    assert steps["evaluation"]["state"] == "current"
    assert steps["results"]["state"] == "upcoming"

    submitted.outcome = "nominee"
    submitted.save()
    edition.phase = EditionPhase.JURY
    edition.save()
    submitted.refresh_from_db()
    steps = {s["key"]: s for s in app.timeline(submitted)}
    assert steps["results"]["state"] == "upcoming"
    assert steps["results"]["note"] == ""

    # Publishing the results, not closing the edition, is what the applicant waits for.
    edition.results_published_at = timezone.now()
    edition.save()
    submitted.refresh_from_db()
    steps = {s["key"]: s for s in app.timeline(submitted)}
    assert edition.phase == EditionPhase.JURY
    assert steps["evaluation"]["state"] == "done"
    assert steps["results"]["state"] == "done"
    assert steps["results"]["note"] == "Nominee"


def test_open_editions_judged_by_server_time(db):
    EditionFactory(
        slug="past",
        deadline=timezone.now() - datetime.timedelta(minutes=1),
        submissions_open_at=timezone.now() - datetime.timedelta(days=3),
    )
    EditionFactory(
        slug="future",
        submissions_open_at=timezone.now() + datetime.timedelta(days=1),
        deadline=timezone.now() + datetime.timedelta(days=9),
    )
    current = EditionFactory(slug="now")
    assert list(app.open_editions()) == [current]


def test_domain_refuses_end_before_start_whatever_the_caller(draft, applicant):
    with pytest.raises(app.InvalidData, match="end date"):
        app.save_section(
            case=draft,
            user=applicant,
            section=app.PROJECT,
            data={"start_date": datetime.date(2024, 5, 2), "end_date": datetime.date(2024, 5, 1)},
            loaded_version=draft.version,
        )


def test_suggestion_rules_give_the_browser_the_same_data(db):
    rules = app.suggestion_rules("BE")
    assert rules["lead_country"] == "BE"
    assert rules["type_for_sector"]["academic"] == "public-research"
    assert "public" not in rules["type_for_sector"]
    assert [t["slug"] for t in rules["types"]][:2] == [
        "public-public-horizontal",
        "public-public-vertical",
    ]
    assert len(rules["types"]) == 8


def test_mail_text_is_not_html_escaped(complete_draft, applicant):
    Case.objects.filter(pk=complete_draft.pk).update(title="Care & repair: O'Brien's plan")
    complete_draft.refresh_from_db()
    mail.outbox.clear()
    with committed():
        app.submit_case(case=complete_draft, user=applicant, link_base="http://x")
    assert (
        mail.outbox[0].subject == "Application submitted: Care & repair: O'Brien's plan (EPSA 2026)"
    )
    assert "Title: Care & repair: O'Brien's plan" in mail.outbox[0].body
