"""Tasks of the queue (django-tasks). Each one calls one domain function and is idempotent;
see ``cases.domain.queue`` for when they are enqueued and how they are retried.

The worker is ``manage.py run_worker`` (django-tasks' database worker plus a scheduler that
enqueues :func:`periodic` every ``settings.TASKS_TICK_SECONDS``).
"""

from django_tasks import task

from cases.domain.queue import run_retrying


@task()
def send_emails(*, email_ids: list[int], attempt: int = 1) -> int:
    """Deliver recorded messages of the outbox over one mail-server connection."""
    from cases.domain.outbox import deliver_emails

    return deliver_emails(email_ids=email_ids, attempt=attempt)


@task()
def periodic(*, attempt: int = 1) -> dict:
    """What the worker runs on its own every tick: due reminders, stalled mail, expired
    library exports."""
    from cases.domain.library_exports import expire_exports
    from cases.domain.outbox import requeue_stalled
    from cases.domain.reminders import send_due_reminders

    def run():
        return {
            "reminders": send_due_reminders(),
            "requeued": requeue_stalled(),
            "exports": expire_exports(),
        }

    return run_retrying(periodic, run, attempt=attempt)


@task()
def import_cases(*, import_id: int, attempt: int = 1) -> dict:
    """Write the rows of a checked import, in one transaction."""
    from cases.domain.imports import mark_failed, run_import

    try:
        return run_retrying(import_cases, run_import, attempt=attempt, import_id=import_id)
    except Exception as error:
        mark_failed(import_id=import_id, error=error)
        raise


@task()
def refresh_derived(*, case_ids: list[int], attempt: int = 1) -> int:
    """Rebuild the library's derived data of cases changed in bulk (an import)."""
    from cases.domain.derived import refresh_derived_data

    def run(case_ids):
        refresh_derived_data(case_ids)
        return len(case_ids)

    return run_retrying(refresh_derived, run, attempt=attempt, case_ids=case_ids)


@task()
def rebuild_library_figures(*, attempt: int = 1) -> int:
    """Recount the unfiltered library's figures (idempotent: it rewrites the whole table)."""
    from cases.domain.derived import rebuild_library_figures as rebuild

    return run_retrying(rebuild_library_figures, rebuild, attempt=attempt)


@task()
def refresh_similar_cases(*, case_ids: list[int], attempt: int = 1) -> int:
    """Refresh the similar cases of cases that were published or changed (and the lists of
    their neighbours): enqueued once the change commits, so the request does not wait."""
    from cases.domain.derived import refresh_similar

    def run(case_ids):
        refresh_similar(case_ids)
        return len(case_ids)

    return run_retrying(refresh_similar_cases, run, attempt=attempt, case_ids=case_ids)


@task()
def build_open_data_package(*, attempt: int = 1) -> dict:
    """Rebuild the library's data package (idempotent: it rewrites the whole package)."""
    from cases.domain.datapackage import build_data_package

    def run():
        info = build_data_package()
        return {"bytes": info["bytes"], "rows": info["rows"]}

    return run_retrying(build_open_data_package, run, attempt=attempt)


@task()
def prepare_library_export(*, export_id: int, attempt: int = 1) -> dict:
    """Write the file of a library export too large to stream within a request."""
    from cases.domain.library_exports import build_export, mark_failed
    from cases.interfaces.library_exports import render_export

    def run(export_id):
        return build_export(export_id=export_id, render=render_export)

    try:
        return run_retrying(prepare_library_export, run, attempt=attempt, export_id=export_id)
    except Exception as error:
        mark_failed(export_id=export_id, error=error)
        raise
