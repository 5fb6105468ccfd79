# SQL in this module is assembled from model metadata and fixed names only; every value from
# a request travels as a query parameter.
# ruff: noqa: S608, S611
"""Read paths of the public case library: the published set, search, facet counts, pages.

Every entry point of the library (list, case page, comparison, exports, statistics,
attachments) starts from ``published_cases()``, so a draft, ineligible, withdrawn or
unpublished entry can never leak into any of them.

Full-text search:
- PostgreSQL searches the narrow search table (``cases.domain.search``): the query is parsed
  with ``websearch_to_tsquery`` once per text-search configuration, and each case matches
  against the parse of its own language (one GIN index over configuration and document), so
  one query finds cases in every language with that language's stemming ("communities" finds
  "community" in English cases; stop words such as "the" are ignored). Ranking reads the
  compact rank vector (title A, summary B) kept inside the row. Counts and result pages of a
  search read that table only; the case rows are read for the 25 cases shown. A ranked search
  for one word alone takes its page from the term table instead (``_one_word_page_sql``).
- SQLite has no full-text document. There every term must occur somewhere in the case (title,
  summary, narrative, lead organisation, partners, factor self-assessments), compared
  case-insensitively (Unicode case folding, through the ``epsa_fold`` SQL function of
  ``cases.domain.search``) as substrings, without stemming. Quoted phrases must occur as
  written (runs of white space count as one space), a hyphenated word (``co-design``) is one
  term, ``or`` between two terms accepts either, ``-term`` excludes. Relevance is a simple
  score: a term in the title counts 4, in the summary 2, elsewhere 1.
"""

import hashlib
import json
import re
from dataclasses import dataclass, field, fields, replace
from functools import reduce
from operator import and_, or_

from django.db import connection
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    FloatField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models import Case as CaseWhen
from django.db.models.expressions import RawSQL
from django.db.models.lookups import Contains
from django.utils.translation import get_language

from cases.domain import derived
from cases.domain.derived import M2M_FACETS, edition_year, library_generation
from cases.domain.queries.prepared import execute_prepared
from cases.domain.queries.published import STRONG_FACTOR_VALUE, published_cases
from cases.domain.queries.routing import library_connection
from cases.domain.search import (
    ALL_CONFIGS,
    RANK_TABLE,
    SEARCH_TABLE,
    TERM_TABLE,
    Folded,
    fold,
    search_is_native,
    tag_facet,
)
from cases.models import (
    NARRATIVE_FIELDS,
    TERM_MAX_LENGTH,
    Case,
    CaseLanguage,
    Category,
    CollaborationType,
    CoproductionLevel,
    CoproductionPhase,
    EcosystemFactor,
    Edition,
    FactorAssessment,
    FactorProfileValue,
    GovernmentLevel,
    InnovationStage,
    Organisation,
    Outcome,
    Partner,
    PolicySector,
    Provenance,
    outcome_label,
)
from cases.models.vocabularies import translated_label_sql

# Re-exported: the gate, and the generation the API dates its responses by.
__all__ = ["STRONG_FACTOR_VALUE", "library_generation", "published_cases"]

MAX_QUERY_LENGTH = 200
# More words than a person searches for; each one adds conditions to the query, and SQLite's
# parser overflows on a few dozen words of the fallback search.
MAX_SEARCH_TERMS = 16
PAGE_SIZE = 25

# Outcome values of the public URL contract -> stored outcome.
OUTCOME_SLUGS = {
    "winner": Outcome.WINNER,
    "nominee": Outcome.NOMINEE,
    "certificate": Outcome.CERTIFICATE,
    "special-recognition": Outcome.SPECIAL_RECOGNITION,
    "submitted": Outcome.NONE,
}
OUTCOME_BY_VALUE = {value: slug for slug, value in OUTCOME_SLUGS.items()}

SORTS = ("relevance", "real-first", "newest", "oldest", "title")

# The multi-valued facets of the URL contract, in the order the facet panel shows them.
FACETS = (
    "collaboration",
    "phase",
    "coproduction_level",
    "factor",
    "country",
    "gov_level",
    "sector",
    "edition",
    "category",
    "outcome",
    "stage",
    "language",
    "provenance",
)

# Columns a list row needs; never the narrative or the search vectors.
LIST_FIELDS = (
    "id",
    "slug",
    "title",
    "summary",
    "country",
    "level",
    "outcome",
    "place",
    "year",
    "provenance",
    "published_at",
    "edition__name",
    "edition__slug",
    "edition__year_label",
    "category__name",
    "lead_organisation__name",
)


@dataclass(frozen=True)
class LibraryCriteria:
    """What a library URL asks for, already validated (see cases.interfaces.filters)."""

    q: str = ""
    collaboration: tuple[str, ...] = ()
    phase: tuple[str, ...] = ()
    coproduction_level: tuple[str, ...] = ()
    factor: tuple[str, ...] = ()
    country: tuple[str, ...] = ()
    gov_level: tuple[str, ...] = ()
    sector: tuple[str, ...] = ()
    edition: tuple[str, ...] = ()
    category: tuple[str, ...] = ()
    outcome: tuple[str, ...] = ()
    stage: tuple[str, ...] = ()
    language: tuple[str, ...] = ()
    provenance: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    sort: str = ""

    def active_facets(self) -> dict[str, tuple[str, ...]]:
        return {name: getattr(self, name) for name in FACETS if getattr(self, name)}

    @property
    def is_unfiltered(self) -> bool:
        """Whether the criteria select the whole library (whatever the sort order)."""
        return not (self.q or self.active_facets() or self.year_from or self.year_to)

    @property
    def effective_sort(self) -> str:
        if self.sort in SORTS and (self.sort != "relevance" or self.q):
            return self.sort
        return "relevance" if self.q else "real-first"

    def as_params(self) -> dict[str, list[str]]:
        """The criteria as URL parameters (for exports and links)."""
        params: dict[str, list[str]] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if value in ("", None, ()):
                continue
            params[item.name] = list(value) if isinstance(value, tuple) else [str(value)]
        return params


# What the case page shows of each factor self-assessment.
ASSESSMENT_FIELDS = (
    "id",
    "case_id",
    "factor_id",
    "text",
    "evidence",
    "not_applicable",
    "self_rating",
)


# --- the published set ----------------------------------------------------------------------


