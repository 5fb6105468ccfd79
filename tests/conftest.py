import os
from pathlib import Path

import pytest
from django.db import connection

BROWSER_DIR = Path(__file__).parent / "browser"


def _database_use(item):
    """(uses the database, transactional, serialized rollback), as pytest-django reads them."""
    from django.test import TestCase, TransactionTestCase

    test_class = getattr(item, "cls", None)
    if test_class and issubclass(test_class, TransactionTestCase):
        transactional = not issubclass(test_class, TestCase)
        return True, transactional, bool(getattr(test_class, "serialized_rollback", False))
    marker = item.get_closest_marker("django_db")
    options = marker.kwargs if marker else {}
    fixtures = getattr(item, "fixturenames", ())
    transactional = bool(options.get("transaction") or options.get("reset_sequences")) or any(
        name in fixtures for name in ("transactional_db", "live_server")
    )
    serialized = bool(options.get("serialized_rollback")) or (
        "django_db_serialized_rollback" in fixtures
    )
    uses_db = marker is not None or transactional or "db" in fixtures
    return uses_db, transactional, serialized


def _run_order(item):
    """Tests that roll back first, then those that empty the tables, ordered so each finds
    the database it expects; browser tests after the other serialized ones; no database last."""
    uses_db, transactional, serialized = _database_use(item)
    if not uses_db:
        return 4
    if not transactional:
        return 0
    if BROWSER_DIR in item.path.parents:
        return 2
    # A serialized test puts the seeded rows back by their original primary keys. That clashes
    # with content types that a plain transactional test's flush has re-created under new keys,
    # so every serialized test runs before the plain transactional ones.
    return 1 if serialized else 3


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Mark browser tests as transactional and put the whole suite in a safe order.

    Before the other hooks: every browser test gets the ``browser`` marker and
    ``django_db(transaction=True, serialized_rollback=True)``: the live server answers from
    another thread, so the test's data must be committed, and the serialized copy of the seeded
    rows (role groups, vocabularies) is what ``restore_seed_rows`` puts back.

    After the other hooks: pytest-django orders tests by database use, but pytest then regroups
    tests by session-scoped parameters (pytest-playwright's ``browser_name``), which scatters
    transactional browser tests among tests that expect the seeded rows. Order again, stably.
    """
    for item in items:
        if BROWSER_DIR not in item.path.parents:
            continue
        item.add_marker(pytest.mark.browser)
        existing = item.get_closest_marker("django_db")
        options = dict(existing.kwargs) if existing else {}
        options.update(transaction=True, serialized_rollback=True)
        item.add_marker(pytest.mark.django_db(**options))
    result = yield
    items[:] = sorted(items, key=_run_order)
    return result


def pytest_sessionstart(session):
    if os.environ.get("REQUIRE_POSTGRES") == "1":
        from django.conf import settings

        engine = settings.DATABASES["default"]["ENGINE"]
        if "postgresql" not in engine:
            raise pytest.UsageError(
                f"REQUIRE_POSTGRES=1 but the database engine is {engine}; set DATABASE_URL."
            )


def pytest_report_header(config):
    from django.conf import settings

    return f"database: {settings.DATABASES['default']['ENGINE']}"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Uploads go to a fresh folder per test, never into the developer's var/."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private-media", "base_url": None},
        },
    }
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    return tmp_path / "private-media"


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: rate-limit counts (and cached library figures) of
    one test never throttle or feed another."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def on_postgres():
    return connection.vendor == "postgresql"


@pytest.fixture(autouse=True)
def _english_between_tests():
    """Each request activates its own language, and leaves it active in the thread after the
    response: a test that asked for a French page would otherwise leave French to the next
    test's reverse() and gettext. Tests start, and leave, in the default language."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
