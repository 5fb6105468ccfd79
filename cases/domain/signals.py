"""Keep each case's derived data current when the case or its parts change through the ORM."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from cases.domain.derived import case_year, refresh_case_years
from cases.domain.profiles import refresh_factor_profiles
from cases.domain.queries.library import library_changed
from cases.domain.search import search_is_native, update_search_vectors
from cases.models import (
    Case,
    Edition,
    FactorAssessment,
    FactorProfileValue,
    Organisation,
    Partner,
)


def _refresh_search_later(case_ids):
    if search_is_native() and case_ids:
        transaction.on_commit(lambda: update_search_vectors(case_ids))


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
@receiver([post_save, post_delete], sender=FactorProfileValue)
def library_facts_changed(sender, raw=False, **kwargs):
    """Cached library facet counts are stale once a case or a profile value changes."""
    if not raw:
        library_changed()


@receiver(m2m_changed, sender=Case.collaboration_types.through)
@receiver(m2m_changed, sender=Case.coproduction_phases.through)
@receiver(m2m_changed, sender=Case.coproduction_levels.through)
@receiver(m2m_changed, sender=Case.policy_sectors.through)
def case_tags_changed(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        library_changed()


@receiver(post_save, sender=Case)
def case_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _refresh_search_later([instance.pk])


@receiver([post_save, post_delete], sender=Partner)
def partner_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _refresh_search_later([instance.case_id])


@receiver([post_save, post_delete], sender=FactorAssessment)
def assessment_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    if Case.objects.filter(pk=instance.case_id).exists():
        refresh_factor_profiles([instance.case_id])
    _refresh_search_later([instance.case_id])


@receiver(post_save, sender=Organisation)
def organisation_saved(sender, instance, created=False, raw=False, **kwargs):
    if not raw and not created:
        _refresh_search_later(list(instance.led_cases.values_list("pk", flat=True)))
