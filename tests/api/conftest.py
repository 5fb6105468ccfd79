import pytest


@pytest.fixture(autouse=True)
def empty_cache():
    """Cached counts, modification times and throttle counters must not leak between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# The library's fixtures: cases in every state the public must never see, and reindexing.
from tests.library.conftest import hidden_cases, reindex  # noqa: E402, F401
