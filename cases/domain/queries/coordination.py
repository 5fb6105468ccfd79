"""Read paths of the coordinator back office: what each page lists and counts.

The views call these selectors and build no queryset of their own. Lists that grow with an
edition (eligibility, assignments, results) take a search term matched against the
registration number, the title and the lead organisation's name.
"""

from collections import Counter

from django.db.models import Count, Prefetch, Q

from cases.domain.queries.access import (
    cases_coordinated_by,
    editions_coordinated_by,
    evaluator_pool,
)
from cases.models import (
    Assignment,
    Case,
    CaseStatus,
    Conflict,
    DecisionLog,
    Outcome,
    ReviewStatus,
    ScoreChange,
    Screening,
)

ELIGIBILITY_FILTERS = {
    "submitted": [CaseStatus.SUBMITTED],
    "eligible": [CaseStatus.ELIGIBLE],
    "ineligible": [CaseStatus.INELIGIBLE],
    "all": [CaseStatus.SUBMITTED, CaseStatus.ELIGIBLE, CaseStatus.INELIGIBLE],
}


def search_cases(cases, query: str):
    """Entries whose registration number, title or lead organisation contains ``query``."""
    query = (query or "").strip()
    if not query:
        return cases
    return cases.filter(
        Q(registration_number__icontains=query)
        | Q(title__icontains=query)
        | Q(lead_organisation__name__icontains=query)
    )


def editions_overview(user):
    """The editions a coordinator runs, newest first, with their entry counts."""
    return (
        editions_coordinated_by(user)
        .annotate(
            entries=Count("cases", filter=~Q(cases__status=CaseStatus.DRAFT)),
            eligible=Count("cases", filter=Q(cases__status=CaseStatus.ELIGIBLE)),
        )
        .order_by("-created_at", "-pk")
    )


def coordinated_entry(user, edition, pk):
    """A submitted entry of the edition, as the coordinators' entry page shows it, or None
    (drafts are the applicant's private work: the policy leaves them out)."""
    return (
        cases_coordinated_by(user)
        .select_related("lead_organisation", "category", "created_by")
        .prefetch_related("partners")
        .filter(pk=pk, edition=edition)
        .first()
    )


def status_counts(edition) -> Counter:
    return Counter(
        dict(
            Case.objects.filter(edition=edition)
            .order_by()
            .values("status")
            .annotate(n=Count("id"))
            .values_list("status", "n")
        )
    )


def _active_assignments(edition):
    return Assignment.objects.filter(
        case__edition=edition, is_active=True, case__status=CaseStatus.ELIGIBLE
    )


def review_totals(edition) -> dict:
    return _active_assignments(edition).aggregate(
        assigned=Count("id"),
        submitted=Count("id", filter=Q(review__status=ReviewStatus.SUBMITTED)),
        drafts=Count("id", filter=Q(review__status=ReviewStatus.DRAFT)),
    )


def evaluator_progress(edition):
    return (
        _active_assignments(edition)
        .values("evaluator__id", "evaluator__full_name", "evaluator__email")
        .annotate(
            assigned=Count("id"),
            submitted=Count("id", filter=Q(review__status=ReviewStatus.SUBMITTED)),
            drafts=Count("id", filter=Q(review__status=ReviewStatus.DRAFT)),
        )
        .order_by("evaluator__full_name", "evaluator__email")
    )


def recent_decisions(edition, limit=10):
    return (
        DecisionLog.objects.filter(edition=edition)
        .select_related("actor", "case")
        .order_by("-at", "-id")[:limit]
    )


def eligibility_list(edition, shown: str, query: str = ""):
    cases = (
        Case.objects.filter(edition=edition, status__in=ELIGIBILITY_FILTERS[shown])
        .select_related("lead_organisation", "category")
        .prefetch_related(Prefetch("screening", queryset=Screening.objects.all()))
        .only(
            "id",
            "title",
            "status",
            "version",
            "country",
            "submitted_at",
            "registration_number",
            "lead_organisation__name",
            "lead_organisation__sector",
            "category__name",
        )
        .order_by("submitted_at", "pk")
    )
    return search_cases(cases, query)


def screenable_case(edition, pk):
    return Case.objects.filter(edition=edition, pk=pk).first()


def eligible_entries(edition, query: str = ""):
    """Eligible entries with their active assignments and conflicts, for the assignment page."""
    active_assignments = Assignment.objects.filter(is_active=True).select_related(
        "evaluator", "review"
    )
    active_conflicts = Conflict.objects.filter(overridden=False).select_related("evaluator")
    cases = (
        Case.objects.filter(edition=edition, status=CaseStatus.ELIGIBLE)
        .select_related("category", "lead_organisation")
        .prefetch_related(
            Prefetch("assignments", queryset=active_assignments, to_attr="active_assignments"),
            Prefetch("conflicts", queryset=active_conflicts, to_attr="active_conflicts"),
        )
        .only("id", "title", "registration_number", "category__name", "lead_organisation__name")
        .order_by("registration_number", "pk")
    )
    return search_cases(cases, query)


