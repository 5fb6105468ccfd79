"""Test settings: the project's settings with development defaults, and nothing else changed
but what a test run needs (plain static storage, a fast hasher, the in-memory mail outbox).
"""

import os

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

# Data packages built by tests go to a scratch folder, never into the project's var/.
import tempfile  # noqa: E402

OPEN_DATA_ROOT = Path(tempfile.mkdtemp(prefix="epsa-open-data-"))  # noqa: F405
