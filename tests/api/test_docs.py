from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cases.interfaces.api_docs import api_markdown

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def test_docs_api_md_matches_the_schema():
    assert DOCS.read_text(encoding="utf-8") == api_markdown(), (
        "docs/api.md differs from the OpenAPI schema: run `manage.py api_docs`."
    )


def test_check_fails_when_the_docs_drift(monkeypatch, tmp_path):
    from cases.management.commands import api_docs

    drifted = tmp_path / "api.md"
    drifted.write_text(DOCS.read_text(encoding="utf-8").replace("cursor", "page"))
    monkeypatch.setattr(api_docs, "DOCS_PATH", drifted)
    with pytest.raises(CommandError, match="differs"):
        call_command("api_docs", "--check")


def test_docs_name_every_endpoint_and_library_parameter():
    from cases.interfaces.filters import LibraryFilterSet

    text = DOCS.read_text(encoding="utf-8")
    for path in ("cases/", "cases/{slug}/", "facets/", "editions/", "vocabularies/", "stats/"):
        assert f"GET /api/v1/{path}`" in text
    for name in LibraryFilterSet.base_filters:
        assert f"| `{name}` |" in text
