"""The style sheet keeps its accessibility promises: readable colour pairs, nothing remote."""

import re
from pathlib import Path

import pytest
from django.conf import settings

CSS = (Path(settings.BASE_DIR) / "static" / "css" / "portal.css").read_text()
RULES = re.sub(r"/\*.*?\*/", "", CSS, flags=re.S)  # without comments
BLOCK = re.compile(r"([^{}]+)\{([^{}]*)\}")
HEX = re.compile(r"^#([0-9a-fA-F]{6})$")


def tokens():
    root = re.search(r":root\s*\{([^}]*)\}", RULES).group(1)
    return dict(re.findall(r"(--[\w-]+):\s*([^;]+);", root))


def resolve(value, names):
    value = value.strip()
    match = re.fullmatch(r"var\((--[\w-]+)\)", value)
    if match:
        value = names.get(match.group(1), "").strip()
    return value if HEX.match(value) else None


def luminance(colour):
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground, background):
    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def colour_pairs():
    """Every rule that sets both a text colour and a background colour we can resolve."""
    names = tokens()
    pairs = []
    for selector, body in BLOCK.findall(RULES):
        declarations = dict(re.findall(r"(?:^|;)\s*([\w-]+)\s*:\s*([^;]+)", body))
        colour = resolve(declarations.get("color", ""), names)
        background = resolve(declarations.get("background", ""), names)
        if colour and background:
            pairs.append((" ".join(selector.split()), colour, background))
    return pairs


def test_the_contrast_check_finds_the_colour_pairs():
    selectors = [selector for selector, _, _ in colour_pairs()]
    assert len(selectors) >= 20
    for expected in (".button,", ".badge-winner", ".site-header", ".badge.status-eligible", "body"):
        assert any(selector.startswith(expected) for selector in selectors), expected


@pytest.mark.parametrize(("selector", "colour", "background"), colour_pairs())
def test_text_colours_meet_wcag_aa(selector, colour, background):
    assert contrast(colour, background) >= 4.5, f"{selector}: {colour} on {background}"


@pytest.mark.parametrize(
    ("foreground", "background", "minimum"),
    [
        ("--color-text", "--color-background", 4.5),
        ("--color-muted", "--color-background", 4.5),
        ("--color-muted", "--color-surface", 4.5),
        ("--color-link", "--color-background", 4.5),
        ("--color-link-visited", "--color-background", 4.5),
        ("--color-link", "--color-surface", 4.5),
        ("--color-error", "--color-error-surface", 4.5),
        ("--color-warning", "--color-warning-surface", 4.5),
        ("--color-success", "--color-success-surface", 4.5),
        # Notices set only a background: body text must stay readable on each.
        ("--color-text", "--color-info-surface", 4.5),
        ("--color-text", "--color-error-surface", 4.5),
        ("--color-text", "--color-warning-surface", 4.5),
        ("--color-text", "--color-success-surface", 4.5),
        ("--color-link", "--color-info-surface", 4.5),
        # Form control borders and the focus ring are non-text contrast: 3:1.
        ("--color-control-border", "--color-background", 3),
        ("--color-focus-ring", "--color-background", 3),
        ("--color-focus", "--color-primary", 3),
    ],
)
def test_design_tokens_are_readable_together(foreground, background, minimum):
    names = tokens()
    ratio = contrast(names[foreground].strip(), names[background].strip())
    assert ratio >= minimum, f"{foreground} on {background}: {ratio:.2f}"


def test_white_text_on_the_header_and_buttons_is_readable():
    names = tokens()
    assert contrast("#ffffff", names["--color-primary"].strip()) >= 4.5
    assert contrast("#ffffff", names["--color-link"].strip()) >= 4.5


def test_nothing_is_loaded_from_elsewhere():
    assert "@import" not in CSS
    assert "url(" not in CSS
    base = (Path(settings.BASE_DIR) / "templates" / "base.html").read_text()
    assert not re.search(r'<(link|script)[^>]+(href|src)="(https?:)?//', base)


def test_focus_is_always_visible():
    assert re.search(r"(^|\n)\s*:focus-visible\s*\{[^}]*outline:\s*3px solid", RULES)
    # Only the main landmark (focused by the skip link, not by the user) drops its ring.
    without_ring = [
        selector.strip()
        for selector, body in BLOCK.findall(RULES)
        if re.search(r"outline:\s*(none|0)\b", body)
    ]
    assert without_ring == ["main:focus"]
