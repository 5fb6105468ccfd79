"""The four interface languages: where a request's language comes from, the switcher, the
language-prefixed library URLs, the profile's choice, e-mails in the recipient's language,
translated vocabularies and localised dates."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import formats, translation

from cases.domain import accounts, notifications
from cases.models import (
    CollaborationType,
    CoproductionLevel,
    CoproductionPhase,
    EcosystemFactor,
    InnovationStage,
    PolicySector,
)
from tests.committing import committed
from tests.factories import PublishedCaseFactory, UserFactory

pytestmark = pytest.mark.django_db


def lang_of(response) -> str:
    html = response.content.decode()
    start = html.index('<html lang="') + len('<html lang="')
    return html[start : html.index('"', start)]


def test_a_language_prefix_on_the_library_decides_the_language(client):
    for code, heading in (
        ("en", "Case library"),
        ("fr", "Bibliothèque de cas"),
        ("de", "Fallbibliothek"),
        ("es", "Biblioteca de casos"),
    ):
        response = client.get(f"/{code}/library/", HTTP_ACCEPT_LANGUAGE="de")
        assert response.status_code == 200
        assert lang_of(response) == code
        assert response["Content-Language"] == code
        assert heading in response.content.decode()


def test_the_unprefixed_library_follows_the_browser_and_then_the_cookie(client):
    response = client.get("/library/", HTTP_ACCEPT_LANGUAGE="de-AT,de;q=0.9,en;q=0.5")
    assert lang_of(response) == "de"
    assert "Accept-Language" in response["Vary"]
    client.cookies["django_language"] = "es"
    assert lang_of(client.get("/library/", HTTP_ACCEPT_LANGUAGE="de")) == "es"
    assert lang_of(client.get("/library/", HTTP_ACCEPT_LANGUAGE="xx")) == "es"


def test_links_inside_a_prefixed_library_page_keep_its_language(client):
    case = PublishedCaseFactory()
    html = client.get("/fr/library/").content.decode()
    assert f'href="/fr/library/{case.slug}/"' in html
    # From the unprefixed entry point, a case link carries the visitor's language.
    html = client.get("/library/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert f'href="/de/library/{case.slug}/"' in html


def test_unknown_library_addresses_answer_404_with_or_without_prefix(client):
    assert client.get("/library/no-such-case/").status_code == 404
    assert client.get("/de/library/no-such-case/").status_code == 404
    assert client.get("/xx/library/").status_code == 404


def test_the_switcher_is_a_post_form_on_every_page(client):
    for url in ("/", "/about/", "/library/", "/accounts/login/"):
        html = client.get(url).content.decode()
        assert f'action="{reverse("set_language")}"' in html
        assert 'name="csrfmiddlewaretoken"' in html
        for code in ("fr", "de", "es"):
            assert f'name="language" value="{code}" lang="{code}"' in html
        assert 'aria-current="true">English<' in html


def test_switching_sets_the_cookie_and_returns_to_the_same_page(client):
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/about/"})
    assert response.status_code == 302
    assert response.url == "/about/"
    assert response.cookies["django_language"].value == "fr"
    assert lang_of(client.get("/about/")) == "fr"


def test_switching_on_a_prefixed_library_page_goes_to_the_other_prefix(client):
    case = PublishedCaseFactory()
    response = client.post(
        reverse("set_language"),
        {"language": "de", "next": f"/fr/library/{case.slug}/?x=1"},
    )
    assert response.url == f"/de/library/{case.slug}/?x=1"


def test_the_switcher_refuses_get_and_unknown_languages(client):
    assert client.get(reverse("set_language")).status_code == 405
    response = client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert "django_language" not in response.cookies


def test_a_signed_in_users_choice_is_kept_in_the_profile_and_wins_over_the_browser(client):
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    user.refresh_from_db()
    assert user.language == "es"
    client.cookies.pop("django_language")
    assert lang_of(client.get("/", HTTP_ACCEPT_LANGUAGE="de")) == "es"
    # The address of a prefixed library page still decides.
    assert lang_of(client.get("/fr/library/")) == "fr"


def test_the_profile_form_changes_the_language(client):
    user = UserFactory(language="")
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile"),
        {"full_name": user.full_name, "country": "BE", "language": "de"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "de"
    assert response.cookies["django_language"].value == "de"
    assert lang_of(client.get(reverse("accounts:profile"))) == "de"


def test_registration_remembers_the_language_of_the_page(client):
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    with translation.override("fr"):
        user = accounts.register_applicant(
            email="nouvelle@example.eu",
            full_name="Camille Martin",
            password="correct-horse-battery",
            language=translation.get_language(),
            link_base="http://testserver",
        )
    assert user.language == "fr"


def test_case_pages_declare_their_language_alternates(client):
    case = PublishedCaseFactory()
    html = client.get(f"/de/library/{case.slug}/").content.decode()
    for code in ("en", "fr", "de", "es"):
        expected = f'hreflang="{code}" href="http://testserver/{code}/library/{case.slug}/"'
        assert expected in html
    assert f'hreflang="x-default" href="http://testserver/library/{case.slug}/"' in html
    assert f'rel="canonical" href="http://testserver/de/library/{case.slug}/"' in html


def test_the_library_list_declares_alternates_with_its_query(client):
    html = client.get("/fr/library/", {"country": "AT"}).content.decode()
    assert 'hreflang="de" href="http://testserver/de/library/?country=AT"' in html
    assert 'hreflang="x-default" href="http://testserver/library/?country=AT"' in html


def test_mail_is_rendered_in_each_recipients_language(django_capture_on_commit_callbacks):
    UserFactory(email="fr@example.eu", language="fr")
    UserFactory(email="de@example.eu", language="de")
    UserFactory(email="none@example.eu", language="")
    organisation = type("Organisation", (), {"name": "Stadt Musterhausen"})()
    recipient = type("Person", (), {"get_full_name": lambda self: "Alex"})()
    with translation.override("es"), django_capture_on_commit_callbacks(execute=True):
        queued = notifications.send_templated_mail(
            name="membership_decided",
            recipients=["fr@example.eu", "de@example.eu", "none@example.eu", "x@example.eu"],
            context={
                "user": recipient,
                "organisation": organisation,
                "approved": True,
                "link": "http://testserver/apply/",
            },
        )
    assert queued == 4
    by_address = {message.to[0]: message for message in mail.outbox}
    assert by_address["fr@example.eu"].body.startswith("Bonjour Alex,")
    assert by_address["de@example.eu"].subject.startswith("Sie sind jetzt Mitglied")
    # Without a saved choice: the portal's default, whatever the sender's language.
    assert by_address["none@example.eu"].body.startswith("Hello Alex,")
    assert by_address["x@example.eu"].body.startswith("Hello Alex,")


def test_the_verification_mail_of_a_french_registration_is_french(client):
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    with committed():
        client.post(
            reverse("accounts:register"),
            {
                "email": "agent@example.eu",
                "full_name": "Camille Martin",
                "password1": "tram-lantern-quietly-47",
                "password2": "tram-lantern-quietly-47",
                "country": "FR",
            },
        )
    assert [message.subject for message in mail.outbox] == [
        "Confirmez votre adresse électronique pour le portail EPSA"
    ]


def test_every_seeded_vocabulary_row_is_translated():
    for model in (
        CollaborationType,
        CoproductionPhase,
        CoproductionLevel,
        EcosystemFactor,
        PolicySector,
        InnovationStage,
    ):
        rows = list(model.objects.all())
        assert rows
        for row in rows:
            for code in ("fr", "de", "es"):
                assert getattr(row, f"label_{code}"), (model.__name__, row.slug, code)
                if row.description:
                    assert getattr(row, f"description_{code}"), (row.slug, code)
                if model is EcosystemFactor:
                    assert getattr(row, f"short_label_{code}"), (row.slug, code)


def test_vocabulary_labels_follow_the_language_and_fall_back_to_english():
    factor = EcosystemFactor.objects.get(slug="partnership-skills")
    with translation.override("de"):
        assert factor.display_short == "Partnerschaftskompetenz"
        assert str(CollaborationType.objects.get(slug="cross-border")) == (
            "Grenzüberschreitend öffentlich"
        )
    factor.short_label_de = ""
    with translation.override("de"):
        assert factor.display_short == "Partnership skills"
    with translation.override("en"):
        assert factor.display_label == factor.label


def test_library_facets_and_case_pages_show_translated_terms(client):
    case = PublishedCaseFactory()
    case.coproduction_phases.add(CoproductionPhase.objects.get(slug="co-design"))
    assert "Co-conception" in client.get("/fr/library/").content.decode()
    assert "Ko-Design" in client.get(f"/de/library/{case.slug}/").content.decode()


def test_dates_and_numbers_follow_the_language():
    day = datetime.date(2024, 5, 1)
    expected = {
        "en": "1 May 2024",
        "fr": "1 mai 2024",
        "de": "1. Mai 2024",
        "es": "1 de mayo de 2024",
    }
    for code, text in expected.items():
        with translation.override(code):
            assert formats.date_format(day) == text
    with translation.override("de"):
        assert formats.number_format(12345, force_grouping=True) == "12.345"


def test_deadlines_are_written_the_way_each_language_writes_dates():
    from zoneinfo import ZoneInfo

    from django.template.loader import render_to_string
    from django.utils import timezone

    deadline = datetime.datetime(2031, 5, 1, 18, 0, tzinfo=ZoneInfo("Europe/Brussels"))
    expected = {
        "en": "1 May 2031, 18:00 CEST",
        "fr": "1 mai 2031, 18:00 CEST",
        "de": "1. Mai 2031, 18:00 CEST",
        "es": "1 de mayo de 2031, 18:00 CEST",
    }
    with timezone.override("Europe/Brussels"):
        for code, text in expected.items():
            with translation.override(code):
                html = render_to_string(
                    "applications/_deadline.html",
                    {"deadline": deadline, "is_open": True, "time_zone": "Europe/Brussels"},
                )
            assert text in html, (code, html)


def test_error_pages_speak_the_visitors_language(client):
    response = client.get("/de/library/no-such-case/")
    assert response.status_code == 404
    assert lang_of(response) == "de"
    assert "Seite nicht gefunden" in response.content.decode()
    from django.test import RequestFactory

    from cases.views import server_error

    with translation.override("es"):
        html = server_error(RequestFactory().get("/")).content.decode()
    assert '<html lang="es">' in html and "Algo ha fallado" in html
