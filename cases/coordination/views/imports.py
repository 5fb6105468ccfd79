"""Bulk import of cases: the template, the dry run (every row and error), then the import."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cases.domain import imports
from cases.domain.evaluation.errors import EvaluationError
from cases.domain.queries.operations import imports_of
from cases.interfaces.operations_forms import ImportForm
from cases.rules import coordinates_edition

from .common import coordinator_area

REPORT_PAGE_SIZE = 200


def _render_start(request, form, status=200):
    return render(
        request,
        "coordination/import.html",
        {"form": form, "imports": imports_of(request.user)[:20]},
        status=status,
    )


@coordinator_area
@require_safe
def import_start(request):
    return _render_start(request, ImportForm())


@coordinator_area
@require_safe
def import_template(request):
    response = HttpResponse(imports.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="cases-import-template.csv"'
    return response


@coordinator_area
@require_POST
def import_check(request):
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_start(request, form, status=400)
    upload = form.cleaned_data["file"]
    try:
        case_import = imports.check_file(
            source=form.cleaned_data["source"],
            name=upload.name,
            content=upload.read(),
            by=request.user,
            may_use_edition=coordinates_edition,
        )
    except EvaluationError as error:
        form.add_error("file", error.message)
        return _render_start(request, form, status=error.status)
    return redirect("coordination:import_detail", case_import.pk)


def _own_import(request, import_id):
    return get_object_or_404(imports_of(request.user).defer(None), pk=import_id)


@coordinator_area
@require_safe
def import_detail(request, import_id):
    case_import = _own_import(request, import_id)
    rows = case_import.report
    if request.GET.get("show") == "errors":
        rows = [row for row in rows if row["errors"]]
    page = Paginator(rows, REPORT_PAGE_SIZE).get_page(request.GET.get("page"))
    counts = {"create": 0, "update": 0, "error": 0}
    for row in case_import.report:
        counts[row["action"]] += 1
    context = {
        "case_import": case_import,
        "page": page,
        "counts": counts,
        "show": request.GET.get("show", ""),
        "query": "show=errors" if request.GET.get("show") == "errors" else "",
    }
    return render(request, "coordination/import_detail.html", context)


@coordinator_area
@require_POST
def import_run(request, import_id):
    case_import = _own_import(request, import_id)
    try:
        imports.queue_import(case_import=case_import, by=request.user)
    except EvaluationError as error:
        messages.error(request, error.message)
        return redirect("coordination:import_detail", case_import.pk)
    messages.success(request, _("The import is queued; this page shows when it is done."))
    return redirect("coordination:import_detail", case_import.pk)
