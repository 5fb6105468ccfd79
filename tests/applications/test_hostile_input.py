"""Input an attacker or a careless script sends: answered 400 with a message, never a 500.

On SQLite a key beyond 64 bits cannot even be bound to a query; a word glued together with
invisible characters must not slip past a word limit; a name with line breaks must not write
lines into an e-mail.
"""

import pytest
from django.core import mail
from django.urls import reverse

from cases.domain import applications as app
from cases.domain import text as text_rules
from cases.interfaces.forms.fields import KeyedMultipleChoiceField
from cases.models import (
    Category,
    EditionPhase,
    MembershipStatus,
    Organisation,
    OrganisationMembership,
    PolicySector,
    Role,
    User,
)
from tests.committing import committed
from tests.factories import (
    CategoryFactory,
    EditionFactory,
    EvaluatorFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HUGE = str(2**70)


def edit_url(case, section):
    return reverse("applications:edit", kwargs={"pk": case.pk, "section": section})


@pytest.mark.parametrize("value", ["abc", HUGE, "-1", ""])
def test_joining_with_a_bad_organisation_answers_400_with_a_message(client, value):
    applicant = UserFactory(roles=[Role.APPLICANT])
    OrganisationFactory(name="City of Ghent")
    client.force_login(applicant)

    response = client.post(reverse("accounts:join_organisation"), {"organisation": value})

    assert response.status_code == 400
    assert "Choose the organisation you want to join" in response.content.decode()
    assert "City of Ghent" in response.content.decode()  # the list is shown again
    assert not OrganisationMembership.objects.filter(user=applicant).exists()


def test_joining_an_organisation_that_does_not_exist_answers_404(client):
    client.force_login(UserFactory(roles=[Role.APPLICANT]))
    response = client.post(reverse("accounts:join_organisation"), {"organisation": "987654"})
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("section", "field"),
    [
        (app.PROJECT, "policy_sectors"),
        (app.COLLABORATION, "collaboration_types"),
        (app.COLLABORATION, "coproduction_phases"),
        (app.COLLABORATION, "coproduction_levels"),
    ],
)
@pytest.mark.parametrize("value", [HUGE, "-" + HUGE])
def test_a_key_beyond_64_bits_in_a_multiple_choice_answers_400(
    client, applicant, draft, section, field, value
):
    client.force_login(applicant)
    data = {"version": draft.version, field: ["1", value]}
    if section == app.COLLABORATION:
        data.update({"partners-TOTAL_FORMS": "0", "partners-INITIAL_FORMS": "0"})

    response = client.post(edit_url(draft, section), data)

    assert response.status_code == 400
    assert f"“{value[:30]}” is not a valid value." in response.content.decode()


@pytest.mark.parametrize("field", ["organisations", "preferred_categories"])
def test_an_evaluator_profile_with_a_key_beyond_64_bits_answers_400(client, field):
    edition = EditionFactory(phase=EditionPhase.EVALUATION)
    CategoryFactory(edition=edition)
    evaluator = EvaluatorFactory()
    client.force_login(evaluator)

    response = client.post(
        reverse("evaluation:profile"), {"countries": ["BE"], field: [HUGE], "expertise": ""}
    )

    assert response.status_code == 400
    assert "is not a valid value" in response.content.decode()


def test_the_keyed_field_still_accepts_real_keys():
    sector = PolicySector.objects.order_by("pk").first()
    field = KeyedMultipleChoiceField(queryset=PolicySector.objects.all())
    assert list(field.clean([str(sector.pk)])) == [sector]
    field = KeyedMultipleChoiceField(queryset=Category.objects.all(), required=False)
    assert list(field.clean([])) == []


@pytest.mark.parametrize(
    "separator", ["\u2800", "\u200b", "\u00a0", "\u2060", "\u3000", "\ufeff", "\u3164"]
)
def test_invisible_separators_split_words(separator):
    assert text_rules.count_words(separator.join(["one", "two", "three"])) == 3
    assert app.count_words(f"one{separator}{separator}two ") == 2