def published_case_for_page(slug: str) -> Case | None:
    """One published case with everything its page shows, in a fixed number of queries."""
    from cases.models import Attachment

    return (
        published_cases()
        .filter(slug=slug)
        .select_related("edition", "category", "lead_organisation", "innovation_stage")
        .prefetch_related(
            "partners",
            "collaboration_types",
            "coproduction_phases",
            "coproduction_levels",
            "policy_sectors",
            Prefetch("profile_values", queryset=_profile_values()),
            Prefetch(
                "factor_assessments",
                queryset=FactorAssessment.objects.only(*ASSESSMENT_FIELDS),
            ),
            Prefetch(
                "attachments",
                queryset=Attachment.objects.filter(is_public=True).order_by("uploaded_at", "id"),
                to_attr="public_attachments",
            ),
        )
        .first()
    )


def _profile_values():
    return FactorProfileValue.objects.select_related("factor").order_by("factor__order")


# --- text search ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    text: str
    phrase: bool = False
    negated: bool = False


@dataclass
class ParsedQuery:
    """A web-search query: clauses that must all hold; each clause is alternatives (``or``)."""

    clauses: list[list[Term]] = field(default_factory=list)

    @property
    def positive_words(self) -> list[str]:
        words = []
        for clause in self.clauses:
            for term in clause:
                if not term.negated:
                    words.extend(_WORD.findall(term.text))
        return words

    def __bool__(self):
        return bool(self.clauses)


_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
# A word: a run of letters and digits, hyphens inside it included ("co-design" is one word).
_WORD = re.compile(r"\w+(?:-\w+)*")


def parse_query(q: str) -> ParsedQuery:
    """Parse web-search syntax the way ``websearch_to_tsquery`` reads it, for SQLite and for
    highlighting: quoted phrases, ``or`` between alternatives, ``-`` before an exclusion.
    Punctuation is not an operator. Outside quotes the terms are words (letters and digits,
    with the hyphens inside a word); a quoted phrase is kept as typed, its runs of white space
    collapsed to one space, and must contain a letter or digit."""
    parsed = ParsedQuery()
    join_next = False
    for match in _TOKEN.finditer(q or ""):
        negated_phrase, phrase, bare = match.groups()
        if phrase is not None:
            text = " ".join(phrase.split())
            terms = (
                [Term(text, phrase=True, negated=bool(negated_phrase))]
                if has_searchable_words(text)
                else []
            )
        else:
            if bare.lower() == "or":
                join_next = bool(parsed.clauses)
                continue
            negated = bare.startswith("-")
            terms = [Term(word, negated=negated) for word in _WORD.findall(bare)]
        if not terms:
            continue
        if join_next and not terms[0].negated and not any(t.negated for t in parsed.clauses[-1]):
            parsed.clauses[-1].append(terms[0])
            terms = terms[1:]
        join_next = False
        parsed.clauses.extend([term] for term in terms)
    return parsed


def limit_search_terms(q: str, limit: int = MAX_SEARCH_TERMS) -> tuple[str, bool]:
    """``q`` cut before the token that would bring it past ``limit`` search terms, and whether
    it was cut. Cut at a token boundary, so that phrases and ``or`` keep their meaning."""
    count = 0
    for match in _TOKEN.finditer(q or ""):
        _negated, phrase, bare = match.groups()
        if phrase is not None:
            terms = 1 if has_searchable_words(phrase) else 0
        elif bare.lower() == "or":
            terms = 0
        else:
            terms = len(_WORD.findall(bare))
        if count + terms > limit:
            return q[: match.start()].strip(), True
        count += terms
    return q, False


def _folded_contains(name: str, folded_text: str) -> Contains:
    """SQLite fallback: the column (or path) ``name``, case-folded, contains ``folded_text``."""
    return Contains(Folded(name), folded_text)


def _contains_anywhere(text: str) -> Q:
    """SQLite fallback: ``text`` occurs, whatever its case, in some searchable part of the case."""
    folded = fold(text)
    local = Q(_folded_contains("title", folded)) | Q(_folded_contains("summary", folded))
    for name in NARRATIVE_FIELDS:
        local |= Q(_folded_contains(name, folded))
    local |= Q(_folded_contains("lead_organisation__name", folded))
    partners = Partner.objects.filter(case_id=OuterRef("pk")).filter(
        Q(_folded_contains("name", folded)) | Q(_folded_contains("role", folded))
    )
    assessments = FactorAssessment.objects.filter(case_id=OuterRef("pk")).filter(
        Q(_folded_contains("text", folded)) | Q(_folded_contains("evidence", folded))
    )
    return local | Q(Exists(partners)) | Q(Exists(assessments))


def _fallback_condition(parsed: ParsedQuery) -> Q:
    conditions = []
    for clause in parsed.clauses:
        alternatives = []
        for term in clause:
            condition = _contains_anywhere(term.text)
            alternatives.append(~condition if term.negated else condition)
        conditions.append(reduce(or_, alternatives))
    return reduce(and_, conditions)


def _fallback_score(parsed: ParsedQuery):
    score = Value(0)
    for clause in parsed.clauses:
        for term in clause:
            if term.negated:
                continue
            folded = fold(term.text)
            score = score + CaseWhen(
                When(_folded_contains("title", folded), then=Value(4)),
                When(_folded_contains("summary", folded), then=Value(2)),
                default=Value(1),
                output_field=IntegerField(),
            )
    return score


# The text condition on the search table (PostgreSQL): the query parsed with each configuration,
# each parse matched against the cases written in that configuration's language. Built from the
# fixed configuration names only; the query text travels as a parameter.
_TEXT_SQL = (
    "("
    + " OR ".join(
        f"(s.search_config = '{config}' AND s.search_vector @@ "
        f"websearch_to_tsquery('{config}'::regconfig, %s))"
        for config in ALL_CONFIGS
    )
    + ")"
)
_RANK_SQL = (
    "ts_rank(r.rank_vector, CASE s.search_config "
    + " ".join(
        f"WHEN '{config}' THEN websearch_to_tsquery('{config}'::regconfig, %s)"
        for config in ALL_CONFIGS[:-1]
    )
    + f" ELSE websearch_to_tsquery('{ALL_CONFIGS[-1]}'::regconfig, %s) END)"
)


def _text_params(q: str) -> list[str]:
    return [q] * len(ALL_CONFIGS)


