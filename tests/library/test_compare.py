import pytest
from django.urls import reverse

from cases.models import CollaborationType, EcosystemFactor, FactorProfileValue
from tests.factories import PartnerFactory, PublishedCaseFactory

pytestmark = pytest.mark.django_db
COMPARE = reverse("library:compare")
ADD = reverse("library:compare_add")
REMOVE = reverse("library:compare_remove")


def compared(count):
    factor = EcosystemFactor.objects.get(slug="policy-environment")
    kind = CollaborationType.objects.get(slug="cross-border")
    cases = []
    for index in range(count):
        case = PublishedCaseFactory(title=f"Compared case {index}")
        case.collaboration_types.add(kind)
        PartnerFactory(case=case)
        FactorProfileValue.objects.create(
            case=case, factor=factor, value=min(index + 1, 4), source="consensus"
        )
        cases.append(case)
    return cases


def test_comparison_by_url_shows_facts_profiles_and_legend(client):
    a, b = compared(2)
    response = client.get(COMPARE, {"cases": f"{a.slug},{b.slug}"})
    html = response.content.decode()
    assert response.status_code == 200
    assert [case.slug for case in response.context["cases"]] == [a.slug, b.slug]
    assert html.count("Cross-border public") == 2
    assert "Third sector" in html
    assert "<svg" in html and "Compared case 0</text>" in html and "Compared case 1</text>" in html
    rows = response.context["factor_rows"]
    assert [float(v.value) if v else None for v in rows[0]["values"]] == [1.0, 2.0]


@pytest.mark.parametrize("count", [2, 4])
def test_comparison_query_count_is_fixed(client, django_assert_num_queries, count):
    cases = compared(count)
    with django_assert_num_queries(1):
        response = client.get(COMPARE, {"cases": ",".join(c.slug for c in cases)})
    assert len(response.context["cases"]) == count


def test_comparison_of_one_and_three_cases_runs_the_same_queries(client, django_assert_num_queries):
    one, two, three = compared(3)
    with django_assert_num_queries(1):
        client.get(COMPARE, {"cases": f"{one.slug},{two.slug}"})
    with django_assert_num_queries(1):
        client.get(COMPARE, {"cases": f"{one.slug},{two.slug},{three.slug}"})


def test_more_than_four_cases_is_a_bad_request(client):
    cases = compared(5)
    response = client.get(COMPARE, {"cases": ",".join(c.slug for c in cases)})
    assert response.status_code == 400
    assert "at most 4 cases" in response.content.decode()


def test_one_case_is_a_bad_request(client):
    (case,) = compared(1)
    response = client.get(COMPARE, {"cases": case.slug})
    assert response.status_code == 400
    assert "at least two" in response.content.decode()


def test_unknown_slug_is_not_found_with_a_message(client):
    (case,) = compared(1)
    response = client.get(COMPARE, {"cases": f"{case.slug},no-such-case"})
    assert response.status_code == 404
    assert "“no-such-case”" in response.content.decode()


def test_unpublished_slug_is_not_found(client, hidden_cases):
    (case,) = compared(1)
    for hidden in hidden_cases:
        response = client.get(COMPARE, {"cases": f"{case.slug},{hidden.slug}"})
        assert response.status_code == 404
        assert hidden.title not in response.content.decode()


def test_session_comparison_add_remove_and_limit(client):
    cases = compared(5)
    for case in cases[:4]:
        response = client.post(ADD, {"case": case.slug, "next": reverse("library:list")})
        assert response.status_code == 302
        assert response["Location"] == reverse("library:list")
    response = client.post(ADD, {"case": cases[4].slug}, follow=True)
    assert "already holds four cases" in response.content.decode()
    page = client.get(COMPARE)
    assert [c.slug for c in page.context["cases"]] == [c.slug for c in cases[:4]]
    client.post(REMOVE, {"case": cases[0].slug})
    page = client.get(COMPARE)
    assert [c.slug for c in page.context["cases"]] == [c.slug for c in cases[1:4]]


def test_adding_a_case_twice_keeps_one(client):
    a, b = compared(2)
    client.post(ADD, {"case": a.slug})
    client.post(ADD, {"case": a.slug})
    client.post(ADD, {"case": b.slug})
    assert [c.slug for c in client.get(COMPARE).context["cases"]] == [a.slug, b.slug]


def test_adding_an_unpublished_case_is_not_found(client, hidden_cases):
    for hidden in hidden_cases:
        assert client.post(ADD, {"case": hidden.slug}).status_code == 404


def test_add_refuses_redirects_to_other_sites(client):
    (case,) = compared(1)
    response = client.post(ADD, {"case": case.slug, "next": "https://evil.example/"})
    assert response["Location"] == case.get_absolute_url()


def test_comparison_needs_post_to_change(client):
    (case,) = compared(1)
    assert client.get(ADD, {"case": case.slug}).status_code == 405


def test_empty_comparison_explains_what_to_do(client):
    response = client.get(COMPARE)
    assert response.status_code == 200
    assert "Choose two to 4 cases" in response.content.decode()


def test_session_list_forgets_cases_unpublished_later(client):
    a, b, c = compared(3)
    for case in (a, b, c):
        client.post(ADD, {"case": case.slug})
    c.is_published = False
    c.save()
    response = client.get(COMPARE)
    assert response.status_code == 200
    assert [item.slug for item in response.context["cases"]] == [a.slug, b.slug]


def test_comparison_dates_row_says_not_recorded_without_dates(client):
    import datetime

    a, b = compared(2)
    a.start_date = datetime.date(2019, 4, 1)
    a.ongoing = True
    a.save()
    response = client.get(COMPARE, {"cases": f"{a.slug},{b.slug}"})
    html = response.content.decode()
    row = html[html.index('<th scope="row">Dates</th>') :].split("</tr>")[0]
    assert "2019–ongoing" in row
    assert "Not recorded" in row
    assert "?–" not in row
