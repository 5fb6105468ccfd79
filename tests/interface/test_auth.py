import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse

from cases.interfaces.navigation import reverse_or_none
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def test_login_page_asks_for_the_e_mail_address(client):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_username">E-mail address</label>' in html  # no colon (issue 12)
    assert 'autocomplete="username"' in html
    assert f'href="{reverse("password_reset")}"' in html
    register = reverse_or_none("accounts:register")
    if register:
        assert f'href="{register}"' in html
    else:
        assert "Create an account" not in html


def test_log_in_with_e_mail_address_in_any_case(client):
    user = UserFactory(email="ana.novak@example.eu")
    response = client.post(
        reverse("login"), {"username": "Ana.Novak@Example.EU", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.session[SESSION_KEY] == str(user.pk)


def test_log_in_follows_next(client):
    UserFactory(email="ana@example.eu")
    response = client.post(
        reverse("login"),
        {"username": "ana@example.eu", "password": PASSWORD, "next": reverse("about")},
    )
    assert response.status_code == 302
    assert response.url == reverse("about")


def test_wrong_password_says_so_and_keeps_the_address(client):
    UserFactory(email="ana@example.eu")
    response = client.post(reverse("login"), {"username": "ana@example.eu", "password": "wrong"})
    html = response.content.decode()
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert 'class="form-errors" role="alert"' in html
    assert "Please enter a correct e-mail address and password." in html
    assert 'value="ana@example.eu"' in html


def test_log_out_by_post_returns_home(client):
    client.force_login(UserFactory())
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert SESSION_KEY not in client.session


def test_password_reset_round_trip(client):
    user = UserFactory(email="ana@example.eu", full_name="Ana Novak")

    response = client.post(reverse("password_reset"), {"email": "ana@example.eu"})
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert client.get(response.url).status_code == 200

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ana@example.eu"]
    assert message.subject == "Reset your EPSA Portal password"
    assert "Hello Ana," in message.body
    assert "<" not in message.body  # plain text, nothing escaped or tagged
    link = re.search(r"https?://[^/\s]+(/accounts/password-reset/\S+/)", message.body).group(1)

    # The token link redirects to a URL without the token, which shows the form.
    response = client.get(link, follow=True)
    assert response.status_code == 200
    assert response.context["validlink"] is True
    form_url = response.redirect_chain[-1][0]

    new_password = "a-brand-new-passphrase-42"
    response = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302
    assert response.url == reverse("password_reset_complete")
    assert "Password changed" in client.get(response.url).content.decode()

    user.refresh_from_db()
    assert user.check_password(new_password)
    response = client.post(
        reverse("login"), {"username": "ana@example.eu", "password": new_password}
    )
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)

    # The link works once.
    client.logout()
    response = client.get(link, follow=True)
    assert response.context["validlink"] is False
    assert "This link no longer works" in response.content.decode()


def test_password_reset_for_an_unknown_address_sends_nothing_and_reveals_nothing(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.eu"})
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_password_reset_rejects_mismatched_passwords_with_a_message(client):
    UserFactory(email="ana@example.eu")
    client.post(reverse("password_reset"), {"email": "ana@example.eu"})
    link = re.search(r"(/accounts/password-reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "one-long-passphrase-1", "new_password2": "another-one-2"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "The two password fields didn" in html
    # The error is tied to its field for screen readers.
    assert re.search(r'aria-describedby="[^"]*id_new_password2_error"', html)
    assert 'id="id_new_password2_error"' in html
