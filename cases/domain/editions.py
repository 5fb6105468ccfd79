"""Creating award editions. A new edition starts with the six EPSA criteria, equally weighted."""

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from cases.models import Category, Criterion, Edition, EditionPhase

# The six criteria of EPSA 2021 and 2023-24, in the order the 2023-24 call lists them.
# No official weights were published, so every edition starts with equal weights.
EPSA_CRITERIA = (
    (
        "relevance",
        _("Relevance"),
        _(
            "The need the project addresses, and how well its actions answer the core needs "
            "of its target groups."
        ),
    ),
    (
        "innovation",
        _("Innovation"),
        _(
            "Novelty and the creative leap beyond previous practice, or the smart adaptation "
            "of an innovation made elsewhere."
        ),
    ),
    (
        "stakeholder-engagement",
        _("Stakeholder engagement"),
        _(
            "How citizens, businesses, civil society and internal stakeholders take part in "
            "design and delivery; the partnership and governance model."
        ),
    ),
    (
        "impact",
        _("Impact and results"),
        _(
            "Objectives achieved, evidence of the benefits, and the efficiency and "
            "effectiveness of the solution."
        ),
    ),
    (
        "sustainability",
        _("Sustainability"),
        _(
            "Whether the project can continue beyond its initial period: finance, operations, "
            "and political and senior support."
        ),
    ),
    (
        "transferability",
        _("Transferability"),
        _(
            "The potential to be replicated or adapted by other administrations, levels of "
            "government or countries."
        ),
    ),
)
EPSA_CRITERION_SLUGS = tuple(slug for slug, _name, _guidance in EPSA_CRITERIA)


def add_epsa_criteria(*, edition: Edition, order: Sequence[str] | None = None) -> list[Criterion]:
    """Give ``edition`` those of the six EPSA criteria it does not have yet.

    ``order`` lists criterion slugs in the order the call presents them; criteria not in it
    follow in the default order. Existing criteria are left as they are.
    """
    order = list(order or [])
    unknown = set(order) - set(EPSA_CRITERION_SLUGS)
    if unknown:
        raise ValueError(f"Unknown EPSA criteria: {', '.join(sorted(unknown))}")
    sequence = order + [slug for slug in EPSA_CRITERION_SLUGS if slug not in order]
    by_slug = {slug: (name, guidance) for slug, name, guidance in EPSA_CRITERIA}
    present = set(edition.criteria.values_list("slug", flat=True))
    created = [
        Criterion(
            edition=edition,
            slug=slug,
            name=str(by_slug[slug][0]),
            guidance=str(by_slug[slug][1]),
            weight=Decimal(1),
            order=position,
        )
        for position, slug in enumerate(sequence, start=1)
        if slug not in present
    ]
    return Criterion.objects.bulk_create(created)


@transaction.atomic
def create_edition(
    *,
    slug: str,
    name: str,
    year_label: str,
    theme: str = "",
    phase: str = EditionPhase.DRAFT,
    submissions_open_at: datetime.datetime | None = None,
    deadline: datetime.datetime | None = None,
    rules: str = "",
    evaluators_per_entry: int = 2,
    score_min: int = 0,
    score_max: int = 10,
    categories: Iterable[tuple[str, str]] = (),
    criteria_order: Sequence[str] | None = None,
    coordinators: Iterable = (),
) -> Edition:
    """Create an edition with its categories (``(slug, name)`` pairs) and the EPSA criteria."""
    edition = Edition(
        slug=slug,
        name=name,
        year_label=year_label,
        theme=theme,
        phase=phase,
        submissions_open_at=submissions_open_at,
        deadline=deadline,
        rules=rules,
        evaluators_per_entry=evaluators_per_entry,
        score_min=score_min,
        score_max=score_max,
    )
    edition.full_clean()
    edition.save()
    Category.objects.bulk_create(
        [
            Category(edition=edition, slug=category_slug, name=category_name, order=position)
            for position, (category_slug, category_name) in enumerate(categories, start=1)
        ]
    )
    add_epsa_criteria(edition=edition, order=criteria_order)
    coordinators = list(coordinators)
    if coordinators:
        edition.coordinators.add(*coordinators)
    return edition
