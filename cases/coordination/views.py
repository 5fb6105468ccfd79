"""The coordinator back office: editions, eligibility, assignments, ranking, entries, results.

Coordinators act only on the editions they coordinate, staff on all (403 otherwise). Each
page validates its form, calls one domain action and redirects; a refused action re-renders
the page with the message, what was typed, and the action's status code.
"""

from collections import Counter

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.domain import edition_settings as settings_actions
from cases.domain.evaluation import assignment as assignment_actions
from cases.domain.evaluation import conflicts as conflict_actions
from cases.domain.evaluation import eligibility as eligibility_actions
from cases.domain.evaluation import outcomes as outcome_actions
from cases.domain.evaluation import phases as phase_actions
from cases.domain.evaluation import publication as publication_actions
from cases.domain.evaluation.errors import EvaluationError, StaleForm
from cases.domain.queries.access import (
    cases_coordinated_by,
    editions_coordinated_by,
    evaluator_pool,
    membership_requests_decidable_by,
)
from cases.domain.queries.access_conflicts import conflict_rule
from cases.domain.queries.evaluation import reviews_of_case
from cases.domain.queries.ranking import SORTS, attach_factor_profiles, edition_ranking
from cases.interfaces.attachment_links import attachment_links
from cases.interfaces.coordination_forms import (
    AutomaticAssignmentForm,
    ManualAssignmentForm,
    OutcomeForm,
    OverrideConflictForm,
    PhaseForm,
    PublishForm,
    RankingFilterForm,
    RemoveAssignmentForm,
    ScreeningForm,
)
from cases.interfaces.edition_settings_forms import (
    CategoryForm,
    CriterionForm,
    EditionSettingsForm,
    VersionedForm,
)
from cases.interfaces.permissions import BACK_OFFICE, coordinator_of_edition, permission_required
from cases.interfaces.ranking_export import ranking_csv
from cases.models import (
    NARRATIVE_FIELDS,
    Assignment,
    Case,
    CaseStatus,
    Category,
    Conflict,
    Criterion,
    DecisionLog,
    EditionPhase,
    Outcome,
    ReviewStatus,
    ScoreChange,
    Screening,
)

PAGE_SIZE = 50


