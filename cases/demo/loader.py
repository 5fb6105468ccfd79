"""The demo library: real EPSA editions and results, synthetic cases, an open call, demo users.

Everything here is idempotent: records are looked up by their stable keys (slugs, e-mail
addresses) and created only when missing; nothing existing is ever updated. The reference
facts come from ``cases/data/epsa_reference.json``, a copy kept inside the project.
"""

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cases.demo.synthetic import generate_synthetic_cases
from cases.domain.editions import create_edition
from cases.models import (
    Case,
    CaseStatus,
    Edition,
    EditionPhase,
    EvaluatorProfile,
    Organisation,
    OrganisationMembership,
    Outcome,
    PoolMembership,
    PoolStatus,
    Provenance,
    Role,
    Sector,
    User,
)

REFERENCE_FILE = Path(__file__).resolve().parent.parent / "data" / "epsa_reference.json"
BRUSSELS = ZoneInfo("Europe/Brussels")

# Synthetic cases of the demo: a fixed seed spread over the three editions, plus a few
# cases that belong to no edition (as if imported from another library).
DEMO_SEED = 2024
DEMO_SYNTHETIC_IN_EDITIONS = 240
DEMO_SYNTHETIC_WITHOUT_EDITION_SEED = 2025
DEMO_SYNTHETIC_WITHOUT_EDITION = 20

DEMO_EDITION_SLUG = "epsa-demo"
DEMO_ORGANISATION_NAME = "Municipality of Demoville (demo organisation)"

HISTORICAL_NAMES = {
    "epsa-2019": "EPSA 2019",
    "epsa-2021": "EPSA 2021",
    "epsa-2023": "EPSA 2023-24",
}


@dataclass(frozen=True)
class DemoUser:
    email: str
    password: str
    full_name: str
    role: str | None
    description: str
    country: str = "BE"
    # For evaluators: slugs of the demo edition's categories they prefer to evaluate.
    preferred_categories: tuple[str, ...] = ()


DEMO_USERS = (
    DemoUser(
        "applicant@demo.example",
        "demo-applicant-pass",
        "Ada Applicant",
        Role.APPLICANT,
        "applicant, member of the demo municipality",
    ),
    # Four evaluators from four countries, so that the demo shows two evaluators per entry,
    # same-country conflicts (evaluator4 is Belgian, like the demo municipality) and category
    # preferences. The main demo evaluator is Dutch so that the demo applicant's entries can
    # reach his /evaluate/ page.
    DemoUser(
        "evaluator@demo.example",
        "demo-evaluator-pass",
        "Eli Evaluator",
        Role.EVALUATOR,
        "evaluator (Netherlands; prefers public administration)",
        country="NL",
        preferred_categories=("innovation-in-public-administration",),
    ),
    DemoUser(
        "evaluator2@demo.example",
        "demo-evaluator2-pass",
        "Greta Gruen",
        Role.EVALUATOR,
        "evaluator (Germany; prefers green transition)",
        country="DE",
        preferred_categories=("green-transition-and-sustainability",),
    ),
    DemoUser(
        "evaluator3@demo.example",
        "demo-evaluator3-pass",
        "Dario Digitale",
        Role.EVALUATOR,
        "evaluator (Italy; prefers digital transformation)",
        country="IT",
        preferred_categories=("digital-transformation",),
    ),
    DemoUser(
        "evaluator4@demo.example",
        "demo-evaluator4-pass",
        "Lies Peeters",
        Role.EVALUATOR,
        "evaluator (Belgium; prefers public administration and digital)",
        country="BE",
        preferred_categories=("innovation-in-public-administration", "digital-transformation"),
    ),
    DemoUser(
        "coordinator@demo.example",
        "demo-coordinator-pass",
        "Cora Coordinator",
        Role.COORDINATOR,
        "coordinator of the open demo edition",
    ),
    DemoUser(
        "admin@demo.example",
        "demo-admin-pass",
        "Adam Admin",
        None,
        "staff superuser (Django admin)",
    ),
)


@dataclass
class DemoReport:
    """What one run of ``load_demo`` created (zero everywhere on a second run)."""

    editions: int = 0
    categories: int = 0
    criteria: int = 0
    organisations: int = 0
    real_cases: int = 0
    synthetic_cases: int = 0
    users: int = 0
    users_allowed: bool = False
    credentials: list[DemoUser] = field(default_factory=list)

    @property
    def created_anything(self) -> bool:
        return any(
            [
                self.editions,
                self.categories,
                self.criteria,
                self.organisations,
                self.real_cases,
                self.synthetic_cases,
                self.users,
            ]
        )