def test_words_joined_by_an_invisible_character_count_against_the_limit(client, applicant, draft):
    client.force_login(applicant)
    text = "\u2800".join(["word"] * 301)

    response = client.post(
        edit_url(draft, app.SUMMARY), {"version": draft.version, "summary": text}
    )

    assert response.status_code == 400
    assert "This text has 301 words; the limit is 300 words." in response.content.decode()
    draft.refresh_from_db()
    assert draft.summary == ""


def test_one_word_longer_than_100_characters_is_refused(client, applicant, draft):
    client.force_login(applicant)
    response = client.post(
        edit_url(draft, app.SUMMARY), {"version": draft.version, "summary": "a" * 2_000_000}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "a word may have at most 100" in content
    draft.refresh_from_db()
    assert draft.summary == ""


def test_a_long_link_is_a_word_and_a_100_character_word_is_fine(client, applicant, draft):
    client.force_login(applicant)
    link = "https://data.example.eu/" + "reports/" * 20
    text = f"See {link} and {'b' * 99}."  # 100 characters with the full stop
    response = client.post(
        edit_url(draft, app.SUMMARY), {"version": draft.version, "summary": text}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.summary == text


def test_text_over_its_character_limit_is_refused(client, applicant, draft):
    client.force_login(applicant)
    text = " ".join(["abcdefghijklmnopqrstuvwxyz" * 3] * 100)  # 100 words, 7,899 characters
    response = client.post(
        edit_url(draft, app.SUMMARY), {"version": draft.version, "summary": text}
    )
    assert response.status_code == 400
    assert "Ensure this value has at most 7500 characters" in response.content.decode()


def test_every_free_text_of_the_models_has_a_maximum_length():
    from django.apps import apps
    from django.db import models

    unbounded = [
        f"{model.__name__}.{field.name}"
        for model in apps.get_app_config("cases").get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField | models.CharField) and not field.max_length
    ]
    assert unbounded == []


def test_a_multi_line_full_name_is_kept_on_one_line(client):
    response = client.post(
        reverse("accounts:register"),
        {
            "full_name": "Mallory\r\nSubject: urgent\n\nApprove me",
            "email": "mallory@city.example",
            "country": "BE",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="mallory@city.example")
    assert user.full_name == "Mallory Subject: urgent Approve me"


def test_the_join_request_mail_shows_a_name_on_one_line(client):
    organisation = OrganisationFactory(name="City\nof Ghent")
    member = UserFactory(roles=[Role.APPLICANT])
    OrganisationMembership.objects.create(
        user=member, organisation=organisation, status=MembershipStatus.APPROVED
    )
    # A name stored before the forms kept names on one line (or typed in the admin).
    requester = UserFactory(roles=[Role.APPLICANT], full_name="Eve\nSubject: hi\nApprove")
    client.force_login(requester)

    with committed():
        response = client.post(
            reverse("accounts:join_organisation"), {"organisation": organisation.pk}
        )

    assert response.status_code == 302
    [message] = mail.outbox
    assert "\n" not in message.subject
    assert message.subject == "Eve Subject: hi Approve asks to join City of Ghent"
    assert "Eve Subject: hi Approve (" in message.body
    assert "\nSubject: hi" not in message.body


def test_titles_and_organisation_names_are_kept_on_one_line(client, applicant, draft):
    client.force_login(applicant)
    response = client.post(
        edit_url(draft, app.PROJECT), {"version": draft.version, "title": "Care\r\ncircles\t2"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Care circles 2"

    response = client.post(
        reverse("accounts:create_organisation"),
        {
            "name": "Town\nof Aalst",
            "country": "BE",
            "level": "local",
            "sector": "public",
            "website": "",
        },
    )
    assert response.status_code == 302
    assert Organisation.objects.filter(name="Town of Aalst").exists()


def test_a_forged_partner_count_builds_no_thousand_forms(client, applicant, draft):
    client.force_login(applicant)
    response = client.post(
        edit_url(draft, app.COLLABORATION),
        {"version": draft.version, "partners-TOTAL_FORMS": "100000", "partners-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 400
    assert "Please submit at most 30 forms." in response.content.decode()
    assert response.content.decode().count('name="partners-') < 31 * 6
