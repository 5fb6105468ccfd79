"""A coordinator revises a published case: a recorded decision, with its reason."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from cases.domain.evaluation.errors import EvaluationError
from cases.domain.evaluation.revision import revise_published_case
from cases.domain.queries.access import cases_coordinated_by
from cases.interfaces.permissions import coordinator_of_edition
from cases.interfaces.revision_forms import RevisePublishedCaseForm


@coordinator_of_edition
def revise_case(request, edition, case_id):
    case = get_object_or_404(
        cases_coordinated_by(request.user).select_related("category"), pk=case_id, edition=edition
    )
    if not case.is_published:
        return render(
            request,
            "coordination/revise_case.html",
            {"edition": edition, "case": case, "form": None},
            status=409,
        )
    status = 200
    if request.method == "POST":
        form = RevisePublishedCaseForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                revise_published_case(
                    case=case,
                    by=request.user,
                    outcome=data["outcome"],
                    place=data["place"],
                    unpublish=data["unpublish"],
                    reason=data["reason"],
                    confirmed=data["confirm"],
                    expected_version=data["version"],
                )
            except EvaluationError as error:
                form.add_error(None, error.message)
                status = error.status
            else:
                messages.success(request, _("The change is made and recorded in the log."))
                return redirect("coordination:case", edition=edition.slug, case_id=case.pk)
        else:
            status = 400
    else:
        form = RevisePublishedCaseForm(
            initial={"version": case.version, "outcome": case.outcome, "place": case.place}
        )
    return render(
        request,
        "coordination/revise_case.html",
        {"edition": edition, "case": case, "form": form},
        status=status,
    )
