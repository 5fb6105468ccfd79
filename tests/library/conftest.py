import pytest

from cases.domain.search import update_search_vectors
from cases.models import CaseStatus, CollaborationType, EcosystemFactor, FactorProfileValue
from tests.factories import CaseFactory


@pytest.fixture(autouse=True)
def empty_cache():
    """Cached facet counts must not leak from one test's (rolled back) data to the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def reindex():
    """Search documents are refreshed after commit, which a test transaction never reaches:
    tests call this once their cases exist (it does nothing on SQLite)."""
    return lambda: update_search_vectors(None)


@pytest.fixture
def hidden_cases(db):
    """One case in every state the library must never show; each contains "hiddenword"."""
    common = {"summary": "hiddenword appears in every hidden case."}
    cases = [
        CaseFactory(title="Draft hiddenword", status=CaseStatus.DRAFT, **common),
        CaseFactory(title="Ineligible hiddenword", status=CaseStatus.INELIGIBLE, **common),
        CaseFactory(title="Withdrawn hiddenword", status=CaseStatus.WITHDRAWN, **common),
        CaseFactory(
            title="Eligible unpublished hiddenword",
            status=CaseStatus.ELIGIBLE,
            publication_consent=True,
            **common,
        ),
    ]
    factor = EcosystemFactor.objects.get(slug="policy-environment")
    kind = CollaborationType.objects.get(slug="public-private")
    for case in cases:
        case.collaboration_types.add(kind)
        FactorProfileValue.objects.create(case=case, factor=factor, value=4, source="consensus")
    return cases
