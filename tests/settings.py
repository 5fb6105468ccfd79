"""Test settings: the project's settings with development defaults, and nothing else changed
but what a test run needs (plain static storage, a fast hasher, the in-memory mail outbox).
"""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("DEBUG", "1")

from epsa_portal.settings import *  # noqa: E402,F403

# Manifest storage needs collectstatic; tests read static files from the source folders.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Serve static files from the source folders as runserver would (no collectstatic in tests).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Tasks run at once, in the test's process; tests/test_worker.py also runs the real worker.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not Django's in-memory test database: threads then get their own connections and
    # SQLite's real locking (WAL, busy timeout, immediate transactions) is what tests exercise,
    # as in production. One file per run (two runs at once must not share it), in the system's
    # temporary folder; pytest-django deletes it at the end of the run.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"epsa-test-{os.getpid()}.sqlite3")
    }

# A second alias on the same database, as a streaming replica would be in production: the
# router tests send library reads to it (settings.LIBRARY_READ_DATABASE = "replica").
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
READ_REPLICAS = ("replica",)

# Data packages built by tests go to a scratch folder, never into the project's var/.
OPEN_DATA_ROOT = Path(tempfile.mkdtemp(prefix="epsa-open-data-"))