def apply_text_search(queryset: QuerySet, q: str) -> QuerySet:
    """Keep the cases matching ``q`` (no-op for an empty query)."""
    if not q:
        return queryset
    if search_is_native():
        matching = f"SELECT s.case_id FROM {SEARCH_TABLE} s WHERE {_TEXT_SQL}"
        return queryset.filter(pk__in=RawSQL(matching, _text_params(q)))
    parsed = parse_query(q)
    if not parsed:
        return queryset
    return queryset.filter(_fallback_condition(parsed))


def has_searchable_words(q: str) -> bool:
    return bool(re.search(r"\w", q or ""))


# --- facet filters --------------------------------------------------------------------------


def _m2m_exists(relation: str, slugs) -> Exists:
    through = getattr(Case, relation).through
    target = getattr(Case, relation).field.m2m_reverse_field_name()
    return Exists(
        through.objects.filter(case_id=OuterRef("pk"), **{f"{target}__slug__in": list(slugs)})
    )


def facet_condition(name: str, values) -> Q:
    """The condition a case meets for one facet (any of the values: OR within a facet)."""
    values = list(values)
    if name in M2M_FACETS:
        return Q(_m2m_exists(M2M_FACETS[name], values))
    if name == "factor":
        return Q(
            Exists(
                FactorProfileValue.objects.filter(
                    case_id=OuterRef("pk"),
                    factor__slug__in=values,
                    value__gte=STRONG_FACTOR_VALUE,
                )
            )
        )
    if name == "country":
        return Q(country__in=values)
    if name == "gov_level":
        return Q(level__in=values)
    if name == "edition":
        return Q(edition__slug__in=values)
    if name == "category":
        return Q(category__slug__in=values)
    if name == "outcome":
        return Q(outcome__in=[OUTCOME_SLUGS[value] for value in values if value in OUTCOME_SLUGS])
    if name == "stage":
        return Q(innovation_stage__slug__in=values)
    if name == "language":
        return Q(language__in=values)
    if name == "provenance":
        return Q(provenance__in=values)
    raise ValueError(f"unknown facet {name!r}")


def _base_filtered(criteria: LibraryCriteria, queryset: QuerySet | None = None) -> QuerySet:
    """Published cases matching the text and the year range (the filters without counts)."""
    base = published_cases() if queryset is None else queryset.filter(is_published=True)
    queryset = apply_text_search(base, criteria.q)
    if criteria.year_from is not None:
        queryset = queryset.filter(year__gte=criteria.year_from)
    if criteria.year_to is not None:
        queryset = queryset.filter(year__lte=criteria.year_to)
    return queryset


def library_cases(criteria: LibraryCriteria, queryset: QuerySet | None = None) -> QuerySet:
    """Every published case the criteria select (unordered; callers choose the columns)."""
    queryset = _base_filtered(criteria, queryset)
    for name, values in criteria.active_facets().items():
        queryset = queryset.filter(facet_condition(name, values))
    return queryset


def ordered(queryset: QuerySet, criteria: LibraryCriteria) -> QuerySet:
    sort = criteria.effective_sort
    if sort == "title":
        return queryset.order_by("title", "id")
    if sort == "oldest":
        return queryset.order_by("published_at", "id")
    if sort == "relevance":
        if search_is_native():
            rank = RawSQL(
                f"SELECT {_RANK_SQL} FROM {SEARCH_TABLE} s JOIN {RANK_TABLE} r"
                f" ON r.case_id = s.case_id WHERE s.case_id = {Case._meta.db_table}.id",
                _text_params(criteria.q),
                output_field=FloatField(),
            )
        else:
            rank = _fallback_score(parse_query(criteria.q))
        return queryset.annotate(rank=rank).order_by("-rank", "-published_at", "-id")
    if sort == "real-first":
        # The unsearched library's default order: real cases with their text first, then real
        # cases known by their facts only, then synthetic demo cases; newest first within each.
        return queryset.annotate(real_first=_REAL_FIRST).order_by(
            "real_first", "-published_at", "-id"
        )
    return queryset.order_by("-published_at", "-id")


_REAL_FIRST = CaseWhen(
    When(provenance=Provenance.SYNTHETIC, then=Value(2)),
    When(summary="", then=Value(1)),
    default=Value(0),
    output_field=IntegerField(),
)
# --- the search table (PostgreSQL) ---------------------------------------------------------

# Facets on the search table: facet -> (column, vocabulary table or None). Array columns hold
# vocabulary ids; a facet's slugs become ids inside the query (an init plan run once).
_TABLE_FACETS = {
    "collaboration": ("collaboration", CollaborationType, True),
    "phase": ("phase", CoproductionPhase, True),
    "coproduction_level": ("coproduction_level", CoproductionLevel, True),
    "sector": ("sector", PolicySector, True),
    "factor": ("strong_factor", EcosystemFactor, True),
    "edition": ("edition_id", Edition, False),
    "category": ("category_id", Category, False),
    "stage": ("innovation_stage_id", InnovationStage, False),
    "country": ("country", None, False),
    "gov_level": ("level", None, False),
    "outcome": ("outcome", None, False),
    "language": ("language", None, False),
    "provenance": ("provenance", None, False),
}


def _table_facet_sql(name: str, values) -> tuple[str, list]:
    """The condition on a search table row ``s`` for one facet, and its parameters."""
    column, vocabulary, is_array = _TABLE_FACETS[name]
    values = list(values)
    if name == "outcome":
        values = [OUTCOME_SLUGS[value] for value in values if value in OUTCOME_SLUGS]
    if vocabulary is None:
        return f"s.{column} = ANY(%s)", [values]
    ids = f"ARRAY(SELECT v.id FROM {vocabulary._meta.db_table} v WHERE v.slug = ANY(%s))"
    if is_array:
        return f"s.{column} && {ids}", [values]
    return f"s.{column} = ANY({ids})", [values]


def _table_base_sql(criteria: LibraryCriteria) -> tuple[list[str], list]:
    """The text and year conditions on search table rows ``s``."""
    where, params = [], []
    if criteria.q:
        where.append(_TEXT_SQL)
        params += _text_params(criteria.q)
    if criteria.year_from is not None:
        where.append("s.year >= %s")
        params.append(criteria.year_from)
    if criteria.year_to is not None:
        where.append("s.year <= %s")
        params.append(criteria.year_to)
    return where, params


_TABLE_ORDER = {
    "relevance": "rank DESC, s.published_at DESC, s.case_id DESC",
    "real-first": "s.real_order, s.published_at DESC, s.case_id DESC",
    "newest": "s.published_at DESC, s.case_id DESC",
    "oldest": "s.published_at ASC, s.case_id ASC",
}


