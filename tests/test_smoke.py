import pytest

pytestmark = pytest.mark.django_db


def test_home_page_shows_published_case_count(client):
    from tests.factories import CaseFactory, PublishedCaseFactory

    PublishedCaseFactory.create_batch(2)
    CaseFactory()  # a draft is not counted
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["figures"]["cases"] == 2
