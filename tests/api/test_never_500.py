"""Whatever a client sends, the API answers 200 or a JSON 400, never a server error."""

from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import PublishedCaseFactory

pytestmark = pytest.mark.django_db

NAMES = st.sampled_from(
    [
        "q",
        "collaboration",
        "country",
        "year_from",
        "year_to",
        "sort",
        "cursor",
        "page_size",
        "edition",
        "factor",
        "outcome",
        "stage",
        "unknown",
    ]
)
VALUES = st.text(max_size=80) | st.sampled_from(["", "0", "-1", "2023", "public-private", "DE"])


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(pairs=st.lists(st.tuples(NAMES, VALUES), max_size=6))
def test_any_query_is_200_or_a_json_400(client, pairs):
    PublishedCaseFactory()
    for path in ("/api/v1/cases/", "/api/v1/facets/"):
        response = client.get(f"{path}?{urlencode(pairs)}")
        assert response.status_code in (200, 400), (path, pairs)
        assert response["Content-Type"] == "application/json"
        if response.status_code == 400:
            assert response.json()["errors"]
