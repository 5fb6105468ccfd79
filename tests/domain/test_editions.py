from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cases.domain.editions import EPSA_CRITERION_SLUGS, add_epsa_criteria, create_edition
from cases.models import Edition, EditionPhase
from tests.factories import CriterionFactory, EditionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_new_edition_starts_with_six_equal_epsa_criteria():
    edition = create_edition(slug="epsa-2027", name="EPSA 2027", year_label="2027")
    criteria = list(edition.criteria.order_by("order"))
    assert [criterion.slug for criterion in criteria] == [
        "relevance",
        "innovation",
        "stakeholder-engagement",
        "impact",
        "sustainability",
        "transferability",
    ]
    assert {criterion.weight for criterion in criteria} == {Decimal(1)}
    assert [criterion.order for criterion in criteria] == [1, 2, 3, 4, 5, 6]
    assert all(criterion.guidance for criterion in criteria)
    assert criteria[3].name == "Impact and results"
    assert edition.phase == EditionPhase.DRAFT


def test_create_edition_with_categories_order_and_coordinators():
    coordinator = UserFactory(roles=["coordinator"])
    edition = create_edition(
        slug="epsa-2029",
        name="EPSA 2029",
        year_label="2029",
        theme="Learning administrations",
        categories=[("digital", "Digital"), ("green", "Green")],
        criteria_order=["innovation", "impact"],
        coordinators=[coordinator],
    )
    assert list(edition.categories.values_list("slug", "order")) == [("digital", 1), ("green", 2)]
    assert list(edition.criteria.values_list("slug", flat=True))[:3] == [
        "innovation",
        "impact",
        "relevance",
    ]
    assert list(edition.coordinators.all()) == [coordinator]


def test_create_edition_refuses_a_duplicate_slug_and_leaves_nothing_behind():
    create_edition(slug="epsa-2030", name="EPSA 2030", year_label="2030")
    with pytest.raises(ValidationError):
        create_edition(slug="epsa-2030", name="Again", year_label="2030")
    assert Edition.objects.filter(slug="epsa-2030").count() == 1


def test_create_edition_refuses_unknown_criteria():
    with pytest.raises(ValueError, match="Unknown EPSA criteria"):
        create_edition(slug="x", name="X", year_label="2031", criteria_order=["charm"])
    assert not Edition.objects.filter(slug="x").exists()


def test_add_epsa_criteria_keeps_existing_ones():
    edition = EditionFactory()
    CriterionFactory(edition=edition, slug="impact", name="Our impact", weight=3)
    created = add_epsa_criteria(edition=edition)
    assert len(created) == 5
    assert edition.criteria.get(slug="impact").name == "Our impact"
    assert set(edition.criteria.values_list("slug", flat=True)) == set(EPSA_CRITERION_SLUGS)
    assert add_epsa_criteria(edition=edition) == []
