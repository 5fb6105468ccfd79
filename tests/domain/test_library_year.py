import pytest

from cases.domain.derived import edition_year, refresh_case_years
from cases.models import Case
from tests.factories import EditionFactory, PublishedCaseFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("label", "year"), [("2023-24", 2023), ("EPSA 2019", 2019), ("2026", 2026), ("next", None)]
)
def test_edition_year_reads_the_first_year(label, year):
    assert edition_year(label) == year


def test_case_year_follows_its_edition_then_its_start_date():
    edition = EditionFactory(year_label="2021-22")
    with_edition = PublishedCaseFactory(edition=edition, start_date="2019-05-01")
    imported = PublishedCaseFactory(edition=None, category=None, start_date="2017-01-31")
    unknown = PublishedCaseFactory(edition=None, category=None, start_date=None)
    assert [with_edition.year, imported.year, unknown.year] == [2021, 2017, None]


def test_renaming_an_edition_year_moves_its_cases():
    edition = EditionFactory(year_label="2021")
    case = PublishedCaseFactory(edition=edition)
    edition.year_label = "2022-23"
    edition.save()
    assert Case.objects.get(pk=case.pk).year == 2022


def test_bulk_refresh_sets_years_of_rows_inserted_without_signals():
    edition = EditionFactory(year_label="2024-25")
    case = PublishedCaseFactory(edition=edition)
    Case.objects.filter(pk=case.pk).update(year=None)
    refresh_case_years([case.pk])
    assert Case.objects.get(pk=case.pk).year == 2024