def read_reference() -> dict:
    with REFERENCE_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


def _moment(day: str | None, hour: int, minute: int = 0) -> datetime.datetime | None:
    """A date of the reference file as an aware Brussels time; None for unknown or vague dates."""
    if not day or len(day) != 10:
        return None
    date = datetime.date.fromisoformat(day)
    return datetime.datetime.combine(date, datetime.time(hour, minute), tzinfo=BRUSSELS)


def _historical_editions(reference: dict, report: DemoReport) -> dict[str, Edition]:
    editions = {}
    for item in reference["editions"]:
        edition = Edition.objects.filter(slug=item["slug"]).first()
        if edition is None:
            dates = item.get("dates", {})
            deadline = dates.get("deadline_extended") or dates.get("deadline")
            edition = create_edition(
                slug=item["slug"],
                name=HISTORICAL_NAMES.get(item["slug"], f"EPSA {item['year']}"),
                year_label=item["year"],
                theme=item.get("theme") or "",
                phase=EditionPhase.CLOSED,
                submissions_open_at=_moment(dates.get("submissions_open"), 0),
                deadline=_moment(deadline, 23, 59),
                evaluators_per_entry=item.get("evaluators_per_entry") or 2,
                categories=[
                    (category["slug"], category["name"]) for category in item["categories"]
                ],
                criteria_order=item.get("criteria"),
            )
            report.editions += 1
            report.categories += len(item["categories"])
            report.criteria += edition.criteria.count()
        editions[item["slug"]] = edition
    return editions


def _organisation(name: str, country: str | None, level: str | None):
    organisation = Organisation.objects.filter(name=name).first()
    if organisation is None:
        organisation = Organisation.objects.create(
            name=name, country=country or "", level=level or "", sector=Sector.PUBLIC
        )
    return organisation


def real_case_slug(outcome: dict) -> str:
    return f"{outcome['edition']}-{slugify(outcome['title'])}"[:120].strip("-")


def _source_note(edition_item: dict, outcome: dict) -> str:
    note = _(
        "Facts only: the title, organisation, country, level of government, edition, "
        "category and result come from the published results of the European Public Sector "
        "Award %(year)s. The full description of this project is not available in this "
        "library."
    ) % {"year": edition_item["year"]}
    if outcome.get("notes"):
        note += " " + _("Note from the published results: %(note)s.") % {"note": outcome["notes"]}
    return note


def _real_cases(reference: dict, editions: dict[str, Edition], report: DemoReport) -> None:
    items = {item["slug"]: item for item in reference["editions"]}
    existing = set(
        Case.objects.filter(provenance=Provenance.IMPORTED).values_list("slug", flat=True)
    )
    for outcome in reference["outcomes"]:
        slug = real_case_slug(outcome)
        if slug in existing:
            continue
        edition = editions[outcome["edition"]]
        item = items[outcome["edition"]]
        ceremony = _moment(item.get("dates", {}).get("ceremony"), 12)
        organisation = None
        if outcome.get("organisation"):
            organisation = _organisation(
                outcome["organisation"], outcome.get("country"), outcome.get("level")
            )
        Case.objects.create(
            edition=edition,
            category=edition.categories.get(slug=outcome["category"]),
            lead_organisation=organisation,
            title=outcome["title"],
            slug=slug,
            country=outcome.get("country") or "",
            level=outcome.get("level") or "",
            status=CaseStatus.ELIGIBLE,
            outcome=Outcome(outcome["outcome"]),
            place=outcome.get("place"),
            is_published=True,
            published_at=ceremony or timezone.now(),
            publication_consent=True,
            provenance=Provenance.IMPORTED,
            source_note=_source_note(item, outcome),
        )
        existing.add(slug)
        report.real_cases += 1


def _synthetic_cases(editions: list[Edition], report: DemoReport) -> None:
    for seed, wanted, spread_over in (
        (DEMO_SEED, DEMO_SYNTHETIC_IN_EDITIONS, editions),
        (DEMO_SYNTHETIC_WITHOUT_EDITION_SEED, DEMO_SYNTHETIC_WITHOUT_EDITION, []),
    ):
        present = Case.objects.filter(
            provenance=Provenance.SYNTHETIC, slug__startswith=f"syn-{seed}-"
        ).count()
        if present < wanted:
            report.synthetic_cases += generate_synthetic_cases(
                count=wanted - present, seed=seed, editions=spread_over
            )


