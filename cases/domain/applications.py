"""The application: starting a draft, saving its sections, attachments, submission, withdrawal.

An application is a ``Case`` in status ``draft`` owned by its lead organisation: every approved
member may edit it until it is submitted, after which it is locked. Every section may be saved
incomplete (a draft); what is still missing is computed by :func:`missing_items` and only the
final submission requires everything.
"""

import datetime
import secrets
from dataclasses import dataclass
from pathlib import PurePath

from django.core.files.base import File
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from cases.domain import text as text_rules
from cases.domain.files import MAX_ATTACHMENTS_PER_CASE, UploadRejected, check_upload
from cases.domain.notifications import absolute, send_templated_mail
from cases.domain.queries.access import (
    applications_of,
    approved_memberships,
    lead_organisations_of,
    member_emails,
)
from cases.models import (
    Attachment,
    Case,
    CaseStatus,
    CollaborationType,
    EcosystemFactor,
    Edition,
    EditionPhase,
    FactorAssessment,
    Organisation,
    Partner,
    Sector,
    User,
)
from cases.models.vocabularies import label_column


@dataclass(frozen=True)
class Section:
    slug: str
    label: str
    letter: str
    optional: bool = False


APPLICANT = "applicant"
PROJECT = "project"
SUMMARY = "summary"
DESCRIPTION = "description"
COLLABORATION = "collaboration"
ECOSYSTEM = "ecosystem"
ATTACHMENTS = "attachments"
DECLARATIONS = "declarations"

# The form's parts, after EPSA's own application form, in the order applicants fill them.
SECTIONS = (
    Section(APPLICANT, _("Applicant and contacts"), "a"),
    Section(PROJECT, _("Project information"), "b"),
    Section(SUMMARY, _("Executive summary"), "c"),
    Section(DESCRIPTION, _("Project description"), "d"),
    Section(COLLABORATION, _("Collaboration"), "e"),
    Section(ECOSYSTEM, _("Enabling-ecosystem self-assessment"), "f"),
    Section(ATTACHMENTS, _("Attachments"), "g", optional=True),
    Section(DECLARATIONS, _("Declarations"), "h"),
)
SECTIONS_BY_SLUG = {section.slug: section for section in SECTIONS}

# Sections saved through save_section (attachments have their own functions).
SECTION_FIELDS = {
    APPLICANT: (
        "contact_name",
        "contact_position",
        "contact_email",
        "contact_phone",
        "second_contact_name",
        "second_contact_email",
    ),
    PROJECT: (
        "title",
        "language",
        "category",
        "country",
        "level",
        "policy_sectors",
        "start_date",
        "end_date",
        "ongoing",
        "website",
    ),
    SUMMARY: ("summary",),
    DESCRIPTION: (
        "problem",
        "solution",
        "results",
        "challenges",
        "sustainability",
        "transferability",
    ),
    COLLABORATION: (
        "partners",
        "collaboration_types",
        "coproduction_phases",
        "coproduction_levels",
        "collaboration",
    ),
    ECOSYSTEM: ("assessments",),
    DECLARATIONS: ("declares_accuracy", "consents_to_evaluation", "publication_consent"),
}
MANY_TO_MANY = (
    "policy_sectors",
    "collaboration_types",
    "coproduction_phases",
    "coproduction_levels",
)

# Word limits, enforced by the forms and shown while typing.
WORD_LIMITS = {
    "summary": 300,
    "problem": 500,
    "solution": 500,
    "results": 500,
    "challenges": 300,
    "sustainability": 400,
    "transferability": 400,
    "collaboration": 400,
    "factor_text": 150,
    "factor_evidence": 100,
}
REQUIRED_DESCRIPTION_FIELDS = (
    "problem",
    "solution",
    "results",
    "sustainability",
    "transferability",
)
RATING_NOT_APPLICABLE = "na"


def count_words(text: str) -> int:
    """Words as a reader sees them: white space and invisible separators split them."""
    return text_rules.count_words(text)


# --- Errors ---------------------------------------------------------------------------------


class ApplicationError(Exception):
    """A request the application rules refuse; ``message`` is shown, ``status`` is the HTTP code."""

    status = 409

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class ApplicationLocked(ApplicationError):
    pass


class NotAllowed(ApplicationError):
    status = 403


class SubmissionClosed(ApplicationError):
    pass


class ApplicationClosed(ApplicationLocked):
    """A draft whose edition's deadline has passed: edits are refused like a locked case."""


