import json

import pytest
from django.urls import reverse

from cases.domain import collections as actions
from cases.models import CaseStatus, Collection, CollectionItem
from tests.factories import CaseFactory, PublishedCaseFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return UserFactory()


@pytest.fixture
def collection(owner):
    cases = [PublishedCaseFactory(title=f"Collected case {n}") for n in range(2)]
    return actions.create_collection(
        owner=owner, name="Mobility", note="Cases for my thesis", case_slugs=[c.slug for c in cases]
    )


def test_saving_a_comparison_creates_a_collection(client, owner):
    cases = [PublishedCaseFactory() for _ in range(2)]
    client.force_login(owner)
    response = client.post(
        reverse("library:collection_create"),
        {"name": "Two cases", "note": "Why", "cases": ",".join(c.slug for c in cases)},
    )
    collection = Collection.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"/collections/{collection.pk}/#messages")
    assert list(collection.items.values_list("case_id", flat=True)) == [c.pk for c in cases]


def test_a_collection_of_unpublished_cases_is_refused(client, owner):
    hidden = CaseFactory(status=CaseStatus.ELIGIBLE)
    client.force_login(owner)
    response = client.post(
        reverse("library:collection_create"), {"name": "Secret", "cases": hidden.slug}
    )
    assert response.status_code == 400
    assert not Collection.objects.exists()
    assert "Only published cases can be collected" in response.content.decode()
    assert response.context["form"]["name"].value() == "Secret"  # what was typed is kept


def test_adding_an_unpublished_case_is_refused(collection, owner):
    hidden = CaseFactory(status=CaseStatus.ELIGIBLE)
    with pytest.raises(actions.CollectionError):
        actions.add_case(collection=collection, by=owner, case_slug=hidden.slug)


def test_a_case_unpublished_later_disappears_from_the_collection(client, collection):
    first = collection.items.first().case
    first.is_published = False
    first.save()
    response = client.get(reverse("library:shared_collection", args=[collection.share_token]))
    assert first.title not in response.content.decode()
    assert response.context["page"].paginator.count == 1


def test_add_from_the_case_page_returns_to_the_form(client, collection, owner):
    case = PublishedCaseFactory()
    client.force_login(owner)
    page = client.get(case.get_absolute_url())
    assert 'id="add-to-collection"' in page.content.decode()
    response = client.post(
        reverse("library:collection_add"),
        {
            "collection": collection.pk,
            "case": case.slug,
            "next": case.get_absolute_url() + "#add-to-collection",
        },
    )
    assert response["Location"] == case.get_absolute_url() + "#add-to-collection"
    assert CollectionItem.objects.filter(collection=collection, case=case).exists()


def test_shared_link_is_read_only_and_exports(client, collection):
    url = reverse("library:shared_collection", args=[collection.share_token])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cases for my thesis" in html
    assert "Remove from this collection" not in html
    csv = b"".join(
        client.get(reverse("library:shared_collection_csv", args=[collection.share_token]))
    ).decode()
    assert "Collected case 0" in csv and "Collected case 1" in csv
    data = json.loads(
        b"".join(
            client.get(
                reverse("library:shared_collection_json", args=[collection.share_token])
            ).streaming_content
        )
    )
    assert len(data["cases"]) == 2


def test_unknown_share_link_is_404(client, db):
    assert client.get(reverse("library:shared_collection", args=["nope"])).status_code == 404


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("library:collection", "get"),
        ("library:collection_edit", "post"),
        ("library:collection_remove", "post"),
        ("library:collection_delete", "get"),
        ("library:collection_delete", "post"),
    ],
)
def test_only_the_owner_may_open_or_change_a_collection(client, collection, name, method):
    url = reverse(name, args=[collection.pk])
    anonymous = getattr(client, method)(url, {"name": "Taken", "case": "x"})
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    client.force_login(UserFactory())
    response = getattr(client, method)(url, {"name": "Taken", "case": "x"})
    assert response.status_code == 404
    collection.refresh_from_db()
    assert collection.name == "Mobility" and collection.items.count() == 2


def test_others_cannot_add_to_a_collection(client, collection):
    client.force_login(UserFactory())
    case = PublishedCaseFactory()
    client.post(reverse("library:collection_add"), {"collection": collection.pk, "case": case.slug})
    assert not CollectionItem.objects.filter(case=case).exists()


def test_delete_asks_first_then_deletes(client, collection, owner):
    client.force_login(owner)
    url = reverse("library:collection_delete", args=[collection.pk])
    page = client.get(url)
    assert "Yes, delete the collection" in page.content.decode()
    assert Collection.objects.exists()
    response = client.post(url)
    assert response.status_code == 302
    assert not Collection.objects.exists()


def test_edit_keeps_what_was_typed_on_error(client, collection, owner):
    client.force_login(owner)
    url = reverse("library:collection_edit", args=[collection.pk])
    response = client.post(url, {"name": "", "note": "A longer note"})
    assert response.status_code == 400
    assert "A longer note" in response.content.decode()
    client.post(url, {"name": "Renamed", "note": "New note"})
    collection.refresh_from_db()
    assert (collection.name, collection.note) == ("Renamed", "New note")


def test_remove_a_case(client, collection, owner):
    client.force_login(owner)
    case = collection.items.first().case
    client.post(reverse("library:collection_remove", args=[collection.pk]), {"case": case.slug})
    assert collection.items.count() == 1


@pytest.mark.parametrize("count", [1, 3])
def test_collection_list_query_count_is_fixed(client, owner, django_assert_num_queries, count):
    for n in range(count):
        actions.create_collection(
            owner=owner, name=f"C{n}", case_slugs=[PublishedCaseFactory().slug]
        )
    client.force_login(owner)
    with django_assert_num_queries(5):
        response = client.get(reverse("library:collections"))
    assert len(response.context["page"].object_list) == count


@pytest.mark.parametrize("count", [1, 3])
def test_shared_page_query_count_is_fixed(client, owner, django_assert_num_queries, count):
    collection = actions.create_collection(
        owner=owner, name="C", case_slugs=[PublishedCaseFactory().slug for _ in range(count)]
    )
    with django_assert_num_queries(3):
        client.get(reverse("library:shared_collection", args=[collection.share_token]))


def test_comparison_page_offers_csv_citations_and_saving(client, owner):
    cases = [PublishedCaseFactory() for _ in range(2)]
    url = reverse("library:compare") + "?cases=" + ",".join(c.slug for c in cases)
    html = client.get(url).content.decode()
    assert "How to cite these cases" in html
    assert "Log in to save this comparison" in html
    client.force_login(owner)
    html = client.get(url).content.decode()
    assert "Save this comparison as a collection" in html
    csv = b"".join(
        client.get(
            reverse("library:compare_csv") + "?cases=" + ",".join(c.slug for c in cases)
        ).streaming_content
    ).decode()
    assert cases[0].title in csv and cases[1].title in csv
