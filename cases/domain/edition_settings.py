"""Changing an edition's settings, categories and criteria (the coordinator's settings page).

Every change is one function here, atomic, with keyword-only arguments. Each takes the edition
version the coordinator's form was built on and refuses (409) a form sent over a newer state;
each successful change increments the version. Refusals raise the errors of
``cases.domain.evaluation.errors`` so that views show them like the rest of the back office.
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cases.models import Case, Category, Criterion, Edition, ReviewStatus

from .evaluation.errors import InvalidInput, StaleForm, WrongState

# The fields the settings page edits, in the order the form shows them.
SETTINGS_FIELDS = (
    "name",
    "theme",
    "submissions_open_at",
    "deadline",
    "evaluation_deadline",
    "evaluators_per_entry",
    "score_min",
    "score_max",
    "same_country_conflicts",
    "anonymous_reviews",
    "disagreement_threshold",
    "nominees_per_category",
    "reminders_enabled",
    "rules",
)


def _locked_edition(edition, expected_version):
    locked = Edition.objects.select_for_update().get(pk=edition.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleForm(
            _(
                "Someone else changed this edition's settings while you were editing. What you "
                "typed is kept below; open the page again in another tab to see their change, "
                "or send the form again to replace it."
            )
        )
    return locked


def _bump(edition):
    Edition.objects.filter(pk=edition.pk).update(version=F("version") + 1)
    edition.refresh_from_db(fields=["version"])


def has_submitted_reviews(edition) -> bool:
    return Case.objects.filter(
        edition=edition,
        assignments__review__status=ReviewStatus.SUBMITTED,
    ).exists()


def _check_dates(values):
    opening, deadline = values.get("submissions_open_at"), values.get("deadline")
    evaluation = values.get("evaluation_deadline")
    if opening and deadline and deadline <= opening:
        raise InvalidInput(_("The submission deadline must be after the opening."))
    if deadline and evaluation and evaluation <= deadline:
        raise InvalidInput(_("The evaluation deadline must be after the submission deadline."))


@transaction.atomic
def update_settings(*, edition, by, values, expected_version):
    """Change the edition's settings to ``values`` (a dict of SETTINGS_FIELDS); returns it."""
    locked = _locked_edition(edition, expected_version)
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise InvalidInput(_("Some values are not settings of an edition."))
    merged = {name: getattr(locked, name) for name in SETTINGS_FIELDS} | dict(values)
    if not str(merged["name"]).strip():
        raise InvalidInput(_("Give the edition a name."))
    _check_dates(merged)
    if merged["score_max"] <= merged["score_min"]:
        raise InvalidInput(_("The highest score must be above the lowest score."))
    scale_changed = (merged["score_min"], merged["score_max"]) != (
        locked.score_min,
        locked.score_max,
    )
    if scale_changed and has_submitted_reviews(locked):
        raise WrongState(
            _(
                "The scoring scale cannot change: evaluators have already submitted reviews "
                "on the scale from %(low)s to %(high)s."
            )
            % {"low": locked.score_min, "high": locked.score_max}
        )
    for name in ("evaluators_per_entry", "nominees_per_category"):
        if merged[name] < 1:
            raise InvalidInput(_("Counts of evaluators and nominees must be at least 1."))
    if merged["disagreement_threshold"] < 0:
        raise InvalidInput(_("The disagreement threshold cannot be negative."))
    changed = [name for name in SETTINGS_FIELDS if merged[name] != getattr(locked, name)]
    for name in changed:
        setattr(locked, name, merged[name])
    if changed:
        locked.save(update_fields=changed)
        _bump(locked)
    for name in (*SETTINGS_FIELDS, "version"):
        setattr(edition, name, getattr(locked, name))
    return changed


def _unique_slug(model, edition, name, max_length, exclude=None):
    base = slugify(name)[: max_length - 4] or "item"
    taken = set(model.objects.filter(edition=edition).values_list("slug", flat=True))
    if exclude is not None:
        taken.discard(exclude)
    slug, counter = base, 2
    while slug in taken:
        slug = f"{base}-{counter}"
        counter += 1
    return slug


