"""List pages read a fixed number of queries, whatever the number of rows."""

import pytest
from django.urls import reverse

from cases.domain import applications as app
from tests.factories import EditionFactory, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def make_applicant_with_cases(count):
    user = UserFactory(roles=["applicant"])
    organisation = OrganisationFactory()
    MembershipFactory(user=user, organisation=organisation)
    for number in range(count):
        edition = EditionFactory(slug=f"edition-{count}-{number}")
        app.start_application(user=user, edition=edition, organisation=organisation)
    return user


@pytest.mark.parametrize("count", [1, 3])
def test_dashboard_query_count(client, django_assert_num_queries, count):
    user = make_applicant_with_cases(count)
    client.force_login(user)
    with django_assert_num_queries(7):
        response = client.get(reverse("applications:dashboard"))
    assert len(response.context["page_obj"]) == count
    assert len(response.context["open_editions"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_membership_requests_query_count(client, django_assert_num_queries, count):
    member = UserFactory(roles=["applicant"])
    organisation = OrganisationFactory()
    MembershipFactory(user=member, organisation=organisation)
    for _ in range(count):
        MembershipFactory(organisation=organisation, status="pending")
    client.force_login(member)
    with django_assert_num_queries(5):
        response = client.get(reverse("accounts:membership_requests"))
    assert len(response.context["page_obj"]) == count
