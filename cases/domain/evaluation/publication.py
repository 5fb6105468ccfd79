"""Publishing an edition's results to the applicants and its consenting cases to the library."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Avg
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.domain import evaluation_mail
from cases.domain.datapackage import request_data_package_build
from cases.domain.derived import refresh_profiles, similarity_changed
from cases.domain.slugs import give_title_slug
from cases.models import (
    Case,
    CaseStatus,
    DecisionAction,
    Edition,
    EditionPhase,
    FactorScore,
    ReviewStatus,
)

from .audit import log_decision
from .errors import PhaseClosed, WrongState

PUBLICATION_PHASES = (EditionPhase.JURY, EditionPhase.CLOSED)
PROFILE_PLACES = Decimal("0.01")


def _require_phase(edition):
    if edition.phase not in PUBLICATION_PHASES:
        raise PhaseClosed(_("Results can be published only after the jury phase has begun."))


@transaction.atomic
def publish_results(*, edition, by):
    """Announce the outcomes: every applicant with an eligible entry gets an e-mail."""
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    _require_phase(edition)
    if edition.results_are_published:
        raise WrongState(_("The results of this edition are already published."))
    edition.results_published_at = timezone.now()
    edition.save(update_fields=["results_published_at"])
    cases = list(
        Case.objects.filter(edition=edition, status=CaseStatus.ELIGIBLE).select_related(
            "edition", "created_by", "lead_organisation"
        )
    )
    log_decision(
        edition=edition,
        action=DecisionAction.RESULTS_PUBLISHED,
        actor=by,
        before="",
        after=ngettext("%(count)d entry informed", "%(count)d entries informed", len(cases))
        % {"count": len(cases)},
    )
    for case in cases:
        evaluation_mail.send_results(case)
    return edition


def consensus_profiles(case_ids) -> dict[int, dict[int, Decimal]]:
    """Mean evaluator score (0-4) per case and factor, from submitted reviews that count."""
    rows = (
        FactorScore.objects.filter(
            review__assignment__case_id__in=case_ids,
            review__assignment__is_active=True,
            review__status=ReviewStatus.SUBMITTED,
            score__isnull=False,
        )
        .values("review__assignment__case_id", "factor_id")
        .annotate(mean=Avg("score"))
    )
    profiles = {}
    for row in rows:
        value = Decimal(str(row["mean"])).quantize(PROFILE_PLACES, rounding=ROUND_HALF_UP)
        profiles.setdefault(row["review__assignment__case_id"], {})[row["factor_id"]] = value
    return profiles


@transaction.atomic
def store_consensus_profiles(case_ids):
    """Store the evaluators' mean factor scores as the library profile of each case.

    Factors the evaluators scored take their mean; the others keep the applicant's self-rating
    (the rule of ``cases.domain.profiles``, which does the storing). The library's derived data
    (search table rows, figures) follows in the same transaction.
    """
    profiles = consensus_profiles(case_ids)
    refresh_profiles(case_ids, consensus=profiles)
    return profiles


@transaction.atomic
def publish_cases(*, edition, by):
    """Publish in the library every eligible entry whose applicant consented; returns them."""
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    _require_phase(edition)
    if not edition.results_are_published:
        raise WrongState(
            _("Publish the results first, so that applicants hear them before the public.")
        )
    cases = list(
        Case.objects.select_for_update()
        .filter(
            edition=edition,
            status=CaseStatus.ELIGIBLE,
            publication_consent=True,
            is_published=False,
        )
        .only("id", "title", "outcome", "place")
    )
    now = timezone.now()
    Case.objects.filter(pk__in=[case.pk for case in cases]).update(
        is_published=True, published_at=now, updated_at=now
    )
    # A queryset update sends no signals: storing the profiles also writes the cases' search
    # table rows and marks the library's figures for a recount once this commits.
    store_consensus_profiles([case.pk for case in cases])
    similarity_changed([case.pk for case in cases])
    for case in cases:
        give_title_slug(case=case, first_publication=True)
    if cases:
        request_data_package_build()
    for case in cases:
        log_decision(
            edition=edition,
            case=case,
            action=DecisionAction.CASE_PUBLISHED,
            actor=by,
            before=_("not published"),
            after=_("published"),
        )
    return cases
