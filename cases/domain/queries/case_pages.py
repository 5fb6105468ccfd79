# SQL in this module is assembled from model metadata and fixed names only; every value from
# a request travels as a query parameter.
# ruff: noqa: S608
"""Read models of the public case page and of the comparison: one query each.

Through the ORM a case page took fourteen queries (the case, then a prefetch per relation,
the factors, the similar cases and the labels their reasons name), and compiling them cost
several times what the database spent answering. Here the case row and every list its page
shows (partners, typology, factor profile, self-assessments, public files, similar cases and
the labels they need) come back in one statement: each list is a JSON array built by a
subquery, in the order the page shows it. The statement is assembled once per database
vendor and language and kept.

Only published cases are read: the case rows, and the similar cases listed, must meet the
condition of ``published_cases()`` itself (its WHERE clause, compiled once onto each alias of
the case table), not as a subquery: each extra reference to the case table (19 indexes) costs
PostgreSQL planning time, and planning is most of this statement's time (with the gate as a
subquery, 9 ms to plan against about 2 ms).
"""

import functools
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import get_language

from cases.domain.queries.prepared import execute_prepared
from cases.domain.queries.published import published_cases
from cases.domain.queries.routing import library_connection
from cases.models import (
    NARRATIVE_FIELDS,
    Attachment,
    Case,
    Category,
    CollaborationType,
    CoproductionLevel,
    CoproductionPhase,
    EcosystemFactor,
    Edition,
    FactorAssessment,
    FactorProfileValue,
    InnovationStage,
    Organisation,
    Partner,
    PolicySector,
    Provenance,
    Sector,
    SimilarCase,
    SimilarityFeatures,
)
from cases.models.choices import choice_label
from cases.models.vocabularies import translated_label_sql

# The columns of the case row a case page shows (the others stay deferred and unread).
PAGE_FIELDS = (
    "id",
    "edition_id",
    "category_id",
    "lead_organisation_id",
    "innovation_stage_id",
    "title",
    "slug",
    "summary",
    "language",
    *NARRATIVE_FIELDS,
    "start_date",
    "end_date",
    "ongoing",
    "level",
    "website",
    "registration_number",
    "outcome",
    "place",
    "is_published",
    "published_at",
    "updated_at",
    "licence",
    "provenance",
    "source_note",
    "year",
    "country",
)
# What the comparison shows of each case.
COMPARISON_FIELDS = (
    "id",
    "edition_id",
    "category_id",
    "lead_organisation_id",
    "title",
    "slug",
    "summary",
    "start_date",
    "end_date",
    "ongoing",
    "level",
    "outcome",
    "place",
    "published_at",
    "licence",
    "provenance",
    "year",
    "country",
)
_CENTS = Decimal("0.01")


def _in_model_order(names: tuple[str, ...]) -> tuple[str, ...]:
    """``names`` in the order of the model's columns, as ``Model.from_db`` expects them."""
    return tuple(f.attname for f in Case._meta.concrete_fields if f.attname in set(names))


PAGE_FIELDS = _in_model_order(PAGE_FIELDS)
COMPARISON_FIELDS = _in_model_order(COMPARISON_FIELDS)
_SOURCE_FIELD = FactorProfileValue._meta.get_field("source")


# --- what the pages read --------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """A vocabulary value of the case: its slug, its label shown, its English label."""

    slug: str
    label: str
    english: str

    @property
    def display_label(self) -> str:
        return self.label


@dataclass(frozen=True)
class Factor:
    pk: int
    slug: str
    display_label: str
    display_short: str
    short_label: str  # the English short label ("" when the factor has none)


@dataclass(frozen=True)
class ProfileValue:
    factor_id: int
    value: Decimal
    source: str

    def get_source_display(self) -> str:
        return choice_label(_SOURCE_FIELD, self.source)


@dataclass(frozen=True)
class Assessment:
    factor_id: int
    text: str
    evidence: str
    not_applicable: bool
    self_rating: int | None

    @property
    def has_content(self) -> bool:
        """Anything to show (a text, evidence or "not applicable"); a rating alone is in the
        profile table already."""
        return bool(self.text.strip() or self.evidence.strip() or self.not_applicable)


@dataclass(frozen=True)
class PartnerRow:
    name: str
    sector: str
    country: str  # ISO code or ""
    role: str

    def get_sector_display(self) -> str:
        return str(Sector(self.sector).label) if self.sector in Sector.values else self.sector


