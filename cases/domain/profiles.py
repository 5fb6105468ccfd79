"""The factor profile of a case: one value per enabling-ecosystem factor on a 0-4 scale.

The evaluators' consensus wins where it exists; otherwise the applicant's self-rating is used;
otherwise the factor has no value. Values are stored in ``FactorProfileValue`` so that lists and
filters read them instead of computing them per row.

This module only stores the values; ``cases.domain.derived.refresh_profiles`` also updates what
the library derives from them, and is what writers call.
"""

from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.db import connection, transaction

from cases.models import FactorAssessment, FactorProfileSource, FactorProfileValue

_BATCH = 500


@transaction.atomic
def refresh_factor_profiles(
    case_ids: Iterable[int],
    *,
    consensus: Mapping[int, Mapping[int, Decimal]] | None = None,
) -> None:
    """Rebuild the stored profiles of ``case_ids``.

    ``consensus`` maps case id -> factor id -> the evaluators' mean factor score (0-4). Cases
    not in it keep the consensus values they already have; every other factor falls back to
    the applicant's self-rating.
    """
    consensus = consensus or {}
    ids = sorted(set(case_ids))
    for start in range(0, len(ids), _BATCH):
        _refresh_batch(ids[start : start + _BATCH], consensus)


def _refresh_batch(ids: list[int], consensus: Mapping[int, Mapping[int, Decimal]]) -> None:
    new_consensus_ids = [case_id for case_id in ids if case_id in consensus]
    FactorProfileValue.objects.filter(case_id__in=new_consensus_ids).delete()
    FactorProfileValue.objects.filter(
        case_id__in=ids, source=FactorProfileSource.SELF_ASSESSMENT
    ).delete()
    rows = [
        FactorProfileValue(
            case_id=case_id,
            factor_id=factor_id,
            value=Decimal(value).quantize(Decimal("0.01")),
            source=FactorProfileSource.CONSENSUS,
        )
        for case_id in new_consensus_ids
        for factor_id, value in consensus[case_id].items()
        if value is not None
    ]
    FactorProfileValue.objects.bulk_create(rows, batch_size=2000)
    _insert_self_ratings(ids)


def _insert_self_ratings(ids: list[int]) -> None:
    """Self-ratings fill every factor that has no value yet, in one statement inside the database.

    Done in SQL rather than through model instances because bulk imports refresh hundreds of
    thousands of cases at once; the rule is the same: rated, applicable, not already taken.
    """
    quote = connection.ops.quote_name
    profile = quote(FactorProfileValue._meta.db_table)
    assessment = quote(FactorAssessment._meta.db_table)
    placeholders = ", ".join(["%s"] * len(ids))
    sql = (
        f"INSERT INTO {profile} (case_id, factor_id, value, source) "  # noqa: S608
        f"SELECT fa.case_id, fa.factor_id, fa.self_rating, %s FROM {assessment} fa "
        f"WHERE fa.case_id IN ({placeholders}) AND fa.not_applicable = %s "
        "AND fa.self_rating IS NOT NULL AND NOT EXISTS ("
        f"SELECT 1 FROM {profile} p WHERE p.case_id = fa.case_id AND p.factor_id = fa.factor_id)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [FactorProfileSource.SELF_ASSESSMENT.value, *ids, False])