class NotReady(ApplicationError):
    def __init__(self, message, missing):
        super().__init__(message)
        self.missing = missing


class StaleSection(ApplicationError):
    """Someone saved this section after the user loaded it."""

    def __init__(self, message, *, case, entry):
        super().__init__(message)
        self.case = case
        self.entry = entry


class AttachmentRejected(ApplicationError):
    status = 400


class InvalidData(ApplicationError):
    status = 400


# --- Reading --------------------------------------------------------------------------------


def open_editions(now=None):
    """Editions taking submissions right now, by the server's clock, soonest deadline first."""
    now = now or timezone.now()
    return (
        Edition.objects.filter(phase=EditionPhase.OPEN, deadline__gt=now)
        .filter(Q(submissions_open_at__isnull=True) | Q(submissions_open_at__lte=now))
        .order_by("deadline", "slug")
    )


def lead_organisations(user: User):
    """The organisations in whose name the user may start an application."""
    return lead_organisations_of(user).filter(sector=Sector.PUBLIC).order_by("name")


def organisation_cases(user: User):
    """Every application of the user's organisations, newest activity first."""
    return (
        applications_of(user)
        .select_related("edition", "category", "lead_organisation")
        .only(
            "id",
            "title",
            "status",
            "updated_at",
            "submitted_at",
            "registration_number",
            "edition__name",
            "edition__slug",
            "edition__deadline",
            "edition__submissions_open_at",
            "edition__phase",
            "edition__results_published_at",
            "outcome",
            "place",
            "category__name",
            "lead_organisation__name",
        )
        .order_by("-updated_at", "-id")
    )


def is_closed(case: Case, now=None) -> bool:
    """A draft whose edition no longer takes submissions: nothing typed into it could count."""
    if case.status != CaseStatus.DRAFT:
        return False
    return case.edition is None or not case.edition.is_open_for_submissions(now)


def is_editable(case: Case, now=None) -> bool:
    """Only a draft, and only while its edition takes submissions (server time)."""
    return case.status == CaseStatus.DRAFT and not is_closed(case, now)


def _deadline_text(edition) -> str:
    if edition is None or edition.deadline is None:
        return _("not set")
    return date_format(timezone.localtime(edition.deadline), "DATETIME_FORMAT")


def closed_message(case: Case) -> str:
    """Why a draft after the deadline can no longer be changed or submitted."""
    edition = case.edition
    if (
        edition is not None
        and edition.deadline is not None
        and edition.phase not in (EditionPhase.DRAFT, EditionPhase.OPEN)
        and timezone.now() < edition.deadline
    ):
        return _(
            "Applications for %(edition)s were closed early by the award team, before the "
            "announced deadline. This draft can no longer be changed or submitted."
        ) % {"edition": edition}
    return _(
        "Applications for %(edition)s are closed: the deadline was %(deadline)s (server time). "
        "This draft can no longer be changed or submitted."
    ) % {"edition": case.edition or _("this edition"), "deadline": _deadline_text(case.edition)}


def locked_message(case: Case) -> str:
    """Why a change to ``case`` is refused; the caller adds whether the user's text was kept."""
    if case.status == CaseStatus.WITHDRAWN:
        return _("This application was withdrawn and can no longer be changed.")
    if case.status == CaseStatus.DRAFT:
        return closed_message(case)
    if case.submitted_at:
        return _(
            "This application was submitted on %(date)s and is locked: it can no longer be changed."
        ) % {"date": date_format(timezone.localtime(case.submitted_at), "DATETIME_FORMAT")}
    return _("This application is locked and can no longer be changed.")


def can_withdraw(case: Case) -> bool:
    """Until eligibility screening starts: the edition still takes submissions, none decided."""
    return (
        case.status in (CaseStatus.DRAFT, CaseStatus.SUBMITTED)
        and case.edition is not None
        and case.edition.phase == EditionPhase.OPEN
        and case.screened_at is None
    )


