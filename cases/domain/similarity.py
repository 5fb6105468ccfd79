"""Similar cases: the published cases nearest to a case, kept ready for its page.

The method (explained to readers on the "About the methods" page):

    score = 0.45 x profile + 0.25 x collaboration + 0.10 x phases + 0.20 x text     (0 to 1)

- **profile**: 1 minus the mean absolute difference over the factors the case has a value for,
  divided by 4 (the scale's range); a factor the other case has no value for counts as a
  difference of 2 (half the scale). A case without a profile scores 0 here against everyone.
- **collaboration** and **phases**: the Jaccard index of the two cases' collaboration types
  and co-production phases (shared values over all values of the two).
- **text**: the Dice coefficient of the content words (four letters or more, common words
  left out) of the two titles and summaries.

Computing it against 100,000 cases per request would be slow, so it is stored:
``SimilarityFeatures`` holds each case's profile, tag bit masks, tag ids and content words in
one row, and ``refresh_similarity`` (called through ``cases.domain.derived`` when a case is
published or changes) ranks every published case by an integer form of the structural part
(profile and tags, read by tag masks and ordered by the database), scores the best
``POOL_SIZE`` exactly, with the text part, from the same rows, and keeps the top
``SIMILAR_COUNT`` in ``SimilarCase``. The refreshed case is also merged into the stored lists
of the cases in its pool and of the cases that listed it (scored from their side, since the
profile part counts the factors the first case rates): it enters a list whose last place it
now beats, and a list it fell out of the top of is recomputed, so each list stays what a
recompute would make (``_merge``). Lists not computed yet (after a bulk import) are left alone.
``refresh_all_similar_lists`` (the ``refresh_similar_cases`` command) recomputes every list.
"""

import heapq
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations

from django.db import DEFAULT_DB_ALIAS, connection, transaction
from django.db.models import DecimalField, F, Q, Value

from cases.models import (
    Case,
    CaseStatus,
    CollaborationType,
    CoproductionPhase,
    EcosystemFactor,
    FactorProfileValue,
    SimilarCase,
    SimilarityFeatures,
)
from cases.models.insight import FEATURE_FACTOR_COLUMNS

SIMILAR_COUNT = 5
POOL_SIZE = 100
# Above this many cases in one refresh (bulk imports), only the features are refreshed inline;
# the lists are left to ``refresh_all_similar_lists`` or computed when a page first needs them.
INLINE_LIST_LIMIT = 1000

WEIGHT_PROFILE = 0.45
WEIGHT_COLLABORATION = 0.25
WEIGHT_PHASES = 0.10
WEIGHT_TEXT = 0.20
# A factor only one of the two cases has a value for counts as this difference (hundredths).
MISSING_DIFFERENCE = 200
SCALE = 400  # profile values are stored in hundredths of the 0-4 scale
# Profiles whose mean difference is at most this (0-4 scale) are called "similar" in reasons.
SIMILAR_PROFILE_DIFFERENCE = 0.75
REASON_WORDS = 3
MIN_WORD_LENGTH = 4
_BATCH = 1000
_MASK_BITS = 62
# The candidate search enumerates tag masks when the vocabularies have at most this many
# collaboration types and phases together (2 ** 14 masks), and reads at most this many masks
# before it orders every published row instead.
MAX_ENUMERATED_TAGS = 14
MAX_MASKS_READ = 400
# Every stored column of a features row.
_FEATURE_FIELDS = (
    "case_id",
    "is_published",
    "list_ready",
    *FEATURE_FACTOR_COLUMNS,
    "collaboration_mask",
    "phase_mask",
    "collaboration_count",
    "phase_count",
    "collaboration_ids",
    "phase_ids",
    "words",
)
# What the candidate search reads of each row: everything the exact score needs (not the
# masks, which only the search itself uses). ``Features.from_columns`` takes them in this order.
_ROW_COLUMNS = (
    "case_id",
    "is_published",
    "list_ready",
    *FEATURE_FACTOR_COLUMNS,
    "collaboration_ids",
    "phase_ids",
    "words",
)

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# Frequent words that say nothing about what a case is about.
STOP_WORDS = frozenset(
    [
        "about",
        "after",
        "also",
        "among",
        "been",
        "being",
        "between",
        "both",
        "case",
        "cases",
        "could",
        "does",
        "each",
        "from",
        "have",
        "having",
        "here",
        "into",
        "more",
        "most",
        "other",
        "over",
        "same",
        "some",
        "such",
        "than",
        "that",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "under",
        "very",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "will",
        "with",
        "within",
        "without",
        "would",
        "your",
        "project",
        "projects",
        "public",
        "service",
        "services",
        "government",
        "new",
    ]
)