def _clean_name(name, message):
    name = (name or "").strip()
    if not name:
        raise InvalidInput(message)
    return name


# --- Categories -----------------------------------------------------------------------------


@transaction.atomic
def add_category(*, edition, by, name, description="", expected_version):
    locked = _locked_edition(edition, expected_version)
    name = _clean_name(name, _("Give the category a name."))
    if locked.categories.filter(name__iexact=name).exists():
        raise InvalidInput(_("This edition already has a category with this name."))
    last = locked.categories.order_by("-order").values_list("order", flat=True).first() or 0
    category = Category.objects.create(
        edition=locked,
        slug=_unique_slug(Category, locked, name, 80),
        name=name,
        description=(description or "").strip(),
        order=last + 1,
    )
    _bump(locked)
    edition.version = locked.version
    return category


@transaction.atomic
def rename_category(*, category, by, name, description=None, expected_version):
    """Rename a category; its slug stays, so links and imported data keep working."""
    locked = _locked_edition(category.edition, expected_version)
    name = _clean_name(name, _("Give the category a name."))
    if locked.categories.exclude(pk=category.pk).filter(name__iexact=name).exists():
        raise InvalidInput(_("This edition already has a category with this name."))
    category.name = name
    fields = ["name"]
    if description is not None:
        category.description = description.strip()
        fields.append("description")
    category.save(update_fields=fields)
    _bump(locked)
    category.edition.version = locked.version
    return category


def category_in_use(category) -> bool:
    return Case.objects.filter(category=category).exists()


@transaction.atomic
def delete_category(*, category, by, expected_version):
    """Delete a category no entry uses; entries would otherwise lose their category."""
    locked = _locked_edition(category.edition, expected_version)
    if category_in_use(category):
        raise WrongState(
            _(
                "The category “%(name)s” cannot be deleted: entries use it. Rename it instead, "
                "or move those entries to another category first."
            )
            % {"name": category.name}
        )
    category.delete()
    _bump(locked)
    return locked


# --- Criteria -------------------------------------------------------------------------------


def _check_weight(weight):
    if weight is None or Decimal(weight) <= 0:
        raise InvalidInput(_("A criterion's weight must be above zero."))


@transaction.atomic
def add_criterion(*, edition, by, name, guidance="", weight=1, order=None, expected_version):
    """Add a criterion; refused once reviews are submitted, which would lack its score."""
    locked = _locked_edition(edition, expected_version)
    name = _clean_name(name, _("Give the criterion a name."))
    _check_weight(weight)
    if has_submitted_reviews(locked):
        raise WrongState(
            _(
                "A criterion cannot be added: evaluators have already submitted reviews "
                "without it. Change the weights instead."
            )
        )
    if order is None:
        order = (
            locked.criteria.order_by("-order").values_list("order", flat=True).first() or 0
        ) + 1
    criterion = Criterion.objects.create(
        edition=locked,
        slug=_unique_slug(Criterion, locked, name, 60),
        name=name,
        guidance=(guidance or "").strip(),
        weight=Decimal(weight),
        order=order,
    )
    _bump(locked)
    edition.version = locked.version
    return criterion


@transaction.atomic
def update_criterion(*, criterion, by, name, guidance, weight, order, expected_version):
    """Change a criterion's name, guidance, weight or place; rankings use the new weight."""
    locked = _locked_edition(criterion.edition, expected_version)
    criterion.name = _clean_name(name, _("Give the criterion a name."))
    _check_weight(weight)
    criterion.guidance = (guidance or "").strip()
    criterion.weight = Decimal(weight)
    criterion.order = order
    criterion.save(update_fields=["name", "guidance", "weight", "order"])
    _bump(locked)
    criterion.edition.version = locked.version
    return criterion
