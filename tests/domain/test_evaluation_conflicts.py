import pytest
from django.core import mail

from cases.domain.evaluation.assignment import (
    assign_automatically,
    assign_manually,
    remove_assignment,
)
from cases.domain.evaluation.conflicts import (
    declare_conflict,
    override_conflict,
    refresh_automatic_conflicts,
)
from cases.domain.evaluation.errors import (
    ConflictOfInterest,
    InvalidInput,
    NotAllowed,
    PhaseClosed,
    WrongState,
)
from cases.models import (
    Assignment,
    AssignmentMethod,
    Conflict,
    ConflictKind,
    DecisionAction,
    DecisionLog,
    EditionPhase,
)
from tests.committing import committed
from tests.factories import (
    AssignmentFactory,
    CategoryFactory,
    CoordinatorFactory,
    EligibleCaseFactory,
    EvaluationEditionFactory,
    EvaluatorFactory,
    EvaluatorProfileFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnerFactory,
    SubmittedCaseFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return EvaluationEditionFactory()


def conflict_pairs(edition):
    return set(
        Conflict.objects.filter(case__edition=edition, overridden=False).values_list(
            "case_id", "evaluator_id"
        )
    )


def test_member_of_the_lead_organisation_is_conflicted(edition):
    case = EligibleCaseFactory(edition=edition)
    member = EvaluatorFactory(pools=[edition])
    MembershipFactory(user=member, organisation=case.lead_organisation)
    via_profile = EvaluatorProfileFactory(user__pools=[edition]).user
    via_profile.evaluator_profile.organisations.add(case.lead_organisation)
    free = EvaluatorFactory(pools=[edition])

    active = refresh_automatic_conflicts(edition=edition)

    assert active == {(case.pk, member.pk), (case.pk, via_profile.pk)}
    assert (case.pk, free.pk) not in conflict_pairs(edition)
    conflict = Conflict.objects.get(evaluator=member)
    assert conflict.kind == ConflictKind.AUTOMATIC
    assert "lead organisation" in conflict.reason


def test_partner_organisation_is_matched_by_name(edition):
    case = EligibleCaseFactory(edition=edition)
    PartnerFactory(case=case, name="Red Cross  Flanders")
    evaluator = EvaluatorProfileFactory(user__pools=[edition]).user
    evaluator.evaluator_profile.organisations.add(OrganisationFactory(name="red cross flanders"))
    assert refresh_automatic_conflicts(edition=edition) == {(case.pk, evaluator.pk)}
    assert "partner" in Conflict.objects.get().reason


def test_same_country_is_a_conflict_only_when_the_edition_says_so(edition):
    case = EligibleCaseFactory(edition=edition, country="FR")
    french = EvaluatorProfileFactory(countries=["FR", "PT"], user__pools=[edition]).user
    assert refresh_automatic_conflicts(edition=edition) == {(case.pk, french.pk)}
    edition.same_country_conflicts = False
    edition.save()
    assert refresh_automatic_conflicts(edition=edition) == set()
    assert not Conflict.objects.exists()


def test_lead_organisation_country_counts_when_the_case_has_none(edition):
    case = EligibleCaseFactory(
        edition=edition, country="", lead_organisation=OrganisationFactory(country="DK")
    )
    danish = EvaluatorFactory(country="DK", pools=[edition])
    assert refresh_automatic_conflicts(edition=edition) == {(case.pk, danish.pk)}


def test_an_assignment_that_becomes_conflicted_is_withdrawn(edition):
    assignment = AssignmentFactory(case__edition=edition)
    assignment.evaluator.country = assignment.case.country
    assignment.evaluator.save()
    refresh_automatic_conflicts(edition=edition)
    assignment.refresh_from_db()
    assert not assignment.is_active
    assert DecisionLog.objects.filter(action=DecisionAction.UNASSIGNED).exists()


def test_declared_conflict_withdraws_and_reassigns_and_tells_coordinators(edition):
    coordinator = CoordinatorFactory(editions=[edition])
    assignment = AssignmentFactory(case__edition=edition)
    replacement = EvaluatorFactory(pools=[edition])

    with committed():
        conflict, report = declare_conflict(
            assignment=assignment, by=assignment.evaluator, reason="My sister leads the project."
        )

    assignment.refresh_from_db()
    assert not assignment.is_active
    assert conflict.kind == ConflictKind.DECLARED
    new = Assignment.objects.get(case=assignment.case, is_active=True)
    assert new.evaluator == replacement
    assert new.method == AssignmentMethod.AUTOMATIC
    assert report.created == 1
    recipients = {address for message in mail.outbox for address in message.to}
    assert coordinator.email in recipients
    assert replacement.email in recipients
    log = DecisionLog.objects.get(action=DecisionAction.CONFLICT_DECLARED)
    assert log.reason == "My sister leads the project."


def test_declaring_needs_a_reason_and_the_own_assignment(edition):
    assignment = AssignmentFactory(case__edition=edition)
    with pytest.raises(InvalidInput):
        declare_conflict(assignment=assignment, by=assignment.evaluator, reason="  ")
    with pytest.raises(NotAllowed):
        declare_conflict(assignment=assignment, by=EvaluatorFactory(pools=[edition]), reason="No.")
    assert Assignment.objects.get(pk=assignment.pk).is_active


def test_override_needs_a_reason_and_is_logged_and_then_assignment_is_possible(edition):
    coordinator = CoordinatorFactory(editions=[edition])
    case = EligibleCaseFactory(edition=edition, country="PT")
    evaluator = EvaluatorFactory(country="PT", pools=[edition])
    with pytest.raises(ConflictOfInterest):
        assign_manually(case=case, evaluator=evaluator, by=coordinator)
    conflict = Conflict.objects.get(case=case, evaluator=evaluator)
    with pytest.raises(InvalidInput):
        override_conflict(conflict=conflict, by=coordinator, reason="")

    override_conflict(conflict=conflict, by=coordinator, reason="Works for an EU body, not PT.")
    assignment = assign_manually(case=case, evaluator=evaluator, by=coordinator)

    assert assignment.is_active
    log = DecisionLog.objects.get(action=DecisionAction.CONFLICT_OVERRIDDEN)
    assert log.actor == coordinator
    assert log.reason == "Works for an EU body, not PT."
    assert "PT" in log.before
    # The override survives a refresh of the automatic conflicts.
    refresh_automatic_conflicts(edition=edition)
    assert Assignment.objects.get(pk=assignment.pk).is_active


def test_manual_assignment_rules(edition):
    coordinator = CoordinatorFactory(editions=[edition])
    case = EligibleCaseFactory(edition=edition)
    evaluator = EvaluatorFactory(pools=[edition])
    assign_manually(case=case, evaluator=evaluator, by=coordinator)
    with pytest.raises(WrongState):
        assign_manually(case=case, evaluator=evaluator, by=coordinator)
    with pytest.raises(InvalidInput):
        assign_manually(case=case, evaluator=CoordinatorFactory(), by=coordinator)
    with pytest.raises(WrongState):
        assign_manually(
            case=SubmittedCaseFactory(edition=edition), evaluator=evaluator, by=coordinator
        )
    assignment = Assignment.objects.get(case=case, evaluator=evaluator)
    remove_assignment(assignment=assignment, by=coordinator, reason="Too busy")
    assert not Assignment.objects.get(pk=assignment.pk).is_active
    assign_manually(case=case, evaluator=evaluator, by=coordinator)
    assert Assignment.objects.get(pk=assignment.pk).is_active
    edition.phase = EditionPhase.CONSENSUS
    edition.save()
    with pytest.raises(PhaseClosed):
        assign_manually(
            case=EligibleCaseFactory(edition=edition), evaluator=evaluator, by=coordinator
        )


def test_automatic_assignment_fills_balances_reports_and_mails(edition):
    coordinator = CoordinatorFactory(editions=[edition])
    category = CategoryFactory(edition=edition)
    cases = EligibleCaseFactory.create_batch(5, edition=edition, category=category)
    evaluators = EvaluatorFactory.create_batch(3, pools=[edition])
    blocked = EligibleCaseFactory(edition=edition, category=category, country="PT")
    SubmittedCaseFactory(edition=edition)  # not screened: never assigned

    with committed():
        report = assign_automatically(edition=edition, by=coordinator, seed=7)

    active = Assignment.objects.filter(case__edition=edition, is_active=True)
    assert active.count() == 10
    loads = sorted(active.filter(evaluator=e).count() for e in evaluators)
    assert loads[-1] - loads[0] <= 1
    for case in cases:
        assert active.filter(case=case).count() == 2
    assert [(case_id, title) for case_id, title, _message in report.problems] == [
        (blocked.pk, blocked.title)
    ]
    assert "2 evaluators missing" in report.problems[0][2]
    assert len(mail.outbox) == 3
    log = DecisionLog.objects.get(action=DecisionAction.AUTO_ASSIGNED)
    assert log.after == "10 assignments made"

    again = assign_automatically(edition=edition, by=coordinator, seed=7)
    assert again.created == 0


def test_automatic_assignment_is_deterministic_for_a_seed(edition):
    EligibleCaseFactory.create_batch(6, edition=edition)
    EvaluatorFactory.create_batch(5, pools=[edition])
    coordinator = CoordinatorFactory()

    assign_automatically(edition=edition, by=coordinator, seed=42)
    first = sorted(Assignment.objects.values_list("case_id", "evaluator_id"))
    Assignment.objects.all().delete()
    assign_automatically(edition=edition, by=coordinator, seed=42)
    assert sorted(Assignment.objects.values_list("case_id", "evaluator_id")) == first


def test_a_conflict_declared_after_evaluation_closed_is_kept_without_reassignment(edition):
    assignment = AssignmentFactory(case__edition=edition)
    EvaluatorFactory(pools=[edition])
    edition.phase = EditionPhase.CONSENSUS
    edition.save()
    conflict, report = declare_conflict(
        assignment=assignment, by=assignment.evaluator, reason="Found out my cousin leads it."
    )
    assert report is None
    assert conflict.pk is not None
    assert not Assignment.objects.filter(case=assignment.case, is_active=True).exists()


# Double submits: each request loaded its own copy of the row before the first one committed.


def test_a_second_declaration_from_a_stale_page_changes_nothing(edition):
    CoordinatorFactory(editions=[edition])
    assignment = AssignmentFactory(case__edition=edition)
    first_click = Assignment.objects.get(pk=assignment.pk)
    second_click = Assignment.objects.get(pk=assignment.pk)
    with committed():
        declare_conflict(assignment=first_click, by=assignment.evaluator, reason="My sister.")
    sent = len(mail.outbox)
    assert sent >= 1

    with committed(), pytest.raises(WrongState, match="already been withdrawn"):
        declare_conflict(assignment=second_click, by=assignment.evaluator, reason="My sister.")
    assert DecisionLog.objects.filter(action=DecisionAction.CONFLICT_DECLARED).count() == 1
    assert len(mail.outbox) == sent


def test_a_second_removal_from_a_stale_page_changes_nothing(edition):
    coordinator = CoordinatorFactory(editions=[edition])
    assignment = AssignmentFactory(case__edition=edition)
    first_click = Assignment.objects.get(pk=assignment.pk)
    second_click = Assignment.objects.get(pk=assignment.pk)
    remove_assignment(assignment=first_click, by=coordinator, reason="Too busy")
    with pytest.raises(WrongState, match="already been withdrawn"):
        remove_assignment(assignment=second_click, by=coordinator, reason="Too busy")
    assert DecisionLog.objects.filter(action=DecisionAction.UNASSIGNED).count() == 1


def test_a_second_override_from_a_stale_page_changes_nothing(edition):
    coordinator = CoordinatorFactory(editions=[edition])
    other = CoordinatorFactory(editions=[edition])
    case = EligibleCaseFactory(edition=edition, country="PT")
    evaluator = EvaluatorFactory(country="PT", pools=[edition])
    refresh_automatic_conflicts(edition=edition)
    first_click = Conflict.objects.get(case=case, evaluator=evaluator)
    second_click = Conflict.objects.get(pk=first_click.pk)
    override_conflict(conflict=first_click, by=coordinator, reason="Lives abroad.")
    with pytest.raises(WrongState, match="already been overridden"):
        override_conflict(conflict=second_click, by=other, reason="Another reason.")
    conflict = Conflict.objects.get(pk=first_click.pk)
    assert (conflict.overridden_by, conflict.override_reason) == (coordinator, "Lives abroad.")
    assert DecisionLog.objects.filter(action=DecisionAction.CONFLICT_OVERRIDDEN).count() == 1
