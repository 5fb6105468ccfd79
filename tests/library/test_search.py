"""Search and facets of the library, run on SQLite and on PostgreSQL.

The same tests run on both databases. Where they differ, the test says so:
- PostgreSQL stems English words ("community" finds "communities") and ignores stop words;
  SQLite matches what was typed as a substring, so "community" does not find "communities"
  (test_stemming_is_postgresql_only).
- PostgreSQL ranks with ts_rank over the title (weight A) and summary (B) and counts
  repetitions; SQLite scores each term 4 in the title, 2 in the summary, 1 elsewhere. Both put
  a title hit above a hit in the narrative only (test_title_hit_ranks_above_narrative_hit);
  finer orderings may differ and are not asserted.
"""

from decimal import Decimal

import pytest
from django.db import connection

from cases.domain.queries.library import (
    LibraryCriteria,
    facet_counts,
    library_cases,
    parse_query,
    result_page,
)
from cases.models import CollaborationType, CoproductionPhase, EcosystemFactor, FactorProfileValue
from tests.factories import FactorAssessmentFactory, PartnerFactory, PublishedCaseFactory

pytestmark = pytest.mark.django_db


def titles(criteria):
    return sorted(case.title for case in library_cases(criteria))


@pytest.fixture
def corpus(reindex):
    cases = {
        "harbour": PublishedCaseFactory(
            title="Harbour climate pact",
            summary="Port authorities and fishers agree on open data for climate adaptation.",
            problem="Flooding of the old harbour.",
            country="NL",
        ),
        "energy": PublishedCaseFactory(
            title="Energy communities of the valley",
            summary="Villages co-own solar parks with the regional energy agency.",
            solution="A cooperative model with citizens as shareholders.",
            country="AT",
        ),
        "school": PublishedCaseFactory(
            title="School meals rethought",
            summary="Parents and cooks redesign school meals.",
            results="Less food waste; climate neutrality of the kitchen by 2030.",
            country="ES",
        ),
    }
    PartnerFactory(case=cases["school"], name="Kitchen Collective Vigo")
    FactorAssessmentFactory(
        case=cases["energy"], text="The cooperative statute mandates yearly audits."
    )
    reindex()
    return cases


def test_every_term_must_match(corpus):
    assert titles(LibraryCriteria(q="climate")) == [
        "Harbour climate pact",
        "School meals rethought",
    ]
    assert titles(LibraryCriteria(q="climate harbour")) == ["Harbour climate pact"]
    assert titles(LibraryCriteria(q="climate solar")) == []


def test_search_is_case_insensitive(corpus):
    assert titles(LibraryCriteria(q="HARBOUR")) == ["Harbour climate pact"]


def test_quoted_phrase_must_occur_as_written(corpus):
    assert titles(LibraryCriteria(q='"climate neutrality"')) == ["School meals rethought"]
    assert titles(LibraryCriteria(q='"neutrality climate"')) == []


def test_or_accepts_either_term(corpus):
    assert titles(LibraryCriteria(q="solar or harbour")) == [
        "Energy communities of the valley",
        "Harbour climate pact",
    ]


def test_minus_excludes_a_term(corpus):
    assert titles(LibraryCriteria(q="climate -harbour")) == ["School meals rethought"]


def test_partners_and_self_assessments_are_searched(corpus):
    assert titles(LibraryCriteria(q="Vigo")) == ["School meals rethought"]
    assert titles(LibraryCriteria(q="audits")) == ["Energy communities of the valley"]


def test_title_hit_ranks_above_narrative_hit(corpus):
    page = result_page(LibraryCriteria(q="climate", sort="relevance"), offset=0)
    assert [case.title for case in page] == ["Harbour climate pact", "School meals rethought"]


def test_stemming_is_postgresql_only(corpus):
    found = titles(LibraryCriteria(q="community"))
    if connection.vendor == "postgresql":
        assert found == ["Energy communities of the valley"]
    else:
        # Substring match: "community" is not inside "communities".
        assert found == []


