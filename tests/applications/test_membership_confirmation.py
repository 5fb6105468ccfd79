"""Membership opens an organisation's applications: only to people who own their address,
and only to the one registered organisation of a name in a country."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from cases.domain import accounts
from cases.models import (
    MembershipStatus,
    Organisation,
    OrganisationMembership,
    Role,
    normalise_name,
)
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    organisation = OrganisationFactory(name="City of Ghent", country="BE")
    MembershipFactory(user=UserFactory(roles=[Role.APPLICANT]), organisation=organisation)
    return organisation


@pytest.fixture
def impostor():
    """Registered with a colleague's address, never confirmed it."""
    return UserFactory(
        roles=[Role.APPLICANT], email="colleague@ghent.example", email_verified_at=None
    )


def test_an_unconfirmed_account_cannot_ask_to_join(client, organisation, impostor):
    client.force_login(impostor)
    response = client.post(reverse("accounts:join_organisation"), {"organisation": organisation.pk})
    assert response.status_code == 403
    assert "Confirm your e-mail address" in response.content.decode()
    assert not OrganisationMembership.objects.filter(user=impostor).exists()
    with pytest.raises(accounts.AddressNotConfirmed):
        accounts.request_membership(
            user=impostor, organisation=organisation, link_base="https://p.example"
        )


def test_the_join_page_tells_an_unconfirmed_user_why_and_offers_a_new_link(client, impostor):
    client.force_login(impostor)
    page = client.get(reverse("accounts:join_organisation")).content.decode()
    assert "only people who have confirmed their e-mail address" in page
    assert reverse("accounts:resend_verification") in page


def test_a_pending_request_of_an_unconfirmed_address_cannot_be_approved(
    client, organisation, impostor
):
    # Asked before the rule (or before the address changed): the request is still there.
    pending = MembershipFactory(
        user=impostor, organisation=organisation, status=MembershipStatus.PENDING
    )
    member = organisation.memberships.exclude(pk=pending.pk).get().user
    client.force_login(member)
    listing = client.get(reverse("accounts:membership_requests")).content.decode()
    assert "colleague@ghent.example" in listing
    assert "address not confirmed" in listing
    assert 'value="approve"' not in listing

    url = reverse("accounts:decide_membership", kwargs={"pk": pending.pk})
    response = client.post(url, {"decision": "approve"})
    assert response.status_code == 409
    assert "has not confirmed the address colleague@ghent.example" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == MembershipStatus.PENDING

    # Refusing needs no confirmation.
    assert client.post(url, {"decision": "refuse"}).status_code == 302
    assert not OrganisationMembership.objects.filter(pk=pending.pk).exists()


def test_a_confirmed_request_shows_as_confirmed_and_can_be_approved(client, organisation):
    requester = UserFactory(roles=[Role.APPLICANT], email="real@ghent.example")
    pending = MembershipFactory(
        user=requester, organisation=organisation, status=MembershipStatus.PENDING
    )
    client.force_login(organisation.memberships.exclude(pk=pending.pk).get().user)
    listing = client.get(reverse("accounts:membership_requests")).content.decode()
    assert "real@ghent.example" in listing and "address confirmed" in listing
    url = reverse("accounts:decide_membership", kwargs={"pk": pending.pk})
    assert client.post(url, {"decision": "approve"}).status_code == 302
    pending.refresh_from_db()
    assert pending.is_approved


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("City of Ghent", "city of ghent"),
        ("City of Ghent", "  City   of  Ghent "),
        ("City of Ghent", "City-of-Ghent."),
        ("Agència Catalana", "AGÈNCIA, catalana"),
    ],
)
def test_names_match_but_for_case_spacing_and_punctuation(first, second):
    assert normalise_name(first) == normalise_name(second)


def test_different_names_stay_different():
    assert normalise_name("City of Ghent") != normalise_name("City of Genk")


def test_the_database_refuses_a_second_organisation_of_one_name_in_a_country():
    Organisation.objects.create(name="City of Ghent", country="BE")
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(name="CITY OF GHENT.", country="BE")
    # The same name in another country is another organisation.
    Organisation.objects.create(name="City of Ghent", country="NL")


def test_renaming_keeps_the_normalised_name_in_step():
    organisation = Organisation.objects.create(name="Town of Tartu", country="EE")
    organisation.name = "Tartu City"
    organisation.save(update_fields=["name"])
    organisation.refresh_from_db()
    assert organisation.normalised_name == "tartu city"


def organisation_data(name, country="BE"):
    return {"name": name, "country": country, "level": "local", "sector": "public"}


def test_a_second_create_offers_to_join_the_existing_one(client, organisation):
    newcomer = UserFactory(roles=[Role.APPLICANT])
    client.force_login(newcomer)
    response = client.post(
        reverse("accounts:create_organisation"), organisation_data("city of ghent!")
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "City of Ghent is already registered" in page
    assert 'value="city of ghent!"' in page  # what was typed is kept
    assert f'name="organisation" value="{organisation.pk}"' in page
    assert Organisation.objects.filter(country="BE").count() == 1

    # The offered button asks to join the registered one.
    client.post(reverse("accounts:join_organisation"), {"organisation": organisation.pk})
    assert OrganisationMembership.objects.filter(
        user=newcomer, organisation=organisation, status=MembershipStatus.PENDING
    ).exists()


def test_a_member_creating_it_again_is_not_offered_to_join(client, organisation):
    member = organisation.memberships.get().user
    client.force_login(member)
    response = client.post(
        reverse("accounts:create_organisation"), organisation_data("City of Ghent")
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "You are a member of it already" in page
    assert f'name="organisation" value="{organisation.pk}"' not in page


def test_the_same_name_in_another_country_is_created(client, organisation):
    client.force_login(UserFactory(roles=[Role.APPLICANT]))
    response = client.post(
        reverse("accounts:create_organisation"), organisation_data("City of Ghent", "NL")
    )
    assert response.status_code == 302
    assert Organisation.objects.filter(normalised_name="city of ghent").count() == 2


def test_create_refuses_a_copy_made_in_between(monkeypatch, organisation):
    """The look-up misses a copy created a moment later: the constraint still holds."""
    monkeypatch.setattr(accounts, "find_organisation", _miss_once(accounts.find_organisation))
    with pytest.raises(accounts.OrganisationExists) as refused:
        accounts.create_organisation(
            user=UserFactory(roles=[Role.APPLICANT]),
            name="City of Ghent",
            country="BE",
            level="local",
            sector="public",
        )
    assert refused.value.organisation == organisation


def _miss_once(find):
    calls = []

    def finder(**kwargs):
        calls.append(kwargs)
        return None if len(calls) == 1 else find(**kwargs)

    return finder


def test_the_migration_marks_existing_duplicates_instead_of_failing():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("cases.migrations.0008_organisation_unique_names")
    first = Organisation.objects.create(name="Town of Tartu", country="EE")
    second = Organisation.objects.create(name="Tartu town hall", country="EE")
    # A copy stored before the rule: same name, the normalised one not yet filled in.
    Organisation.objects.filter(pk=second.pk).update(name="TOWN OF TARTU", normalised_name="")
    migration.fill_normalised_names(apps, None)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.normalised_name == "town of tartu"
    assert second.normalised_name == f"town of tartu #{second.pk}"
