"""Browser tests: Playwright (pytest-playwright) driving the system's Chromium.

Fixtures for every browser test in this folder:

- ``page``: pytest-playwright's own page fixture, launched with the Chromium found at
  ``CHROMIUM_PATH`` (default ``/usr/bin/chromium``); Playwright's own browser download is not used.
- ``console_errors``: a list that collects the page's console errors and uncaught exceptions;
  assert it is empty at the end of a test.
- ``log_in``: ``log_in(user, password=...)`` logs a user in through the real login form.
- ``live_server`` (pytest-django) serves the portal. Every test in this folder gets
  ``django_db(transaction=True, serialized_rollback=True)`` and the ``browser`` marker from the
  collection hook below, so seeded rows (role groups, vocabularies) survive between tests.

Without a Chromium executable every test here is skipped with the reason shown in the summary;
with ``REQUIRE_BROWSER=1`` that becomes a failure, so CI cannot pass without running them.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.db import DEFAULT_DB_ALIAS, connections

# Playwright's sync API keeps an event loop running in the main thread; Django's guard against
# database access from async code would then refuse every query made by tests and the live
# server. The browser and the database are used from plain synchronous code here. Set for the
# whole process on purpose: the session-wide Playwright keeps its loop until the run ends.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

BROWSER_DIR = Path(__file__).parent
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DEFAULT_PASSWORD = "correct-horse-battery"  # the password tests.factories.UserFactory sets


def find_chromium():
    """The Chromium executable to drive, or None. CHROMIUM_PATH wins over the default."""
    candidate = os.environ.get("CHROMIUM_PATH") or DEFAULT_CHROMIUM
    path = Path(candidate) if os.sep in candidate else Path(shutil.which(candidate) or candidate)
    if path.is_file() and os.access(path, os.X_OK):
        return str(path)
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Mark browser tests, and give each a transactional database that keeps its seed data.

    The live server answers from another thread, so the test's data must be committed
    (transaction=True). Between such tests Django empties the tables, which would also wipe
    the rows seeded by data migrations (role groups, vocabularies); serialized_rollback puts
    them back before each test. Runs before pytest-django orders tests by their database use.
    """
    for item in items:
        if BROWSER_DIR not in item.path.parents:
            continue
        item.add_marker(pytest.mark.browser)
        existing = item.get_closest_marker("django_db")
        kwargs = dict(existing.kwargs) if existing else {}
        kwargs.update(transaction=True, serialized_rollback=True)
        item.add_marker(pytest.mark.django_db(**kwargs))


@pytest.fixture(scope="session", autouse=True)
def chromium_executable():
    """Skip (or, with REQUIRE_BROWSER=1, fail) every browser test when there is no Chromium."""
    path = find_chromium()
    if path is None:
        reason = (
            f"no Chromium executable at {os.environ.get('CHROMIUM_PATH') or DEFAULT_CHROMIUM} "
            "(install Debian's chromium or set CHROMIUM_PATH)"
        )
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {reason}", pytrace=False)
        pytest.skip(f"browser tests skipped: {reason}")
    return path


@pytest.fixture(scope="session", autouse=True)
def seed_rows_snapshot(django_db_setup, django_db_blocker):
    """The rows data migrations seed (role groups, vocabularies), as Django serialized them.

    Taken before Playwright starts: once its event loop runs in the main thread, Django hands
    this thread a new database connection object that lacks the serialized copy, so
    ``serialized_rollback`` alone would restore nothing after the first flush.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    contents = getattr(connection, "_test_serialized_contents", None)
    if contents is None:
        with django_db_blocker.unblock():
            contents = connection.creation.serialize_db_to_string()
    return contents


@pytest.fixture(autouse=True)
def restore_seed_rows(seed_rows_snapshot, django_db_blocker):
    """Put the seeded rows back when Django could not (see ``seed_rows_snapshot``)."""
    connection = connections[DEFAULT_DB_ALIAS]
    if getattr(connection, "_test_serialized_contents", None) is None:
        with django_db_blocker.unblock():
            connection.creation.deserialize_db_from_string(seed_rows_snapshot)
        # From now on Django's own serialized rollback restores them before each test.
        connection._test_serialized_contents = seed_rows_snapshot


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, chromium_executable):
    """pytest-playwright's launch options, pointed at the system Chromium."""
    return {
        **browser_type_launch_args,
        "executable_path": chromium_executable,
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS],
    }


@pytest.fixture
def console_errors(page):
    """Console messages of type error and uncaught page exceptions, as readable strings."""
    errors = []

    def on_console(message):
        if message.type == "error":
            errors.append(f"console: {message.text} ({message.location.get('url', '')})")

    def on_page_error(error):
        errors.append(f"page error: {error}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    return errors


@pytest.fixture
def log_in(page, live_server):
    """Log a user in through the login form, as a person would."""

    def _log_in(user, password=DEFAULT_PASSWORD):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("E-mail address").fill(user.email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()
        if page.locator(".site-header .account form").count() != 1:
            raise AssertionError(f"logging in as {user.email} failed: {page.url}")
        return page

    return _log_in
