"""The evaluator area: the list of assignments and the page to read and score an entry.

Evaluators see only their own active assignments (404 otherwise) and never an entry they have
a conflict of interest with (403 with an explanation).
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cases.domain.evaluation import conflicts as conflict_actions
from cases.domain.evaluation import scoring
from cases.domain.evaluation.errors import EvaluationError, StaleForm
from cases.domain.evaluation.evaluator_profiles import update_evaluator_profile
from cases.domain.queries.evaluation import evaluator_assignments, other_reviews_visible_to
from cases.interfaces.attachment_links import attachment_links
from cases.interfaces.evaluation_forms import (
    DeclareConflictForm,
    EvaluatorProfileForm,
    ReviewForm,
)
from cases.interfaces.evaluator_panel import library_comparison
from cases.interfaces.permissions import load, permission_required
from cases.models import (
    NARRATIVE_FIELDS,
    Assignment,
    Case,
    CriterionScore,
    EcosystemFactor,
    EvaluatorProfile,
    FactorAssessment,
    FactorScore,
    Review,
)

PAGE_SIZE = 25


EVALUATION_AREA = gettext_lazy("The evaluation area is for evaluators.")


@permission_required("cases.view_evaluation", message=EVALUATION_AREA)
def assignments(request):
    page = Paginator(evaluator_assignments(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "evaluation/assignments.html", {"page": page})


def _conflict_response(request, assignment):
    return render(
        request,
        "evaluation/conflicted.html",
        {"assignment": assignment, "edition": assignment.case.edition},
        status=403,
    )


ASSIGNMENT = Assignment.objects.select_related(
    "case__edition", "case__category", "case__lead_organisation", "evaluator"
)


def own_assignment(view):
    """Evaluators only (403); their own active assignment only (404: no one learns about
    others' assignments); and not while a conflict of interest stands (403 with the reason)."""
    return permission_required("cases.view_evaluation", message=EVALUATION_AREA)(
        permission_required(
            "cases.view_assignment", fn=load(ASSIGNMENT, pk="assignment_id", as_="assignment")
        )(
            permission_required(
                "cases.review_assignment",
                fn=load(ASSIGNMENT, pk="assignment_id", as_="assignment"),
                otherwise=_conflict_response,
            )(view)
        )
    )


def _application(case):
    """Everything the applicant wrote, for reading beside the form."""
    case = (
        Case.objects.select_related("lead_organisation", "category", "innovation_stage")
        .prefetch_related(
            "partners",
            "policy_sectors",
            "collaboration_types",
            Prefetch(
                "factor_assessments",
                queryset=FactorAssessment.objects.select_related("factor"),
            ),
        )
        .get(pk=case.pk)
    )
    sections = [
        (Case._meta.get_field(name).verbose_name, getattr(case, name)) for name in NARRATIVE_FIELDS
    ]
    return case, sections


def _review_for(assignment):
    return (
        Review.objects.filter(assignment=assignment)
        .prefetch_related(
            Prefetch("criterion_scores", queryset=CriterionScore.objects.all()),
            Prefetch("factor_scores", queryset=FactorScore.objects.all()),
        )
        .first()
    )


@own_assignment
def review(request, assignment):
    case = assignment.case
    edition = case.edition
    criteria = list(edition.criteria.all())
    factors = list(EcosystemFactor.objects.all())
    current = _review_for(assignment)
    form_kwargs = {"edition": edition, "criteria": criteria, "factors": factors, "review": current}
    status = 200
    if request.method == "POST":
        submitting = "submit" in request.POST
        form = ReviewForm(request.POST, submitting=submitting, **form_kwargs)
        if form.is_valid():
            try:
                saved = scoring.save_review(
                    assignment=assignment,
                    by=request.user,
                    criterion_values=form.criterion_values(),
                    factor_values=form.factor_values(),
                    overall_comment=form.cleaned_data["overall_comment"],
                    expected_version=form.cleaned_data.get("version"),
                    submit=submitting,
                )
            except StaleForm as error:
                # Keep what was typed and move the form onto the saved version, so that
                # sending it again, after a look, replaces the other change knowingly.
                data = request.POST.copy()
                saved_version = Review.objects.filter(assignment=assignment).values_list(
                    "version", flat=True
                )
                data["version"] = str(saved_version.first() or "")
                form = ReviewForm(data, submitting=submitting, **form_kwargs)
                form.is_valid()
                form.add_error(None, error.message)
                status = error.status
            except EvaluationError as error:
                form.add_error(None, error.message)
                status = error.status
            else:
                if submitting:
                    messages.success(request, _("Your review is submitted. Thank you."))
                elif saved.is_submitted:
                    messages.success(request, _("Your changes to the submitted review are saved."))
                else:
                    messages.success(request, _("Draft saved. You can come back to it later."))
                return redirect(reverse("evaluation:review", args=[assignment.pk]) + "#messages")
        else:
            status = 400
    else:
        form = ReviewForm(**form_kwargs)
    application, sections = _application(case)
    context = {
        "assignment": assignment,
        "edition": edition,
        "case": application,
        "sections": sections,
        "attachments": attachment_links(case),
        "form": form,
        "review": current,
        "is_open": edition.is_evaluation_open,
        "other_reviews": other_reviews_visible_to(request.user, case),
        "scale": range(edition.score_min, edition.score_max + 1),
        "comparison": library_comparison(application),
    }
    return render(request, "evaluation/review.html", context, status=status)


@own_assignment
def declare_conflict(request, assignment):
    status = 200
    if request.method == "POST":
        form = DeclareConflictForm(request.POST)
        if form.is_valid():
            try:
                conflict_actions.declare_conflict(
                    assignment=assignment, by=request.user, reason=form.cleaned_data["reason"]
                )
            except EvaluationError as error:
                form.add_error(None, error.message)
                status = error.status
            else:
                messages.success(
                    request,
                    _("Your conflict of interest is recorded; the entry goes to someone else."),
                )
                return redirect("evaluation:assignments")
        else:
            status = 400
    else:
        form = DeclareConflictForm()
    return render(
        request,
        "evaluation/declare_conflict.html",
        {"assignment": assignment, "case": assignment.case, "form": form},
        status=status,
    )


@permission_required("cases.view_evaluation", message=EVALUATION_AREA)
def profile(request):
    """The evaluator's own profile: countries, organisations, preferred categories."""
    current = EvaluatorProfile.objects.filter(user=request.user).first()
    status = 200
    if request.method == "POST":
        form = EvaluatorProfileForm(request.POST, instance=current)
        if form.is_valid():
            _saved, withdrawn = update_evaluator_profile(
                user=request.user,
                countries=form.cleaned_data["countries"],
                organisations=form.cleaned_data["organisations"],
                preferred_categories=form.cleaned_data["preferred_categories"],
                expertise=form.cleaned_data["expertise"],
            )
            messages.success(request, _("Your profile is saved."))
            if withdrawn:
                messages.warning(
                    request,
                    ngettext(
                        "Your profile shows a conflict of interest with %(count)d of your "
                        "entries; it was withdrawn and will go to other evaluators.",
                        "Your profile shows a conflict of interest with %(count)d of your "
                        "entries; they were withdrawn and will go to other evaluators.",
                        withdrawn,
                    )
                    % {"count": withdrawn},
                )
            return redirect("evaluation:profile")
        status = 400
    else:
        form = EvaluatorProfileForm(instance=current)
    return render(request, "evaluation/profile.html", {"form": form}, status=status)
