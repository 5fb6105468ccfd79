"""The conflict-of-interest rule uses every country an entry involves, and is policy."""

import ast
import html
from pathlib import Path

import pytest
from django.urls import reverse

from cases.domain.evaluation.assignment import assign_manually, refresh_automatic_conflicts
from cases.domain.evaluation.errors import ConflictOfInterest
from cases.domain.queries.access_conflicts import conflict_rule
from cases.models import Conflict, EditionPhase
from tests.factories import (
    CoordinatorFactory,
    EligibleCaseFactory,
    EvaluationEditionFactory,
    EvaluatorFactory,
    EvaluatorProfileFactory,
    OrganisationFactory,
    PartnerFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return EvaluationEditionFactory(phase=EditionPhase.EVALUATION)


def test_the_applicant_cannot_steer_the_country_rule_by_the_project_country(edition):
    """A Belgian municipality that types "EU institution" is still a Belgian entry."""
    case = EligibleCaseFactory(
        edition=edition, country="EU", lead_organisation=OrganisationFactory(country="BE")
    )
    belgian = EvaluatorFactory(country="BE", pools=[edition])
    assert refresh_automatic_conflicts(edition=edition) == {(case.pk, belgian.pk)}
    reason = Conflict.objects.get(evaluator=belgian).reason
    assert "BE" in reason and "lead organisation" in reason
    with pytest.raises(ConflictOfInterest):
        assign_manually(case=case, evaluator=belgian, by=CoordinatorFactory(editions=[edition]))


def test_the_project_country_counts_too(edition):
    case = EligibleCaseFactory(
        edition=edition, country="DE", lead_organisation=OrganisationFactory(country="AT")
    )
    german = EvaluatorProfileFactory(countries=["DE"], user__pools=[edition]).user
    austrian = EvaluatorFactory(country="AT", pools=[edition])
    assert refresh_automatic_conflicts(edition=edition) == {
        (case.pk, german.pk),
        (case.pk, austrian.pk),
    }
    assert "project" in Conflict.objects.get(evaluator=german).reason


def test_every_partner_country_counts(edition):
    case = EligibleCaseFactory(edition=edition, country="BE")
    PartnerFactory(case=case, country="NL", name="Delft Living Lab")
    PartnerFactory(case=case, country="FR", name="Lille Social Club")
    dutch = EvaluatorFactory(country="NL", pools=[edition])
    french = EvaluatorProfileFactory(countries=["FR"], user__pools=[edition]).user
    portuguese = EvaluatorFactory(country="PT", pools=[edition])
    active = refresh_automatic_conflicts(edition=edition)
    assert {(case.pk, dutch.pk), (case.pk, french.pk)} <= active
    assert (case.pk, portuguese.pk) not in active
    assert "partner" in Conflict.objects.get(evaluator=dutch).reason


def test_without_the_country_rule_only_organisations_count(edition):
    edition.same_country_conflicts = False
    edition.save()
    case = EligibleCaseFactory(edition=edition, country="BE")
    PartnerFactory(case=case, country="NL", name="Ghent University")
    EvaluatorFactory(country="NL", pools=[edition])
    affiliated = EvaluatorProfileFactory(countries=["PT"], user__pools=[edition]).user
    affiliated.evaluator_profile.organisations.add(
        OrganisationFactory(name="GHENT  university.", country="BE")
    )
    assert refresh_automatic_conflicts(edition=edition) == {(case.pk, affiliated.pk)}
    assert "partner organisation" in Conflict.objects.get().reason


def test_the_rule_and_each_reason_are_on_the_assignment_page(client, edition):
    case = EligibleCaseFactory(
        edition=edition, country="EU", lead_organisation=OrganisationFactory(country="BE")
    )
    belgian = EvaluatorFactory(country="BE", full_name="Bart Belgian", pools=[edition])
    refresh_automatic_conflicts(edition=edition)
    client.force_login(CoordinatorFactory(editions=[edition]))
    response = client.get(reverse("coordination:assignments", args=[edition.slug]))
    page = html.unescape(response.content.decode())
    for sentence in conflict_rule(edition):
        assert str(sentence) in page
    assert "a partner's country" in page
    assert str(belgian) in page
    assert Conflict.objects.get(case=case).reason in page


def test_the_page_says_when_the_country_rule_is_off(client, edition):
    edition.same_country_conflicts = False
    edition.save()
    client.force_login(CoordinatorFactory(editions=[edition]))
    page = client.get(reverse("coordination:assignments", args=[edition.slug])).content.decode()
    assert "a shared country is not a conflict" in page


def _imports(module_path):
    tree = ast.parse(Path(module_path).read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            names.add(("." * node.level) + (node.module or ""))
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_assignment_asks_the_policy_and_never_imports_the_conflict_actions():
    """The circle assignment <-> conflicts is broken: the rule is policy, assignment asks it."""
    root = Path(__file__).resolve().parents[2] / "cases"
    assignment = _imports(root / "domain/evaluation/assignment.py")
    assert "cases.domain.queries.access_conflicts" in assignment
    assert not {".conflicts", "cases.domain.evaluation.conflicts"} & assignment
    policy = _imports(root / "domain/queries/access_conflicts.py")
    assert not any("evaluation" in name for name in policy)
