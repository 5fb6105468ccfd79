import pytest
from django.urls import reverse

from cases.interfaces.charts import BarSeries, RadarSeries, bar_chart, radar_chart
from cases.models import CollaborationType, CoproductionPhase, EcosystemFactor, FactorProfileValue
from tests.factories import PublishedCaseFactory

pytestmark = pytest.mark.django_db


def test_stats_page_counts_published_cases(client, hidden_cases):
    kind = CollaborationType.objects.get(slug="public-private")
    phase = CoproductionPhase.objects.get(slug="co-design")
    factor = EcosystemFactor.objects.get(slug="policy-environment")
    for country in ("AT", "AT", "PT"):
        case = PublishedCaseFactory(country=country)
        case.collaboration_types.add(kind)
        case.coproduction_phases.add(phase)
        FactorProfileValue.objects.create(case=case, factor=factor, value=4, source="consensus")
    response = client.get(reverse("library:stats"))
    assert response.status_code == 200
    context = response.context
    assert context["figures"].total == 3
    assert context["country_rows"][0]["code"] == "AT" and context["country_rows"][0]["count"] == 2
    phase_counts = {row["phase"].slug: row["count"] for row in context["phase_rows"]}
    assert phase_counts["co-design"] == 3
    coverage = {row["factor"].slug: row for row in context["factor_rows"]}
    assert coverage["policy-environment"]["with_value"] == 3
    assert coverage["policy-environment"]["strong"] == 3
    collaboration = {row["label"]: sum(row["values"]) for row in context["collaboration_table"]}
    assert collaboration["Public–private"] == 3  # hidden cases also carry this type
    html = response.content.decode()
    assert html.count('class="chart bar-chart"') == 4
    assert html.count('class="case-map-svg"') == 1
    assert html.count("<table") >= 4


def test_stats_page_with_an_empty_library(client):
    response = client.get(reverse("library:stats"))
    assert response.status_code == 200
    assert "No published cases yet." in response.content.decode()


def test_radar_chart_escapes_text_and_draws_a_legend_for_several_series():
    svg = radar_chart(
        ["A & B", "<C>", "D"],
        [RadarSeries("<script>x</script>", [1, 2, 3]), RadarSeries("Second", [4, None, 0])],
        title="T <1>",
        description="D & E",
    )
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "A &amp; B" in svg and "&lt;C&gt;" in svg
    assert "<title" in svg and "<desc" in svg
    assert svg.count("<polygon") >= 3  # rings, one full polygon, markers
    assert "Second</text>" in svg


def test_bar_chart_scales_to_the_largest_value():
    svg = bar_chart(["x", "y"], [BarSeries("n", [10, 5])], title="t", description="d")
    assert 'width="84.0%"' in svg and 'width="42.0%"' in svg


def test_statistics_follow_publication_changes(client):
    case = PublishedCaseFactory(country="LU")
    assert client.get(reverse("library:stats")).context["figures"].total == 1
    case.is_published = False
    case.save()
    assert client.get(reverse("library:stats")).context["figures"].total == 0
