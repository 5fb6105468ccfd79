"""Keep each case's derived data current when the case or its parts change through the ORM.

Drafts are skipped: they never appear in the library, and an applicant's autosave must not
rebuild profiles or forget the library's cached counts. A case's search table row follows
every save of a case that is not a draft (it is written for published cases only), its tags,
partners, self-assessments and profile values, within the same transaction: the library never
shows a published case with a stale row.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from cases.domain.derived import (
    case_year,
    library_changed,
    refresh_case_years,
    refresh_profiles,
    refresh_search_entries,
    similarity_changed,
)
from cases.models import (
    Case,
    CaseStatus,
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
)


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
        case_ids = list(instance.cases.values_list("pk", flat=True))
        refresh_case_years(case_ids)
        refresh_search_entries(case_ids)


@receiver([post_save, post_delete], sender=Case)
def case_changed(sender, instance, raw=False, **kwargs):
    """A case that is not a draft changed: its search row and the library's figures follow.

    Profile values are written only by ``refresh_profiles``, which says so itself."""
    if raw or instance.status == CaseStatus.DRAFT:
        return
    if kwargs.get("signal") is post_delete:
        library_changed()  # the search row goes with the case (ON DELETE CASCADE)
    else:
        refresh_search_entries([instance.pk])
        similarity_changed([instance.pk])


@receiver(m2m_changed, sender=Case.collaboration_types.through)
@receiver(m2m_changed, sender=Case.coproduction_phases.through)
@receiver(m2m_changed, sender=Case.coproduction_levels.through)
@receiver(m2m_changed, sender=Case.policy_sectors.through)
def case_tags_changed(sender, instance, action, reverse=False, pk_set=None, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:
        # From the vocabulary side (an admin editing a collaboration type's cases).
        refresh_search_entries(pk_set if pk_set else None)
    elif getattr(instance, "status", None) != CaseStatus.DRAFT:
        # From the case side, a draft's tags do not concern the library.
        refresh_search_entries([instance.pk])
    if sender in (Case.collaboration_types.through, Case.coproduction_phases.through):
        if reverse:
            similarity_changed(pk_set or ())
        elif instance.status != CaseStatus.DRAFT:
            similarity_changed([instance.pk])


@receiver([post_save, post_delete], sender=Partner)
def partner_changed(sender, instance, raw=False, **kwargs):
    if not raw and not _is_draft(instance.case_id):
        refresh_search_entries([instance.case_id])


@receiver([post_save, post_delete], sender=FactorAssessment)
def assessment_changed(sender, instance, raw=False, **kwargs):
    if raw or _is_draft(instance.case_id):
        return
    refresh_profiles([instance.case_id])
    similarity_changed([instance.case_id])


@receiver([post_save, post_delete], sender=FactorProfileValue)
def profile_value_changed(sender, instance, raw=False, **kwargs):
    """Profile values written one by one (the admin, tests); bulk rebuilds say so themselves."""
    if not raw and not _is_draft(instance.case_id):
        refresh_search_entries([instance.case_id])


@receiver(post_save, sender=Organisation)
def organisation_saved(sender, instance, created=False, raw=False, **kwargs):
    if not raw and not created:
        refresh_search_entries(list(instance.led_cases.values_list("pk", flat=True)))


@receiver([post_save, post_delete], sender=Category)
@receiver([post_save, post_delete], sender=CollaborationType)
@receiver([post_save, post_delete], sender=CoproductionLevel)
@receiver([post_save, post_delete], sender=CoproductionPhase)
@receiver([post_save, post_delete], sender=EcosystemFactor)
@receiver([post_save, post_delete], sender=InnovationStage)
@receiver([post_save, post_delete], sender=PolicySector)
def vocabulary_changed(sender, instance, raw=False, **kwargs):
    """Labels and order of facet values are cached with the library's figures."""
    if not raw:
        library_changed()