def _table_where(criteria: LibraryCriteria) -> tuple[list[str], list]:
    """Every condition of the criteria on search table rows ``s``, and their parameters."""
    where, params = _table_base_sql(criteria)
    for name, values in criteria.active_facets().items():
        condition, condition_params = _table_facet_sql(name, values)
        where.append(condition)
        params += condition_params
    return where, params


def _page_ids_sql(criteria: LibraryCriteria, offset: int, limit: int) -> tuple[str, list]:
    """SQL selecting the ids of one page of results from the search table alone."""
    where, params = _table_where(criteria)
    join, order, order_params = _page_order(criteria)
    sql = (
        f"SELECT s.case_id FROM {SEARCH_TABLE} s{join}"
        + (f" WHERE {' AND '.join(where)}" if where else "")
        + f" ORDER BY {order} LIMIT %s OFFSET %s"
    )
    return sql, [*params, *order_params, limit, offset]


def _is_one_word_candidate(criteria: LibraryCriteria) -> bool:
    """Whether the term table may choose the page: a ranked search for one word and nothing
    else. Only a first sieve: the query's parse is checked in SQL (``_one_word_page_sql``),
    which ranks the hits as usual when it is not one lexeme. Several words, an exclusion or a
    hyphenated word (a phrase of its parts) never are, and keep the counting statement's page
    (``counts_and_page``)."""
    if (
        not criteria.q
        or criteria.effective_sort != "relevance"
        or criteria.active_facets()
        or criteria.year_from is not None
        or criteria.year_to is not None
    ):
        return False
    parsed = parse_query(criteria.q)
    words = parsed.positive_words
    return (
        len(parsed.clauses) == 1
        and len(parsed.clauses[0]) == 1
        and len(words) == 1
        and "-" not in words[0]
    )


def _parsed_lexeme(config: str) -> str:
    """SQL: the lexeme of ``p.q_<config>`` (the query parsed with ``config``) when that parse
    is one plain lexeme, else NULL. A tsquery's text quotes each lexeme, doubling its quotes
    and backslashes, and appends weights and prefix marks (``'word':*``) after the quote."""
    text = f"p.q_{config}::text"
    return (
        f"CASE WHEN numnode(p.q_{config}) = 1 AND right({text}, 1) = '''' THEN replace(replace("
        rf"substr({text}, 2, length({text}) - 2), '''''', ''''), '\\', '\') END"
    )


def _one_word_page_sql(
    q: str, offset: int, limit: int, ranked: str, ranked_params: list, hits: str | None = None
) -> tuple[str, list]:
    """SQL for an array of the ids of the page at ``offset``, in rank order, and its parameters:
    from the term table when ``q`` parses to one plain lexeme with every configuration (or to
    nothing: a stop word), else chosen by ``ranked`` (the ids of that page, ranked).

    A hit's rank is the ``ts_rank`` of its rank vector for that lexeme, which is its term row's
    score; a hit whose rank vector lacks the word (it is only further down the case) ranks 0
    and has no row. So the hits in rank order are the term rows (score, then publication and
    case, descending), then the other hits, newest first. Each configuration's rows are read
    from the index in rank order up to the end of the page, and merged; when they do not fill
    it (a word rare in titles and summaries, or a page deep in a common one), the page goes on
    with the other hits, from ``hits`` (SQL for the hits' ``case_id`` and ``published_at``,
    read from the search table by default). No hit is ranked but when the query is not one
    word: ``ranked`` runs only then (an init plan runs when its value is first used)."""
    reach = offset + limit
    branches = " UNION ALL ".join(
        f"(SELECT t.case_id, t.score, t.published_at FROM {TERM_TABLE} t"
        f" WHERE t.search_config = '{config}' AND t.lexeme = l.w_{config}"
        " ORDER BY t.score DESC, t.published_at DESC, t.case_id DESC LIMIT %s)"
        for config in ALL_CONFIGS
    )
    # Over-long lexemes have no rows: such a word is ranked the general way.
    usable = " AND ".join(
        f"(l.n_{config} = 0 OR length(l.w_{config}) <= {TERM_MAX_LENGTH})" for config in ALL_CONFIGS
    )
    words = ", ".join(
        f"{_parsed_lexeme(config)} AS w_{config}, numnode(p.q_{config}) AS n_{config}"
        for config in ALL_CONFIGS
    )
    parses = ", ".join(
        f"websearch_to_tsquery('{config}'::regconfig, %s) AS q_{config}" for config in ALL_CONFIGS
    )
    hits_params = []
    if hits is None:
        # OFFSET 0: the hits are found first, then sorted. Walking the newest-first index
        # instead, as the planner chose for a page deep in "climate", read 98,000 documents.
        hits = (
            f"(SELECT s.case_id, s.published_at FROM {SEARCH_TABLE} s WHERE {_TEXT_SQL} OFFSET 0)"
        )
        hits_params = _text_params(q)
    # w.ids: the term rows up to the end of the page, so all of them when they end before it.
    unranked = (
        f"SELECT h.case_id FROM {hits} h WHERE h.case_id NOT IN (SELECT unnest(w.ids))"
        " ORDER BY h.published_at DESC, h.case_id DESC"
        " LIMIT %s - greatest(%s, cardinality(w.ids)) OFFSET greatest(0, %s - cardinality(w.ids))"
    )
    sql = (
        "(SELECT CASE WHEN w.usable AND cardinality(w.ids) >= %s THEN w.ids[%s:%s]"
        f" WHEN w.usable THEN w.ids[%s:%s] || ARRAY({unranked}) ELSE ARRAY({ranked}) END"
        f" FROM (SELECT ARRAY(SELECT x.case_id FROM ({branches}) x"
        " ORDER BY x.score DESC, x.published_at DESC, x.case_id DESC LIMIT %s) AS ids,"
        # OFFSET 0 keeps w a subquery: pulled up, its array would be read several times.
        f" {usable} AS usable FROM (SELECT {words} FROM (SELECT {parses}) p) l OFFSET 0) w)"
    )
    params = [
        *(reach, offset + 1, reach),
        *(offset + 1, reach, *hits_params, reach, offset, offset),
        *ranked_params,
        *[reach] * len(ALL_CONFIGS),
        reach,
        *_text_params(q),
    ]
    return sql, params


