"""Once through the real worker: ``manage.py run_worker`` (django-tasks' database worker with
the scheduler) picks queued tasks from the database, sends mail and runs the periodic task."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cases.domain.notifications import send_after_commit
from cases.models import CaseStatus, EmailStatus, OutboundEmail
from tests.factories import CaseFactory, EditionFactory, MembershipFactory

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker():
    call_command("run_worker", "--batch", "--interval", "0", "--no-startup-delay", verbosity=0)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_sends_queued_mail_and_the_due_reminders(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE_TASKS
    # Committed at once (no surrounding transaction): the task waits in the database.
    send_after_commit(name="t", subject="Hello", body="B", recipients=["a@example.eu"])
    assert OutboundEmail.objects.get().status == EmailStatus.QUEUED
    assert mail.outbox == []
    edition = EditionFactory(deadline=timezone.now() + timedelta(days=2, hours=1))
    member = MembershipFactory(status="approved")
    draft = CaseFactory(
        edition=edition, status=CaseStatus.DRAFT, lead_organisation=member.organisation
    )

    run_worker()

    assert OutboundEmail.objects.get(subject="Hello").status == EmailStatus.SENT
    reminder = OutboundEmail.objects.get(template="reminders/draft")
    assert reminder.status == EmailStatus.SENT and reminder.case == draft
    assert reminder.key == f"reminder:draft:{edition.pk}:{draft.pk}:3:{member.user.email}"
    assert sorted(m.subject for m in mail.outbox)[0] == "Hello"
    assert not DBTaskResult.objects.exclude(status="SUCCESSFUL").exists()

    run_worker()  # a restarted worker sends no reminder twice
    assert OutboundEmail.objects.filter(template="reminders/draft").count() == 1
    assert len(mail.outbox) == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failed_task_is_shown_to_coordinators_with_its_error(settings, client):
    from cases.tasks import import_cases
    from tests.factories import CoordinatorFactory, UserFactory

    settings.TASKS = DATABASE_TASKS
    import_cases.enqueue(import_id=999999)
    call_command("run_worker", "--batch", "--interval", "0", "--no-startup-delay", "--no-scheduler")
    client.force_login(UserFactory())
    assert client.get(reverse("coordination:failed_tasks")).status_code == 403
    client.force_login(CoordinatorFactory())
    page = client.get(reverse("coordination:failed_tasks")).content.decode()
    assert "import_cases" in page and "CaseImport matching query does not exist" in page


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_prepares_a_large_library_export(settings, client):
    from cases.models import ExportStatus, LibraryExport
    from tests.factories import PublishedCaseFactory

    settings.TASKS = DATABASE_TASKS
    settings.LIBRARY_INLINE_EXPORT_ROWS = 1
    PublishedCaseFactory(), PublishedCaseFactory()
    response = client.post(reverse("library:export_prepare"), {"format": "csv"})
    export = LibraryExport.objects.get()
    assert export.status == ExportStatus.QUEUED  # waiting for the worker
    assert b"queue" in client.get(response["Location"]).content

    call_command("run_worker", "--batch", "--interval", "0", "--no-startup-delay", "--no-scheduler")

    export.refresh_from_db()
    assert export.status == ExportStatus.READY and export.rows == 2
    download = client.get(reverse("library:export_download", args=[export.token]))
    assert b"".join(download.streaming_content).count(b"\r\n") == 3  # header and two cases


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failed_library_export_is_shown_to_coordinators(settings, client, tmp_path):
    from cases.models import ExportStatus, LibraryExport
    from tests.factories import CoordinatorFactory, PublishedCaseFactory

    settings.TASKS = DATABASE_TASKS
    settings.TASKS_MAX_ATTEMPTS = 1
    settings.LIBRARY_INLINE_EXPORT_ROWS = 1
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("the storage cannot make its folders here")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": blocked, "base_url": None},
        },
    }
    PublishedCaseFactory(), PublishedCaseFactory()
    client.post(reverse("library:export_prepare"), {"format": "json"})

    call_command("run_worker", "--batch", "--interval", "0", "--no-startup-delay", "--no-scheduler")

    export = LibraryExport.objects.get()
    assert export.status == ExportStatus.FAILED and "Not a directory" in export.error
    client.force_login(CoordinatorFactory())
    page = client.get(reverse("coordination:failed_tasks")).content.decode()
    assert "prepare_library_export" in page and "Not a directory" in page
