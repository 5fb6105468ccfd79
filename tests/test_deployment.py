"""The production layout of docs/deployment.md: library reads on a replica, uploads in
S3-compatible storage, Redis for sessions, and backups that restore the demo library exactly."""

import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Attachment, Case
from epsa_portal.settings import upload_storage
from tests.factories import PublishedCaseFactory

ROOT = Path(__file__).resolve().parent.parent

# --- library reads on a replica -------------------------------------------------------------


def _case_queries(queries) -> list[str]:
    return [query["sql"] for query in queries if "cases_case" in query["sql"]]


@pytest.mark.django_db(transaction=True, serialized_rollback=True, databases=["default", "replica"])
def test_library_pages_read_from_the_replica_and_nothing_else_does(client, settings):
    case = PublishedCaseFactory(title="Replicated harbour pact")
    settings.LIBRARY_READ_DATABASE = "replica"
    replica, primary = connections["replica"], connections["default"]
    with CaptureQueriesContext(replica) as on_replica, CaptureQueriesContext(primary) as on_primary:
        listing = client.get(reverse("library:list"), {"q": "harbour"})
        page = client.get(case.get_absolute_url())
        export = b"".join(client.get(reverse("library:export_csv")).streaming_content)
    assert "Replicated harbour pact" in listing.content.decode()
    assert "Replicated harbour pact" in page.content.decode()
    assert b"Replicated harbour pact" in export
    assert _case_queries(on_replica.captured_queries)
    assert _case_queries(on_primary.captured_queries) == []
    # Outside the library (coordinators, applicants, the admin, every write): the primary.
    with CaptureQueriesContext(replica) as elsewhere:
        assert Case.objects.filter(pk=case.pk).exists()
    assert elsewhere.captured_queries == []


# --- uploads in S3-compatible storage -------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def s3_server():
    """A local S3-compatible server (moto) with an empty private bucket."""
    import boto3
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    keys = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    boto3.client("s3", endpoint_url=endpoint, region_name="eu-west-1", **keys).create_bucket(
        Bucket="epsa-uploads", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    yield {
        "AWS_STORAGE_BUCKET_NAME": "epsa-uploads",
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_S3_REGION_NAME": "eu-west-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }
    server.stop()


def test_without_a_bucket_uploads_stay_in_the_private_folder():
    storage = upload_storage({})
    assert storage["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert storage["OPTIONS"]["base_url"] is None


@pytest.mark.django_db
def test_uploads_go_to_the_bucket_and_the_library_serves_them(client, settings, s3_server):
    import boto3

    settings.STORAGES = {**settings.STORAGES, "default": upload_storage(s3_server)}
    case = PublishedCaseFactory()
    attachment = Attachment.objects.create(
        case=case,
        file=SimpleUploadedFile("report.pdf", b"%PDF-1.4 bucket", content_type="application/pdf"),
        title="Report",
        size=15,
        content_type="application/pdf",
        is_public=True,
    )
    s3 = boto3.client(
        "s3",
        endpoint_url=s3_server["AWS_S3_ENDPOINT_URL"],
        region_name="eu-west-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    keys = [item["Key"] for item in s3.list_objects_v2(Bucket="epsa-uploads")["Contents"]]
    assert keys == [f"private-media/{attachment.file.name}"]
    # Private: the bucket refuses anonymous reads; the library's permission-checking view serves it.
    acl = s3.get_object_acl(Bucket="epsa-uploads", Key=keys[0])
    assert not any("AllUsers" in str(grant.get("Grantee")) for grant in acl["Grants"])
    response = client.get(
        reverse("library:attachment", kwargs={"slug": case.slug, "pk": attachment.pk})
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 bucket"


# --- Redis as the shared cache and session store --------------------------------------------


def test_redis_url_shares_cache_and_sessions_between_servers(tmp_path):
    code = (
        "from django.conf import settings; "
        "print(settings.CACHES['default']['BACKEND']); print(settings.SESSION_ENGINE)"
    )
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "epsa_portal.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DEBUG": "1",
        "REDIS_URL": "redis://127.0.0.1:6379/9",
    }
    result = subprocess.run(  # noqa: S603 (fixed argument list, our own interpreter)
        [sys.executable, "-c", "import django; django.setup(); " + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "django.contrib.sessions.backends.cached_db",
    ]


# --- backups --------------------------------------------------------------------------------


def _table_digests(cursor, tables) -> dict[str, tuple]:
    """Row count and a digest of every row of every table, independent of row order."""
    digests = {}
    for table in tables:
        quoted = connection.ops.quote_name(table)
        cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 (table names from introspection)
        rows = sorted(repr(row) for row in cursor.fetchall())
        digests[table] = (len(rows), hash(tuple(rows)))
    return digests


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_of_the_demo_library_restores_with_no_difference(tmp_path):
    call_command("load_demo", verbosity=0)
    tables = sorted(connection.introspection.table_names())
    with connection.cursor() as cursor:
        before = _table_digests(cursor, tables)
    assert before["cases_case"][0] > 250
    if connection.vendor == "postgresql":
        restored = _restore_postgresql(tmp_path, tables)
    else:
        restored = _restore_sqlite(tmp_path, tables)
    assert restored == before


def _restore_postgresql(tmp_path, tables) -> dict[str, tuple]:
    """pg_dump the test database, pg_restore it into a new empty one (docs/deployment.md)."""
    import psycopg2
    import psycopg2.extras

    settings_dict = connection.settings_dict
    target = f"{settings_dict['NAME']}_restore"
    env = {**os.environ, "PGPASSWORD": settings_dict.get("PASSWORD") or ""}
    server = [
        "-h",
        settings_dict.get("HOST") or "127.0.0.1",
        "-p",
        str(settings_dict.get("PORT") or 5432),
        "-U",
        settings_dict.get("USER") or "postgres",
    ]
    dump = tmp_path / "library.dump"
    run = {"env": env, "check": True, "capture_output": True}
    subprocess.run(["pg_dump", *server, "-Fc", "-f", str(dump), settings_dict["NAME"]], **run)  # noqa: S603,S607
    subprocess.run(["dropdb", *server, "--if-exists", target], **run)  # noqa: S603,S607
    subprocess.run(["createdb", *server, target], **run)  # noqa: S603,S607
    try:
        subprocess.run(  # noqa: S603
            ["pg_restore", *server, "--exit-on-error", "-d", target, str(dump)],  # noqa: S607
            **run,
        )
        copy = psycopg2.connect(
            dbname=target,
            host=server[1],
            port=server[3],
            user=server[5],
            password=settings_dict.get("PASSWORD") or None,
        )
        # Read back as Django's own connection does: JSON columns as their text.
        psycopg2.extras.register_default_jsonb(copy, loads=lambda text: text)
        psycopg2.extras.register_default_json(copy, loads=lambda text: text)
        try:
            with copy.cursor() as cursor:
                return _table_digests(cursor, tables)
        finally:
            copy.close()
    finally:
        subprocess.run(["dropdb", *server, "--if-exists", target], **run)  # noqa: S603,S607


def _restore_sqlite(tmp_path, tables) -> dict[str, tuple]:
    """SQLite's online backup into a new file, then read back from that file."""
    backup = tmp_path / "library.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(backup) as target:
        connection.connection.backup(target)
    # Read back with the type conversions Django's own connection applies.
    copy = sqlite3.connect(backup, detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES)
    try:
        return _table_digests(copy.cursor(), tables)
    finally:
        copy.close()