def missing_items(case: Case) -> dict[str, list[str]]:
    """What each section still lacks before the application may be submitted."""
    missing = {section.slug: [] for section in SECTIONS}
    add = missing.__getitem__

    if not case.contact_name.strip():
        add(APPLICANT).append(_("the contact person's name"))
    if not case.contact_email.strip():
        add(APPLICANT).append(_("the contact person's e-mail address"))

    if not case.title.strip():
        add(PROJECT).append(_("the project title"))
    if case.category_id is None:
        add(PROJECT).append(_("a category"))
    if not case.country:
        add(PROJECT).append(_("the country"))
    if not case.level:
        add(PROJECT).append(_("the level of government"))
    if not case.policy_sectors.exists():
        add(PROJECT).append(_("at least one policy sector"))
    if case.start_date is None:
        add(PROJECT).append(_("the start date"))
    if case.end_date is None and not case.ongoing:
        add(PROJECT).append(_("the end date, or “ongoing”"))

    if not case.summary.strip():
        add(SUMMARY).append(_("the executive summary"))

    labels = {name: Case._meta.get_field(name).verbose_name for name in REQUIRED_DESCRIPTION_FIELDS}
    for name in REQUIRED_DESCRIPTION_FIELDS:
        if not getattr(case, name).strip():
            add(DESCRIPTION).append(labels[name])

    if not case.partners.exists():
        add(COLLABORATION).append(_("at least one partner"))
    if not case.collaboration_types.exists():
        add(COLLABORATION).append(_("at least one collaboration type"))

    assessments = {a.factor_id: a for a in case.factor_assessments.all()}
    for factor in EcosystemFactor.objects.order_by("order"):
        assessment = assessments.get(factor.id)
        if assessment is None or not (
            assessment.not_applicable
            or (assessment.self_rating is not None and assessment.text.strip())
        ):
            add(ECOSYSTEM).append(
                _("factor %(order)s (%(name)s): a rating with text, or “not applicable”")
                % {"order": factor.order, "name": factor.display_short}
            )

    if not case.declares_accuracy:
        add(DECLARATIONS).append(_("the declaration that the information is accurate"))
    if not case.consents_to_evaluation:
        add(DECLARATIONS).append(_("the consent to evaluation"))
    return missing


def section_progress(case: Case, missing: dict | None = None) -> list[dict]:
    """One row per section for the progress list: complete or what is missing, last saved."""
    missing = missing if missing is not None else missing_items(case)
    rows = []
    for section in SECTIONS:
        entry = case.section_log.get(section.slug) or {}
        rows.append(
            {
                "section": section,
                "missing": missing[section.slug],
                "complete": not missing[section.slug],
                "saved_at": entry.get("at"),
                "saved_by": entry.get("by"),
            }
        )
    return rows


# The collaboration type a partner of each non-public sector points to. The section's script
# applies the same rules while the applicant types (see suggestion_rules).
TYPE_FOR_SECTOR = {
    Sector.PRIVATE: "public-private",
    Sector.THIRD_SECTOR: "public-third-sector",
    Sector.ACADEMIC: "public-research",
    Sector.CITIZENS: "public-citizen",
}
CIVIL_SOCIETY_SECTORS = (Sector.THIRD_SECTOR, Sector.CITIZENS)


def suggestion_rules(lead_country: str = "") -> dict:
    """The data the browser needs to suggest types live, with the rules of the function below."""
    column = label_column()
    types = list(CollaborationType.objects.order_by("order").values("pk", "slug", "label", column))
    return {
        "type_for_sector": {str(sector): slug for sector, slug in TYPE_FOR_SECTOR.items()},
        "civil_society": [str(sector) for sector in CIVIL_SOCIETY_SECTORS],
        "lead_country": str(lead_country or ""),
        "types": [
            {"id": t["pk"], "slug": t["slug"], "label": t[column] or t["label"]} for t in types
        ],
    }


def suggest_collaboration_types(*, partners, lead_country: str = "") -> list[str]:
    """Collaboration-type slugs consistent with the partners' sectors (and countries).

    ``partners`` yields (sector, country) pairs. A public partner abroad makes the work
    cross-border; one at home may be horizontal or vertical, so both are offered. Business,
    research and civil society together with government form the quadruple helix.
    """
    sectors = set()
    suggestions = []
    for sector, country in partners:
        sectors.add(sector)
        if sector == Sector.PUBLIC:
            if country and lead_country and str(country) != str(lead_country):
                suggestions.append("cross-border")
            else:
                suggestions += ["public-public-horizontal", "public-public-vertical"]
    suggestions += [slug for sector, slug in TYPE_FOR_SECTOR.items() if sector in sectors]
    civil_society = sectors & set(CIVIL_SOCIETY_SECTORS)
    if Sector.PRIVATE in sectors and Sector.ACADEMIC in sectors and civil_society:
        suggestions.append("multi-stakeholder")
    order = list(CollaborationType.objects.order_by("order").values_list("slug", flat=True))
    unique = set(suggestions)
    return [slug for slug in order if slug in unique]


