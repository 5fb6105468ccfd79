from collections import Counter

import pytest
from django.db import connection, transaction
from django.db.models import F

from cases.demo.synthetic import generate_synthetic_cases
from cases.models import (
    NARRATIVE_FIELDS,
    Case,
    CaseStatus,
    EcosystemFactor,
    FactorAssessment,
    FactorProfileValue,
    Licence,
    Organisation,
    Outcome,
    Provenance,
    Sector,
)
from tests.factories import CategoryFactory, EditionFactory

pytestmark = pytest.mark.django_db


class _Rollback(Exception):
    pass


def _fingerprint():
    """Everything a reader sees of the synthetic cases, in creation order."""
    cases = Case.objects.order_by("pk").prefetch_related(
        "partners", "collaboration_types", "policy_sectors", "factor_assessments"
    )
    return [
        (
            case.slug,
            case.title,
            case.summary,
            case.problem,
            case.country.code,
            case.level,
            case.outcome,
            case.place,
            case.lead_organisation.name,
            case.published_at,
            case.start_date,
            case.end_date,
            [
                (partner.name, partner.sector, partner.country.code)
                for partner in case.partners.all()
            ],
            sorted(tag.slug for tag in case.collaboration_types.all()),
            sorted(sector.slug for sector in case.policy_sectors.all()),
            [
                (item.factor_id, item.self_rating, item.text)
                for item in case.factor_assessments.all()
            ],
        )
        for case in cases.select_related("lead_organisation")
    ]


def _generate_and_roll_back(**kwargs):
    try:
        with transaction.atomic():
            generate_synthetic_cases(**kwargs)
            fingerprint = _fingerprint()
            raise _Rollback
    except _Rollback:
        return fingerprint


def test_same_seed_and_same_state_give_identical_cases():
    first = _generate_and_roll_back(count=30, seed=11)
    second = _generate_and_roll_back(count=30, seed=11)
    assert Case.objects.count() == 0
    assert len(first) == 30
    assert first == second


def test_other_seed_gives_other_cases():
    first = _generate_and_roll_back(count=10, seed=11)
    other = _generate_and_roll_back(count=10, seed=12)
    assert [row[1] for row in first] != [row[1] for row in other]


def test_cases_are_published_synthetic_and_complete():
    assert generate_synthetic_cases(count=60, seed=3) == 60
    cases = list(Case.objects.prefetch_related("partners", "collaboration_types", "policy_sectors"))
    assert len(cases) == 60
    for case in cases:
        assert case.provenance == Provenance.SYNTHETIC
        assert case.status == CaseStatus.ELIGIBLE
        assert case.is_published and case.published_at and case.publication_consent
        assert case.licence == Licence.CC_BY_4
        assert case.registration_number
        assert case.lead_organisation.sector == Sector.PUBLIC
        assert 40 <= len(case.summary.split()) <= 90
        narrative_words = sum(len(getattr(case, name).split()) for name in NARRATIVE_FIELDS)
        assert 450 <= narrative_words <= 800
        assert all(getattr(case, name) for name in NARRATIVE_FIELDS)
        assert 1 <= len(case.partners.all()) <= 4
        assert 1 <= len(case.collaboration_types.all()) <= 3
        assert 1 <= len(case.policy_sectors.all()) <= 2
        assert case.innovation_stage_id is not None
        assert case.ongoing == (case.end_date is None)
        assert case.end_date is None or case.end_date >= case.start_date
    assert FactorAssessment.objects.count() == 60 * 8


def test_collaboration_types_follow_partner_sectors():
    generate_synthetic_cases(count=80, seed=5)
    needs = {
        "public-private": Sector.PRIVATE,
        "public-third-sector": Sector.THIRD_SECTOR,
        "public-research": Sector.ACADEMIC,
        "public-citizen": Sector.CITIZENS,
        "public-public-horizontal": Sector.PUBLIC,
        "public-public-vertical": Sector.PUBLIC,
        "cross-border": Sector.PUBLIC,
    }
    for case in Case.objects.prefetch_related("partners", "collaboration_types"):
        sectors = {partner.sector for partner in case.partners.all()}
        for tag in case.collaboration_types.all():
            if tag.slug == "multi-stakeholder":
                assert len(sectors - {Sector.PUBLIC}) >= 3
            else:
                assert needs[tag.slug] in sectors, (case.title, tag.slug, sectors)
        if any(tag.slug == "cross-border" for tag in case.collaboration_types.all()):
            countries = {partner.country.code for partner in case.partners.all()}
            assert countries - {case.country.code}


