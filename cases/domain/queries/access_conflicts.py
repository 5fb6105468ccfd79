"""Conflicts of interest: who may not evaluate which entry. Policy, written once.

The rule (EPSA practice): an evaluator may not evaluate an entry when

- they belong to its lead organisation (an approved member, or named in their evaluator
  profile), or
- they belong to one of its partner organisations (their affiliations compared with the
  partners' names as people mean them: case, spacing and punctuation ignored), or
- the edition treats a shared country as a conflict (its default) and they come from any
  country the entry involves: the lead organisation's, the project's, or a partner's. Every one
  counts, so that an applicant cannot steer the entry to a compatriot by typing another project
  country.

``active_conflicts`` (in ``access``) are the conflicts that stand. The assignment functions
(``cases.domain.evaluation.assignment``) ask this module and store what it finds as automatic
conflicts, which coordinators may override with a reason.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.domain.queries.access import active_conflicts, approved_memberships
from cases.models import Partner, PoolMembership, User, normalise_name

RULE = gettext_lazy(
    "An evaluator may not evaluate an entry when they belong to its lead organisation or to one "
    "of its partner organisations (names compared ignoring case, spacing and punctuation)."
)
COUNTRY_RULE = gettext_lazy(
    "In this edition an evaluator may also not evaluate an entry that involves their country: "
    "the lead organisation's country, the project's country or a partner's country."
)
NO_COUNTRY_RULE = gettext_lazy("In this edition a shared country is not a conflict.")


def conflict_rule(edition) -> list[str]:
    """The rule as it applies in ``edition``, in sentences for the people it affects."""
    return [RULE, COUNTRY_RULE if edition.same_country_conflicts else NO_COUNTRY_RULE]


@dataclass(frozen=True)
class EvaluatorFacts:
    user_id: int
    countries: frozenset = frozenset()
    organisation_ids: frozenset = frozenset()
    organisation_names: frozenset = frozenset()


@dataclass(frozen=True)
class CaseFacts:
    case_id: int
    # country code -> what of the entry is there ("lead", "project", "partner")
    countries: dict = field(default_factory=dict)
    lead_organisation_id: int | None = None
    partner_names: frozenset = field(default_factory=frozenset)


COUNTRY_ROLES = {
    "lead": gettext_lazy("lead organisation"),
    "project": gettext_lazy("project"),
    "partner": gettext_lazy("partner"),
}


def automatic_conflict_reasons(evaluator: EvaluatorFacts, case: CaseFacts, *, same_country: bool):
    """The reasons why this evaluator may not evaluate this entry; empty when there are none."""
    reasons = []
    if case.lead_organisation_id and case.lead_organisation_id in evaluator.organisation_ids:
        reasons.append(_("belongs to the lead organisation"))
    if case.partner_names & evaluator.organisation_names:
        reasons.append(_("belongs to a partner organisation"))
    if same_country:
        for country in sorted(set(case.countries) & evaluator.countries):
            roles = ", ".join(str(COUNTRY_ROLES[role]) for role in case.countries[country])
            reasons.append(
                _("comes from %(country)s, a country of the entry (%(roles)s)")
                % {"country": country, "roles": roles}
            )
    return reasons


def evaluator_facts(user_ids, edition=None) -> dict[int, EvaluatorFacts]:
    """What conflicts are found from: countries and organisations (approved memberships, the
    evaluator profile's, and those declared when joining the edition's pool)."""
    users = (
        User.objects.filter(pk__in=user_ids)
        .select_related("evaluator_profile")
        .prefetch_related("evaluator_profile__organisations")
    )
    memberships = {}
    approved = (
        approved_memberships()
        .filter(user_id__in=user_ids)
        .select_related("organisation")
        .only("user_id", "organisation__id", "organisation__name")
    )
    for membership in approved:
        memberships.setdefault(membership.user_id, []).append(membership.organisation)
    if edition is not None:
        declared = PoolMembership.conflicting_organisations.through.objects.filter(
            poolmembership__edition=edition, poolmembership__evaluator_id__in=user_ids
        ).select_related("organisation", "poolmembership")
        for row in declared:
            memberships.setdefault(row.poolmembership.evaluator_id, []).append(row.organisation)
    facts = {}
    for user in users:
        organisations = list(memberships.get(user.pk, []))
        countries = {str(user.country)} if user.country else set()
        profile = getattr(user, "evaluator_profile", None)
        if profile is not None:
            organisations += list(profile.organisations.all())
            countries |= {str(country) for country in profile.countries}
        facts[user.pk] = EvaluatorFacts(
            user_id=user.pk,
            countries=frozenset(countries),
            organisation_ids=frozenset(org.pk for org in organisations),
            organisation_names=frozenset(normalise_name(org.name) for org in organisations),
        )
    return facts


def case_facts(cases) -> dict[int, CaseFacts]:
    """What the rule looks at in each entry; ``cases`` need ``lead_organisation`` loaded."""
    cases = list(cases)
    partner_names, partner_countries = {}, {}
    for case_id, name, country in Partner.objects.filter(
        case__in=[case.pk for case in cases]
    ).values_list("case_id", "name", "country"):
        partner_names.setdefault(case_id, set()).add(normalise_name(name))
        if country:
            partner_countries.setdefault(case_id, set()).add(str(country))
    facts = {}
    for case in cases:
        countries = {}

        def involve(country, role, countries=countries):
            if country:
                roles = countries.setdefault(str(country), [])
                if role not in roles:
                    roles.append(role)

        if case.lead_organisation_id:
            involve(case.lead_organisation.country, "lead")
        involve(case.country, "project")
        for country in sorted(partner_countries.get(case.pk, ())):
            involve(country, "partner")
        facts[case.pk] = CaseFacts(
            case_id=case.pk,
            countries={country: tuple(roles) for country, roles in countries.items()},
            lead_organisation_id=case.lead_organisation_id,
            partner_names=frozenset(partner_names.get(case.pk, ())),
        )
    return facts


def has_active_conflict(*, case_id, evaluator_id) -> bool:
    return active_conflicts().filter(case_id=case_id, evaluator_id=evaluator_id).exists()
