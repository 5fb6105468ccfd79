"""Throttling: log-in lockout per account and per address (django-axes, counted in the
database), and rate limits on the forms that send e-mail or create records (django-ratelimit,
counted in the shared cache). A throttled person is told when they may try again (429)."""

import datetime
import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.domain import throttling
from cases.models import Role
from tests.committing import committed
from tests.factories import CoordinatorFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # what UserFactory sets


def log_in(client, email, password, address="198.51.100.7"):
    return client.post(
        reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=address
    )


def retry_time(response):
    match = re.search(r"You may try again at (\d\d:\d\d)", response.content.decode())
    assert match, response.content.decode()
    return match.group(1)


def test_fifty_wrong_passwords_lock_the_account_and_the_right_one_waits(client, settings):
    UserFactory(email="ana@example.eu")
    statuses = [log_in(client, "ana@example.eu", f"wrong-{n}").status_code for n in range(50)]

    limit = settings.AXES_FAILURE_LIMIT
    assert statuses[: limit - 1] == [200] * (limit - 1)  # the form: wrong password
    assert set(statuses[limit - 1 :]) == {429}
    refused = log_in(client, "Ana@Example.EU", PASSWORD)  # right password, any case
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "Logging in is paused" in refused.content.decode()
    expected = timezone.localtime(
        AccessAttempt.objects.get(username="ana@example.eu").attempt_time
        + settings.AXES_COOLOFF_TIME
    )
    assert retry_time(refused) == expected.strftime("%H:%M")
    assert 0 < int(refused["Retry-After"]) <= settings.AXES_COOLOFF_TIME.total_seconds()
    # The record of the attempts keeps no password.
    assert "wrong-" not in AccessAttempt.objects.get(username="ana@example.eu").post_data


def test_the_lock_ends_after_the_cool_off(client, settings):
    UserFactory(email="ana@example.eu")
    for n in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "ana@example.eu", f"wrong-{n}")
    assert log_in(client, "ana@example.eu", PASSWORD).status_code == 429

    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(seconds=1)
    )

    assert log_in(client, "ana@example.eu", PASSWORD).status_code == 302
    assert client.session["_auth_user_id"]


def test_an_address_trying_many_accounts_is_locked_out(client, settings):
    victims = [UserFactory(email=f"user{n}@example.eu") for n in range(3)]
    for n in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, victims[n % 3].email, "guess", address="203.0.113.9")

    # Another account from that address: paused; the same account from elsewhere: fine.
    assert log_in(Client(), victims[0].email, PASSWORD, address="203.0.113.9").status_code == 429
    assert log_in(Client(), victims[0].email, PASSWORD, address="192.0.2.1").status_code == 302


def test_a_successful_log_in_forgets_earlier_failures(client, settings):
    UserFactory(email="ana@example.eu")
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "ana@example.eu", f"wrong-{n}")
    assert log_in(client, "ana@example.eu", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="ana@example.eu").exists()


def test_behind_the_proxy_the_address_is_the_one_the_proxy_saw(rf, settings):
    settings.BEHIND_TLS_PROXY = True
    request = rf.get("/", HTTP_X_FORWARDED_FOR="10.0.0.1, 203.0.113.9", REMOTE_ADDR="127.0.0.1")
    assert throttling.client_ip(request) == "203.0.113.9"
    settings.BEHIND_TLS_PROXY = False
    assert throttling.client_ip(request) == "127.0.0.1"


def test_a_coordinator_sees_and_lifts_a_lockout(client, settings):
    UserFactory(email="ana@example.eu")
    for n in range(settings.AXES_FAILURE_LIMIT):
        log_in(Client(), "ana@example.eu", f"wrong-{n}")
    coordinator = CoordinatorFactory()
    client.force_login(coordinator)

    page = client.get(reverse("coordination:lockouts"))
    assert page.status_code == 200
    assert "Account: ana@example.eu" in page.content.decode()
    assert "Network address: 198.51.100.7" in page.content.decode()
    assert (
        reverse("coordination:lockouts")
        in client.get(reverse("coordination:editions")).content.decode()
    )

    response = client.post(
        reverse("coordination:unlock"), {"kind": "account", "value": "ana@example.eu"}
    )
    assert response.status_code == 302
    assert log_in(Client(), "ana@example.eu", PASSWORD).status_code == 302


def test_lifting_a_lockout_checks_its_input(client):
    client.force_login(CoordinatorFactory())
    response = client.post(reverse("coordination:unlock"), {"kind": "user", "value": ""})
    assert response.status_code == 400
    assert "Choose a lockout from the list to lift." in response.content.decode()


@pytest.mark.parametrize("role", [None, Role.APPLICANT, Role.EVALUATOR])
def test_only_coordinators_see_and_lift_lockouts(client, role):
    if role:
        client.force_login(UserFactory(roles=[role]))
    lockouts = client.get(reverse("coordination:lockouts"))
    unlock = client.post(reverse("coordination:unlock"), {"kind": "account", "value": "a@b.eu"})
    expected = 302 if role is None else 403  # visitors are sent to the log-in page
    assert lockouts.status_code == expected
    assert unlock.status_code == expected


def test_the_lockout_list_is_empty_without_lockouts(client):
    client.force_login(CoordinatorFactory())
    assert (
        "No log-in is paused now." in client.get(reverse("coordination:lockouts")).content.decode()
    )


def test_reset_mails_to_one_address_are_limited(client):
    UserFactory(email="ana@example.eu")
    statuses = []
    with committed():
        for address in ["ana@example.eu", "ANA@example.eu", " ana@example.eu", "ana@example.eu"]:
            statuses.append(client.post(reverse("password_reset"), {"email": address}).status_code)

    assert statuses == [302, 302, 302, 429]
    assert len(mail.outbox) == 3
    refused = client.post(reverse("password_reset"), {"email": "ana@example.eu"})
    assert refused.status_code == 429
    assert "This form was sent too often" in refused.content.decode()
    retry_time(refused)
    # Another address is not held back by the first one's limit.
    assert client.post(reverse("password_reset"), {"email": "bob@example.eu"}).status_code == 302


def test_reset_requests_from_one_client_are_limited(client):
    statuses = [
        client.post(reverse("password_reset"), {"email": f"user{n}@example.eu"}).status_code
        for n in range(21)
    ]
    assert statuses == [302] * 20 + [429]


def test_registrations_from_one_client_are_limited(client):
    statuses = []
    for n in range(11):
        statuses.append(
            Client()
            .post(
                reverse("accounts:register"),
                {
                    "full_name": f"Person {n}",
                    "email": f"person{n}@city.example",
                    "password1": "a-long-enough-passphrase",
                    "password2": "a-long-enough-passphrase",
                },
            )
            .status_code
        )
    assert statuses == [302] * 10 + [429]


def test_verification_resends_are_limited(client):
    client.force_login(UserFactory(email_verified_at=None))
    statuses = [client.post(reverse("accounts:resend_verification")).status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]


def test_join_requests_are_limited(client):
    client.force_login(UserFactory(roles=[Role.APPLICANT]))
    organisations = [OrganisationFactory() for _ in range(11)]
    statuses = [
        client.post(reverse("accounts:join_organisation"), {"organisation": o.pk}).status_code
        for o in organisations
    ]
    assert statuses == [302] * 10 + [429]
    # Looking at the list is never throttled.
    assert client.get(reverse("accounts:join_organisation")).status_code == 200