@dataclass(frozen=True)
class PublicFile:
    pk: int
    title: str
    size: int


@dataclass(frozen=True)
class SimilarCaseLink:
    pk: int
    slug: str
    title: str
    provenance: str

    @property
    def is_synthetic(self) -> bool:
        return self.provenance == Provenance.SYNTHETIC

    def get_absolute_url(self) -> str:
        return reverse("library:case", kwargs={"slug": self.slug})


@dataclass(frozen=True)
class StoredSimilar:
    similar: SimilarCaseLink
    score: float
    reason: dict


@dataclass
class CaseRead:
    """A published case and the lists its page (or its comparison column) shows."""

    case: Case
    types: list[Term] = field(default_factory=list)
    phases: list[Term] = field(default_factory=list)
    levels: list[Term] = field(default_factory=list)
    sectors: list[Term] = field(default_factory=list)
    partners: list[PartnerRow] = field(default_factory=list)
    profile: dict[int, ProfileValue] = field(default_factory=dict)
    assessments: dict[int, Assessment] = field(default_factory=dict)
    files: list[PublicFile] = field(default_factory=list)
    # The stored similar cases, best first; None while the list is not computed yet.
    similar: list[StoredSimilar] | None = None


@dataclass
class PageRead:
    """What ``case_page`` returns: the case, the factors in order, and the labels of the
    collaboration types and phases that similar-case reasons name (by primary key)."""

    read: CaseRead
    factors: list[Factor]
    type_labels: dict[int, str]
    phase_labels: dict[int, str]


# --- SQL ------------------------------------------------------------------------------------


def _table(model) -> str:
    return model._meta.db_table


def _quote(name: str) -> str:
    return library_connection().ops.quote_name(name)


def _json_rows(columns: list[str], source: str, order: str) -> str:
    """A subquery giving the rows of ``source`` as a JSON array of arrays, in ``order``."""
    cols = ", ".join(columns)
    if library_connection().vendor == "postgresql":
        return (
            f"(SELECT CAST(json_agg(json_build_array({cols}) ORDER BY {order}) AS TEXT)"
            f" FROM {source})"
        )
    return (
        f"(SELECT json_group_array(json(r)) FROM (SELECT json_array({cols}) AS r"
        f" FROM {source} ORDER BY {order}))"
    )


def _json_value(column: str) -> str:
    """A JSON column as a JSON value inside ``_json_rows`` (SQLite keeps it as text)."""
    return column if library_connection().vendor == "postgresql" else f"json({column})"


def _vocabulary(model, relation: str) -> str:
    through = Case._meta.get_field(relation).remote_field.through._meta
    target = through.get_field(Case._meta.get_field(relation).m2m_reverse_field_name()).column
    return _json_rows(
        ["k.slug", translated_label_sql("k"), "k.label"],
        f"{_table(model)} k JOIN {through.db_table} t ON t.{target} = k.id WHERE t.case_id = c.id",
        f"k.{_quote('order')}, k.slug",
    )


def _published(alias: str) -> str:
    """The condition of ``published_cases()`` on the case table named ``alias`` in the SQL."""
    return _compiled_published(library_connection().alias, alias)


@functools.cache
def _compiled_published(database: str, alias: str) -> str:
    query = published_cases().query
    where = query.where.relabeled_clone({Case._meta.db_table: alias})
    sql, params = query.get_compiler(using=database).compile(where)
    if params:  # the gate is a fixed condition today; a parameter would need passing along
        raise ValueError("published_cases() takes parameters; pass them to the case page SQL")
    return sql


def _case_columns(fields: tuple[str, ...]) -> list[str]:
    return [f"c.{Case._meta.get_field(name).column}" for name in fields]


