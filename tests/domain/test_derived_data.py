from decimal import Decimal

import pytest
from django.db import connection

from cases.domain.profiles import refresh_factor_profiles
from cases.models import Case, EcosystemFactor, FactorProfileSource, FactorProfileValue
from tests.factories import FactorAssessmentFactory, PartnerFactory, PublishedCaseFactory

pytestmark = pytest.mark.django_db


def test_profile_takes_self_rating_when_no_consensus():
    case = PublishedCaseFactory()
    factor = EcosystemFactor.objects.get(slug="partnership-platform")
    FactorAssessmentFactory(case=case, factor=factor, self_rating=2)
    value = FactorProfileValue.objects.get(case=case, factor=factor)
    assert value.value == Decimal("2")
    assert value.source == FactorProfileSource.SELF_ASSESSMENT


def test_not_applicable_factor_has_no_profile_value():
    case = PublishedCaseFactory()
    FactorAssessmentFactory(case=case, not_applicable=True, self_rating=None)
    assert not FactorProfileValue.objects.filter(case=case).exists()


def test_consensus_wins_over_self_rating_and_survives_later_refreshes():
    case = PublishedCaseFactory()
    factor = EcosystemFactor.objects.get(slug="risk-acknowledgement")
    FactorAssessmentFactory(case=case, factor=factor, self_rating=4)
    refresh_factor_profiles([case.pk], consensus={case.pk: {factor.pk: Decimal("1.5")}})
    refresh_factor_profiles([case.pk])
    value = FactorProfileValue.objects.get(case=case, factor=factor)
    assert (value.value, value.source) == (Decimal("1.50"), FactorProfileSource.CONSENSUS)


@pytest.mark.django_db(transaction=True)
def test_search_vector_follows_partner_changes():
    case = PublishedCaseFactory(title="Harbour data pact")
    PartnerFactory(case=case, name="Lighthouse Cooperative")
    if connection.vendor != "postgresql":
        return  # SQLite keeps no search document: the library searches the live text there
    from django.contrib.postgres.search import SearchQuery

    found = Case.objects.filter(
        search_entry__search_vector=SearchQuery("lighthouse", config="english")
    )
    assert list(found) == [case]


def test_draft_edits_leave_the_library_cache_and_profiles_alone():
    from django.core.cache import cache

    from tests.factories import CaseFactory

    draft = CaseFactory()
    cache.set("library:generation", 41, None)
    FactorAssessmentFactory(case=draft, self_rating=4)
    PartnerFactory(case=draft)
    draft.summary = "Typed during an autosave."
    draft.save()
    assert cache.get("library:generation") == 41
    assert not FactorProfileValue.objects.filter(case=draft).exists()


@pytest.mark.django_db(transaction=True)
def test_publication_builds_the_search_entry():
    from cases.models import CaseStatus
    from tests.factories import CaseFactory

    draft = CaseFactory(title="Tidal energy cooperative")
    PartnerFactory(case=draft, name="Seafarers Guild")
    if connection.vendor != "postgresql":
        return  # SQLite keeps no search document: the library searches the live text there
    from django.contrib.postgres.search import SearchQuery

    def found():
        return list(
            Case.objects.filter(
                search_entry__search_vector=SearchQuery("seafarers", config="english")
            )
        )

    assert found() == []  # a draft has no search document
    draft.status = CaseStatus.SUBMITTED
    draft.save()
    assert found() == []  # nor an entry the library does not show
    draft.status = CaseStatus.ELIGIBLE
    draft.is_published = True
    draft.published_at = draft.created_at
    draft.save()
    assert found() == [draft]
