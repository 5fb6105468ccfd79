"""Keep each case's derived data current when the case or its parts change through the ORM."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from cases.domain.derived import case_year, refresh_case_years
from cases.domain.profiles import refresh_factor_profiles
from cases.domain.search import search_is_native, update_search_vectors
from cases.models import Case, Edition, FactorAssessment, Organisation, Partner


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