def _page_order(criteria: LibraryCriteria) -> tuple[str, str, list]:
    """The join, ORDER BY and parameters that order search table rows ``s`` by ``criteria``."""
    sort = criteria.effective_sort
    if sort == "relevance":
        join = f" JOIN {RANK_TABLE} r ON r.case_id = s.case_id"
        return join, f"{_RANK_SQL} DESC, {_TABLE_ORDER['newest']}", _text_params(criteria.q)
    return "", _TABLE_ORDER[sort], []


_LABELS_SQL = {
    # The labels of a case's collaboration types, in vocabulary order, as one value.
    "postgresql": "ARRAY(SELECT {label} FROM {kind} k JOIN {through} t ON t.{target} = k.id"
    " WHERE t.case_id = {case}.id ORDER BY k.{order}, k.slug)",
    "sqlite": "(SELECT json_group_array(label) FROM (SELECT {label} AS label FROM {kind} k"
    " JOIN {through} t ON t.{target} = k.id WHERE t.case_id = {case}.id"
    " ORDER BY k.{order}, k.slug))",
}


def _collaboration_labels_sql(case: str) -> str:
    """SQL for the labels of case ``case``'s collaboration types, in vocabulary order."""
    field = Case._meta.get_field("collaboration_types")
    through = field.remote_field.through._meta
    return _LABELS_SQL["postgresql" if search_is_native() else "sqlite"].format(
        kind=CollaborationType._meta.db_table,
        through=through.db_table,
        target=through.get_field(field.m2m_reverse_field_name()).column,
        case=case,
        order=connection.ops.quote_name("order"),
        label=translated_label_sql("k"),
    )


def _collaboration_labels() -> RawSQL:
    return RawSQL(_collaboration_labels_sql(Case._meta.db_table), [])


@dataclass(frozen=True)
class ResultRow:
    """What a row of the result list shows of a case: plain values, no model instance."""

    pk: int
    slug: str
    title: str
    summary: str
    country: str  # the country code, "" when none
    outcome: str
    place: int | None
    provenance: str
    edition_name: str | None
    organisation_name: str | None
    collaboration_labels: tuple[str, ...]

    @property
    def outcome_label(self) -> str:
        return outcome_label(self.outcome, self.place)

    @property
    def is_synthetic(self) -> bool:
        return self.provenance == Provenance.SYNTHETIC

    @classmethod
    def of(cls, case: Case, labels) -> "ResultRow":
        return cls(
            pk=case.pk,
            slug=case.slug,
            title=case.title,
            summary=case.summary,
            country=case.country.code or "",
            outcome=case.outcome,
            place=case.place,
            provenance=case.provenance,
            edition_name=case.edition.name if case.edition_id else None,
            organisation_name=(case.lead_organisation.name if case.lead_organisation_id else None),
            collaboration_labels=tuple(labels or ()),
        )


# The rows of a page of ids in their order (PostgreSQL), as one statement whose text depends
# only on the language (the labels), so that it is prepared once per connection: through the
# ORM, building and compiling the query and the model instances cost three times the query.
_ROWS_SQL = (
    "SELECT c.id, c.slug, c.title, c.summary, c.country, c.outcome, c.place, c.provenance,"
    " e.name, o.name, {labels}"
    " FROM unnest({ids}) WITH ORDINALITY AS p(id, position)"
    f" JOIN {Case._meta.db_table} c ON c.id = p.id AND c.is_published"
    f" LEFT JOIN {Edition._meta.db_table} e ON e.id = c.edition_id"
    f" LEFT JOIN {Organisation._meta.db_table} o ON o.id = c.lead_organisation_id"
    " ORDER BY p.position"
)


def result_page(
    criteria: LibraryCriteria,
    *,
    offset: int,
    limit: int = PAGE_SIZE,
    chosen: list[int] | None = None,
) -> list[ResultRow]:
    """One page of results with what a list row shows, in one query whatever the page holds.

    On PostgreSQL the page is chosen on the search table (except for sorting by title, which
    that table does not hold) and only its cases' rows are read; ``chosen`` are the ids of that
    page in order when the counting statement has chosen them already (``counts_and_page``)."""
    if chosen is not None:
        return _rows("%s::bigint[]", [chosen])
    if search_is_native() and criteria.effective_sort in _TABLE_ORDER:
        ids_sql, ids_params = _page_ids_sql(criteria, offset, limit)
        if _is_one_word_candidate(criteria):
            return _rows(*_one_word_page_sql(criteria.q, offset, limit, ids_sql, ids_params))
        return _rows(f"ARRAY({ids_sql})", ids_params)
    columns = (
        published_cases()
        .only(*LIST_FIELDS)
        .select_related("edition", "category", "lead_organisation")
        .annotate(collaboration_labels=_collaboration_labels())
    )
    cases = ordered(library_cases(criteria, columns), criteria)[offset : offset + limit]
    if search_is_native():
        return [ResultRow.of(case, case.collaboration_labels) for case in cases]
    return [ResultRow.of(case, json.loads(case.collaboration_labels or "[]")) for case in cases]


def _rows(ids: str, params: list) -> list[ResultRow]:
    sql = _ROWS_SQL.format(ids=ids, labels=_collaboration_labels_sql("c"))
    connection = library_connection()
    with connection.cursor() as cursor:
        execute_prepared(connection, cursor, sql, params)
        return [ResultRow(*row[:10], tuple(row[10])) for row in cursor.fetchall()]


# --- facet counts ---------------------------------------------------------------------------


@dataclass
class FacetCounts:
    total: int = 0
    # facet -> stored key (vocabulary id as text, country code, level, outcome) -> count
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def count(self, facet: str, key) -> int:
        return self.counts.get(facet, {}).get(str(key), 0)


def _column(name: str) -> str:
    return connection.ops.quote_name(name)


# The facet-count SQL is assembled from model metadata and fixed facet names only, never from
# the request; every value from the request travels as a query parameter.
_TOTAL_SQL = "SELECT 'total' AS facet, '' AS key, COUNT(*) AS n FROM c{where}"
_BRANCH_SQL = "SELECT '{facet}', CAST({key} AS TEXT), COUNT(*) FROM {source}{where} GROUP BY {key}"


def _branch(facet: str, key: str, source: str, where: str) -> str:
    return _BRANCH_SQL.format(facet=facet, key=key, source=source, where=where)


# Facet counts are the expensive part of a library page. Those of the whole library come from
# the figures table (``cases.domain.derived``), kept current by every change; the others are
# counted per request, and cached per set of criteria under the library's generation number as a
# second line (a visitor paging through results does not count them again).
_FACET_RANDOM_PAGE_COST = 1.1


