import re

import django_filters
import pytest
import yaml
from openapi_spec_validator import validate

from cases.interfaces.filters import LibraryFilterSet
from tests.factories import CategoryFactory, EditionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    CategoryFactory(edition=EditionFactory(slug="epsa-2031", name="EPSA 2031"))
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate(schema)


def test_schema_is_served_as_yaml_too(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    # application/vnd.oai.openapi is the registered YAML form of OpenAPI.
    assert response["Content-Type"].startswith("application/vnd.oai.openapi;")
    assert yaml.safe_load(response.content)["paths"]
    as_json = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert as_json.json()["paths"]


def test_every_library_filter_is_documented_with_its_values(schema):
    parameters = {
        parameter["name"]: parameter
        for parameter in schema["paths"]["/api/v1/cases/"]["get"]["parameters"]
    }
    filterset = LibraryFilterSet()
    assert set(filterset.filters) <= set(parameters)
    for name, item in filterset.filters.items():
        documented = parameters[name]["schema"]
        if isinstance(item, django_filters.MultipleChoiceFilter):
            assert documented["type"] == "array"
            values = [value for value, _label in filterset.form.fields[name].choices]
            assert sorted(documented["items"].get("enum", [])) == sorted(values), name
            assert values
        elif isinstance(item, django_filters.ChoiceFilter):
            assert sorted(documented["enum"]) == sorted(v for v, _label in item.extra["choices"])
        elif isinstance(item, django_filters.NumberFilter):
            assert documented["minimum"] == item.extra["min_value"]
            assert documented["maximum"] == item.extra["max_value"]
    assert "epsa-2031" in parameters["edition"]["schema"]["items"]["enum"]
    assert parameters["page_size"]["schema"]["maximum"] == 100
    assert "cursor" in parameters


def test_every_endpoint_documents_its_responses(schema):
    paths = schema["paths"]
    for path in (
        "/api/v1/cases/",
        "/api/v1/cases/{slug}/",
        "/api/v1/facets/",
        "/api/v1/editions/",
        "/api/v1/vocabularies/",
        "/api/v1/stats/",
    ):
        operation = paths[path]["get"]
        assert "200" in operation["responses"]
        assert "429" in operation["responses"]
        assert set(paths[path]) == {"get"}, path  # read-only
    outcomes = schema["components"]["schemas"]["OutcomeEnum"]["enum"]
    assert set(outcomes) == {"winner", "nominee", "certificate", "special-recognition", "submitted"}
    assert "OutcomeEnum" in str(schema["components"]["schemas"]["Case"]["properties"]["outcome"])


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_documentation_pages_load_nothing_from_other_sites(client, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources
    assert all(not source.startswith(("http://", "https://", "//")) for source in sources), sources


def test_swagger_ui_has_no_inline_script(client):
    html = client.get("/api/docs/").content.decode()
    assert re.findall(r"<script>", html) == []  # every script has a src (CSP-friendly)
    script = client.get("/api/docs/", {"script": ""})
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()