DEMO_RULES = """\
Who may apply: the lead applicant must be a public-sector body (an EU institution, a national, \
regional or local government, or one of their agencies or fully owned enterprises) from an \
EU, EEA, candidate or other European country. Partners may be public, private, third-sector \
or academic organisations.

One category per project. A project submitted to an earlier edition may only be submitted \
again with a material update.

Each eligible entry is scored by two independent evaluators against the six criteria. \
This is a demonstration call: nothing submitted here is judged."""


def _demo_edition(report: DemoReport) -> Edition:
    edition = Edition.objects.filter(slug=DEMO_EDITION_SLUG).first()
    if edition is not None:
        return edition
    now = timezone.now()
    categories = [
        ("innovation-in-public-administration", _("Innovation in Public Administration")),
        ("green-transition-and-sustainability", _("Green Transition and Sustainability")),
        ("digital-transformation", _("Digital Transformation")),
    ]
    edition = create_edition(
        slug=DEMO_EDITION_SLUG,
        name=_("EPSA Demo Edition"),
        year_label=str(now.year),
        theme=_("Collaboration across sectors for better public services"),
        phase=EditionPhase.OPEN,
        submissions_open_at=now - datetime.timedelta(days=7),
        # 23:59 Brussels time, as real calls close, not 23:59 UTC.
        deadline=_moment((now + datetime.timedelta(days=120)).date().isoformat(), 23, 59),
        rules=DEMO_RULES,
        categories=[(slug, str(name)) for slug, name in categories],
    )
    # Evaluators have two months after the call closes, until 18:00 Brussels time.
    edition.evaluation_deadline = _moment(
        (timezone.localtime(edition.deadline) + datetime.timedelta(days=61)).date().isoformat(),
        18,
    )
    edition.save(update_fields=["evaluation_deadline"])
    report.editions += 1
    report.categories += len(categories)
    report.criteria += edition.criteria.count()
    return edition


def _demo_users(demo_edition: Edition, report: DemoReport) -> None:
    groups = {group.name: group for group in Group.objects.filter(name__in=Role.values)}
    for demo in DEMO_USERS:
        user = User.objects.filter(email__iexact=demo.email).first()
        if user is None:
            make = User.objects.create_superuser if demo.role is None else User.objects.create_user
            user = make(
                demo.email,
                demo.password,
                full_name=demo.full_name,
                country=demo.country,
                email_verified_at=timezone.now(),
            )
            if demo.role:
                user.groups.add(groups[demo.role])
            report.users += 1
            if demo.role == Role.APPLICANT:
                organisation = Organisation.objects.filter(name=DEMO_ORGANISATION_NAME).first()
                if organisation is None:
                    organisation = Organisation.objects.create(
                        name=DEMO_ORGANISATION_NAME,
                        country="BE",
                        level="local",
                        sector=Sector.PUBLIC,
                    )
                membership = OrganisationMembership(user=user, organisation=organisation)
                if not OrganisationMembership.objects.filter(
                    user=user, organisation=organisation
                ).exists():
                    membership.mark_approved(by=None)
                    membership.save()
            if demo.role == Role.COORDINATOR:
                demo_edition.coordinators.add(user)
            if demo.role == Role.EVALUATOR:
                profile = EvaluatorProfile.objects.create(
                    user=user,
                    countries=[demo.country],
                    expertise=_("Demo evaluator: %(name)s.") % {"name": demo.full_name},
                )
                profile.preferred_categories.set(
                    demo_edition.categories.filter(slug__in=demo.preferred_categories)
                )
                PoolMembership.objects.get_or_create(
                    edition=demo_edition,
                    evaluator=user,
                    defaults={"status": PoolStatus.ACCEPTED, "responded_at": timezone.now()},
                )
        report.credentials.append(demo)


@transaction.atomic
def load_demo() -> DemoReport:
    """Create whatever part of the demo library is missing; never change existing records."""
    report = DemoReport(users_allowed=bool(getattr(settings, "DEMO_USERS_ALLOWED", False)))
    reference = read_reference()
    organisations_before = Organisation.objects.count()
    editions = _historical_editions(reference, report)
    _real_cases(reference, editions, report)
    _synthetic_cases(list(editions.values()), report)
    demo_edition = _demo_edition(report)
    if report.users_allowed:
        _demo_users(demo_edition, report)
    report.organisations = Organisation.objects.count() - organisations_before
    return report