def cached_facet_counts(criteria: LibraryCriteria) -> FacetCounts:
    """The facet counts of ``criteria`` (the sort order does not change counts)."""
    if criteria.is_unfiltered:
        return derived.cached("facets:all", _unfiltered_counts)
    return derived.cached(_counts_key(criteria), lambda: facet_counts(criteria))


def counts_and_page(
    criteria: LibraryCriteria, *, offset: int, limit: int = PAGE_SIZE
) -> tuple[FacetCounts, list[int] | None]:
    """The facet counts of ``criteria`` and, where the same statement can choose it, the ids of
    the page of results at ``offset`` in order (else None: ``result_page`` chooses it).

    A ranked search reads its hits once for both (PostgreSQL): choosing the page apart read
    them again, 20 ms of a common word's 17,000 hits at 100,000 cases. Counts taken from the
    cache come without a page. A search for one word alone ranks nothing: its page comes from
    the term table (``_one_word_page_sql``; ranking the hits of "climate" took 60 ms)."""
    if criteria.is_unfiltered or not search_is_native() or criteria.effective_sort != "relevance":
        return cached_facet_counts(criteria), None
    chosen = None

    def count_and_choose() -> FacetCounts:
        nonlocal chosen
        counts, chosen = _table_facet_counts(criteria, page=(offset, limit))
        return counts

    return derived.cached(_counts_key(criteria), count_and_choose), chosen


def _counts_key(criteria: LibraryCriteria) -> str:
    return f"facets:{hashlib.sha256(repr(replace(criteria, sort='')).encode()).hexdigest()}"


def result_total(criteria: LibraryCriteria) -> int:
    """How many cases the criteria select, without the facet counts (an export asks only this):
    the unfiltered library's from the figures, else one count, on PostgreSQL over the narrow
    search table, cached under the library's generation like the facet counts."""
    if criteria.is_unfiltered:
        return cached_facet_counts(criteria).total
    return derived.cached("total:" + _counts_key(criteria), lambda: _count(criteria))


def _count(criteria: LibraryCriteria) -> int:
    if not search_is_native():
        return library_cases(criteria).count()
    where, params = _table_where(criteria)
    sql = f"SELECT count(*) FROM {SEARCH_TABLE} s" + (
        f" WHERE {' AND '.join(where)}" if where else ""
    )
    with library_connection().cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _unfiltered_counts() -> FacetCounts:
    figures = derived.library_figures()
    return FacetCounts(total=figures.total, counts=figures.facets)


def facet_counts(criteria: LibraryCriteria) -> FacetCounts:
    """The result total and, for every facet value, how many results it would give under the
    other active filters: one SQL query.

    The published cases matching the text and the years are selected once (a common table
    expression) with one boolean column per active facet, each computed once per row; every
    facet then counts over the rows that meet every *other* active facet, and the total over
    the rows that meet all of them. (Narrowing the candidate set in SQL by "all but one facet"
    would repeat each facet's subquery in the plan, which measured slower.)
    """
    if search_is_native():
        return _table_facet_counts(criteria)[0]
    active = {
        name: facet_condition(name, values) for name, values in criteria.active_facets().items()
    }
    queryset = _base_filtered(criteria)
    flags = {
        f"m_{name}": ExpressionWrapper(cond, output_field=BooleanField())
        for name, cond in active.items()
    }
    # No ORDER BY: the model's default ordering would sort the whole candidate set for nothing.
    inner = (
        queryset.order_by()
        .annotate(**flags)
        .values(
            "id",
            "country",
            "level",
            "outcome",
            "edition_id",
            "category_id",
            "innovation_stage_id",
            "language",
            "provenance",
            *flags,
        )
    )
    inner_sql, inner_params = inner.query.sql_with_params()

    def where(excluded: str | None) -> str:
        names = [f"c.{_column('m_' + name)}" for name in active if name != excluded]
        return f" WHERE {' AND '.join(names)}" if names else ""

    params = list(inner_params)
    branches = [_TOTAL_SQL.format(where=where(None))]
    for name, column in (
        ("country", "country"),
        ("gov_level", "level"),
        ("outcome", "outcome"),
        ("edition", "edition_id"),
        ("category", "category_id"),
        ("stage", "innovation_stage_id"),
        ("language", "language"),
        ("provenance", "provenance"),
    ):
        branches.append(_branch(name, f"c.{_column(column)}", "c", where(name)))
    for name, relation in M2M_FACETS.items():
        m2m = getattr(Case, relation).field
        through = m2m.remote_field.through._meta
        target = _column(through.get_field(m2m.m2m_reverse_field_name()).column)
        source = _column(through.get_field(m2m.m2m_field_name()).column)
        join = f"c JOIN {_column(through.db_table)} t ON t.{source} = c.{_column('id')}"
        branches.append(_branch(name, f"t.{target}", join, where(name)))
    profile = FactorProfileValue._meta
    join = (
        f"c JOIN {_column(profile.db_table)} p ON p.{_column('case_id')} = c.{_column('id')}"
        f" AND p.{_column('value')} >= %s"
    )
    branches.append(_branch("factor", f"p.{_column('factor_id')}", join, where("factor")))
    params.append(int(STRONG_FACTOR_VALUE))
    sql = "WITH c AS (" + inner_sql + ") " + " UNION ALL ".join(branches)
    return _run_counts(sql, params)


def _run_counts(
    sql: str, params: list, *, local_settings: str = "", generic: bool = False
) -> FacetCounts:
    """The counts (and page) ``sql`` selects; with ``generic``, as a prepared statement planned
    once for any parameters (``execute_prepared``)."""
    result = FacetCounts()
    connection = library_connection()
    with connection.cursor() as cursor:
        if generic:
            execute_prepared(
                connection, cursor, sql, params, local_settings=local_settings, generic=True
            )
        else:
            cursor.execute(local_settings + sql, params)
        for facet, key, count in cursor.fetchall():
            if facet == "total":
                result.total = count
            elif key is not None:
                result.counts.setdefault(facet, {})[key] = count
    return result


def _unnested(column: str, where: str) -> str:
    """The values of array ``column`` of the hits ``c`` as rows ``k(id)``.

    A set-returning function in the select list: a LATERAL join calls ``unnest`` once per hit
    as a function scan, which took 42 ms for the 143,000 tags of 17,000 hits against 29."""
    return f"(SELECT unnest(c.{column}) AS id FROM c{where}) k"


