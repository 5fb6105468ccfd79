import pytest

from cases.models import CollaborationType, CoproductionPhase, EcosystemFactor, FactorProfileValue
from tests.factories import PublishedCaseFactory
from tests.library.conftest import hidden_cases  # noqa: F401 (a fixture)


@pytest.fixture(autouse=True)
def empty_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_case(db):
    """A published case with a profile (list of eight values or None), types and phases."""
    factors = list(EcosystemFactor.objects.order_by("order"))

    def make(profile=None, types=(), phases=(), **fields):
        case = PublishedCaseFactory(**fields)
        for factor, value in zip(factors, profile or [], strict=False):
            if value is not None:
                FactorProfileValue.objects.create(
                    case=case, factor=factor, value=value, source="consensus"
                )
        for slug in types:
            case.collaboration_types.add(CollaborationType.objects.get(slug=slug))
        for slug in phases:
            case.coproduction_phases.add(CoproductionPhase.objects.get(slug=slug))
        return case

    return make