def _shared_sql(fields: tuple[str, ...], extra: list[str], joins: str, where: str) -> str:
    """The statement both pages run: the case columns, the names of its edition, category and
    lead organisation, its collaboration types, phases, partners and profile, the factors, then
    ``extra`` columns."""
    columns = [
        *_case_columns(fields),
        "e.name",
        "e.slug",
        "e.year_label",
        "cat.name",
        "cat.slug",
        "o.name",
        _vocabulary(CollaborationType, "collaboration_types"),
        _vocabulary(CoproductionPhase, "coproduction_phases"),
        _json_rows(
            ["p.name", "p.sector", "p.country", "p.role"],
            f"{_table(Partner)} p WHERE p.case_id = c.id",
            f"p.{_quote('order')}, p.id",
        ),
        _json_rows(
            ["v.factor_id", "v.value", "v.source"],
            f"{_table(FactorProfileValue)} v WHERE v.case_id = c.id",
            "v.factor_id",
        ),
        _json_rows(
            [
                "f.id",
                "f.slug",
                translated_label_sql("f"),
                translated_label_sql("f", "short_label"),
                "f.short_label",
            ],
            f"{_table(EcosystemFactor)} f",
            f"f.{_quote('order')}, f.id",
        ),
        *extra,
    ]
    return (
        f"SELECT {', '.join(columns)} FROM {_table(Case)} c"
        f" LEFT JOIN {_table(Edition)} e ON e.id = c.edition_id"
        f" LEFT JOIN {_table(Category)} cat ON cat.id = c.category_id"
        f" LEFT JOIN {_table(Organisation)} o ON o.id = c.lead_organisation_id{joins}"
        f" WHERE {where} AND {_published('c')}"
    )


# Columns of ``_shared_sql`` after the case's own.
_SHARED_WIDTH = 11


def _page_sql() -> str:
    return _compiled_page_sql(library_connection().alias, get_language() or "")


@functools.cache
def _compiled_page_sql(alias: str, language: str) -> str:
    similar = _json_rows(
        [
            "s.similar_id",
            "sc.slug",
            "sc.title",
            "sc.provenance",
            "s.score",
            _json_value("s.reason"),
        ],
        f"{_table(SimilarCase)} s JOIN {_table(Case)} sc ON sc.id = s.similar_id"
        f" WHERE s.case_id = c.id AND {_published('sc')}",
        "s.rank",
    )
    extra = [
        "st.slug",
        "st.label",
        "st.label_fr",
        "st.label_de",
        "st.label_es",
        _vocabulary(CoproductionLevel, "coproduction_levels"),
        _vocabulary(PolicySector, "policy_sectors"),
        _json_rows(
            ["a.factor_id", "a.text", "a.evidence", "a.not_applicable", "a.self_rating"],
            f"{_table(FactorAssessment)} a WHERE a.case_id = c.id",
            "a.factor_id",
        ),
        _json_rows(
            ["a.id", "a.title", "a.size"],
            f"{_table(Attachment)} a WHERE a.case_id = c.id AND a.is_public",
            "a.uploaded_at, a.id",
        ),
        f"EXISTS (SELECT 1 FROM {_table(SimilarityFeatures)} sf"
        " WHERE sf.case_id = c.id AND sf.list_ready)",
        similar,
        _json_rows(["k.id", translated_label_sql("k")], f"{_table(CollaborationType)} k", "k.id"),
        _json_rows(["k.id", translated_label_sql("k")], f"{_table(CoproductionPhase)} k", "k.id"),
    ]
    joins = f" LEFT JOIN {_table(InnovationStage)} st ON st.id = c.innovation_stage_id"
    return _shared_sql(PAGE_FIELDS, extra, joins, "c.slug = %s")


def _comparison_sql(count: int) -> str:
    return _compiled_comparison_sql(library_connection().alias, get_language() or "", count)


@functools.cache
def _compiled_comparison_sql(alias: str, language: str, count: int) -> str:
    return _shared_sql(COMPARISON_FIELDS, [], "", f"c.slug IN ({', '.join(['%s'] * count)})")


# --- rows to objects ------------------------------------------------------------------------


def _converters(connection, fields: tuple[str, ...]) -> list:
    converters = []
    for name in fields:
        model_field = Case._meta.get_field(name)
        column = model_field.get_col(_table(Case))
        converters.append((column, column.get_db_converters(connection)))
    return converters


def _case(connection, fields, converters, values) -> Case:
    converted = []
    for value, (column, functions) in zip(values, converters, strict=True):
        for function in functions:
            value = function(value, column, connection)
        converted.append(value)
    return Case.from_db(connection.alias, list(fields), converted)


def _loads(text) -> list:
    return json.loads(text) if text else []


def _terms(text) -> list[Term]:
    return [Term(slug, label, english) for slug, label, english in _loads(text)]