def _table_facet_counts(
    criteria: LibraryCriteria, page: tuple[int, int] | None = None
) -> tuple[FacetCounts, list[int] | None]:
    """``facet_counts`` over the search table (PostgreSQL), in one statement, and with
    ``page`` (offset, limit) the ids of that page of results in order.

    The hits are read once (a CTE). Every facet that is not active counts under the same
    filter (all active facets), so they share two passes over the hits: one ``GROUPING SETS``
    aggregate for the facets stored in columns (and the total), one over ``tag_keys``, all the
    row's tags in one array (each id offset by its facet, ``cases.domain.search.TAG_FACETS``).
    Each active facet then counts in a pass of its own, under the other active facets; the page
    is one more branch, over the hits that meet every active facet."""
    where, params = _table_base_sql(criteria)
    active = criteria.active_facets()
    whole_library: dict = {}
    if not where and page is None and len(active) == 1:
        # Browsing by one facet: its own counts are the whole library's (the figures table,
        # kept current by publication), and every other facet counts over the cases that meet
        # it: a few thousand rows instead of all of them (130 ms for one country at 100,000).
        whole_library = active
        condition, condition_params = _table_facet_sql(*next(iter(active.items())))
        where, params = [condition], list(condition_params)
        active = {}
    flags, flag_params = [], []
    for name, values in active.items():
        condition, condition_params = _table_facet_sql(name, values)
        flags.append(f"({condition}) AS m_{name}")
        flag_params += condition_params
    columns = [column for column, _vocabulary, is_array in _TABLE_FACETS.values() if not is_array]
    # An inactive array facet counts from ``tag_keys``: only the active ones are read apart.
    arrays = [
        column
        for name, (column, _vocabulary, is_array) in _TABLE_FACETS.items()
        if is_array and name in active
    ]
    one_word = page is not None and _is_one_word_candidate(criteria)
    # The columns that order the hits; a one-word search ranks none (the term table does).
    ordering = ["case_id", "published_at", "search_config"] if page else []
    if one_word:
        ordering = ["case_id", "published_at"]
    selected = ", ".join([*columns, *arrays, "tag_keys", *ordering, *flags])
    inner = f"SELECT {selected} FROM {SEARCH_TABLE} s" + (
        f" WHERE {' AND '.join(where)}" if where else ""
    )
    if len(active) > 1:
        # Every count needs a hit that meets all active facets but at most one: keeping only
        # those keeps the CTE small (a common word has thousands of hits, and the full set
        # spilled to disk and was read once per branch: 57 ms instead of 22 for "climate" with
        # three facets at 100,000 cases).
        met = " + ".join(f"COALESCE(m_{name}, FALSE)::int" for name in active)
        inner = f"SELECT * FROM ({inner}) hits WHERE {met} >= {len(active) - 1}"

    def only(excluded: str | None) -> str:
        names = [f"c.m_{name}" for name in active if name != excluded]
        return f" WHERE {' AND '.join(names)}" if names else ""

    shared = [
        (name, column)
        for name, (column, _vocabulary, is_array) in _TABLE_FACETS.items()
        if not is_array and name not in active
    ]
    facet_case = " ".join(f"WHEN GROUPING(c.{column}) = 0 THEN '{name}'" for name, column in shared)
    key_case = " ".join(
        f"WHEN GROUPING(c.{column}) = 0 THEN CAST(c.{column} AS TEXT)" for _name, column in shared
    )
    sets = ", ".join(["()", *(f"(c.{column})" for _name, column in shared)])
    branches = [
        f"SELECT CASE {facet_case} ELSE 'total' END, CASE {key_case} ELSE '' END, COUNT(*)"
        f" FROM c{only(None)} GROUP BY GROUPING SETS ({sets})"
        if shared
        else _TOTAL_SQL.format(where=only(None)),
        _branch("tag", "k.id", _unnested("tag_keys", only(None)), ""),
    ]
    for name in active:
        column, _vocabulary, is_array = _TABLE_FACETS[name]
        if is_array:
            branches.append(_branch(name, "k.id", _unnested(column, only(name)), ""))
        else:
            branches.append(_branch(name, f"c.{column}", "c", only(name)))
    page_params: list = []
    if one_word:
        # From the term table, and the hits that rank 0 from ``c``. A query that parses to more
        # than one lexeme after all ("flood_gate") is ranked on the search table.
        offset, limit = page
        ranked, ranked_params = _page_ids_sql(criteria, offset, limit)
        ids, page_params = _one_word_page_sql(
            criteria.q, offset, limit, ranked, ranked_params, hits="c"
        )
        branches.append(
            f"SELECT 'page', CAST(p.id AS TEXT), p.position FROM unnest({ids})"
            " WITH ORDINALITY AS p(id, position)"
        )
    elif page is not None:
        offset, limit = page
        join, order, order_params = _page_order(criteria)
        meets_all = " AND ".join(f"s.m_{name}" for name in active)
        # ARRAY(... ORDER BY ...) keeps the order; WITH ORDINALITY numbers it.
        branches.append(
            "SELECT 'page', CAST(p.id AS TEXT), p.position FROM unnest(ARRAY("
            f"SELECT s.case_id FROM c s{join}"
            + (f" WHERE {meets_all}" if meets_all else "")
            + f" ORDER BY {order} LIMIT %s OFFSET %s)) WITH ORDINALITY AS p(id, position)"
        )
        page_params = [*order_params, limit, offset]
    sql = f"WITH c AS ({inner}) " + " UNION ALL ".join(branches)
    counts = _run_counts(
        sql,
        [*flag_params, *params, *page_params],
        # SET LOCAL lasts for this statement's implicit transaction only: with the narrow table
        # in memory, SSD-like page costs let PostgreSQL use the indexes for the vocabulary
        # lookups.
        local_settings=f"SET LOCAL random_page_cost = {_FACET_RANDOM_PAGE_COST}; ",
        # A one-word search is one statement whatever the word; planning it took 1-1.7 ms of a
        # rare word's 2.5, and the generic plan runs a common word's as fast as its own plan
        # ("climate": 54 ms against 60). Other filters are not: the facets' selectivities
        # differ, and a generic plan for three facets took 86 ms instead of 63.
        generic=one_word,
    )
    for key, count in counts.counts.pop("tag", {}).items():
        facet, item = tag_facet(int(key))
        if facet not in active:
            counts.counts.setdefault(facet, {})[str(item)] = count
    if whole_library:
        library = _unfiltered_counts()
        for name in whole_library:
            counts.counts[name] = dict(library.counts.get(name, {}))
    positions = counts.counts.pop("page", {})
    chosen = sorted((int(pk) for pk in positions), key=lambda pk: positions[str(pk)])
    return counts, chosen if page is not None else None


