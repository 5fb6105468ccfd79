"""Saved collections of published cases: every change a signed-in owner makes to one.

A collection holds published cases only: adding an unpublished (or unknown) case is refused,
and the read paths (``cases.domain.queries.collections``) show only the cases still published.
Only the owner changes a collection; everyone with its share link may read it.
"""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.domain.queries.library import published_cases
from cases.models import Collection, CollectionItem

MAX_CASES = 200


class CollectionError(Exception):
    status = 400

    def __init__(self, message, status=None):
        self.message = message
        if status is not None:
            self.status = status
        super().__init__(str(message))


def _require_owner(collection: Collection, by) -> None:
    if collection.owner_id != by.pk:
        # Not the owner's: as if it did not exist (views answer 404 before reaching here).
        raise CollectionError(_("No collection of yours has this address."), status=404)


def _published_by_slug(slugs: list[str]):
    found = {
        case.slug: case
        for case in published_cases().filter(slug__in=slugs).only("id", "slug", "title")
    }
    missing = [slug for slug in slugs if slug not in found]
    if missing:
        raise CollectionError(
            _("Only published cases can be collected; %(slugs)s is not one.")
            % {"slugs": ", ".join(f"“{slug[:60]}”" for slug in missing[:5])}
        )
    return [found[slug] for slug in slugs]


@transaction.atomic
def create_collection(*, owner, name: str, note: str = "", case_slugs=()) -> Collection:
    slugs = list(dict.fromkeys(slug for slug in case_slugs if slug))
    if len(slugs) > MAX_CASES:
        raise CollectionError(_("A collection holds at most %(max)s cases.") % {"max": MAX_CASES})
    cases = _published_by_slug(slugs)
    collection = Collection.objects.create(owner=owner, name=name.strip(), note=note.strip())
    CollectionItem.objects.bulk_create(
        CollectionItem(collection=collection, case=case, position=index)
        for index, case in enumerate(cases)
    )
    return collection


def _touch(collection: Collection) -> None:
    collection.updated_at = timezone.now()
    collection.save(update_fields=["updated_at"])


@transaction.atomic
def add_case(*, collection: Collection, by, case_slug: str) -> bool:
    """Add a published case; False when it is already in the collection."""
    collection = Collection.objects.select_for_update().get(pk=collection.pk)
    _require_owner(collection, by)
    (case,) = _published_by_slug([case_slug])
    if CollectionItem.objects.filter(collection=collection, case=case).exists():
        return False
    if collection.items.count() >= MAX_CASES:
        raise CollectionError(
            _("A collection holds at most %(max)s cases.") % {"max": MAX_CASES}, status=409
        )
    last = collection.items.aggregate(last=Max("position"))["last"]
    CollectionItem.objects.create(
        collection=collection, case=case, position=0 if last is None else last + 1
    )
    _touch(collection)
    return True


@transaction.atomic
def remove_case(*, collection: Collection, by, case_slug: str) -> bool:
    _require_owner(collection, by)
    deleted, _details = CollectionItem.objects.filter(
        collection=collection, case__slug=case_slug
    ).delete()
    if deleted:
        _touch(collection)
    return bool(deleted)


@transaction.atomic
def update_collection(*, collection: Collection, by, name: str, note: str) -> Collection:
    _require_owner(collection, by)
    collection.name = name.strip()
    collection.note = note.strip()
    collection.updated_at = timezone.now()
    collection.save(update_fields=["name", "note", "updated_at"])
    return collection


@transaction.atomic
def delete_collection(*, collection: Collection, by) -> None:
    _require_owner(collection, by)
    collection.delete()
