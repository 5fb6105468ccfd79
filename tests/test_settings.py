"""Production settings refuse development defaults and pass Django's deployment checks.

Each case runs in a fresh interpreter, because settings are read once at import time.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = "k3y-" + "a1b2c3d4e5f6g7h8i9j0" * 3


def _run(args, tmp_path, **env):
    base = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "DJANGO_SETTINGS_MODULE": "epsa_portal.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DEBUG": "0",
    }
    base.update(env)
    return subprocess.run(  # noqa: S603 (fixed argument list, our own interpreter)
        [sys.executable, *args],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _import_settings(tmp_path, **env):
    return _run(["-c", "import epsa_portal.settings"], tmp_path, **env)


def test_missing_secret_key_is_refused_in_production(tmp_path):
    result = _import_settings(tmp_path, ALLOWED_HOSTS="portal.example.eu")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is not set" in result.stderr


@pytest.mark.parametrize("key", ["short", "django-insecure-" + "x" * 60])
def test_weak_secret_key_is_refused_in_production(tmp_path, key):
    result = _import_settings(tmp_path, SECRET_KEY=key, ALLOWED_HOSTS="portal.example.eu")
    assert result.returncode != 0
    assert "SECRET_KEY must be a random value" in result.stderr


def test_missing_allowed_hosts_is_refused_in_production(tmp_path):
    result = _import_settings(tmp_path, SECRET_KEY=GOOD_KEY)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is not set" in result.stderr


def test_development_needs_no_configuration(tmp_path):
    result = _run(
        ["-c", "from epsa_portal import settings as s; print(s.DEMO_USERS_ALLOWED, s.DEBUG)"],
        tmp_path,
        DEBUG="1",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True True"


def test_demo_users_are_not_allowed_in_production(tmp_path):
    result = _run(
        ["-c", "from epsa_portal import settings as s; print(s.DEMO_USERS_ALLOWED)"],
        tmp_path,
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="portal.example.eu",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("redirect", ["1", "0"])
def test_deploy_check_passes_without_warnings(tmp_path, redirect):
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="portal.example.eu",
        SECURE_SSL_REDIRECT=redirect,
        BEHIND_TLS_PROXY="1" if redirect == "0" else "0",
        REDIS_URL="redis://127.0.0.1:6379/15",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_asks_for_the_shared_cache(tmp_path):
    """Without REDIS_URL rate limits count per worker process: the deployment check says so."""
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="portal.example.eu",
    )
    assert result.returncode != 0
    assert "cases.W001" in result.stdout + result.stderr
    assert "REDIS_URL is not set" in result.stdout + result.stderr


def test_deploy_check_would_catch_disabled_hsts(tmp_path):
    """The check above can fail: without HSTS Django warns and the command exits non-zero."""
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="portal.example.eu",
        SECURE_HSTS_SECONDS="0",
    )
    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr


def test_redis_url_gives_every_worker_one_shared_cache(tmp_path):
    """Two processes see each other's cache entries through the Redis server this machine runs."""
    script = (
        "import django, sys; django.setup();"
        "from django.core.cache import caches;"
        "cache = caches['default']; print(type(cache).__name__);"
        "cache.set(sys.argv[1], 'shared', 30) if sys.argv[2] == 'write' else "
        "print(cache.get(sys.argv[1]))"
    )
    key = f"settings-test-{os.getpid()}"
    redis = {"DEBUG": "1", "REDIS_URL": "redis://127.0.0.1:6379/15"}
    writer = _run(["-c", script, key, "write"], tmp_path, **redis)
    reader = _run(["-c", script, key, "read"], tmp_path, **redis)
    assert writer.returncode == 0, writer.stderr
    assert reader.stdout.split() == ["RedisCache", "shared"], reader.stderr


def test_without_redis_url_the_cache_is_per_process(tmp_path):
    result = _run(
        [
            "-c",
            "import django; django.setup(); from django.core.cache import caches;"
            "print(type(caches['default']).__name__)",
        ],
        tmp_path,
        DEBUG="1",
    )
    assert result.stdout.strip() == "LocMemCache", result.stderr


def test_fresh_clone_can_migrate_without_make(tmp_path):
    """manage.py on the embedded default creates the var/ folder its SQLite file lives in."""
    import shutil

    clone = tmp_path / "clone"
    shutil.copytree(ROOT / "epsa_portal", clone / "epsa_portal")
    result = subprocess.run(  # noqa: S603 (fixed argument list, our own interpreter)
        [sys.executable, "-c", "import epsa_portal.settings"],
        cwd=clone,
        env={"PATH": os.environ.get("PATH", ""), "DEBUG": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert (clone / "var").is_dir()


def test_sqlite_default_uses_wal_a_busy_timeout_and_immediate_transactions(tmp_path):
    script = (
        "import django; django.setup(); from django.db import connection;"
        "cursor = connection.cursor();"
        "print(cursor.execute('PRAGMA journal_mode').fetchone()[0],"
        " cursor.execute('PRAGMA busy_timeout').fetchone()[0],"
        " connection.transaction_mode)"
    )
    result = _run(["-c", script], tmp_path, DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "20000", "IMMEDIATE"]
