"""The map of the cases: shading from the counts the page already has, links that keep the
other filters, a table with the same figures, no extra query, and shapes prepared once."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from cases.interfaces.maps import SHADES, CaseMap, case_map, legend, map_shapes, shade_index
from cases.library import views
from cases.management.commands import build_europe_map
from cases.models import CoproductionPhase
from tests.factories import PublishedCaseFactory

pytestmark = pytest.mark.django_db


def test_the_committed_shapes_cover_europe_and_its_neighbours():
    codes = map_shapes().codes
    eu = "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE"
    neighbours = "IS NO CH GB UA TR MA TN EG RS BA AL ME MK MD GE AM"
    assert set(eu.split()) | set(neighbours.split()) <= codes


def test_the_committed_shapes_are_the_build_of_the_shipped_natural_earth_package(tmp_path):
    source = build_europe_map.DEFAULT_SOURCE
    assert source.is_file(), f"{source} is missing: run `make test-tools` (npm ci)"
    built = build_europe_map.build(source)
    committed = json.loads((Path(settings.BASE_DIR) / "cases/data/europe_map.json").read_text())
    assert built == committed


def test_shades_grow_with_the_count_on_a_log_scale():
    assert shade_index(0, 10) == -1
    assert shade_index(1, 1) == len(SHADES) - 1
    indices = [shade_index(count, 1000) for count in (1, 10, 100, 1000)]
    assert indices == sorted(indices) and indices[0] < indices[-1] == len(SHADES) - 1
    ranges = legend(1000)
    assert ranges[0]["low"] == 1 and ranges[-1]["high"] == 1000
    for before, after in zip(ranges, ranges[1:], strict=False):
        assert after["low"] == before["high"] + 1


def test_countries_with_cases_are_links_with_their_count_and_the_rest_is_plain_land():
    result = case_map(
        {"FR": 12, "MT": 1, "EU": 3, "DE": 0}, link_prefix="?", title="Cases", map_id="m"
    )
    svg = str(result.svg)
    assert '<a href="?country=FR" class="case-map-country" data-country="FR"' in svg
    assert "<title>France: 12 cases</title>" in svg
    assert 'aria-label="Malta: 1 case"' in svg
    assert "<circle" in svg  # Malta is too small to click without its dot
    assert 'data-country="DE"' not in svg
    assert [row["code"] for row in result.rows] == ["FR", "EU", "MT"]
    assert [row["url"] for row in result.rows] == ["?country=FR", "?country=EU", "?country=MT"]
    assert [row["code"] for row in result.outside] == ["EU"]
    assert 'role="group" aria-labelledby="m-title"' in svg
    assert "style=" not in svg


def test_the_library_map_follows_the_other_filters_and_keeps_them_in_its_links(client):
    co_design = CoproductionPhase.objects.get(slug="co-design")
    for country in ("FR", "FR", "DE"):
        PublishedCaseFactory(country=country).coproduction_phases.add(co_design)
    PublishedCaseFactory(country="IT")  # no phase: filtered out
    html = client.get("/en/library/", {"phase": "co-design", "country": "FR"}).content.decode()
    assert "Map of the cases" in html
    links = dict(
        re.findall(r'<a href="([^"]+)" class="case-map-country" data-country="(\w+)"', html)
    )
    assert set(links.values()) == {"FR", "DE"}  # a country facet counts under the others
    france = next(url for url, code in links.items() if code == "FR")
    assert "phase=co-design" in france.replace("&amp;", "&")
    assert "country=FR" in france and "country=DE" not in france
    assert "France: 2 cases" in html and "Germany: 1 case" in html
    assert "Italy: 1" not in html


def test_the_map_adds_no_query_to_the_library_page(client, monkeypatch):
    for country in ("FR", "DE", "ES"):
        PublishedCaseFactory(country=country)
    client.get("/en/library/")  # warm the cached counts
    with CaptureQueriesContext(connection) as with_map:
        html = client.get("/en/library/").content.decode()
    assert "case-map-country" in html
    monkeypatch.setattr(
        views, "case_map", lambda *args, **kwargs: CaseMap(svg="", rows=[], legend=[], outside=[])
    )
    with CaptureQueriesContext(connection) as without_map:
        html = client.get("/en/library/").content.decode()
    assert "case-map-country" not in html
    assert len(with_map) == len(without_map)


def test_the_same_counts_give_the_same_map_without_drawing_it_again():
    first = case_map({"AT": 2}, link_prefix="?q=x", title="Cases", map_id="m")
    assert case_map({"AT": 2}, link_prefix="?q=x", title="Cases", map_id="m") is first
    assert first.rows[0]["url"] == "?q=x&country=AT"
    with translation.override("de"):
        german = case_map({"AT": 2}, link_prefix="?q=x", title="Cases", map_id="m")
    assert german is not first and "Österreich: 2 Fälle" in german.svg


def test_the_map_is_translated(client):
    PublishedCaseFactory(country="DE")
    html = client.get("/fr/library/").content.decode()
    assert "Carte des cas" in html and "Allemagne : 1 cas" in html


def test_the_statistics_page_has_the_map(client):
    PublishedCaseFactory(country="AT")
    html = client.get("/en/library/stats/").content.decode()
    assert 'id="stats-map"' in html
    assert 'href="/en/library/?country=AT"' in html
