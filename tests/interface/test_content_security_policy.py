"""Content-Security-Policy: every page sends the policy, and nothing the portal renders needs
an exception to it (no inline script or style in templates, charts or the error pages)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from cases.interfaces.charts import BarSeries, RadarSeries, bar_chart, radar_chart
from tests.factories import PublishedCaseFactory

TEMPLATES = Path(settings.BASE_DIR) / "templates"
EXPECTED_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}
# An executable <script> without src=, an inline style element or attribute, an event handler
# attribute or a javascript: URL. JSON data blocks (json_script) are not executed and are allowed.
INLINE_CODE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>"
    r"|<style\b|\sstyle=|\son[a-z]+=|javascript:",
    re.IGNORECASE,
)


def _directives(header):
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/about/", "/library/", "/library/stats/", "/accounts/login/"]
)
def test_pages_send_the_policy(client, path):
    PublishedCaseFactory()
    response = client.get(path)
    assert response.status_code == 200
    directives = _directives(response["Content-Security-Policy"])
    for name, value in EXPECTED_DIRECTIVES.items():
        assert directives.get(name) == value, (name, directives)
    # No third-party origin anywhere in the policy.
    assert not re.search(r"https?:|\*", response["Content-Security-Policy"])


@pytest.mark.django_db
def test_error_pages_send_the_policy(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_no_template_holds_inline_script_or_style():
    offenders = []
    for template in sorted(TEMPLATES.rglob("*.html")) + sorted(TEMPLATES.rglob("*.svg")):
        for number, line in enumerate(template.read_text().splitlines(), start=1):
            if INLINE_CODE.search(line):
                offenders.append(f"{template.relative_to(TEMPLATES)}:{number}: {line.strip()}")
    assert offenders == []


def test_the_inline_code_pattern_finds_what_it_must():
    for snippet in (
        "<script>alert(1)</script>",
        '<script type="module">x()</script>',
        "<style>p{}</style>",
        '<span style="height: 3%">',
        '<button onclick="go()">',
        '<a href="javascript:void(0)">',
    ):
        assert INLINE_CODE.search(snippet), snippet
    for snippet in (
        '<script src="/static/js/autosave.js" defer></script>',
        '<script id="strings" type="application/json">{}</script>',
    ):
        assert not INLINE_CODE.search(snippet), snippet


def test_charts_use_presentation_attributes_only():
    radar = radar_chart(
        ["Policy", "Platform", "Partners"],
        [RadarSeries("Case", [1, 2, 3]), RadarSeries("Other", [4, None, 0])],
        title="Profile",
        description="Two cases",
    )
    bars = bar_chart(
        ["Belgium", "Finland"], [BarSeries("Cases", [3, 1])], title="t", description="d"
    )
    for svg in (radar, bars):
        assert "<svg" in svg and "fill=" in svg
        assert not INLINE_CODE.search(svg), svg
