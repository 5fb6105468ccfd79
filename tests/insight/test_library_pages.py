import pytest
from django.urls import reverse

from cases.domain.derived import refresh_derived_data
from cases.domain.queries.analytics import MIN_CASES

HIGH = [4, 4, 3, 4, 3, 4, 4, 3]
LOW = [1, 1, 0, 1, 0, 0, 1, 0]


@pytest.fixture
def library(make_case):
    strong = [
        make_case(HIGH, ["public-private"], title=f"Open data for citizens {n}")
        for n in range(MIN_CASES)
    ]
    weak = [make_case(LOW, ["public-research"], title=f"Lab study {n}") for n in range(2)]
    refresh_derived_data([case.pk for case in strong + weak])
    return strong, weak


def test_case_page_lists_similar_cases_with_reasons(client, library):
    strong, weak = library
    response = client.get(strong[0].get_absolute_url())
    assert response.status_code == 200
    similar = response.context["similar"]
    assert len(similar) == 5
    assert similar[0].case.pk in {case.pk for case in strong[1:]}
    assert "Same collaboration type (Public–private)" in similar[0].reason
    assert "similar profile" in similar[0].reason
    assert "shares: open, data, citizens" in similar[0].reason
    assert reverse("library:methods") in response.content.decode()


def test_case_page_never_lists_a_similar_case_unpublished_since(client, library):
    strong, _weak = library
    listed = client.get(strong[0].get_absolute_url()).context["similar"]
    gone = listed[0].case
    type(strong[0]).objects.filter(pk=gone.pk).update(is_published=False)
    response = client.get(strong[0].get_absolute_url())
    assert gone.pk not in {item.case.pk for item in response.context["similar"]}
    assert gone.title not in response.content.decode()


def test_case_page_computes_a_missing_list_once(client, library, django_assert_num_queries):
    from cases.models import SimilarCase, SimilarityFeatures

    strong, _weak = library
    # As a bulk import leaves it: features stored, the list left for later.
    SimilarCase.objects.filter(case=strong[0]).delete()
    SimilarityFeatures.objects.filter(case=strong[0]).update(list_ready=False)
    client.get(strong[0].get_absolute_url())
    assert SimilarCase.objects.filter(case=strong[0]).count() == 5
    assert SimilarityFeatures.objects.get(case=strong[0]).list_ready


def test_stats_page_shows_analytics_for_the_filters(client, library):
    response = client.get(reverse("library:stats"), {"collaboration": "public-research"})
    assert response.status_code == 200
    figures = response.context["analytics"]
    assert figures.total == 2
    body = response.content.decode()
    assert "fewer than 5" in body
    assert 'id="factor-analytics"' in body


def test_stats_page_links_each_figure_to_its_cases(client, library):
    strong, _weak = library
    response = client.get(reverse("library:stats"))
    cell = response.context["distribution_rows"][0]["cells"][4]
    assert cell["figure"].cases == MIN_CASES
    listed = client.get(cell["url"])
    assert listed.status_code == 200
    assert {case.pk for case in listed.context["page"].object_list} == {c.pk for c in strong}
    pair = response.context["cooccurrence_rows"][0]["cells"][1]
    listed = client.get(pair["url"])
    assert listed.context["page"].paginator.count == MIN_CASES
    group = response.context["collaboration_rows"][3]
    assert group["group"].key == "public-private"
    assert client.get(group["url"]).context["page"].paginator.count == MIN_CASES


@pytest.mark.parametrize(
    "params",
    [{"rating": "nonsense:9"}, {"strong": ["a", "b", "c"]}, {"group": "planet:mars"}],
)
def test_figure_cases_refuses_unknown_figures(client, db, params):
    response = client.get(reverse("library:figure_cases"), params)
    assert response.status_code == 400
    assert response.context["error"]


def test_figure_cases_never_show_unpublished_cases(client, hidden_cases):
    response = client.get(reverse("library:figure_cases"), {"strong": "policy-environment"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0


def test_analytics_json_serves_the_same_figures(client, library):
    response = client.get(reverse("library:analytics_json"), {"collaboration": "public-private"})
    data = response.json()
    assert data["total"] == MIN_CASES
    assert data["min_cases"] == 5
    assert data["distribution"]["policy-environment"]["4"]["cases"] == MIN_CASES
    assert data["query"] == {"collaboration": ["public-private"]}


def test_methods_page_is_in_the_footer(client, db):
    response = client.get(reverse("library:list"))
    assert reverse("library:methods") in response.content.decode()
    page = client.get(reverse("library:methods"))
    assert page.status_code == 200
    assert "fewer than 5" in page.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_figure_cases_query_count_is_fixed(client, make_case, django_assert_num_queries, count):
    for _ in range(count):
        make_case(HIGH, ["public-private"])
    with django_assert_num_queries(4):
        client.get(reverse("library:figure_cases"), {"strong": "policy-environment"})


def test_api_serves_factor_analytics_and_similar_cases(client, library):
    strong, _weak = library
    data = client.get("/api/v1/stats/factors/", {"collaboration": "public-private"}).json()
    assert data["total"] == MIN_CASES
    assert data["distribution"]["policy-environment"]["4"]["cases"] == MIN_CASES
    assert data["min_cases"] == 5
    bad = client.get("/api/v1/stats/factors/", {"nonsense": "1"})
    assert bad.status_code == 400
    similar = client.get(f"/api/v1/cases/{strong[0].slug}/similar/").json()
    assert similar["case"] == strong[0].slug
    assert len(similar["similar"]) == 5
    assert similar["similar"][0]["reason"].startswith("Same collaboration type")
    assert client.get("/api/v1/cases/no-such-case/similar/").status_code == 404
