"""Requests that arrive at the same moment end cleanly on both databases: one success and clear
409s where they conflict, all successes where they do not, never a 500 ("database is locked").

Each test starts its requests from threads released together by a barrier. On SQLite the test
database is a file (tests/settings.py), so every thread has its own connection and meets
SQLite's real locking, which the settings tame with WAL, a busy timeout and transactions that
take the write lock when they begin.
"""

import threading

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse

from cases.domain import applications as app
from cases.models import Case, CaseStatus, DecisionLog, EditionPhase
from tests.applications.conftest import fill_every_section
from tests.factories import (
    CoordinatorFactory,
    EvaluationEditionFactory,
    SubmittedCaseFactory,
    ensure_seed_data,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

AUTOSAVE = {"HTTP_X_AUTOSAVE": "1"}


@pytest.fixture(autouse=True)
def seed_rows():
    ensure_seed_data()  # a transactional test before this one may have emptied the tables


def at_once(user, requests):
    """Send each (path, data, headers) POST from its own thread at the same moment."""
    clients = []
    for _request in requests:
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients.append(client)
    barrier = threading.Barrier(len(requests))
    responses = [None] * len(requests)

    def send(index, client, path, data, headers):
        try:
            barrier.wait(timeout=20)
            responses[index] = client.post(path, data, **headers)
        except Exception as error:  # noqa: BLE001 - reported by the assertions
            responses[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=send, args=(index, client, *request))
        for index, (client, request) in enumerate(zip(clients, requests, strict=True))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


def statuses(responses):
    return sorted(getattr(response, "status_code", repr(response)) for response in responses)


def test_ten_autosaves_of_the_same_section_save_once_and_answer_409(draft, applicant):
    version = Case.objects.get(pk=draft.pk).version
    path = reverse("applications:edit", args=[draft.pk, app.SUMMARY])
    requests = [
        (path, {"summary": f"Summary typed by hand number {n}.", "version": version}, AUTOSAVE)
        for n in range(10)
    ]

    responses = at_once(applicant, requests)

    assert statuses(responses) == [200] + [409] * 9
    conflicts = [response.json() for response in responses if response.status_code == 409]
    assert all(body["conflict"] for body in conflicts)
    saved = Case.objects.get(pk=draft.pk)
    winner = next(response for response in responses if response.status_code == 200)
    assert saved.summary.startswith("Summary typed by hand number")
    assert saved.version == winner.json()["version"] == version + 1


def test_autosaves_of_different_sections_all_succeed(draft, applicant):
    version = Case.objects.get(pk=draft.pk).version
    texts = {name: f"{name} text" for name in ("problem", "solution", "results", "sustainability")}
    sections = {
        app.APPLICANT: {"contact_name": "Ann Applicant", "contact_email": "ann@example.eu"},
        app.SUMMARY: {"summary": "Nurses and volunteers share the care."},
        app.DESCRIPTION: texts,
        app.DECLARATIONS: {"declares_accuracy": "on", "consents_to_evaluation": "on"},
    }
    requests = [
        (
            reverse("applications:edit", args=[draft.pk, section]),
            {**data, "version": version},
            AUTOSAVE,
        )
        for section, data in sections.items()
    ]

    responses = at_once(applicant, requests)

    assert statuses(responses) == [200] * len(sections)
    saved = Case.objects.get(pk=draft.pk)
    assert saved.version == version + len(sections)
    assert saved.contact_name == "Ann Applicant"
    assert saved.summary == "Nurses and volunteers share the care."
    assert saved.problem == "problem text"
    assert saved.declares_accuracy is True


def test_ten_submits_at_once_submit_once(draft, applicant, category):
    complete = fill_every_section(draft, applicant, category)
    path = reverse("applications:review", args=[complete.pk])

    responses = at_once(applicant, [(path, {}, {})] * 10)

    assert statuses(responses) == [302] * 10
    case = Case.objects.get(pk=complete.pk)
    assert case.status == CaseStatus.SUBMITTED
    submitted_mails = [message for message in mail.outbox if "submitted" in message.subject]
    assert len(submitted_mails) == 1


def test_eight_eligibility_decisions_at_once_decide_once_and_answer_409():
    edition = EvaluationEditionFactory(slug="epsa-2031", phase=EditionPhase.ELIGIBILITY)
    coordinator = CoordinatorFactory(editions=[edition])
    case = SubmittedCaseFactory(edition=edition)
    path = reverse("coordination:screen", args=[edition.slug])
    data = {"case": case.pk, "version": case.version, "decision": "eligible"}

    responses = at_once(coordinator, [(path, data, {})] * 8)

    assert statuses(responses) == [302] + [409] * 7
    refused = [response for response in responses if response.status_code == 409]
    assert all(b"Someone else decided on this entry" in r.content for r in refused)
    case.refresh_from_db()
    assert case.status == CaseStatus.ELIGIBLE
    assert case.registration_number == "EPSA2031-0001"
    assert DecisionLog.objects.filter(case=case).count() == 1
