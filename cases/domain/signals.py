"""Keep each case's derived data current when the case or its parts change through the ORM.

Drafts are skipped: they never appear in the library, and an applicant's autosave must not
rebuild profiles or forget the library's cached counts. A case's search document is computed
when it leaves the draft state (its final save), its profile again when it is published.
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from cases.domain.derived import case_year, refresh_case_years, similarity_changed
from cases.domain.profiles import refresh_factor_profiles
from cases.domain.queries.library import library_changed
from cases.domain.search import search_is_native, update_search_vectors
from cases.models import Case, CaseStatus, Edition, FactorAssessment, Organisation, Partner


def _refresh_search_later(case_ids):
    if search_is_native() and case_ids:
        transaction.on_commit(lambda: update_search_vectors(case_ids))


def _is_draft(case_id) -> bool:
    status = Case.objects.filter(pk=case_id).values_list("status", flat=True).first()
    return status in (None, CaseStatus.DRAFT)


@receiver(pre_save, sender=Case)
def case_year_before_save(sender, instance, raw=False, **kwargs):
    if not raw:
        instance.year = case_year(instance)


@receiver(post_save, sender=Edition)
def edition_saved(sender, instance, created=False, raw=False, **kwargs):
    if not raw and not created:
        refresh_case_years(list(instance.cases.values_list("pk", flat=True)))
        library_changed()


@receiver([post_save, post_delete], sender=Case)
def library_facts_changed(sender, instance, raw=False, **kwargs):
    """Cached library facet counts are stale once a case that is not a draft changes.

    Profile values are written only by ``refresh_factor_profiles``, which says so itself.
    """
    if not raw and instance.status != CaseStatus.DRAFT:
        library_changed()


@receiver(m2m_changed, sender=Case.collaboration_types.through)
@receiver(m2m_changed, sender=Case.coproduction_phases.through)
@receiver(m2m_changed, sender=Case.coproduction_levels.through)
@receiver(m2m_changed, sender=Case.policy_sectors.through)
def case_tags_changed(sender, instance, action, reverse=False, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    # From the case side, a draft's tags do not concern the library; from the vocabulary side
    # (an admin editing a collaboration type's cases) they may.
    if reverse or getattr(instance, "status", None) != CaseStatus.DRAFT:
        library_changed()
    if sender in (Case.collaboration_types.through, Case.coproduction_phases.through):
        if reverse:
            similarity_changed(kwargs.get("pk_set") or ())
        elif instance.status != CaseStatus.DRAFT:
            similarity_changed([instance.pk])


@receiver(post_save, sender=Case)
def case_saved(sender, instance, raw=False, **kwargs):
    if not raw and instance.status != CaseStatus.DRAFT:
        _refresh_search_later([instance.pk])
        similarity_changed([instance.pk])


@receiver([post_save, post_delete], sender=Partner)
def partner_changed(sender, instance, raw=False, **kwargs):
    if not raw and not _is_draft(instance.case_id):
        _refresh_search_later([instance.case_id])


@receiver([post_save, post_delete], sender=FactorAssessment)
def assessment_changed(sender, instance, raw=False, **kwargs):
    if raw or _is_draft(instance.case_id):
        return
    refresh_factor_profiles([instance.case_id])
    _refresh_search_later([instance.case_id])
    similarity_changed([instance.case_id])


@receiver(post_save, sender=Organisation)
def organisation_saved(sender, instance, created=False, raw=False, **kwargs):
    if not raw and not created:
        _refresh_search_later(list(instance.led_cases.values_list("pk", flat=True)))