def _value(number) -> Decimal:
    return Decimal(str(number)).quantize(_CENTS)


def _row(model, alias: str, **values):
    """A ``model`` instance holding ``values`` only (its other columns deferred)."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(alias, names, [values[name] for name in names])


def _shared_read(connection, fields, converters, row) -> tuple[CaseRead, list[Factor], list]:
    """A row of ``_shared_sql``: the case with what both pages show, the factors, the rest."""
    width = len(fields)
    case = _case(connection, fields, converters, row[:width])
    (
        edition_name,
        edition_slug,
        year_label,
        category_name,
        category_slug,
        organisation,
        types,
        phases,
        partners,
        profile,
        factors,
    ) = row[width : width + _SHARED_WIDTH]
    alias = connection.alias
    if case.edition_id:
        case.edition = _row(
            Edition,
            alias,
            id=case.edition_id,
            name=edition_name,
            slug=edition_slug,
            year_label=year_label,
        )
    if case.category_id:
        case.category = _row(
            Category, alias, id=case.category_id, name=category_name, slug=category_slug
        )
    if case.lead_organisation_id:
        case.lead_organisation = _row(
            Organisation, alias, id=case.lead_organisation_id, name=organisation
        )
    read = CaseRead(case)
    read.types = _terms(types)
    read.phases = _terms(phases)
    read.partners = [PartnerRow(*item) for item in _loads(partners)]
    read.profile = {
        factor_id: ProfileValue(factor_id, _value(value), source)
        for factor_id, value, source in _loads(profile)
    }
    return read, [Factor(*item) for item in _loads(factors)], list(row[width + _SHARED_WIDTH :])


def case_page(slug: str) -> PageRead | None:
    """The published case at ``slug`` with everything its page shows (one query), or None."""
    connection = library_connection()
    with connection.cursor() as cursor:
        execute_prepared(connection, cursor, _page_sql(), [slug])
        row = cursor.fetchone()
    if row is None:
        return None
    read, factors, rest = _shared_read(
        connection, PAGE_FIELDS, _converters(connection, PAGE_FIELDS), row
    )
    case = read.case
    (
        stage_slug,
        label,
        label_fr,
        label_de,
        label_es,
        levels,
        sectors,
        assessments,
        files,
        similar_ready,
        similar,
        type_labels,
        phase_labels,
    ) = rest
    if case.innovation_stage_id:
        case.innovation_stage = _row(
            InnovationStage,
            connection.alias,
            id=case.innovation_stage_id,
            slug=stage_slug,
            label=label,
            label_fr=label_fr,
            label_de=label_de,
            label_es=label_es,
        )
    read.levels = _terms(levels)
    read.sectors = _terms(sectors)
    read.assessments = {
        factor_id: Assessment(factor_id, text, evidence, bool(not_applicable), rating)
        for factor_id, text, evidence, not_applicable, rating in _loads(assessments)
    }
    read.files = [PublicFile(*item) for item in _loads(files)]
    if similar_ready:
        read.similar = [
            StoredSimilar(
                SimilarCaseLink(pk, similar_slug, title, provenance),
                score,
                reason if isinstance(reason, dict) else json.loads(reason or "{}"),
            )
            for pk, similar_slug, title, provenance, score, reason in _loads(similar)
        ]
    return PageRead(
        read=read,
        factors=factors,
        type_labels=dict(_loads(type_labels)),
        phase_labels=dict(_loads(phase_labels)),
    )


@dataclass
class ComparisonRead:
    cases: list[CaseRead]
    factors: list[Factor]


def cases_for_comparison(slugs: list[str]) -> ComparisonRead:
    """The published cases among ``slugs``, in the order given, with what the comparison
    shows of each, and the factors (one query whatever their number)."""
    if not slugs:
        return ComparisonRead([], [])
    connection = library_connection()
    with connection.cursor() as cursor:
        execute_prepared(connection, cursor, _comparison_sql(len(slugs)), list(slugs))
        rows = cursor.fetchall()
    converters = _converters(connection, COMPARISON_FIELDS)
    found = {}
    factors = []
    for row in rows:
        read, factors, _rest = _shared_read(connection, COMPARISON_FIELDS, converters, row)
        found[read.case.slug] = read
    return ComparisonRead([found[slug] for slug in slugs if slug in found], factors)