def timeline(case: Case) -> list[dict]:
    """The status page's steps: draft, submitted, eligibility, evaluation, results.

    Each step is ``done``, ``current`` or ``upcoming``, with a note where there is news.
    """
    phase = case.edition.phase if case.edition else EditionPhase.CLOSED
    status = case.status
    results_published = case.edition is not None and case.edition.results_are_published
    submitted = status in (CaseStatus.SUBMITTED, CaseStatus.ELIGIBLE, CaseStatus.INELIGIBLE)
    screened = status in (CaseStatus.ELIGIBLE, CaseStatus.INELIGIBLE)
    evaluation_phases = (EditionPhase.EVALUATION, EditionPhase.CONSENSUS, EditionPhase.JURY)

    def step(key, label, state, note=""):
        return {"key": key, "label": label, "state": state, "note": note}

    steps = [
        step("draft", _("Draft"), "done" if submitted else "current"),
        step(
            "submitted",
            _("Submitted"),
            ("current" if status == CaseStatus.SUBMITTED and phase == EditionPhase.OPEN else "done")
            if submitted
            else "upcoming",
        ),
    ]
    if screened:
        note = (
            _("Eligible. Registration number: %(number)s") % {"number": case.registration_number}
            if status == CaseStatus.ELIGIBLE
            else _("Not eligible.")
        )
        steps.append(step("eligibility", _("Eligibility"), "done", note))
    elif submitted and phase != EditionPhase.OPEN:
        steps.append(step("eligibility", _("Eligibility"), "current"))
    else:
        steps.append(step("eligibility", _("Eligibility"), "upcoming"))

    if status == CaseStatus.ELIGIBLE and results_published:
        steps.append(step("evaluation", _("Evaluation"), "done"))
    elif status == CaseStatus.ELIGIBLE and phase in evaluation_phases:
        steps.append(step("evaluation", _("Evaluation"), "current"))
    else:
        steps.append(step("evaluation", _("Evaluation"), "upcoming"))

    if status == CaseStatus.ELIGIBLE and results_published:
        steps.append(step("results", _("Results"), "done", case.outcome_label))
    else:
        steps.append(step("results", _("Results"), "upcoming"))
    if status == CaseStatus.INELIGIBLE:
        for item in steps[3:]:
            item["state"] = "skipped"
    return steps


# --- Writing --------------------------------------------------------------------------------


def _locked_case(case: Case) -> Case:
    return Case.objects.select_for_update(of=("self",)).select_related("edition").get(pk=case.pk)


def _require_member(user: User, case: Case) -> None:
    if not applications_of(user).filter(pk=case.pk).exists():
        raise NotAllowed(_("Only members of the lead organisation may change this application."))


def _require_not_locked(case: Case) -> None:
    """Refuse changes to submitted, screened and withdrawn applications."""
    if case.status != CaseStatus.DRAFT:
        raise ApplicationLocked(locked_message(case) + " " + _("Your changes were not saved."))


def _require_editable(case: Case) -> None:
    """Refuse changes to locked applications and to drafts after the deadline."""
    _require_not_locked(case)
    if is_closed(case):
        raise ApplicationClosed(closed_message(case) + " " + _("Your changes were not saved."))


def _bump(case: Case, user: User, section: str | None, now) -> None:
    case.version += 1
    case.updated_at = now
    if section:
        case.section_log = {
            **case.section_log,
            section: {
                "version": case.version,
                "at": now.isoformat(),
                "by": user.get_full_name(),
                "by_id": user.pk,
            },
        }


def _new_slug(edition: Edition) -> str:
    return f"{slugify(edition.slug)[:60]}-application-{secrets.token_hex(5)}"


# How long a new, untouched draft is handed back to its author instead of opening another.
UNTOUCHED_DRAFT_REUSE = datetime.timedelta(minutes=10)