@permission_required("cases.coordinate", message=BACK_OFFICE)
def editions(request):
    queryset = (
        editions_coordinated_by(request.user)
        .annotate(
            entries=Count("cases", filter=~Q(cases__status=CaseStatus.DRAFT)),
            eligible=Count("cases", filter=Q(cases__status=CaseStatus.ELIGIBLE)),
        )
        .order_by("-created_at", "-pk")
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    # Coordinators decide requests to join organisations that have no member yet.
    pending_memberships = membership_requests_decidable_by(request.user).count()
    return render(
        request,
        "coordination/editions.html",
        {"page": page, "pending_memberships": pending_memberships},
    )


def _phase_change(request, edition):
    """Handle the phase form; returns (response or None, form, status).

    A change that needs confirmation (ending submissions early, moving back) first shows a
    confirmation page; the change itself happens only when that page is sent back confirmed.
    """
    form = PhaseForm(request.POST)
    if not form.is_valid():
        return None, form, 400
    data = form.cleaned_data
    confirming = request.POST.get("step") == "confirm"
    try:
        phase_actions.check_expected_phase(edition=edition, expected_phase=data["current"])
        change = phase_actions.describe_change(edition=edition, phase=data["phase"])
        if change.needs_confirmation and not confirming:
            return _phase_confirmation(request, edition, form, change, 200), form, 200
        phase_actions.set_phase(
            edition=edition,
            by=request.user,
            phase=data["phase"],
            confirmed=data["confirm"],
            reason=data["reason"],
            expected_phase=data["current"],
        )
    except EvaluationError as error:
        if confirming and error.status == 400:
            form.add_error(None, error.message)
            change = phase_actions.describe_change(edition=edition, phase=data["phase"])
            return _phase_confirmation(request, edition, form, change, 400), form, 400
        # Back on the dashboard, the form shows the phase as it is now, so that sending it
        # again decides on the current state.
        fresh = request.POST.copy()
        fresh["current"] = edition.phase
        form = PhaseForm(fresh)
        form.is_valid()
        form.add_error(None, error.message)
        return None, form, error.status
    messages.success(request, _("The phase is changed."))
    return redirect("coordination:dashboard", edition=edition.slug), form, 302


def _phase_confirmation(request, edition, form, change, status):
    context = {
        "edition": edition,
        "form": form,
        "change": change,
        "before_label": EditionPhase(change.before).label,
        "after_label": EditionPhase(change.after).label,
    }
    return render(request, "coordination/confirm_phase.html", context, status=status)


@coordinator_of_edition
def dashboard(request, edition):
    status = 200
    phase_form = PhaseForm(initial={"phase": edition.phase, "current": edition.phase})
    if request.method == "POST":
        response, phase_form, status = _phase_change(request, edition)
        if response is not None:
            return response
    counts = Counter(
        dict(
            Case.objects.filter(edition=edition)
            .order_by()
            .values("status")
            .annotate(n=Count("id"))
            .values_list("status", "n")
        )
    )
    reviews = Assignment.objects.filter(
        case__edition=edition, is_active=True, case__status=CaseStatus.ELIGIBLE
    ).aggregate(
        assigned=Count("id"),
        submitted=Count("id", filter=Q(review__status=ReviewStatus.SUBMITTED)),
        drafts=Count("id", filter=Q(review__status=ReviewStatus.DRAFT)),
    )
    progress = (
        Assignment.objects.filter(
            case__edition=edition, is_active=True, case__status=CaseStatus.ELIGIBLE
        )
        .values("evaluator__id", "evaluator__full_name", "evaluator__email")
        .annotate(
            assigned=Count("id"),
            submitted=Count("id", filter=Q(review__status=ReviewStatus.SUBMITTED)),
            drafts=Count("id", filter=Q(review__status=ReviewStatus.DRAFT)),
        )
        .order_by("evaluator__full_name", "evaluator__email")
    )
    recent = (
        DecisionLog.objects.filter(edition=edition)
        .select_related("actor", "case")
        .order_by("-at", "-id")[:10]
    )
    context = {
        "edition": edition,
        "counts": counts,
        "entries": sum(n for key, n in counts.items() if key != CaseStatus.DRAFT),
        "reviews": reviews,
        "progress": progress,
        "recent": recent,
        "phase_form": phase_form,
    }
    return render(request, "coordination/dashboard.html", context, status=status)


ELIGIBILITY_FILTERS = {
    "submitted": [CaseStatus.SUBMITTED],
    "eligible": [CaseStatus.ELIGIBLE],
    "ineligible": [CaseStatus.INELIGIBLE],
    "all": [CaseStatus.SUBMITTED, CaseStatus.ELIGIBLE, CaseStatus.INELIGIBLE],
}


@coordinator_of_edition
def eligibility(request, edition):
    shown = request.GET.get("status", "submitted")
    if shown not in ELIGIBILITY_FILTERS:
        shown = "submitted"
    status = 200
    bound = None
    if request.method == "POST":
        bound = ScreeningForm(request.POST)
        if bound.is_valid():
            data = bound.cleaned_data
            case = get_object_or_404(Case, pk=data["case"], edition=edition)
            try:
                eligibility_actions.screen_case(
                    case=case,
                    by=request.user,
                    eligible=data["decision"] == ScreeningForm.ELIGIBLE,
                    reason=data["reason"],
                    note=data["note"],
                    expected_version=data["version"],
                )
            except EvaluationError as error:
                bound.add_error(None, error.message)
                status = error.status
            else:
                case.refresh_from_db()
                if case.status == CaseStatus.ELIGIBLE:
                    text = _("%(title)s is eligible: %(number)s.") % {
                        "title": case.title,
                        "number": case.registration_number,
                    }
                else:
                    text = _("%(title)s is marked not eligible.") % {"title": case.title}
                messages.success(request, text + " " + _("The applicant has been e-mailed."))
                return redirect(f"{request.path}?status={shown}")
        else:
            status = 400
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
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for case in page:
        if bound is not None and str(case.pk) == request.POST.get("case"):
            form = bound
        else:
            form = ScreeningForm(
                initial={"case": case.pk, "version": case.version},
                prefix=None,
            )
        rows.append((case, form))
    if bound is not None and not any(form is bound for _case, form in rows):
        rows.insert(0, (None, bound))
    counts = dict(
        Case.objects.filter(edition=edition)
        .order_by()
        .values("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    context = {
        "edition": edition,
        "page": page,
        "rows": rows,
        "shown": shown,
        "counts": counts,
        "filters": [
            ("submitted", _("To screen"), counts.get(CaseStatus.SUBMITTED, 0)),
            ("eligible", _("Eligible"), counts.get(CaseStatus.ELIGIBLE, 0)),
            ("ineligible", _("Not eligible"), counts.get(CaseStatus.INELIGIBLE, 0)),
            (
                "all",
                _("All"),
                sum(counts.get(s, 0) for s in ELIGIBILITY_FILTERS["all"]),
            ),
        ],
    }
    return render(request, "coordination/eligibility.html", context, status=status)


def _assignment_action(request, edition):
    """Run the action the POST asks for; returns (response or None, bound forms, status)."""
    action = request.POST.get("action")
    forms = {}
    try:
        if action == "automatic":
            form = forms["automatic"] = AutomaticAssignmentForm(request.POST)
            if not form.is_valid():
                return None, forms, 400
            report = assignment_actions.assign_automatically(
                edition=edition, by=request.user, seed=form.cleaned_data["seed"]
            )
            request.session[f"assignment-report-{edition.pk}"] = {
                "created": report.created,
                "evaluators": len(report.per_evaluator),
                "problems": [
                    [case_id, title, str(text)] for case_id, title, text in report.problems
                ],
            }
            messages.success(
                request,
                ngettext(
                    "Automatic assignment made %(count)d assignment.",
                    "Automatic assignment made %(count)d assignments.",
                    report.created,
                )
                % {"count": report.created},
            )
        elif action == "manual":
            form = forms["manual"] = _manual_form(edition, request.POST)
            if not form.is_valid():
                return None, forms, 400
            assignment_actions.assign_manually(
                case=form.cleaned_data["case"],
                evaluator=form.cleaned_data["evaluator"],
                by=request.user,
            )
            messages.success(request, _("The evaluator is assigned and has been e-mailed."))
        elif action == "remove":
            form = forms["remove"] = RemoveAssignmentForm(request.POST)
            if not form.is_valid():
                return None, forms, 400
            assignment = get_object_or_404(
                Assignment.objects.select_related("case__edition", "evaluator", "review"),
                pk=form.cleaned_data["assignment"],
                case__edition=edition,
            )
            if request.POST.get("confirm") != "yes":
                confirmation = render(
                    request,
                    "coordination/confirm_withdrawal.html",
                    {"edition": edition, "assignment": assignment, "form": form},
                )
                return confirmation, forms, 200
            assignment_actions.remove_assignment(
                assignment=assignment, by=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("The assignment is withdrawn."))
        elif action == "override":
            form = forms["override"] = OverrideConflictForm(request.POST)
            if not form.is_valid():
                return None, forms, 400
            conflict = get_object_or_404(
                Conflict.objects.select_related("case__edition", "evaluator"),
                pk=form.cleaned_data["conflict"],
                case__edition=edition,
            )
            conflict_actions.override_conflict(
                conflict=conflict, by=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("The conflict is overridden and the reason logged."))
        elif action == "conflicts":
            active = conflict_actions.refresh_automatic_conflicts(edition=edition)
            messages.success(
                request,
                ngettext(
                    "Conflicts checked: %(count)d active conflict.",
                    "Conflicts checked: %(count)d active conflicts.",
                    len(active),
                )
                % {"count": len(active)},
            )
        else:
            messages.error(request, _("Unknown action."))
            return None, forms, 400
    except EvaluationError as error:
        target = forms.get(action)
        if target is not None:
            target.add_error(None, error.message)
        else:
            messages.error(request, error.message)
        return None, forms, error.status
    return redirect(request.get_full_path()), forms, 302


def _manual_form(edition, data=None):
    return ManualAssignmentForm(
        data,
        cases=Case.objects.filter(edition=edition, status=CaseStatus.ELIGIBLE)
        .only("id", "title", "registration_number")
        .order_by("registration_number", "pk"),
        evaluators=evaluator_pool().order_by("full_name", "email"),
    )


@coordinator_of_edition
def assignments(request, edition):
    status = 200
    forms = {}
    if request.method == "POST":
        response, forms, status = _assignment_action(request, edition)
        if response is not None:
            return response
    by_evaluator = request.GET.get("by") == "evaluator"
    active_assignments = Assignment.objects.filter(is_active=True).select_related(
        "evaluator", "review"
    )
    active_conflicts = Conflict.objects.filter(overridden=False).select_related("evaluator")
    cases = (
        Case.objects.filter(edition=edition, status=CaseStatus.ELIGIBLE)
        .select_related("category")
        .prefetch_related(
            Prefetch("assignments", queryset=active_assignments, to_attr="active_assignments"),
            Prefetch("conflicts", queryset=active_conflicts, to_attr="active_conflicts"),
        )
        .only("id", "title", "registration_number", "category__name")
        .order_by("registration_number", "pk")
    )
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    evaluators = list(
        evaluator_pool()
        .annotate(
            load=Count(
                "assignments",
                filter=Q(assignments__case__edition=edition, assignments__is_active=True),
            ),
            submitted=Count(
                "assignments",
                filter=Q(
                    assignments__case__edition=edition,
                    assignments__is_active=True,
                    assignments__review__status=ReviewStatus.SUBMITTED,
                ),
            ),
        )
        .order_by("full_name", "email")
    )
    evaluator_entries = {}
    if by_evaluator:
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
            evaluator_entries.setdefault(assignment.evaluator_id, []).append(assignment)
        for evaluator in evaluators:
            evaluator.entries = evaluator_entries.get(evaluator.pk, [])
    conflicts = list(
        Conflict.objects.filter(case__edition=edition)
        .select_related("case", "evaluator", "overridden_by")
        .order_by("overridden", "case__registration_number", "evaluator__email")
    )
    report = request.session.pop(f"assignment-report-{edition.pk}", None)
    context = {
        "edition": edition,
        "page": page,
        "by_evaluator": by_evaluator,
        "evaluators": evaluators,
        "conflicts": conflicts,
        "conflict_rule": conflict_rule(edition),
        "report": report,
        "automatic_form": forms.get("automatic") or AutomaticAssignmentForm(),
        "manual_form": forms.get("manual") or _manual_form(edition),
        "remove_form": forms.get("remove"),
        "override_form": forms.get("override"),
    }
    return render(request, "coordination/assignments.html", context, status=status)


@coordinator_of_edition
def ranking(request, edition):
    categories = list(edition.categories.all())
    filters = RankingFilterForm(request.GET or None, categories=categories)
    if filters.is_bound and not filters.is_valid():
        filters = RankingFilterForm(categories=categories)
        messages.error(request, _("Some filters were not valid and were reset."))
    data = filters.cleaned_data if filters.is_bound else {}
    entries = edition_ranking(edition, categories)
    if data.get("category"):
        entries = [
            e for e in entries if e.case.category and e.case.category.slug == data["category"]
        ]
    if data.get("disagreement"):
        entries = [e for e in entries if e.disagreement]
    if data.get("incomplete"):
        entries = [e for e in entries if not e.is_complete]
    sort = data.get("sort") or "rank"
    entries.sort(key=SORTS[sort])
    if request.GET.get("format") == "csv":
        factors = attach_factor_profiles(entries)
        response = HttpResponse(
            ranking_csv(entries, factors), content_type="text/csv; charset=utf-8"
        )
        name = slugify(edition.slug) or "edition"
        response["Content-Disposition"] = f'attachment; filename="{name}-ranking.csv"'
        return response
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    factors = attach_factor_profiles(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    context = {
        "edition": edition,
        "page": page,
        "factors": factors,
        "filters": filters,
        "sort": sort,
        "query": query.urlencode(),
    }
    return render(request, "coordination/ranking.html", context)


@coordinator_of_edition
def case_detail(request, edition, case_id):
    case = get_object_or_404(
        # Drafts are the applicant's private work until submitted: the policy leaves them out.
        cases_coordinated_by(request.user)
        .select_related("lead_organisation", "category", "created_by")
        .prefetch_related("partners"),
        pk=case_id,
        edition=edition,
    )
    status = 200
    form = OutcomeForm(
        initial={"version": case.version, "outcome": case.outcome, "place": case.place}
    )
    if request.method == "POST":
        form = OutcomeForm(request.POST)
        if form.is_valid():
            try:
                outcome_actions.set_outcome(
                    case=case,
                    by=request.user,
                    outcome=form.cleaned_data["outcome"],
                    place=form.cleaned_data["place"],
                    reason=form.cleaned_data["reason"],
                    expected_version=form.cleaned_data["version"],
                )
            except EvaluationError as error:
                form.add_error(None, error.message)
                status = error.status
            else:
                messages.success(request, _("The outcome is recorded."))
                return redirect("coordination:case", edition=edition.slug, case_id=case.pk)
        else:
            status = 400
    entry = next((e for e in edition_ranking(edition) if e.case.pk == case.pk), None)
    if entry is not None:
        attach_factor_profiles([entry])
    reviews = list(reviews_of_case(case).order_by("assignment_id"))
    z_by_evaluator = dict(entry.z_scores) if entry else {}
    for review in reviews:
        review.z = z_by_evaluator.get(review.assignment.evaluator_id)
    context = {
        "edition": edition,
        "case": case,
        "sections": [
            (Case._meta.get_field(name).verbose_name, getattr(case, name))
            for name in NARRATIVE_FIELDS
        ],
        "attachments": attachment_links(case),
        "screening": Screening.objects.filter(case=case).select_related("decided_by").first(),
        "entry": entry,
        "reviews": reviews,
        "assignments": Assignment.objects.filter(case=case).select_related("evaluator", "review"),
        "conflicts": Conflict.objects.filter(case=case).select_related("evaluator"),
        "score_history": ScoreChange.objects.filter(review__assignment__case=case)
        .select_related("changed_by", "review__assignment__evaluator")
        .order_by("changed_at", "id"),
        "decisions": DecisionLog.objects.filter(case=case).select_related("actor"),
        "form": form,
        "outcome_open": edition.phase in outcome_actions.DECISION_PHASES
        and not edition.results_are_published,
    }
    return render(request, "coordination/case.html", context, status=status)


@coordinator_of_edition
def results(request, edition):
    status = 200
    forms = {"results": PublishForm(prefix="results"), "library": PublishForm(prefix="library")}
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in forms:
            messages.error(request, _("Unknown action."))
            status = 400
        else:
            form = forms[action] = PublishForm(request.POST, prefix=action)
            if form.is_valid():
                try:
                    if action == "results":
                        publication_actions.publish_results(edition=edition, by=request.user)
                        messages.success(
                            request, _("The results are published and the applicants e-mailed.")
                        )
                    else:
                        published = publication_actions.publish_cases(
                            edition=edition, by=request.user
                        )
                        messages.success(
                            request,
                            ngettext(
                                "%(count)d case is published in the library.",
                                "%(count)d cases are published in the library.",
                                len(published),
                            )
                            % {"count": len(published)},
                        )
                except EvaluationError as error:
                    form.add_error(None, error.message)
                    status = error.status
                else:
                    return redirect("coordination:results", edition=edition.slug)
            else:
                status = 400
    decided = (
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
    groups = {}
    for case in decided:
        key = case.category.name if case.category else _("No category")
        groups.setdefault(key, []).append(case)
    publication = Case.objects.filter(edition=edition, status=CaseStatus.ELIGIBLE).aggregate(
        eligible=Count("id"),
        consenting=Count("id", filter=Q(publication_consent=True)),
        published=Count("id", filter=Q(is_published=True)),
    )
    context = {
        "edition": edition,
        "groups": groups,
        "publication": publication,
        "results_form": forms["results"],
        "library_form": forms["library"],
        "can_publish": edition.phase in publication_actions.PUBLICATION_PHASES,
    }
    return render(request, "coordination/results.html", context, status=status)


# Edition settings ----------------------------------------------------------------------------


def _settings_forms(edition, categories, criteria, bound=None):
    """Every form of the settings page; ``bound`` replaces the one the POST was for."""
    bound = bound or {}
    version = {"version": edition.version}
    forms = {
        "settings": EditionSettingsForm(instance=edition),
        "new-category": CategoryForm(prefix="new-category", initial=version),
        "new-criterion": CriterionForm(prefix="new-criterion", initial=version),
    }
    for category in categories:
        forms[f"category-{category.pk}"] = CategoryForm(
            prefix=f"category-{category.pk}",
            initial={**version, "name": category.name, "description": category.description},
        )
    for criterion in criteria:
        forms[f"criterion-{criterion.pk}"] = CriterionForm(
            prefix=f"criterion-{criterion.pk}",
            initial={
                **version,
                "name": criterion.name,
                "guidance": criterion.guidance,
                "weight": criterion.weight,
                "order": criterion.order,
            },
        )
    forms.update(bound)
    return forms


def _settings_action(request, edition):
    """Run the change the POST asks for; returns (response or None, bound forms, status)."""
    action = request.POST.get("action")
    target = request.POST.get("target", "")
    form = None
    key = None
    try:
        if action == "settings":
            key = "settings"
            form = EditionSettingsForm(request.POST, instance=edition)
            if not form.is_valid():
                return None, {key: form}, 400
            before_conflicts = edition.same_country_conflicts
            changed = settings_actions.update_settings(
                edition=edition,
                by=request.user,
                values=form.setting_values(),
                expected_version=form.cleaned_data["version"],
            )
            if not changed:
                messages.info(request, _("Nothing was changed."))
            else:
                messages.success(request, _("The edition settings are saved."))
                if edition.same_country_conflicts != before_conflicts:
                    messages.warning(
                        request,
                        _(
                            "The same-country rule changed: check the conflicts on the "
                            "Assignments page to apply it to existing assignments."
                        ),
                    )
        elif action == "add-category":
            key = "new-category"
            form = CategoryForm(request.POST, prefix=key)
            if not form.is_valid():
                return None, {key: form}, 400
            category = settings_actions.add_category(
                edition=edition,
                by=request.user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                expected_version=form.cleaned_data["version"],
            )
            messages.success(request, _("The category “%(name)s” is added.") % {"name": category})
        elif action in ("rename-category", "delete-category"):
            category = get_object_or_404(
                Category.objects.select_related("edition"), pk=_int_or_404(target), edition=edition
            )
            if action == "rename-category":
                key = f"category-{category.pk}"
                form = CategoryForm(request.POST, prefix=key)
                if not form.is_valid():
                    return None, {key: form}, 400
                settings_actions.rename_category(
                    category=category,
                    by=request.user,
                    name=form.cleaned_data["name"],
                    description=form.cleaned_data["description"],
                    expected_version=form.cleaned_data["version"],
                )
                messages.success(request, _("The category is renamed."))
            else:
                form = VersionedForm(request.POST)
                if not form.is_valid():
                    messages.error(request, _("The form was incomplete; try again."))
                    return None, {}, 400
                if request.POST.get("confirm") != "yes":
                    context = {
                        "edition": edition,
                        "category": category,
                        "version": form.cleaned_data["version"],
                        "in_use": settings_actions.category_in_use(category),
                    }
                    page = render(request, "coordination/confirm_category_delete.html", context)
                    return page, {}, 200
                settings_actions.delete_category(
                    category=category,
                    by=request.user,
                    expected_version=form.cleaned_data["version"],
                )
                messages.success(
                    request, _("The category “%(name)s” is deleted.") % {"name": category.name}
                )
        elif action in ("add-criterion", "update-criterion"):
            if action == "add-criterion":
                key = "new-criterion"
                criterion = None
            else:
                criterion = get_object_or_404(
                    Criterion.objects.select_related("edition"),
                    pk=_int_or_404(target),
                    edition=edition,
                )
                key = f"criterion-{criterion.pk}"
            form = CriterionForm(request.POST, prefix=key)
            if not form.is_valid():
                return None, {key: form}, 400
            data = form.cleaned_data
            if criterion is None:
                settings_actions.add_criterion(
                    edition=edition,
                    by=request.user,
                    name=data["name"],
                    guidance=data["guidance"],
                    weight=data["weight"],
                    order=data["order"],
                    expected_version=data["version"],
                )
                messages.success(request, _("The criterion is added."))
            else:
                settings_actions.update_criterion(
                    criterion=criterion,
                    by=request.user,
                    name=data["name"],
                    guidance=data["guidance"],
                    weight=data["weight"],
                    order=criterion.order if data["order"] is None else data["order"],
                    expected_version=data["version"],
                )
                messages.success(request, _("The criterion is saved."))
        else:
            messages.error(request, _("Unknown action."))
            return None, {}, 400
    except EvaluationError as error:
        if key is None:
            messages.error(request, error.message)
            return None, {}, error.status
        if isinstance(error, StaleForm):
            # Keep what was typed, on the current version: sending it again is then a
            # deliberate choice to replace the other change.
            edition.refresh_from_db(fields=["version"])
            data = request.POST.copy()
            data[form.add_prefix("version")] = str(edition.version)
            kwargs = {"instance": edition} if key == "settings" else {"prefix": key}
            form = type(form)(data, **kwargs)
            form.is_valid()
        form.add_error(None, error.message)
        return None, {key: form}, error.status
    return redirect("coordination:settings", edition=edition.slug), {}, 302


def _int_or_404(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


@coordinator_of_edition
def edition_settings(request, edition):
    status = 200
    bound = {}
    if request.method == "POST":
        response, bound, status = _settings_action(request, edition)
        if response is not None:
            return response
        edition.refresh_from_db()
    categories = list(edition.categories.annotate(entries=Count("cases")).order_by("order", "name"))
    criteria = list(edition.criteria.order_by("order", "pk"))
    forms = _settings_forms(edition, categories, criteria, bound)
    for category in categories:
        category.form = forms[f"category-{category.pk}"]
    for criterion in criteria:
        criterion.form = forms[f"criterion-{criterion.pk}"]
    context = {
        "edition": edition,
        "form": forms["settings"],
        "categories": categories,
        "criteria": criteria,
        "category_form": forms["new-category"],
        "criterion_form": forms["new-criterion"],
        "scale_locked": settings_actions.has_submitted_reviews(edition),
        "time_zone": settings.TIME_ZONE,
    }
    return render(request, "coordination/settings.html", context, status=status)