def content_words(*texts: str) -> list[str]:
    """The distinct content words of ``texts``, lower-cased, in order of first appearance."""
    seen: dict[str, None] = {}
    for text in texts:
        for word in _WORD.findall((text or "").casefold()):
            if len(word) >= MIN_WORD_LENGTH and word not in STOP_WORDS:
                seen.setdefault(word, None)
    return list(seen)


def _bit(pk: int) -> int:
    return 1 << (pk % _MASK_BITS)


def _mask(pks: Iterable[int]) -> int:
    mask = 0
    for pk in pks:
        mask |= _bit(pk)
    return mask


def _joined(values: Iterable) -> str:
    """Stored form of tag ids and words: space-separated (words never contain a space)."""
    return " ".join(map(str, values))


# --- features -------------------------------------------------------------------------------


@dataclass
class Features:
    """What the similarity of a case is computed from (a stored row, or an unsaved entry)."""

    case_id: int | None
    profile: list[int | None]  # hundredths, in factor order
    collaboration_ids: set[int] = field(default_factory=set)
    phase_ids: set[int] = field(default_factory=set)
    words: list[str] = field(default_factory=list)  # distinct, in order of first appearance
    published: bool = True
    list_ready: bool = False  # whether its stored list is current (see ``_merge``)
    # Derived once for the pair scores: the set of the words, the rated factors (index, value).
    word_set: frozenset[str] = field(init=False, repr=False, compare=False)
    rated: tuple[tuple[int, int], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        self.word_set = frozenset(self.words)
        self.rated = tuple(
            (index, value) for index, value in enumerate(self.profile) if value is not None
        )

    @classmethod
    def from_columns(cls, case_id, published, list_ready, *columns) -> "Features":
        """From the values of a stored row's ``_ROW_COLUMNS``, in that order."""
        *profile, collaboration_ids, phase_ids, words = columns
        return cls(
            case_id=case_id,
            profile=profile,
            collaboration_ids={int(pk) for pk in collaboration_ids.split()},
            phase_ids={int(pk) for pk in phase_ids.split()},
            words=words.split(),
            published=published,
            list_ready=list_ready,
        )

    @classmethod
    def from_row(cls, row: SimilarityFeatures) -> "Features":
        return cls.from_columns(*(getattr(row, column) for column in _ROW_COLUMNS))


@dataclass(frozen=True)
class _Vocabularies:
    """What a refresh reads once of the factors and tags (see ``_vocabularies``)."""

    factors: list[int]  # factor primary keys in display order: column f1 is the first
    collaboration_bits: list[int]  # the bits of every collaboration type's id
    phase_bits: list[int]  # and of every phase's


def _vocabularies() -> _Vocabularies:
    """The factor order and the tag bits the candidate search enumerates (one query)."""
    parts = [
        model.objects.order_by()
        .annotate(kind=Value(kind), position=Value(0) if kind else F("order"))
        .values_list("kind", "position", "pk")
        for kind, model in enumerate((EcosystemFactor, CollaborationType, CoproductionPhase))
    ]
    found: tuple[list, set[int], set[int]] = ([], set(), set())
    for kind, position, pk in parts[0].union(*parts[1:], all=True):
        if kind == 0:
            found[0].append((position, pk))
        else:
            found[kind].add(_bit(pk))
    return _Vocabularies(
        factors=[pk for _, pk in sorted(found[0])][: len(FEATURE_FACTOR_COLUMNS)],
        collaboration_bits=sorted(found[1]),
        phase_bits=sorted(found[2]),
    )


def factor_order() -> list[int]:
    """Factor primary keys in display order: column f1 is the first factor, and so on."""
    return _vocabularies().factors


def _facts_of(ids: list[int]) -> tuple[dict, dict[int, set[int]], dict[int, set[int]]]:
    """The profile values (case -> factor -> value), collaboration types and phases of the
    cases ``ids`` (one query)."""
    parts = [
        FactorProfileValue.objects.filter(case_id__in=ids)
        .order_by()
        .annotate(kind=Value(0))
        .values_list("kind", "case_id", "factor_id", "value")
    ]
    for kind, relation in enumerate(("collaboration_types", "coproduction_phases"), start=1):
        m2m = getattr(Case, relation)
        target = f"{m2m.field.m2m_reverse_field_name()}_id"
        parts.append(
            m2m.through.objects.filter(case_id__in=ids)
            .annotate(kind=Value(kind), value=Value(None, output_field=DecimalField()))
            .values_list("kind", "case_id", target, "value")
        )
    values: dict[int, dict[int, object]] = {}
    found: tuple[dict[int, set[int]], dict[int, set[int]]] = ({}, {})
    for kind, case_id, target, value in parts[0].union(*parts[1:], all=True):
        if kind == 0:
            values.setdefault(case_id, {})[target] = value
        else:
            found[kind - 1].setdefault(case_id, set()).add(target)
    return values, *found


def refresh_features(
    case_ids: Iterable[int], *, keep: bool = False, vocabularies: _Vocabularies | None = None
) -> dict[int, Features]:
    """Rebuild the stored features of ``case_ids`` (drafts have none); with ``keep``, return
    them, so that a refresh does not read them again. Rows that would not change are not
    written (most saves of a case change none of its features)."""
    ids = sorted(set(case_ids))
    vocabularies = vocabularies or _vocabularies()
    order = {pk: index for index, pk in enumerate(vocabularies.factors)}
    kept: dict[int, Features] = {}
    columns = _FEATURE_FIELDS[1:]
    for start in range(0, len(ids), _BATCH):
        batch = ids[start : start + _BATCH]
        cases = list(
            Case.objects.filter(pk__in=batch)
            .exclude(status=CaseStatus.DRAFT)
            .values_list(
                "pk",
                "is_published",
                "title",
                "summary",
                *(f"similarity__{column}" for column in columns),
            )
        )
        values, collaboration, phases = _facts_of([case[0] for case in cases])
        rows = []
        for pk, published, title, summary, *stored in cases:
            profile: list[int | None] = [None] * len(FEATURE_FACTOR_COLUMNS)
            for factor_id, value in values.get(pk, {}).items():
                if factor_id in order:
                    profile[order[factor_id]] = int(round(value * 100))
            types, case_phases = collaboration.get(pk, set()), phases.get(pk, set())
            row = SimilarityFeatures(
                case_id=pk,
                is_published=published,
                # A refresh that keeps the features stores the case's list in its transaction.
                list_ready=keep and published,
                collaboration_mask=_mask(types),
                phase_mask=_mask(case_phases),
                collaboration_count=len(types),
                phase_count=len(case_phases),
                collaboration_ids=_joined(sorted(types)),
                phase_ids=_joined(sorted(case_phases)),
                words=_joined(content_words(title, summary)),
                **dict(zip(FEATURE_FACTOR_COLUMNS, profile, strict=True)),
            )
            if [getattr(row, column) for column in columns] != stored:
                rows.append(row)
            if keep:
                kept[pk] = Features.from_row(row)
        with transaction.atomic(savepoint=False):
            present = {case[0] for case in cases}
            if len(present) < len(batch):  # drafts, and cases deleted since
                SimilarityFeatures.objects.filter(
                    case_id__in=[pk for pk in batch if pk not in present]
                ).delete()
            SimilarityFeatures.objects.bulk_create(
                rows,
                batch_size=_BATCH,
                update_conflicts=True,
                unique_fields=["case"],
                update_fields=[field for field in _FEATURE_FIELDS if field != "case_id"],
            )
    return kept


def entry_features(case: Case) -> Features:
    """Features of a case that may not be stored (an entry under evaluation): its own
    self-ratings (0-4) stand in for the profile."""
    from cases.models import FactorAssessment

    order = {pk: index for index, pk in enumerate(factor_order())}
    profile: list[int | None] = [None] * len(FEATURE_FACTOR_COLUMNS)
    for factor_id, rating in FactorAssessment.objects.filter(
        case=case, not_applicable=False, self_rating__isnull=False
    ).values_list("factor_id", "self_rating"):
        if factor_id in order:
            profile[order[factor_id]] = int(rating) * 100
    return Features(
        case_id=case.pk,
        profile=profile,
        collaboration_ids=set(case.collaboration_types.values_list("pk", flat=True)),
        phase_ids=set(case.coproduction_phases.values_list("pk", flat=True)),
        words=content_words(case.title, case.summary),
    )


# --- scoring --------------------------------------------------------------------------------


@dataclass
class Neighbour:
    case_id: int
    score: float
    reason: dict


def _symmetric_difference_sql(column: str, count_column: str, ids: set[int]) -> str:
    """SQL for how many tags only one of the two cases has (integers only)."""
    bits = sorted({_bit(pk) for pk in ids})
    if not bits:
        return count_column
    shared = " + ".join(f"(CASE WHEN ({column} & {bit}) <> 0 THEN 1 ELSE 0 END)" for bit in bits)
    return f"({len(bits)} + {count_column} - 2 * ({shared}))"


def _tag_costs(features: Features) -> tuple[int, int]:
    """What one collaboration type and one phase that only one of two cases has add to the
    structural distance: the share of the score a typical tag difference costs (Jaccard over a
    union of about two tags), in the profile's units (hundredths over the rated factors)."""
    rated = sum(value is not None for value in features.profile)
    per_profile_unit = WEIGHT_PROFILE / (SCALE * max(rated, 1))
    return (
        round(WEIGHT_COLLABORATION / 2 / per_profile_unit),
        round(WEIGHT_PHASES / 2 / per_profile_unit),
    )


def _structural_sql(features: Features) -> tuple[str, list]:
    """An integer distance that orders candidates as the structural part of the score does:
    the profile differences in hundredths, and each tag only one case has at its cost
    (``_tag_costs``). Integer arithmetic keeps the candidate scan cheap; the exact score
    follows."""
    collaboration_cost, phase_cost = _tag_costs(features)
    terms = [
        f"coalesce(abs(s.{column} - {int(value)}), {MISSING_DIFFERENCE})"
        for column, value in zip(FEATURE_FACTOR_COLUMNS, features.profile, strict=True)
        if value is not None
    ]
    terms.append(
        f"{collaboration_cost} * "
        + _symmetric_difference_sql(
            "s.collaboration_mask", "s.collaboration_count", features.collaboration_ids
        )
    )
    terms.append(
        f"{phase_cost} * "
        + _symmetric_difference_sql("s.phase_mask", "s.phase_count", features.phase_ids)
    )
    return " + ".join(terms), []


@dataclass(frozen=True)
class _TagLevel:
    """The tag masks that differ from a case's in ``collaboration`` types and ``phases``: each
    row with one of them is at least ``cost`` away (the profile part is never negative)."""

    cost: int
    collaboration: int
    phases: int


def _flips(bits: list[int], count: int) -> list[int]:
    return [sum(chosen) for chosen in combinations(bits, count)]


def _pool(
    features: Features, size: int = POOL_SIZE, vocabularies: _Vocabularies | None = None
) -> list[Features]:
    """The stored features of the ``size`` published cases nearest by profile and tags,
    nearest first (read with everything the exact score needs).

    Rather than computing the distance of every published row, rows are read by their tag
    masks (an index), the nearest masks first: once ``size`` rows are found, the last one's
    distance bounds the search, since a row whose tags alone cost more cannot come closer. The
    masks a row may have are enumerated from the vocabularies, so the result is the one ordering
    every published row gives (``_scan``), which large vocabularies fall back to."""
    vocabularies = vocabularies or _vocabularies()
    collaboration_bits, phase_bits = vocabularies.collaboration_bits, vocabularies.phase_bits
    if len(collaboration_bits) + len(phase_bits) > MAX_ENUMERATED_TAGS:
        return _rows(_scan(features, None, size))
    own_collaboration, own_phases = _mask(features.collaboration_ids), _mask(features.phase_ids)
    collaboration_cost, phase_cost = _tag_costs(features)
    levels = sorted(
        (
            _TagLevel(collaboration_cost * types + phase_cost * phases, types, phases)
            for types in range(len(collaboration_bits) + 1)
            for phases in range(len(phase_bits) + 1)
        ),
        key=lambda level: (level.cost, level.collaboration),
    )
    found: list[tuple] = []
    threshold = None
    index = read = 0
    while index < len(levels) and (threshold is None or levels[index].cost <= threshold):
        # Without ``size`` rows yet, the next level; then every level within the bound.
        batch = [levels[index]]
        index += 1
        while threshold is not None and index < len(levels) and levels[index].cost <= threshold:
            batch.append(levels[index])
            index += 1
        masks = [
            (own_collaboration ^ types, own_phases ^ phases)
            for level in batch
            for types in _flips(collaboration_bits, level.collaboration)
            for phases in _flips(phase_bits, level.phases)
        ]
        read += len(masks)
        if read > MAX_MASKS_READ:
            return _rows(_scan(features, None, size))
        found = sorted([*found, *_scan(features, masks, size)])[:size]
        if len(found) >= size:
            threshold = found[-1][0]
    return _rows(found)


def _rows(found: list[tuple]) -> list[Features]:
    # Each found tuple: the distance, then the row's ``_ROW_COLUMNS`` (case id first: the order).
    return [Features.from_columns(*item[1:]) for item in found]


def _scan(features: Features, masks, size: int) -> list[tuple]:
    """The ``size`` published rows nearest to ``features`` as (distance, case id, columns...),
    among the rows with one of the tag ``masks`` (every published row when ``masks`` is None).

    The distances come from the index ``similarity_search_idx`` alone (the masks joined as a
    list of values, so that each is an index range); only the ``size`` nearest rows are read
    whole."""
    expression, params = _structural_sql(features)
    table = connection.ops.quote_name(SimilarityFeatures._meta.db_table)
    columns = ", ".join(f"r.{column}" for column in _ROW_COLUMNS)
    source, mask_values = f"{table} s", []
    if masks is not None:
        source = (
            "(VALUES {}) m JOIN {} s ON s.collaboration_mask = m.column1 "
            "AND s.phase_mask = m.column2"
        ).format(", ".join(["(%s, %s)"] * len(masks)), table)
        mask_values = [value for pair in masks for value in pair]
    sql = (
        f"SELECT d.distance, {columns} FROM ("  # noqa: S608
        f"SELECT {expression} AS distance, s.case_id FROM {source} "
        f"WHERE s.is_published = %s AND s.case_id <> %s ORDER BY distance, s.case_id LIMIT %s"
        f") d JOIN {table} r ON r.case_id = d.case_id ORDER BY d.distance, d.case_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *mask_values, True, features.case_id or 0, size])
        return [tuple(row) for row in cursor.fetchall()]


def _jaccard(first: set, second: set) -> float:
    union = first | second
    return len(first & second) / len(union) if union else 0.0


def _scored(first: Features, second: Features) -> tuple[float, float | None]:
    """The score of ``second`` from ``first``'s side, and the mean profile difference (None
    when ``first`` has no profile). Called for every candidate, so it only counts; the reason
    is made for the few that are stored (``pair_score``)."""
    rated = first.rated
    if rated:
        theirs = second.profile
        total = 0
        for index, mine in rated:
            value = theirs[index]
            total += abs(mine - value) if value is not None else MISSING_DIFFERENCE
        mean_difference = total / len(rated) / 100
        profile = 1 - mean_difference / (SCALE / 100)
    else:
        mean_difference, profile = None, 0.0
    collaboration = _jaccard(first.collaboration_ids, second.collaboration_ids)
    phases = _jaccard(first.phase_ids, second.phase_ids)
    mine, theirs = first.word_set, second.word_set
    text = 2 * len(mine & theirs) / (len(mine) + len(theirs)) if mine or theirs else 0.0
    score = (
        WEIGHT_PROFILE * profile
        + WEIGHT_COLLABORATION * collaboration
        + WEIGHT_PHASES * phases
        + WEIGHT_TEXT * text
    )
    return round(score, 4), mean_difference


def pair_score(first: Features, second: Features) -> Neighbour:
    """The similarity of ``second`` to ``first``, with the reason (symmetric in the score)."""
    score, mean_difference = _scored(first, second)
    theirs = second.word_set
    reason = {
        "types": sorted(first.collaboration_ids & second.collaboration_ids),
        "phases": sorted(first.phase_ids & second.phase_ids),
        "profile_difference": round(mean_difference, 2) if mean_difference is not None else None,
        "words": [word for word in first.words if word in theirs][:REASON_WORDS],
    }
    return Neighbour(case_id=second.case_id, score=score, reason=reason)


def _stored_features(ids: list[int]) -> dict[int, Features]:
    """The stored features of ``ids`` (one query)."""
    return {
        row[0]: Features.from_columns(*row)
        for row in SimilarityFeatures.objects.filter(case_id__in=ids).values_list(*_ROW_COLUMNS)
    }


def _key(item) -> tuple[float, int]:
    """Best first: the higher score, then the older case (the lower id)."""
    return (-item.score, item.case_id)


def nearest_published(features: Features, count: int = SIMILAR_COUNT) -> list[Neighbour]:
    """The ``count`` published cases most similar to ``features``, best first."""
    return _nearest(features, _candidates(features), count)


def _nearest(features: Features, candidates: list[Features], count: int) -> list[Neighbour]:
    """The ``count`` best of ``candidates`` (by ``_key``), scored with their reasons."""
    best = heapq.nsmallest(
        count,
        ((-_scored(features, other)[0], other.case_id, other) for other in candidates),
        key=lambda item: item[:2],
    )
    return [pair_score(features, other) for _, _, other in best]


def _candidates(features: Features, vocabularies: _Vocabularies | None = None) -> list[Features]:
    return _pool(features, vocabularies=vocabularies)


# --- stored lists ---------------------------------------------------------------------------


def _entry_row(owner: int, rank: int, item: Neighbour) -> SimilarCase:
    """The stored entry of ``item`` at ``rank`` in the list of case ``owner``."""
    return SimilarCase(
        case_id=owner, similar_id=item.case_id, rank=rank, score=item.score, reason=item.reason
    )


def _store(lists: dict[int, list[Neighbour]]) -> None:
    """Replace the stored lists of the cases in ``lists`` (three statements for any number)."""
    if not lists:
        return
    ids = sorted(lists)
    SimilarCase.objects.filter(case_id__in=ids).delete()
    SimilarCase.objects.bulk_create(
        [
            _entry_row(case_id, rank, item)
            for case_id in ids
            for rank, item in enumerate(lists[case_id], start=1)
        ],
        batch_size=_BATCH,
    )
    SimilarityFeatures.objects.filter(case_id__in=ids).update(list_ready=True)


def _recompute(case_ids: Iterable[int]) -> None:
    if not case_ids:
        return
    stored = _stored_features(sorted(set(case_ids)))
    _store({case_id: nearest_published(stored[case_id]) for case_id in sorted(stored)})


@dataclass
class _Entry:
    """A stored list entry as the merge reads it (with its reason only where the entry is the
    refreshed case, or in its own list: the entries a refresh may rewrite)."""

    pk: int
    case_id: int  # the similar case
    score: float
    rank: int
    reason: dict | None = None

    def holds(self, rank: int, item: Neighbour) -> bool:
        """Whether this entry already stores ``item`` at ``rank`` (then nothing is written)."""
        return (self.rank, self.score, self.reason) == (rank, item.score, item.reason)


@dataclass
class _Changes:
    """What a refresh writes: one delete, one upsert and one rank update for all lists."""

    delete: list[int] = field(default_factory=list)
    upsert: list[SimilarCase] = field(default_factory=list)  # by (case, similar)
    reranked: list[SimilarCase] = field(default_factory=list)
    recompute: set[int] = field(default_factory=set)

    def store(self, owner: int, rank: int, item: Neighbour, old: _Entry | None = None) -> None:
        if old is not None and old.holds(rank, item):
            return  # unchanged (most refreshes change little or nothing of the scores)
        self.upsert.append(_entry_row(owner, rank, item))

    def write(self) -> None:
        # The three sets of rows are disjoint, so the order of the statements does not matter.
        if self.delete:
            SimilarCase.objects.filter(pk__in=self.delete).delete()
        if self.upsert:
            SimilarCase.objects.bulk_create(
                self.upsert,
                batch_size=_BATCH,
                update_conflicts=True,
                unique_fields=["case", "similar"],
                update_fields=["rank", "score", "reason"],
            )
        if self.reranked:
            SimilarCase.objects.bulk_update(self.reranked, ["rank"], batch_size=_BATCH)
        _recompute(self.recompute)


def _merge(owner: int, entries: list[_Entry], item: Neighbour, changes: _Changes) -> None:
    """Merge ``item`` (the refreshed case, scored from ``owner``'s side) into ``owner``'s list.

    Only the refreshed case's score changed, so the list stays what a recompute would make:
    the case enters when it beats the last place; if it was listed and now falls below the old
    last place, a case outside the list may beat it, so that list is recomputed instead."""
    old = next((entry for entry in entries if entry.case_id == item.case_id), None)
    if len(entries) >= SIMILAR_COUNT and _key(item) > max(map(_key, entries)):
        if old is not None:
            changes.recompute.add(owner)
        return
    others = [entry for entry in entries if entry is not old]
    kept = sorted([*others, item], key=_key)[:SIMILAR_COUNT]
    # The case's own row, if listed, is updated in place by the upsert.
    changes.delete.extend(entry.pk for entry in others if entry not in kept)
    for rank, entry in enumerate(kept, start=1):
        if entry is item:
            changes.store(owner, rank, item, old)
        elif entry.rank != rank:
            changes.reranked.append(SimilarCase(pk=entry.pk, rank=rank))


def _lists(case_id: int, owners: set[int]) -> dict[int, list[_Entry]]:
    """The stored lists of ``owners`` and of every case that lists ``case_id`` (one query),
    with the reasons of the entries a refresh of ``case_id`` may rewrite. (SQL rather than the
    ORM: some 500 rows, read on every refresh.)"""
    table = connection.ops.quote_name(SimilarCase._meta.db_table)
    listed = ", ".join(["%s"] * len(owners))
    select = (
        "SELECT l.id, l.case_id, l.similar_id, l.score, l.rank, "  # noqa: S608
        f"CASE WHEN l.case_id = %s OR l.similar_id = %s THEN l.reason END FROM {table} l "
    )
    sql = (
        f"{select} WHERE l.case_id IN ({listed}) UNION ALL {select}"  # noqa: S608
        f"WHERE l.case_id IN (SELECT r.case_id FROM {table} r WHERE r.similar_id = %s) "
        f"AND l.case_id NOT IN ({listed}) ORDER BY 2, 5, 1"
    )
    ids = sorted(owners)
    reason = SimilarCase._meta.get_field("reason")
    lists: dict[int, list[_Entry]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [case_id, case_id, *ids, case_id, case_id, case_id, *ids])
        for pk, owner, similar, score, rank, stored in cursor.fetchall():
            if stored is not None:
                stored = reason.from_db_value(stored, None, connection)
            lists.setdefault(owner, []).append(_Entry(pk, similar, score, rank, stored))
    return lists


def _refresh_one(case_id: int, own: Features | None, vocabularies: _Vocabularies) -> None:
    """Store the list of ``case_id`` (``own``: its refreshed features, None for a draft) and
    merge it into its neighbours' lists, or take it out of every list if not published."""
    if own is None or not own.published:
        referrers = list(
            SimilarCase.objects.filter(similar_id=case_id).values_list("case_id", flat=True)
        )
        SimilarCase.objects.filter(Q(case_id=case_id) | Q(similar_id=case_id)).delete()
        _recompute(referrers)
        return
    candidates = _candidates(own, vocabularies)
    changes = _Changes()
    own_list = _nearest(own, candidates, SIMILAR_COUNT)
    # Its old list, and the lists it may enter (its candidates') or is in (its referrers').
    lists = _lists(case_id, {case_id} | {other.case_id for other in candidates if other.list_ready})
    old_list = {entry.case_id: entry for entry in lists.pop(case_id, [])}
    listed = {item.case_id for item in own_list}
    changes.delete.extend(entry.pk for entry in old_list.values() if entry.case_id not in listed)
    for rank, item in enumerate(own_list, start=1):
        changes.store(case_id, rank, item, old_list.get(item.case_id))
    sides = {other.case_id: other for other in candidates}
    outside = [owner for owner in lists if owner not in sides]
    sides.update(_stored_features(outside) if outside else {})
    for owner, other in sides.items():
        if not (other.list_ready and other.published):
            continue
        # Scored from the other case's side: its profile counts the factors it rates.
        entries = lists.get(owner, [])
        score = _scored(other, own)[0]
        if (
            len(entries) >= SIMILAR_COUNT
            and (-score, case_id) > max(map(_key, entries))
            and all(entry.case_id != case_id for entry in entries)
        ):
            continue  # it neither enters this full list nor leaves it: no reason to make
        _merge(owner, entries, pair_score(other, own), changes)
    changes.write()


@transaction.atomic
def refresh_similarity(case_ids: Iterable[int]) -> None:
    """Refresh the features of ``case_ids`` and (for up to ``INLINE_LIST_LIMIT`` cases) the
    stored lists of similar cases they appear in."""
    ids = sorted(set(case_ids))
    if not ids:
        return
    if len(ids) > INLINE_LIST_LIMIT:
        refresh_features(ids)
        SimilarCase.objects.filter(case_id__in=ids).delete()
        return
    vocabularies = _vocabularies()
    features = refresh_features(ids, keep=True, vocabularies=vocabularies)
    for case_id in ids:
        _refresh_one(case_id, features.get(case_id), vocabularies)


def refresh_all_similar_lists(*, batch: int = 500, progress=None) -> int:
    """Recompute every published case's list exactly (after bulk imports); returns how many."""
    ids = list(
        SimilarityFeatures.objects.filter(is_published=True)
        .order_by("case_id")
        .values_list("case_id", flat=True)
    )
    for start in range(0, len(ids), batch):
        with transaction.atomic():
            _recompute(ids[start : start + batch])
        if progress:
            progress(min(start + batch, len(ids)), len(ids))
    return len(ids)


def ensure_similar_list(case_id: int) -> None:
    """Compute a published case's list if a bulk refresh left it out (one query when ready)."""
    if SimilarityFeatures.objects.filter(case_id=case_id, list_ready=True).exists():
        return
    if not SimilarityFeatures.objects.filter(case_id=case_id).exists():
        refresh_features([case_id])
    with transaction.atomic():
        # Several first visitors at once: the lock on the features row (on the primary) makes
        # the others wait for the first one's list, and find it ready. Without it, each
        # stored the same list and all but one failed on the unique constraint (a 500).
        ready = (
            SimilarityFeatures.objects.using(DEFAULT_DB_ALIAS)
            .select_for_update()
            .filter(case_id=case_id)
            .values_list("list_ready", flat=True)
            .first()
        )
        if ready is False:  # None: no features (not a published case); True: done meanwhile
            _recompute([case_id])