# --- facet values ---------------------------------------------------------------------------


def editions_newest_first(editions) -> list[Edition]:
    """``editions`` in the order the library lists them: by year, newest first, editions whose
    label gives no year last, then by year label and slug, both descending.

    The year is the one the library files cases under (the first year in ``year_label``), not
    the opening date, which imported editions often lack and which PostgreSQL and SQLite sort
    differently when missing. Done in Python: an award has a few dozen editions at most.
    """
    ordered = sorted(editions, key=lambda edition: edition.slug, reverse=True)
    ordered.sort(key=lambda edition: edition.year_label, reverse=True)
    years = {edition.pk: edition_year(edition.year_label) for edition in ordered}
    ordered.sort(key=lambda edition: (years[edition.pk] is None, -(years[edition.pk] or 0)))
    return ordered


@dataclass
class FacetOption:
    value: str  # what the URL carries (a stable slug or code)
    label: str
    keys: tuple[str, ...]  # what facet_counts reports it under


# The vocabularies the facet panel lists, read in one query: facet -> its table.
_VOCABULARY_TABLES = {
    "collaboration": CollaborationType,
    "phase": CoproductionPhase,
    "coproduction_level": CoproductionLevel,
    "sector": PolicySector,
    "stage": InnovationStage,
}


def _vocabulary_sql() -> str:
    quote = connection.ops.quote_name
    parts = [
        f"SELECT '{name}', v.id, v.slug, {translated_label_sql('v')}, v.{quote('order')}, '',"
        f" CAST(NULL AS BIGINT) FROM {model._meta.db_table} v"
        for name, model in _VOCABULARY_TABLES.items()
    ]
    factor = EcosystemFactor._meta.db_table
    short = translated_label_sql("v", "short_label")
    parts.append(
        f"SELECT 'factor', v.id, v.slug, COALESCE(NULLIF({short}, ''),"
        f" {translated_label_sql('v')}), v.{quote('order')}, '', NULL FROM {factor} v"
    )
    parts.append(
        f"SELECT 'edition', id, slug, name, 0, year_label, NULL FROM {Edition._meta.db_table}"
    )
    parts.append(
        f"SELECT 'category', id, slug, name, {quote('order')}, '', edition_id"
        f" FROM {Category._meta.db_table}"
    )
    return " UNION ALL ".join(parts)


def facet_vocabulary() -> dict[str, list[FacetOption]]:
    """Every value each facet accepts, with its label, in display order: one query, cached
    under the library's generation (a change to a vocabulary or an edition increments it)."""
    return derived.cached(f"vocabulary:{get_language()}", _facet_vocabulary, counts=False)


def _facet_vocabulary() -> dict[str, list[FacetOption]]:
    from django_countries import countries

    rows: dict[str, list] = {name: [] for name in (*_VOCABULARY_TABLES, "factor", "edition")}
    rows["category"] = []
    with library_connection().cursor() as cursor:
        cursor.execute(_vocabulary_sql())
        for facet, pk, slug, label, order, year_label, edition_id in cursor.fetchall():
            rows[facet].append((pk, slug, label, order, year_label, edition_id))
    vocabulary = {
        name: [
            FacetOption(slug, label, (str(pk),))
            for pk, slug, label, _order, _year, _edition in sorted(
                rows[name], key=lambda row: (row[3], row[1])
            )
        ]
        for name in (*_VOCABULARY_TABLES, "factor")
    }
    editions = editions_newest_first(
        [
            Edition(pk=pk, slug=slug, name=name, year_label=year_label)
            for pk, slug, name, _order, year_label, _edition in rows["edition"]
        ]
    )
    rank = {edition.pk: index for index, edition in enumerate(editions)}
    categories: dict[str, FacetOption] = {}
    category_rows = sorted(
        rows["category"], key=lambda row: (rank.get(row[5], len(rank)), row[3], row[2])
    )
    for pk, slug, name, _order, _year, _edition in category_rows:
        if slug in categories:
            categories[slug].keys += (str(pk),)
        else:
            categories[slug] = FacetOption(slug, name, (str(pk),))
    vocabulary.update(
        {
            "country": [FacetOption(code, str(name), (code,)) for code, name in countries],
            "gov_level": [FacetOption(v, str(label), (v,)) for v, label in GovernmentLevel.choices],
            "edition": [
                FacetOption(edition.slug, edition.name, (str(edition.pk),)) for edition in editions
            ],
            "category": list(categories.values()),
            "outcome": [
                FacetOption(slug, str(Outcome(value).label), (value,))
                for slug, value in OUTCOME_SLUGS.items()
            ],
            "language": [
                FacetOption(value, str(label), (value,)) for value, label in CaseLanguage.choices
            ],
            "provenance": [
                FacetOption(value, str(label), (value,)) for value, label in Provenance.choices
            ],
        }
    )
    return {name: vocabulary[name] for name in FACETS}


# --- statistics -----------------------------------------------------------------------------


@dataclass
class LibraryStatistics:
    total: int
    # (edition id or None, collaboration type id) -> cases
    collaboration_by_edition: dict[tuple[int | None, int], int]
    by_country: list[tuple[str, int]]  # most cases first
    by_phase: dict[int, int]
    # factor id -> (cases with a value, cases strong on it, mean value or None)
    factor_coverage: dict[int, tuple[int, int, float | None]]


def cached_library_statistics() -> LibraryStatistics:
    """``library_statistics`` through the cache, under the same generation as facet counts."""
    return derived.cached("statistics", library_statistics)


def library_statistics() -> LibraryStatistics:
    """The published library in figures, from the figures table (one query)."""
    figures = derived.library_figures()
    by_country = sorted(
        figures.facets.get("country", {}).items(), key=lambda item: (-item[1], item[0])
    )
    return LibraryStatistics(
        total=figures.total,
        collaboration_by_edition=figures.collaboration_by_edition,
        by_country=by_country,
        by_phase={int(key): n for key, n in figures.facets.get("phase", {}).items()},
        factor_coverage=figures.factor_coverage,
    )