def pool_with_load(edition):
    in_edition = Q(assignments__case__edition=edition, assignments__is_active=True)
    return (
        evaluator_pool(edition)
        .annotate(
            load=Count("assignments", filter=in_edition),
            submitted=Count(
                "assignments",
                filter=in_edition & Q(assignments__review__status=ReviewStatus.SUBMITTED),
            ),
        )
        .order_by("full_name", "email")
    )


def entries_by_evaluator(edition) -> dict[int, list]:
    entries = {}
    for assignment in (
        Assignment.objects.filter(case__edition=edition, is_active=True)
        .select_related("case", "review")
        .only(
            "id",
            "evaluator_id",
            "case__id",
            "case__title",
            "case__registration_number",
            "review__status",
        )
    ):
        entries.setdefault(assignment.evaluator_id, []).append(assignment)
    return entries


def edition_conflicts(edition):
    return (
        Conflict.objects.filter(case__edition=edition)
        .select_related("case", "evaluator", "overridden_by")
        .order_by("overridden", "case__registration_number", "evaluator__email")
    )


def edition_assignment(edition, pk):
    return (
        Assignment.objects.select_related("case__edition", "evaluator", "review")
        .filter(pk=pk, case__edition=edition)
        .first()
    )


def edition_conflict(edition, pk):
    return (
        Conflict.objects.select_related("case__edition", "evaluator")
        .filter(pk=pk, case__edition=edition)
        .first()
    )


def find_entry(edition, text: str) -> list:
    """Eligible entries matching what a coordinator typed: an exact registration number
    first, else a part of the title (at most a few, to ask for a more precise search)."""
    text = (text or "").strip()
    if not text:
        return []
    eligible = Case.objects.filter(edition=edition, status=CaseStatus.ELIGIBLE)
    exact = list(eligible.filter(registration_number__iexact=text)[:1])
    if exact:
        return exact
    exact = list(eligible.filter(title__iexact=text)[:2])
    if len(exact) == 1:
        return exact
    return list(search_cases(eligible, text).order_by("registration_number", "pk")[:6])


def find_evaluator(edition, text: str) -> list:
    """Evaluators of the edition's accepted pool matching an e-mail address or a name."""
    text = (text or "").strip()
    if not text:
        return []
    pool = evaluator_pool(edition)
    exact = list(pool.filter(Q(email__iexact=text) | Q(full_name__iexact=text))[:2])
    if len(exact) == 1:
        return exact
    return list(
        pool.filter(Q(email__icontains=text) | Q(full_name__icontains=text)).order_by(
            "full_name", "email"
        )[:6]
    )


def entry_choices(edition):
    """Suggestions for the manual assignment's entry field (a datalist)."""
    return (
        Case.objects.filter(edition=edition, status=CaseStatus.ELIGIBLE)
        .only("id", "title", "registration_number")
        .order_by("registration_number", "pk")
    )


def entry_page_facts(case) -> dict:
    return {
        "screening": Screening.objects.filter(case=case).select_related("decided_by").first(),
        "assignments": Assignment.objects.filter(case=case).select_related("evaluator", "review"),
        "conflicts": Conflict.objects.filter(case=case).select_related("evaluator"),
        "score_history": ScoreChange.objects.filter(review__assignment__case=case)
        .select_related("changed_by", "review__assignment__evaluator")
        .order_by("changed_at", "id"),
        "decisions": DecisionLog.objects.filter(case=case).select_related("actor"),
    }


def decided_entries(edition, query: str = ""):
    cases = (
        Case.objects.filter(edition=edition, status=CaseStatus.ELIGIBLE)
        .exclude(outcome=Outcome.NONE)
        .select_related("category", "lead_organisation")
        .only(
            "id",
            "title",
            "registration_number",
            "outcome",
            "place",
            "is_published",
            "publication_consent",
            "category__name",
            "category__order",
            "lead_organisation__name",
        )
        .order_by("category__order", "category__name", "place", "outcome", "registration_number")
    )
    return search_cases(cases, query)


def publication_counts(edition) -> dict:
    return Case.objects.filter(edition=edition, status=CaseStatus.ELIGIBLE).aggregate(
        eligible=Count("id"),
        consenting=Count("id", filter=Q(publication_consent=True)),
        published=Count("id", filter=Q(is_published=True)),
    )


def settings_categories(edition):
    return list(edition.categories.annotate(entries=Count("cases")).order_by("order", "name"))


def settings_criteria(edition):
    return list(edition.criteria.order_by("order", "pk"))


def edition_category(edition, pk):
    return edition.categories.select_related("edition").filter(pk=pk).first()


def edition_criterion(edition, pk):
    return edition.criteria.select_related("edition").filter(pk=pk).first()
