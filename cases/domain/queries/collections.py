"""Read paths of saved collections: one's own, one by its share link, and their cases."""

from django.db.models import Count, OuterRef, Q, Subquery

from cases.domain.queries import access
from cases.domain.queries.library import LIST_FIELDS, published_cases
from cases.models import Collection, CollectionItem


def collections_of(user):
    """The user's collections, newest change first, with how many published cases each holds."""
    return (
        access.collections_of(user)
        .annotate(
            case_count=Count("items", filter=Q(items__case__in=published_cases().values("id")))
        )
        .order_by("-updated_at", "-id")
    )


def shared_collection(token: str) -> Collection | None:
    return Collection.objects.filter(share_token=token).select_related("owner").first()


def collection_cases(collection: Collection):
    """The collection's cases that are still published, in the order they were added
    (unrestricted columns: pages add ``only()``, exports choose their own)."""
    items = CollectionItem.objects.filter(collection=collection)
    return (
        published_cases()
        .filter(pk__in=items.values("case_id"))
        .annotate(
            collection_position=Subquery(
                items.filter(case_id=OuterRef("pk")).values("position")[:1]
            )
        )
        .order_by("collection_position", "id")
    )


def collection_page_cases(collection: Collection):
    return (
        collection_cases(collection)
        .only(*LIST_FIELDS)
        .select_related("edition", "category", "lead_organisation")
    )