def test_data_is_varied():
    generate_synthetic_cases(count=200, seed=8, editions=[_edition_with_categories()])
    cases = Case.objects.all()
    assert len(set(cases.values_list("country", flat=True))) >= 15
    assert set(cases.values_list("level", flat=True)) >= {"national", "regional", "local"}
    outcomes = Counter(cases.values_list("outcome", flat=True))
    assert outcomes[Outcome.NONE] > outcomes[Outcome.WINNER] > 0
    assert outcomes[Outcome.CERTIFICATE] > 0 and outcomes[Outcome.NOMINEE] > 0
    assert set(cases.filter(outcome=Outcome.WINNER).values_list("place", flat=True)) <= {1, 2, 3}
    assert not cases.exclude(outcome=Outcome.WINNER).exclude(place=None).exists()
    assert cases.filter(ongoing=True).exists() and cases.filter(ongoing=False).exists()
    ratings = Counter(FactorAssessment.objects.values_list("self_rating", flat=True))
    assert set(ratings) >= {0, 1, 2, 3, 4, None}
    assert FactorAssessment.objects.filter(not_applicable=True).exists()
    for word in ("climate", "health", "digital", "mobility"):
        hits = cases.filter(summary__icontains=word).count()
        assert 0 < hits < 200, word


def _edition_with_categories():
    edition = EditionFactory(slug="synthetic-home", deadline=None, submissions_open_at=None)
    for order, slug in enumerate(["digital", "green", "innovation"]):
        CategoryFactory(edition=edition, slug=slug, order=order)
    return edition


def test_cases_spread_over_editions_and_their_categories():
    first = _edition_with_categories()
    second = EditionFactory(slug="synthetic-second", deadline=None, submissions_open_at=None)
    CategoryFactory(edition=second, slug="only")
    generate_synthetic_cases(count=90, seed=4, editions=[first, second])
    per_edition = Counter(Case.objects.values_list("edition__slug", flat=True))
    assert set(per_edition) == {"synthetic-home", "synthetic-second"}
    per_category = Counter(
        Case.objects.filter(edition=first).values_list("category__slug", flat=True)
    )
    assert set(per_category) == {"digital", "green", "innovation"}
    assert not Case.objects.filter(category__isnull=True).exists()
    assert not Case.objects.exclude(category__edition=F("edition")).exists()


def test_without_editions_cases_have_no_edition_and_no_award():
    generate_synthetic_cases(count=25, seed=9)
    assert not Case.objects.filter(edition__isnull=False).exists()
    assert set(Case.objects.values_list("outcome", flat=True)) == {Outcome.NONE}


def test_second_run_with_same_seed_continues_and_reuses_organisations():
    generate_synthetic_cases(count=40, seed=6)
    organisations = Organisation.objects.count()
    first_slugs = set(Case.objects.values_list("slug", flat=True))
    assert generate_synthetic_cases(count=40, seed=6) == 40
    slugs = list(Case.objects.values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs)) == 80
    assert first_slugs < set(slugs)
    assert all(slug.startswith("syn-6-") for slug in slugs)
    numbers = sorted(int(slug.split("-")[2]) for slug in slugs)
    assert numbers == list(range(1, 81))
    # The pool is fixed per seed: some organisations of the first run lead new cases too.
    websites = Organisation.objects.values_list("website", flat=True)
    assert len(websites) == len(set(websites))
    assert Organisation.objects.count() < organisations * 2


def test_zero_count_creates_nothing_and_negative_is_refused():
    assert generate_synthetic_cases(count=0, seed=1) == 0
    with pytest.raises(ValueError):
        generate_synthetic_cases(count=-1, seed=1)
    assert Case.objects.count() == 0


def test_derived_data_is_refreshed():
    generate_synthetic_cases(count=20, seed=21)
    rated = FactorAssessment.objects.filter(self_rating__isnull=False).count()
    assert FactorProfileValue.objects.count() == rated
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery

        from cases.models import LibrarySearchEntry

        # Every published case has its row in the search table, found by its partners' names.
        assert LibrarySearchEntry.objects.count() == Case.objects.filter(is_published=True).count()
        partner = Case.objects.first().partners.first()
        word = partner.name.split()[0]
        query = SearchQuery(word, config="english")
        assert LibrarySearchEntry.objects.filter(search_vector=query).exists()


def test_every_phrase_template_fills_in():
    from cases.demo import synthetic_text as text

    values = dict.fromkeys(
        ["place", "org", "partner", "partner2", "target", "topic", "aim"], "x"
    ) | dict.fromkeys(["n", "m", "m2", "small", "pct", "pct2", "months", "year"], 1)
    templates = [
        *text.SUMMARY_OPENERS,
        *text.SUMMARY_CLOSERS,
        *text.FACTOR_EVIDENCE,
        *(sentence for pair in text.FACTOR_TEXT.values() for sentence in pair),
        *(sentence for pool in text.NARRATIVE.values() for sentence in pool),
        *(name for pool in text.LEAD_NAMES.values() for name in pool),
        *(name for pool in text.PARTNER_NAMES.values() for name in pool),
    ]
    for theme in text.THEMES:
        for key in ("titles", "problem", "solution", "results"):
            templates += theme[key]
    for template in templates:
        assert "{" not in template.format(**values), template
    factor_slugs = set(EcosystemFactor.objects.values_list("slug", flat=True))
    assert set(text.FACTOR_TEXT) == factor_slugs
