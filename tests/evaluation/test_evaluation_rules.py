import pytest
import rules
from django.contrib.auth.models import AnonymousUser

from cases.rules import coordinates_edition, is_assigned_evaluator
from tests.factories import (
    AssignmentFactory,
    AttachmentFactory,
    ConflictFactory,
    CoordinatorFactory,
    EditionFactory,
    EvaluatorFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_is_assigned_evaluator_needs_an_active_unconflicted_assignment():
    assignment = AssignmentFactory()
    case, evaluator = assignment.case, assignment.evaluator
    assert is_assigned_evaluator(evaluator, case)
    assert not is_assigned_evaluator(EvaluatorFactory(), case)
    assert not is_assigned_evaluator(AnonymousUser(), case)
    conflict = ConflictFactory(case=case, evaluator=evaluator)
    assert not is_assigned_evaluator(evaluator, case)
    conflict.overridden, conflict.override_reason = True, "Not relevant"
    conflict.save()
    assert is_assigned_evaluator(evaluator, case)
    assignment.is_active = False
    assignment.save()
    assert not is_assigned_evaluator(evaluator, case)


def test_attachment_permission_for_evaluators_and_coordinators():
    assignment = AssignmentFactory()
    case = assignment.case
    coordinator = CoordinatorFactory(editions=[case.edition])
    attachment = AttachmentFactory(case=case)
    assert rules.has_perm("cases.view_attachment", assignment.evaluator, attachment)
    assert rules.has_perm("cases.view_attachment", coordinator, attachment)
    assert not rules.has_perm("cases.view_attachment", CoordinatorFactory(), attachment)
    assert not rules.has_perm("cases.view_attachment", EvaluatorFactory(), attachment)


def test_coordinates_edition():
    edition = EditionFactory()
    coordinator = CoordinatorFactory(editions=[edition])
    assert coordinates_edition(coordinator, edition)
    assert not coordinates_edition(CoordinatorFactory(editions=[EditionFactory()]), edition)
    staff = UserFactory(is_staff=True)
    assert coordinates_edition(staff, edition)
    # A user added to an edition's coordinators without the coordinator role is not one.
    stranger = UserFactory()
    edition.coordinators.add(stranger)
    assert not coordinates_edition(stranger, edition)
