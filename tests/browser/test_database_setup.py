"""The browser tests' database set-up: seeded rows survive flushes, and tests run in an order
in which each finds the database it expects."""

from django.contrib.auth.models import Group

from cases.models import CollaborationType, EcosystemFactor, Role
from tests.browser.conftest import _restore_missing_rows
from tests.conftest import BROWSER_DIR, _run_order


def test_seeded_rows_come_back_after_the_tables_are_emptied(seed_rows_snapshot):
    Group.objects.all().delete()
    CollaborationType.objects.all().delete()
    EcosystemFactor.objects.all().delete()

    restored = _restore_missing_rows(seed_rows_snapshot)

    assert {Group, CollaborationType, EcosystemFactor} <= set(restored)
    assert set(Group.objects.values_list("name", flat=True)) == set(Role.values)
    assert CollaborationType.objects.filter(slug="public-citizen").exists()
    assert EcosystemFactor.objects.count() == 8
    # New rows get fresh keys (PostgreSQL's sequences were moved past the restored ones).
    Group.objects.create(name="reviewers-of-this-test")


def test_nothing_is_restored_when_the_rows_are_there(seed_rows_snapshot):
    assert _restore_missing_rows(seed_rows_snapshot) == []


def test_each_test_starts_with_the_seeded_rows():
    # The previous tests emptied and restored tables; this one still finds the roles.
    assert Group.objects.filter(name__in=Role.values).count() == len(Role.values)


def test_the_suite_runs_browser_tests_after_tests_that_expect_seeded_rows(request):
    orders = [_run_order(item) for item in request.session.items]
    assert orders == sorted(orders)
    browser = [item for item in request.session.items if BROWSER_DIR in item.path.parents]
    assert all(item.get_closest_marker("browser") for item in browser)
    assert all(item.get_closest_marker("django_db").kwargs.get("transaction") for item in browser)
