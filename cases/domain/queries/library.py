"""Read paths of the public case library: the published set, search, facet counts, pages.

Every entry point of the library (list, case page, comparison, exports, statistics,
attachments) starts from ``published_cases()``, so a draft, ineligible, withdrawn or
unpublished entry can never leak into any of them.

Full-text search:
- PostgreSQL matches ``websearch_to_tsquery`` against the weighted stored document
  (``Case.search_vector``, GIN index) and ranks with ``SearchRank`` on the compact
  ``Case.rank_vector`` (title A, summary B). English stemming applies: "communities" finds
  "community"; stop words ("the", "of") are ignored.
- SQLite has no full-text document. There every term must occur somewhere in the case (title,
  summary, narrative, lead organisation, partners, factor self-assessments), compared
  case-insensitively (Unicode case folding, through the ``epsa_fold`` SQL function of
  ``cases.domain.search``) as substrings, without stemming. Quoted phrases must occur as
  written (runs of white space count as one space), a hyphenated word (``co-design``) is one
  term, ``or`` between two terms accepts either, ``-term`` excludes. Relevance is a simple
  score: a term in the title counts 4, in the summary 2, elsewhere 1.
"""

import hashlib
import re
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from functools import reduce
from operator import and_, or_

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models import Case as CaseWhen
from django.db.models.lookups import Contains

from cases.domain.search import SEARCH_CONFIG, Folded, fold, search_is_native
from cases.models import (
    NARRATIVE_FIELDS,
    Case,
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
    Outcome,
    Partner,
    PolicySector,
)

# A factor counts as a strength of the case ("strong on") from this profile value up.
STRONG_FACTOR_VALUE = Decimal(3)
MAX_QUERY_LENGTH = 200
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

SORTS = ("relevance", "newest", "oldest", "title")

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
)

# Facets stored as many-to-many relations of Case: facet -> the relation's field name.
M2M_FACETS = {
    "collaboration": "collaboration_types",
    "phase": "coproduction_phases",
    "coproduction_level": "coproduction_levels",
    "sector": "policy_sectors",
}

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
    year_from: int | None = None
    year_to: int | None = None
    sort: str = ""

    def active_facets(self) -> dict[str, tuple[str, ...]]:
        return {name: getattr(self, name) for name in FACETS if getattr(self, name)}

    @property
    def effective_sort(self) -> str:
        if self.sort in SORTS and (self.sort != "relevance" or self.q):
            return self.sort
        return "relevance" if self.q else "newest"

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


def published_cases() -> QuerySet:
    """The only cases the public library ever shows."""
    return Case.objects.filter(is_published=True)