def test_parse_query_reads_web_search_syntax():
    parsed = parse_query('"open data" climate or energy -pilot')
    clauses = [[(t.text, t.phrase, t.negated) for t in clause] for clause in parsed.clauses]
    assert clauses == [
        [("open data", True, False)],
        [("climate", False, False), ("energy", False, False)],
        [("pilot", False, True)],
    ]
    assert parsed.positive_words == ["open", "data", "climate", "energy"]


def test_operator_characters_are_not_operators():
    parsed = parse_query("& | ! : * ( ) '")
    assert not parsed


def test_facets_are_counted_under_the_other_filters(reindex):
    public_private = CollaborationType.objects.get(slug="public-private")
    research = CollaborationType.objects.get(slug="public-research")
    a = PublishedCaseFactory(country="AT")
    a.collaboration_types.add(public_private)
    b = PublishedCaseFactory(country="AT")
    b.collaboration_types.add(research)
    c = PublishedCaseFactory(country="ES")
    c.collaboration_types.add(public_private)
    reindex()
    counts = facet_counts(LibraryCriteria(country=("AT",), collaboration=("public-private",)))
    assert counts.total == 1
    # Country counts ignore the country filter but respect the collaboration filter.
    assert counts.count("country", "AT") == 1
    assert counts.count("country", "ES") == 1
    # Collaboration counts ignore the collaboration filter but respect the country filter.
    assert counts.count("collaboration", public_private.pk) == 1
    assert counts.count("collaboration", research.pk) == 1
    unfiltered = facet_counts(LibraryCriteria())
    assert unfiltered.total == 3
    assert unfiltered.count("collaboration", public_private.pk) == 2


def test_values_within_a_facet_are_alternatives():
    PublishedCaseFactory(country="AT")
    PublishedCaseFactory(country="ES")
    PublishedCaseFactory(country="FR")
    assert library_cases(LibraryCriteria(country=("AT", "ES"))).count() == 2


def test_factor_facet_keeps_cases_strong_on_it():
    factor = EcosystemFactor.objects.get(slug="partnership-platform")
    strong = PublishedCaseFactory(title="Strong")
    weak = PublishedCaseFactory(title="Weak")
    FactorProfileValue.objects.create(
        case=strong, factor=factor, value=Decimal("3.00"), source="consensus"
    )
    FactorProfileValue.objects.create(
        case=weak, factor=factor, value=Decimal("2.99"), source="consensus"
    )
    assert titles(LibraryCriteria(factor=("partnership-platform",))) == ["Strong"]
    counts = facet_counts(LibraryCriteria())
    assert counts.count("factor", factor.pk) == 1


def test_phase_outcome_and_year_filters():
    phase = CoproductionPhase.objects.get(slug="co-design")
    old = PublishedCaseFactory(title="Old", start_date="2015-03-01", edition=None, category=None)
    new = PublishedCaseFactory(title="New", outcome="winner", place=1)
    new.coproduction_phases.add(phase)
    assert old.year == 2015
    assert titles(LibraryCriteria(phase=("co-design",))) == ["New"]
    assert titles(LibraryCriteria(outcome=("winner",))) == ["New"]
    assert titles(LibraryCriteria(outcome=("submitted",))) == ["Old"]
    assert titles(LibraryCriteria(year_to=2020)) == ["Old"]
    assert titles(LibraryCriteria(year_from=2021)) == ["New"]


def test_search_never_returns_unpublished_cases(hidden_cases, reindex):
    reindex()
    assert titles(LibraryCriteria(q="hiddenword")) == []
    assert facet_counts(LibraryCriteria(q="hiddenword")).total == 0
    assert facet_counts(LibraryCriteria(collaboration=("public-private",))).total == 0


def test_cached_counts_follow_changes_to_cases_and_tags():
    from cases.domain.queries.library import cached_facet_counts

    kind = CollaborationType.objects.get(slug="public-research")
    case = PublishedCaseFactory()
    criteria = LibraryCriteria(collaboration=("public-research",))
    assert cached_facet_counts(criteria).total == 0
    case.collaboration_types.add(kind)
    assert cached_facet_counts(criteria).total == 1
    case.is_published = False
    case.save()
    assert cached_facet_counts(criteria).total == 0


