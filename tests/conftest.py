import os

import pytest
from django.db import connection


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


@pytest.fixture
def on_postgres():
    return connection.vendor == "postgresql"