@transaction.atomic
def start_application(*, user: User, edition: Edition, organisation: Organisation) -> Case:
    """Open a draft for ``organisation`` in ``edition``, with what is already known filled in.

    Started again within minutes, before anything was written, it returns that same draft.
    """
    if not edition.is_open_for_submissions():
        raise SubmissionClosed(
            _("%(edition)s does not take applications at the moment.") % {"edition": edition}
        )
    # Locking the membership serialises two starts by the same person for the same organisation,
    # so that the check for a just-started draft below sees the other request's draft.
    if not (
        lead_organisations_of(user).filter(pk=organisation.pk).exists()
        and approved_memberships()
        .select_for_update(of=("self",))
        .filter(user=user, organisation=organisation)
        .exists()
    ):
        raise NotAllowed(_("You may apply only for organisations you are an approved member of."))
    if not organisation.may_lead_applications:
        raise NotAllowed(
            _(
                "Only public-sector organisations may lead an application; %(name)s may take "
                "part as a partner."
            )
            % {"name": organisation.name}
        )
    now = timezone.now()
    # A double click (or a reload that posts again) returns the draft just opened instead of a
    # second, empty one.
    just_started = (
        Case.objects.filter(
            edition=edition,
            lead_organisation=organisation,
            created_by=user,
            status=CaseStatus.DRAFT,
            version=1,
            title="",
            created_at__gte=now - UNTOUCHED_DRAFT_REUSE,
            attachments__isnull=True,
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    if just_started is not None:
        return just_started
    case = Case.objects.create(
        edition=edition,
        lead_organisation=organisation,
        created_by=user,
        title="",
        slug=_new_slug(edition),
        country=organisation.country,
        level=organisation.level,
        contact_name=user.full_name,
        contact_email=user.email,
        status=CaseStatus.DRAFT,
        created_at=now,
        updated_at=now,
    )
    return case


def _write_partners(case: Case, partners: list[dict]) -> None:
    case.partners.all().delete()
    Partner.objects.bulk_create(
        Partner(
            case=case,
            name=row["name"],
            sector=row["sector"],
            country=row.get("country") or "",
            role=row.get("role") or "",
            order=index,
        )
        for index, row in enumerate(partners)
    )


def _write_assessments(case: Case, assessments: dict) -> None:
    """``assessments`` maps factor id to text, evidence and rating (0-4, "na" or None)."""
    existing = {a.factor_id: a for a in case.factor_assessments.all()}
    for factor_id, values in assessments.items():
        rating = values.get("rating")
        not_applicable = rating == RATING_NOT_APPLICABLE
        fields = {
            "text": values.get("text") or "",
            "evidence": values.get("evidence") or "",
            "not_applicable": not_applicable,
            "self_rating": None if not_applicable or rating in (None, "") else int(rating),
        }
        assessment = existing.get(factor_id)
        if assessment is None:
            FactorAssessment.objects.create(case=case, factor_id=factor_id, **fields)
        else:
            for name, value in fields.items():
                setattr(assessment, name, value)
            assessment.save()


@transaction.atomic
def save_section(*, case: Case, user: User, section: str, data: dict, loaded_version: int) -> Case:
    """Save one section of a draft.

    ``loaded_version`` is the case version the user's form was loaded with. If someone saved
    this section after that, the save is refused with :class:`StaleSection`, so that nobody
    overwrites a colleague's text unknowingly; saving again with the newer version overwrites.
    """
    if section not in SECTION_FIELDS:
        raise ApplicationError(_("There is no section “%(section)s”.") % {"section": section})
    locked = _locked_case(case)
    _require_member(user, locked)
    _require_editable(locked)
    entry = locked.section_log.get(section)
    if entry and entry.get("version", 0) > loaded_version:
        raise StaleSection(
            _(
                "%(who)s saved this section after you opened it. Your text was not saved and is "
                "still in the form below, next to the saved version. Compare them, then save "
                "again to replace the saved version with yours."
            )
            % {"who": entry.get("by") or _("Someone")},
            case=locked,
            entry=entry,
        )
    category = data.get("category") if section == PROJECT else None
    if category is not None and category.edition_id != locked.edition_id:
        raise ApplicationError(_("This category does not belong to the application's edition."))
    now = timezone.now()
    many = {}
    for name in SECTION_FIELDS[section]:
        if name not in data:
            continue
        if name in MANY_TO_MANY:
            many[name] = data[name]
        elif name == "partners":
            _write_partners(locked, data[name])
        elif name == "assessments":
            _write_assessments(locked, data[name])
        else:
            setattr(locked, name, data[name])
    if locked.start_date and locked.end_date and locked.end_date < locked.start_date:
        raise InvalidData(_("The end date must be on or after the start date."))
    _bump(locked, user, section, now)
    locked.save()
    for name, values in many.items():
        getattr(locked, name).set(values)
    return locked


def _stored_name(kind) -> str:
    return f"{secrets.token_hex(12)}.{kind.extension}"


@transaction.atomic
def add_attachment(*, case: Case, user: User, uploaded_file, title: str = "") -> Attachment:
    """Store an uploaded PDF, PNG or JPEG privately; at most five per application."""
    locked = _locked_case(case)
    _require_member(user, locked)
    _require_editable(locked)
    if locked.attachments.count() >= MAX_ATTACHMENTS_PER_CASE:
        raise AttachmentRejected(
            _(
                "An application may have at most %(limit)s attachments. Remove one before "
                "adding another."
            )
            % {"limit": MAX_ATTACHMENTS_PER_CASE}
        )
    try:
        kind = check_upload(uploaded_file)
    except UploadRejected as error:
        raise AttachmentRejected(error.message) from error
    original = PurePath(uploaded_file.name).name
    attachment = Attachment(
        case=locked,
        title=(title or "").strip() or original[:200],
        size=uploaded_file.size,
        content_type=kind.content_type,
        uploaded_by=user,
        uploaded_at=timezone.now(),
    )
    uploaded_file.seek(0)
    attachment.file.save(_stored_name(kind), File(uploaded_file), save=False)
    attachment.save()
    _bump(locked, user, ATTACHMENTS, timezone.now())
    locked.save(update_fields=["version", "updated_at", "section_log"])
    return attachment


@transaction.atomic
def remove_attachment(*, case: Case, user: User, attachment: Attachment) -> None:
    locked = _locked_case(case)
    _require_member(user, locked)
    _require_editable(locked)
    if attachment.case_id != locked.pk:
        raise NotAllowed(_("This attachment belongs to another application."))
    stored = attachment.file.name
    storage = attachment.file.storage
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(stored))
    _bump(locked, user, ATTACHMENTS, timezone.now())
    locked.save(update_fields=["version", "updated_at", "section_log"])


def status_link(case: Case, link_base: str) -> str:
    return absolute(link_base, reverse("applications:case", kwargs={"pk": case.pk}))


@transaction.atomic
def submit_case(*, case: Case, user: User, link_base: str, now=None) -> tuple[Case, bool]:
    """Make the final submission; return the case and whether this call submitted it.

    A second submission of a submitted case changes nothing and sends nothing.
    """
    now = now or timezone.now()
    locked = _locked_case(case)
    _require_member(user, locked)
    if locked.status == CaseStatus.SUBMITTED:
        return locked, False
    # The deadline is checked below, with its own message about the submission.
    _require_not_locked(locked)
    if user.email_verified_at is None:
        raise NotAllowed(
            _("Verify your e-mail address before submitting: follow the link we sent you.")
        )
    edition = locked.edition
    if edition is None or not edition.is_open_for_submissions(now):
        raise SubmissionClosed(
            _(
                "Submissions for %(edition)s are closed: the deadline was %(deadline)s "
                "(server time). Your application was not submitted."
            )
            % {"edition": edition, "deadline": _deadline_text(edition)}
        )
    missing = {key: items for key, items in missing_items(locked).items() if items}
    if missing:
        raise NotReady(
            _("The application is not complete yet; see what is missing below."), missing
        )
    locked.status = CaseStatus.SUBMITTED
    locked.submitted_at = now
    _bump(locked, user, None, now)
    locked.save()
    recipients = member_emails(locked.lead_organisation_id)
    send_templated_mail(
        name="application_submitted",
        recipients=recipients,
        context={
            "case": locked,
            "edition": edition,
            "submitted_by": user,
            "partners": list(locked.partners.all()),
            "attachments": list(locked.attachments.all()),
            "link": status_link(locked, link_base),
        },
    )
    return locked, True


@transaction.atomic
def withdraw_case(*, case: Case, user: User, link_base: str, now=None) -> Case:
    """Withdraw an application before eligibility screening starts; members are told."""
    locked = _locked_case(case)
    _require_member(user, locked)
    if locked.status == CaseStatus.WITHDRAWN:
        return locked
    if not can_withdraw(locked):
        raise ApplicationLocked(
            _(
                "This application can no longer be withdrawn: eligibility screening has started. "
                "Write to the award team if you need to withdraw it."
            )
        )
    now = now or timezone.now()
    locked.status = CaseStatus.WITHDRAWN
    locked.withdrawn_at = now
    _bump(locked, user, None, now)
    locked.save()
    recipients = member_emails(locked.lead_organisation_id)
    send_templated_mail(
        name="application_withdrawn",
        recipients=list(recipients),
        context={"case": locked, "withdrawn_by": user, "link": status_link(locked, link_base)},
    )
    return locked
