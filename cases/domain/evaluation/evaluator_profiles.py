"""Evaluators keep their own profile: what conflicts are found from, and what they prefer."""

from django.db import transaction

from cases.models import Assignment, Edition, EvaluatorProfile

from .assignment import ASSIGNMENT_PHASES, refresh_automatic_conflicts


@transaction.atomic
def update_evaluator_profile(*, user, countries, organisations, preferred_categories, expertise):
    """Save the profile and re-check the evaluator's conflicts in editions still assigning.

    Returns the profile and the number of the evaluator's assignments withdrawn because the new
    profile reveals a conflict of interest.
    """
    profile, _created = EvaluatorProfile.objects.get_or_create(user=user)
    profile.countries = list(countries)
    profile.expertise = (expertise or "").strip()
    profile.save()
    profile.organisations.set(organisations)
    profile.preferred_categories.set(preferred_categories)
    active = Assignment.objects.filter(evaluator=user, is_active=True)
    before = active.count()
    for edition in Edition.objects.filter(phase__in=ASSIGNMENT_PHASES):
        refresh_automatic_conflicts(edition=edition, evaluator_ids=[user.pk])
    return profile, before - active.count()
