"""Browser tests: Playwright (pytest-playwright) driving the system's Chromium.

Fixtures for every browser test in this folder:

- ``page``: pytest-playwright's own page fixture, launched with the Chromium found at
  ``CHROMIUM_PATH`` (default ``/usr/bin/chromium``); Playwright's own browser download is not used.
- ``console_errors``: a list that collects the page's console errors and uncaught exceptions;
  assert it is empty at the end of a test.
- ``log_in``: ``log_in(user, password=...)`` logs a user in through the real login form.
- ``csp_violations`` (automatic): every page of every browser context a test opens is watched
  for Content-Security-Policy violations that Chromium reports in the console; a test during
  which any page broke the policy fails at its end, so every browser test runs under the policy.
- ``axe_violations``: ``axe_violations(page)`` lists the WCAG 2.1 A/AA violations that axe-core
  (from the npm registry, installed by ``make test``) finds on the page; assert it is empty.
- ``live_server`` (pytest-django) serves the portal. Every test in this folder gets
  ``django_db(transaction=True, serialized_rollback=True)`` and the ``browser`` marker from the
  collection hook below, and ``restore_seed_rows`` makes sure the rows seeded by data
  migrations (role groups, vocabularies) are there at the start of each test.

Without a Chromium executable every test here is skipped with the reason shown in the summary;
with ``REQUIRE_BROWSER=1`` that becomes a failure, so CI cannot pass without running them.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from playwright.sync_api import Browser

# Playwright's sync API keeps an event loop running in the main thread; Django's guard against
# database access from async code would then refuse every query made by tests and the live
# server. The browser and the database are used from plain synchronous code here. Set for the
# whole process on purpose: the session-wide Playwright keeps its loop until the run ends.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

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
    """The rows data migrations seed (role groups, vocabularies), as serialized at set-up.

    Read before Playwright starts: once its event loop runs in the main thread, Django hands
    this thread a new connection object without the serialized copy, so Django's own
    ``serialized_rollback`` no longer restores anything for browser tests.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    contents = getattr(connection, "_test_serialized_contents", None)
    if contents is None:
        with django_db_blocker.unblock():
            contents = connection.creation.serialize_db_to_string()
    return contents


def _restore_missing_rows(snapshot):
    """Put back the snapshot's rows of every model whose table is empty.

    A model is restored only together with the models its foreign keys point to, so that
    primary keys stay consistent: after a flush that re-created content types and permissions
    under new keys, those are kept and rows pointing at them are left alone.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.core import serializers
    from django.core.management.color import no_style
    from django.db import transaction

    objects_by_model = {}
    for deserialized in serializers.deserialize("json", snapshot):
        objects_by_model.setdefault(type(deserialized.object), []).append(deserialized)
    empty = [model for model in objects_by_model if not model._default_manager.exists()]
    if not empty:
        return []
    restored = []
    connection = connections[DEFAULT_DB_ALIAS]
    with transaction.atomic():
        for model in empty:  # the snapshot lists models in dependency order
            targets = {
                field.related_model
                for field in model._meta.concrete_fields
                if field.is_relation and field.related_model in objects_by_model
            }
            if not targets <= set(restored) | {model}:
                continue
            for deserialized in objects_by_model[model]:
                deserialized.object.save_base(raw=True)
            restored.append(model)
        for model in restored:
            for deserialized in objects_by_model[model]:
                for name, values in (deserialized.m2m_data or {}).items():
                    field = model._meta.get_field(name)
                    if field.related_model in restored:
                        getattr(deserialized.object, name).set(values)
        # Rows came back with their own keys: move PostgreSQL's sequences past them.
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), restored):
                cursor.execute(statement)
    ContentType.objects.clear_cache()
    return restored


@pytest.fixture(autouse=True)
def restore_seed_rows(seed_rows_snapshot, django_db_blocker):
    """Before each browser test: the seeded rows are there, whatever ran before it."""
    with django_db_blocker.unblock():
        _restore_missing_rows(seed_rows_snapshot)


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


CSP_CONSOLE_MARK = "Content Security Policy"


@pytest.fixture(autouse=True)
def csp_violations(monkeypatch):
    """Fail the test if any page it opens reports a Content-Security-Policy violation.

    Chromium logs every refused inline script or style, and every blocked origin, as a console
    error naming the "Content Security Policy". Every context made from the browser (the
    ``page`` fixture's, and those tests open themselves) is watched, including its later pages.
    A test that provokes a violation on purpose clears the list itself.
    """
    violations = []

    def watch_page(page):
        def on_console(message):
            if CSP_CONSOLE_MARK in message.text:
                violations.append(f"{message.text} ({message.location.get('url', '')})")

        page.on("console", on_console)

    def watch_context(context):
        for page in context.pages:
            watch_page(page)
        context.on("page", watch_page)
        return context

    original_new_context = Browser.new_context

    def new_context(self, *args, **kwargs):
        return watch_context(original_new_context(self, *args, **kwargs))

    monkeypatch.setattr(Browser, "new_context", new_context)
    yield violations
    if violations:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(violations), pytrace=False)


AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="session")
def axe_source():
    """axe-core's script, installed from the npm registry by ``make test`` (``npm ci``)."""
    if not AXE_SCRIPT.is_file():
        pytest.fail(f"{AXE_SCRIPT} is missing: run `make test-tools` (npm ci)", pytrace=False)
    return AXE_SCRIPT.read_text(encoding="utf-8")


@pytest.fixture
def axe_violations(axe_source):
    """``axe_violations(page)``: the WCAG 2.1 A/AA violations axe-core finds on the page now.

    The script is evaluated through the DevTools protocol rather than added as a script tag,
    so it runs under the portal's Content-Security-Policy without an exception for it. Each
    violation is a readable line: rule, impact and the first offending elements.
    """

    def _violations(page, *, exclude=()):
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(axe_source)
        found = page.evaluate(
            """async ([tags, exclude]) => {
                const context = exclude.length ? {exclude: exclude.map((s) => [s])} : document;
                const options = {runOnly: {type: "tag", values: tags}};
                const result = await window.axe.run(context, options);
                return result.violations.map((v) => ({
                    id: v.id, impact: v.impact, help: v.help,
                    targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
                }));
            }""",
            [WCAG_21_AA_TAGS, list(exclude)],
        )
        return [f"{v['id']} ({v['impact']}): {v['help']} at {v['targets']}" for v in found]

    return _violations
