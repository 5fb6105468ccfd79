"""Editions are listed by year, newest first, the same way on SQLite and PostgreSQL.

Imported editions often have no opening date; ordering on it put them first on PostgreSQL
(NULLs sort high) and last on SQLite. The library orders by the edition's year instead.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.domain.queries.library import editions_newest_first, facet_vocabulary
from cases.models import CollaborationType, Edition
from tests.factories import CategoryFactory, EditionFactory, PublishedCaseFactory

pytestmark = pytest.mark.django_db

EXPECTED = ["EPSA 2023-24", "EPSA 2021 special call", "EPSA 2021", "EPSA 2019", "Pilot round"]


def _opening(year, month):
    return datetime.datetime(year, month, 1, tzinfo=datetime.UTC)


@pytest.fixture
def editions():
    later = timezone.now() + datetime.timedelta(days=400)
    made = [
        EditionFactory(
            slug="epsa-2019",
            name="EPSA 2019",
            year_label="2019",
            submissions_open_at=None,
            deadline=None,
        ),
        EditionFactory(
            slug="epsa-2023",
            name="EPSA 2023-24",
            year_label="2023-24",
            submissions_open_at=_opening(2023, 5),
            deadline=later,
        ),
        EditionFactory(
            slug="pilot",
            name="Pilot round",
            year_label="pilot",
            submissions_open_at=_opening(2025, 1),
            deadline=later,
        ),
        EditionFactory(
            slug="epsa-2021",
            name="EPSA 2021",
            year_label="2021",
            submissions_open_at=None,
            deadline=None,
        ),
        EditionFactory(
            slug="epsa-2021-special",
            name="EPSA 2021 special call",
            year_label="2021",
            submissions_open_at=_opening(2021, 3),
            deadline=later,
        ),
    ]
    kind = CollaborationType.objects.get(slug="public-citizen")
    for edition in made:
        category = CategoryFactory(edition=edition, slug="innovation", name=f"In {edition.name}")
        case = PublishedCaseFactory(edition=edition, category=category)
        case.collaboration_types.add(kind)
    return made


def test_editions_newest_first_orders_by_year_then_label(editions):
    assert [e.name for e in editions_newest_first(Edition.objects.all())] == EXPECTED


def test_facet_panel_lists_editions_by_year(editions):
    options = facet_vocabulary()["edition"]
    assert [option.label for option in options] == EXPECTED
    # A category slug shared by editions takes its label from the newest edition.
    assert [option.label for option in facet_vocabulary()["category"]] == ["In EPSA 2023-24"]


def test_list_page_facet_panel_lists_editions_by_year(client, editions):
    response = client.get(reverse("library:list"))
    facet = next(facet for facet in response.context["facets"] if facet["name"] == "edition")
    assert [option["label"] for option in facet["options"]] == EXPECTED


def test_stats_page_lists_editions_by_year(client, editions):
    response = client.get(reverse("library:stats"))
    assert [name for _pk, name in response.context["editions"]] == EXPECTED
