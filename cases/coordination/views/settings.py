"""An edition's settings page: the settings, its categories and its criteria, each change
posted to its own URL."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cases.domain import edition_settings as settings_actions
from cases.domain.evaluation.errors import EvaluationError, StaleForm
from cases.domain.queries import coordination as queries
from cases.interfaces.edition_settings_forms import (
    CategoryForm,
    CriterionForm,
    EditionSettingsForm,
    VersionedForm,
)

from .common import coordinator_of_edition


def _forms(edition, categories, criteria, bound=None):
    """Every form of the settings page; ``bound`` replaces the one the POST was for."""
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
    forms.update(bound or {})
    return forms


def _page(request, edition, bound=None, status=200):
    if request.method == "POST":
        edition.refresh_from_db()  # a refused change re-renders the edition as it is now
    categories = queries.settings_categories(edition)
    criteria = queries.settings_criteria(edition)
    forms = _forms(edition, categories, criteria, bound)
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


def _refused(request, edition, key, form, error):
    """Re-render with the error; a stale form keeps what was typed, on the current version, so
    that sending it again is a deliberate choice to replace the other change."""
    if isinstance(error, StaleForm):
        edition.refresh_from_db(fields=["version"])
        data = request.POST.copy()
        data[form.add_prefix("version")] = str(edition.version)
        kwargs = {"instance": edition} if key == "settings" else {"prefix": key}
        form = type(form)(data, **kwargs)
        form.is_valid()
    form.add_error(None, error.message)
    return _page(request, edition, {key: form}, status=error.status)


def _back(edition):
    return redirect("coordination:settings", edition=edition.slug)


def _category(edition, category_id):
    category = queries.edition_category(edition, category_id)
    if category is None:
        raise Http404
    return category


def _criterion(edition, criterion_id):
    criterion = queries.edition_criterion(edition, criterion_id)
    if criterion is None:
        raise Http404
    return criterion


@coordinator_of_edition
@require_safe
def edition_settings(request, edition):
    return _page(request, edition)


@coordinator_of_edition
@require_POST
def save_settings(request, edition):
    form = EditionSettingsForm(request.POST, instance=edition)
    if not form.is_valid():
        return _page(request, edition, {"settings": form}, status=400)
    before_conflicts = edition.same_country_conflicts
    try:
        changed = settings_actions.update_settings(
            edition=edition,
            by=request.user,
            values=form.setting_values(),
            expected_version=form.cleaned_data["version"],
        )
    except EvaluationError as error:
        return _refused(request, edition, "settings", form, error)
    if not changed:
        messages.info(request, _("Nothing was changed."))
        return _back(edition)
    messages.success(request, _("The edition settings are saved."))
    if edition.same_country_conflicts != before_conflicts:
        messages.warning(
            request,
            _(
                "The same-country rule changed: check the conflicts on the "
                "Assignments page to apply it to existing assignments."
            ),
        )
    return _back(edition)


@coordinator_of_edition
@require_POST
def add_category(request, edition):
    key = "new-category"
    form = CategoryForm(request.POST, prefix=key)
    if not form.is_valid():
        return _page(request, edition, {key: form}, status=400)
    try:
        category = settings_actions.add_category(
            edition=edition,
            by=request.user,
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            expected_version=form.cleaned_data["version"],
        )
    except EvaluationError as error:
        return _refused(request, edition, key, form, error)
    messages.success(request, _("The category “%(name)s” is added.") % {"name": category})
    return _back(edition)


@coordinator_of_edition
@require_POST
def rename_category(request, edition, category_id):
    category = _category(edition, category_id)
    key = f"category-{category.pk}"
    form = CategoryForm(request.POST, prefix=key)
    if not form.is_valid():
        return _page(request, edition, {key: form}, status=400)
    try:
        settings_actions.rename_category(
            category=category,
            by=request.user,
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            expected_version=form.cleaned_data["version"],
        )
    except EvaluationError as error:
        return _refused(request, edition, key, form, error)
    messages.success(request, _("The category is renamed."))
    return _back(edition)


@coordinator_of_edition
@require_POST
def delete_category(request, edition, category_id):
    """Delete an unused category, after a confirmation page."""
    category = _category(edition, category_id)
    form = VersionedForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete; try again."))
        return _page(request, edition, status=400)
    if request.POST.get("confirm") != "yes":
        context = {
            "edition": edition,
            "category": category,
            "version": form.cleaned_data["version"],
            "in_use": settings_actions.category_in_use(category),
        }
        return render(request, "coordination/confirm_category_delete.html", context)
    try:
        settings_actions.delete_category(
            category=category, by=request.user, expected_version=form.cleaned_data["version"]
        )
    except EvaluationError as error:
        messages.error(request, error.message)
        return _page(request, edition, status=error.status)
    messages.success(request, _("The category “%(name)s” is deleted.") % {"name": category.name})
    return _back(edition)


@coordinator_of_edition
@require_POST
def add_criterion(request, edition):
    key = "new-criterion"
    form = CriterionForm(request.POST, prefix=key)
    if not form.is_valid():
        return _page(request, edition, {key: form}, status=400)
    data = form.cleaned_data
    try:
        settings_actions.add_criterion(
            edition=edition,
            by=request.user,
            name=data["name"],
            guidance=data["guidance"],
            weight=data["weight"],
            order=data["order"],
            expected_version=data["version"],
        )
    except EvaluationError as error:
        return _refused(request, edition, key, form, error)
    messages.success(request, _("The criterion is added."))
    return _back(edition)


@coordinator_of_edition
@require_POST
def update_criterion(request, edition, criterion_id):
    criterion = _criterion(edition, criterion_id)
    key = f"criterion-{criterion.pk}"
    form = CriterionForm(request.POST, prefix=key)
    if not form.is_valid():
        return _page(request, edition, {key: form}, status=400)
    data = form.cleaned_data
    try:
        settings_actions.update_criterion(
            criterion=criterion,
            by=request.user,
            name=data["name"],
            guidance=data["guidance"],
            weight=data["weight"],
            order=criterion.order if data["order"] is None else data["order"],
            expected_version=data["version"],
        )
    except EvaluationError as error:
        return _refused(request, edition, key, form, error)
    messages.success(request, _("The criterion is saved."))
    return _back(edition)