def published_case_for_page(slug: str) -> Case | None:
    """One published case with everything its page shows, in a fixed number of queries."""
    from cases.models import Attachment

    return (
        published_cases()
        .filter(slug=slug)
        .defer("search_vector", "rank_vector")
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


def published_cases_for_comparison(slugs: list[str]) -> list[Case]:
    """The published cases among ``slugs``, in the order given, with what the comparison shows."""
    found = {
        case.slug: case
        for case in published_cases()
        .filter(slug__in=slugs)
        .only(*LIST_FIELDS, "start_date", "end_date", "ongoing", "licence")
        .select_related("edition", "category", "lead_organisation")
        .prefetch_related(
            "collaboration_types",
            "coproduction_phases",
            "partners",
            Prefetch("profile_values", queryset=_profile_values()),
        )
    }
    return [found[slug] for slug in slugs if slug in found]


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


def search_query(q: str) -> SearchQuery:
    return SearchQuery(q, search_type="websearch", config=SEARCH_CONFIG)


def apply_text_search(queryset: QuerySet, q: str) -> QuerySet:
    """Keep the cases matching ``q`` (no-op for an empty query)."""
    if not q:
        return queryset
    if search_is_native():
        return queryset.filter(search_vector=search_query(q))
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
            rank = SearchRank(F("rank_vector"), search_query(criteria.q))
        else:
            rank = _fallback_score(parse_query(criteria.q))
        return queryset.annotate(rank=rank).order_by("-rank", "-published_at", "-id")
    return queryset.order_by("-published_at", "-id")


def result_page(criteria: LibraryCriteria, *, offset: int, limit: int = PAGE_SIZE) -> list[Case]:
    """One page of results with what a list row shows: 2 queries whatever the page holds."""
    queryset = (
        ordered(library_cases(criteria), criteria)
        .only(*LIST_FIELDS)
        .select_related("edition", "category", "lead_organisation")
        .prefetch_related(
            Prefetch(
                "collaboration_types",
                queryset=CollaborationType.objects.only("id", "slug", "label", "order"),
            )
        )
    )
    return list(queryset[offset : offset + limit])


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


# Facet counts are the expensive part of a library page and the same while a visitor pages
# through results or returns to the landing page: they are cached per set of criteria, under a
# generation number that every change to a case, its tags or its profile increments.
FACET_CACHE_SECONDS = 300
_FACET_RANDOM_PAGE_COST = 1.1
_GENERATION_KEY = "library:generation"


def library_changed() -> None:
    """Forget every cached facet count (called by cases.domain.signals and bulk refreshes)."""
    try:
        cache.incr(_GENERATION_KEY)
    except ValueError:
        cache.set(_GENERATION_KEY, 1, None)


def library_generation() -> int:
    """The number that every change to the published library increments (see library_changed)."""
    return cache.get_or_set(_GENERATION_KEY, 1, None)


def cached_facet_counts(criteria: LibraryCriteria) -> FacetCounts:
    """``facet_counts`` through the cache (the sort order does not change counts)."""
    generation = cache.get_or_set(_GENERATION_KEY, 1, None)
    digest = hashlib.sha256(repr(replace(criteria, sort="")).encode()).hexdigest()
    key = f"library:facets:{connection.alias}:{generation}:{digest}"
    counts = cache.get(key)
    if counts is None:
        counts = facet_counts(criteria)
        cache.set(key, counts, FACET_CACHE_SECONDS)
    return counts


def facet_counts(criteria: LibraryCriteria) -> FacetCounts:
    """The result total and, for every facet value, how many results it would give under the
    other active filters: one SQL query.

    The published cases matching the text and the years are selected once (a common table
    expression) with one boolean column per active facet, each computed once per row; every
    facet then counts over the rows that meet every *other* active facet, and the total over
    the rows that meet all of them. (Narrowing the candidate set in SQL by "all but one facet"
    would repeat each facet's subquery in the plan, which measured slower.)
    """
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
    if connection.vendor == "postgresql":
        # PostgreSQL's default cost model assumes uncached disk reads and joins the candidate
        # set to each whole tag table; with the (small, cached) tag tables in memory, probing
        # their indexes is cheaper, and this query measured 40% faster with SSD-like costs.
        # SET LOCAL lasts for this statement's implicit transaction only.
        sql = f"SET LOCAL random_page_cost = {_FACET_RANDOM_PAGE_COST}; {sql}"
    result = FacetCounts()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for facet, key, count in cursor.fetchall():
            if facet == "total":
                result.total = count
            elif key is not None:
                result.counts.setdefault(facet, {})[key] = count
    return result


# --- facet values ---------------------------------------------------------------------------


def editions_newest_first(editions) -> list[Edition]:
    """``editions`` in the order the library lists them: by year, newest first, editions whose
    label gives no year last, then by year label and slug, both descending.

    The year is the one the library files cases under (the first year in ``year_label``), not
    the opening date, which imported editions often lack and which PostgreSQL and SQLite sort
    differently when missing. Done in Python: an award has a few dozen editions at most.
    """
    from cases.domain.derived import edition_year  # imports this module

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


def facet_vocabulary() -> dict[str, list[FacetOption]]:
    """Every value each facet accepts, with its label, in display order (eight small queries)."""
    from django_countries import countries

    def rows(model):
        return [
            FacetOption(slug, label, (str(pk),))
            for pk, slug, label in model.objects.order_by("order", "slug").values_list(
                "pk", "slug", "label"
            )
        ]

    editions = editions_newest_first(Edition.objects.only("pk", "slug", "name", "year_label"))
    rank = {edition.pk: index for index, edition in enumerate(editions)}
    categories: dict[str, FacetOption] = {}
    category_rows = sorted(
        Category.objects.values_list("pk", "slug", "name", "order", "edition_id"),
        key=lambda row: (rank.get(row[4], len(rank)), row[3], row[2]),
    )
    for pk, slug, name, _order, _edition in category_rows:
        if slug in categories:
            categories[slug].keys += (str(pk),)
        else:
            categories[slug] = FacetOption(slug, name, (str(pk),))
    return {
        "collaboration": rows(CollaborationType),
        "phase": rows(CoproductionPhase),
        "coproduction_level": rows(CoproductionLevel),
        "factor": [
            FacetOption(slug, short or label, (str(pk),))
            for pk, slug, short, label in EcosystemFactor.objects.order_by("order").values_list(
                "pk", "slug", "short_label", "label"
            )
        ],
        "country": [FacetOption(code, str(name), (code,)) for code, name in countries],
        "gov_level": [FacetOption(v, str(label), (v,)) for v, label in GovernmentLevel.choices],
        "sector": rows(PolicySector),
        "edition": [
            FacetOption(edition.slug, edition.name, (str(edition.pk),)) for edition in editions
        ],
        "category": list(categories.values()),
        "outcome": [
            FacetOption(slug, str(Outcome(value).label), (value,))
            for slug, value in OUTCOME_SLUGS.items()
        ],
        "stage": rows(InnovationStage),
    }


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
    generation = cache.get_or_set(_GENERATION_KEY, 1, None)
    key = f"library:statistics:{connection.alias}:{generation}"
    figures = cache.get(key)
    if figures is None:
        figures = library_statistics()
        cache.set(key, figures, FACET_CACHE_SECONDS)
    return figures


def library_statistics() -> LibraryStatistics:
    """The published library in figures: four grouped queries, whatever its size."""
    from django.db.models import Avg, Count

    published_ids = published_cases().values("id")
    collaboration_through = Case.collaboration_types.through
    phase_through = Case.coproduction_phases.through
    collaboration = {
        (row["case__edition_id"], row["collaborationtype_id"]): row["n"]
        for row in collaboration_through.objects.filter(case_id__in=published_ids)
        .values("case__edition_id", "collaborationtype_id")
        .annotate(n=Count("id"))
        .order_by()
    }
    by_country = [
        (row["country"], row["n"])
        for row in published_cases()
        .values("country")
        .annotate(n=Count("id"))
        .order_by("-n", "country")
    ]
    by_phase = dict(
        phase_through.objects.filter(case_id__in=published_ids)
        .values("coproductionphase_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("coproductionphase_id", "n")
    )
    coverage = {
        row["factor_id"]: (row["n"], row["strong"], float(row["mean"]) if row["mean"] else None)
        for row in FactorProfileValue.objects.filter(case_id__in=published_ids)
        .values("factor_id")
        .annotate(
            n=Count("id"),
            strong=Count("id", filter=Q(value__gte=STRONG_FACTOR_VALUE)),
            mean=Avg("value"),
        )
        .order_by()
    }
    return LibraryStatistics(
        total=sum(count for _country, count in by_country),
        collaboration_by_edition=collaboration,
        by_country=by_country,
        by_phase=by_phase,
        factor_coverage=coverage,
    )
