"""Readable, stable addresses for library cases.

A case that comes through the portal starts with a random working slug (an application has
no title yet). When it is published, it gets a slug made from its title, with a short numeric
suffix only when another case (or another case's former slug) already has that one. From then
on the slug changes only when the title does; the old slug is kept in ``CaseSlugHistory`` and
its address answers 301 to the new one, so citations and bookmarks keep working.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from cases.models import Case, CaseSlugHistory, Provenance

MAX_SLUG_LENGTH = 120
# Room for "-" and a suffix of up to four digits.
_BASE_LENGTH = MAX_SLUG_LENGTH - 5
# Library paths that a case slug must never take (library/urls.py lists them first anyway).
RESERVED = {"compare", "export", "stats", "feed", "data", "sitemap"}


def _taken(slug: str, case_id: int | None) -> bool:
    cases = Case.objects.filter(slug=slug)
    former = CaseSlugHistory.objects.filter(slug=slug)
    if case_id is not None:
        cases = cases.exclude(pk=case_id)
        former = former.exclude(case_id=case_id)
    return slug in RESERVED or cases.exists() or former.exists()


def slug_for_title(title: str, *, case_id: int | None = None) -> str:
    """A free slug made from ``title``: the title itself, else with "-2", "-3", ..."""
    base = slugify(title)[:_BASE_LENGTH].strip("-") or "case"
    candidate = base
    number = 2
    while _taken(candidate, case_id):
        candidate = f"{base}-{number}"
        number += 1
    return candidate


@transaction.atomic
def give_title_slug(*, case: Case, first_publication: bool = False) -> Case:
    """Give a portal case the slug its title makes; the old one redirects if it was public.

    ``first_publication``: the case is being published now, so its working slug was never a
    public address and is not kept.

    Cases imported or generated keep the slugs they came with. Nothing changes when the
    title still makes the current slug (with or without its suffix)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.provenance != Provenance.SUBMITTED:
        return case
    base = slugify(case.title)[:_BASE_LENGTH].strip("-") or "case"
    current = case.slug
    suffix = current[len(base) + 1 :] if current.startswith(base + "-") else ""
    if current == base or (suffix.isdigit() and _taken(base, case.pk)):
        return case
    new_slug = slug_for_title(case.title, case_id=case.pk)
    if case.is_published and not first_publication:
        CaseSlugHistory.objects.update_or_create(
            slug=current, defaults={"case": case, "retired_at": timezone.now()}
        )
    # A former slug of this same case may come back into use: it is current again.
    CaseSlugHistory.objects.filter(case=case, slug=new_slug).delete()
    case.slug = new_slug
    case.save(update_fields=["slug"])
    return case
