import pytest


@pytest.fixture
def area_urls(settings):
    """Use the URLconf in which every audience area resolves (real or stand-in)."""
    settings.ROOT_URLCONF = "tests.interface.urls"
    return settings