def test_paging_reuses_cached_counts(client, django_assert_num_queries):
    for _index in range(3):
        PublishedCaseFactory()
    client.get("/library/")
    # Only the page: the vocabulary and the counts come from the cache.
    with django_assert_num_queries(1):
        client.get("/library/", {"page": "1", "sort": "title"})


@pytest.fixture
def hyphen_corpus(reindex):
    cases = {
        "codesign": PublishedCaseFactory(
            title="Bus routes redrawn",
            summary="Residents co-design the new bus routes with the city.",
        ),
        # "co" and "design" both occur, but not as the word co-design.
        "apart": PublishedCaseFactory(
            title="Cooperative design studio",
            summary="Co-operation with a design school on public buildings.",
        ),
        "unrelated": PublishedCaseFactory(
            title="Community composting",
            summary="Compost collected by the council from every courtyard.",
        ),
    }
    reindex()
    return cases


def test_quoted_hyphenated_phrase_is_kept_as_typed(hyphen_corpus):
    assert titles(LibraryCriteria(q='"co-design"')) == ["Bus routes redrawn"]
    assert titles(LibraryCriteria(q='"co-design   the"')) == ["Bus routes redrawn"]


def test_hyphenated_word_is_one_term(hyphen_corpus):
    # Not "co" (which nearly every text contains) and "design" as separate terms.
    assert titles(LibraryCriteria(q="co-design")) == ["Bus routes redrawn"]
    assert titles(LibraryCriteria(q="residents co-design")) == ["Bus routes redrawn"]
    assert titles(LibraryCriteria(q="design -co-design")) == ["Cooperative design studio"]


def test_parse_query_keeps_hyphenated_words_and_phrases_as_typed():
    parsed = parse_query('co-design "co-design  with\tcitizens" -co-op')
    clauses = [[(t.text, t.phrase, t.negated) for t in clause] for clause in parsed.clauses]
    assert clauses == [
        [("co-design", False, False)],
        [("co-design with citizens", True, False)],
        [("co-op", False, True)],
    ]
    assert parsed.positive_words == ["co-design", "co-design", "with", "citizens"]


@pytest.fixture
def accented_corpus(reindex):
    cases = {
        "upper": PublishedCaseFactory(
            title="Bürgerhaus BRINBRÜCK",
            summary="ÉCOLE ouverte: the village school opens its doors in the evening.",
        ),
        "lower": PublishedCaseFactory(
            title="Markets of brinbrück",
            summary="Les élus et les habitants share one market hall.",
        ),
        "other": PublishedCaseFactory(
            title="Harbour of Brinbruck",
            summary="A plain ASCII spelling, which is another word.",
        ),
    }
    reindex()
    return cases


def test_search_folds_non_ascii_letters(accented_corpus):
    both = ["Bürgerhaus BRINBRÜCK", "Markets of brinbrück"]
    assert titles(LibraryCriteria(q="brinbrück")) == both
    assert titles(LibraryCriteria(q="BRINBRÜCK")) == both
    assert titles(LibraryCriteria(q="école")) == ["Bürgerhaus BRINBRÜCK"]
    assert titles(LibraryCriteria(q="ÉLUS")) == ["Markets of brinbrück"]
    assert titles(LibraryCriteria(q='"École ouverte"')) == ["Bürgerhaus BRINBRÜCK"]
    assert titles(LibraryCriteria(q="brinbrück -ÉCOLE")) == ["Markets of brinbrück"]


def test_relevance_folds_case_too(accented_corpus):
    page = result_page(LibraryCriteria(q="BRINBRÜCK élus", sort="relevance"), offset=0)
    assert [case.title for case in page] == ["Markets of brinbrück"]


def test_exclusion_keeps_cases_without_a_lead_organisation(corpus, reindex):
    PublishedCaseFactory(title="Orphan climate project", lead_organisation=None)
    reindex()
    assert titles(LibraryCriteria(q="climate -harbour")) == [
        "Orphan climate project",
        "School meals rethought",
    ]
