"""Saved collections of published cases: a signed-in user's own list, one view per action, and
the read-only page anyone with the share link may open (with its CSV, JSON and citation
exports), and the comparison page's downloads.

Owners only change their own collections; any other collection answers 404, as if it did not
exist. Each action validates one form, calls one function of ``cases.domain.collections`` and
redirects back to where the user acted (with an anchor).
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.domain import collections as actions
from cases.domain.queries.collections import (
    collection_cases,
    collection_page_cases,
    collections_of,
    shared_collection,
)
from cases.domain.queries.library import published_cases
from cases.interfaces.collection_forms import (
    AddToCollectionForm,
    CollectionForm,
    NewCollectionForm,
)
from cases.interfaces.comparison import MAX_COMPARED
from cases.interfaces.exporters import csv_rows, json_chunks
from cases.interfaces.permissions import allows, load, permission_required
from cases.library.open_data import citables_of, citation_response
from cases.models import Collection

PAGE_SIZE = 20


# A collection the user owns, from the URL's ``pk``; anyone else's answers 404.
OWN_COLLECTION = load(Collection, pk="pk", as_="collection")


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def collection_context(request, case) -> dict:
    """What a case page needs to offer "Add to a collection" (nothing for visitors)."""
    if not allows(request.user, "cases.use_collections"):
        return {}
    collections = collections_of(request.user)
    return {
        "collection_form": AddToCollectionForm(
            collections=collections, initial={"case": case.slug}
        ),
        "has_collections": collections.exists(),
    }


@permission_required("cases.use_collections")
@require_GET
def collection_list(request):
    page = Paginator(collections_of(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    initial = {"cases": request.GET.get("cases", "")[:2000]}
    return render(
        request,
        "library/collections/list.html",
        {"page": page, "form": NewCollectionForm(initial=initial)},
    )


@permission_required("cases.use_collections")
@require_POST
def collection_create(request):
    form = NewCollectionForm(request.POST)
    if form.is_valid():
        try:
            collection = actions.create_collection(
                owner=request.user,
                name=form.cleaned_data["name"],
                note=form.cleaned_data["note"],
                case_slugs=form.cleaned_data["cases"],
            )
        except actions.CollectionError as error:
            form.add_error(None, error.message)
            status = error.status
        else:
            messages.success(
                request, _("Your collection “%(name)s” is saved.") % {"name": collection.name}
            )
            return redirect(reverse("library:collection", args=[collection.pk]) + "#messages")
    else:
        status = 400
    page = Paginator(collections_of(request.user), PAGE_SIZE).get_page(1)
    return render(
        request, "library/collections/list.html", {"page": page, "form": form}, status=status
    )


@permission_required("cases.edit_collection", fn=OWN_COLLECTION)
@require_GET
def collection_detail(request, collection):
    page = Paginator(collection_page_cases(collection), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "library/collections/detail.html",
        {
            "collection": collection,
            "page": page,
            "form": CollectionForm(instance=collection),
            "share_url": request.build_absolute_uri(
                reverse("library:shared_collection", args=[collection.share_token])
            ),
        },
    )


@permission_required("cases.edit_collection", fn=OWN_COLLECTION)
@require_POST
def collection_edit(request, collection):
    form = CollectionForm(request.POST, instance=Collection.objects.get(pk=collection.pk))
    if form.is_valid():
        actions.update_collection(
            collection=collection,
            by=request.user,
            name=form.cleaned_data["name"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("The name and note are saved."))
        return redirect(reverse("library:collection", args=[collection.pk]) + "#messages")
    page = Paginator(collection_page_cases(collection), PAGE_SIZE).get_page(1)
    return render(
        request,
        "library/collections/detail.html",
        {
            "collection": collection,
            "page": page,
            "form": form,
            "share_url": request.build_absolute_uri(
                reverse("library:shared_collection", args=[collection.share_token])
            ),
        },
        status=400,
    )


@permission_required("cases.use_collections")
@require_POST
def collection_add(request):
    form = AddToCollectionForm(request.POST, collections=collections_of(request.user))
    fallback = reverse("library:collections")
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return redirect(_safe_next(request, fallback))
    collection = form.cleaned_data["collection"]
    try:
        added = actions.add_case(
            collection=collection, by=request.user, case_slug=form.cleaned_data["case"]
        )
    except actions.CollectionError as error:
        if error.status == 404:
            raise Http404(error.message) from error
        messages.error(request, error.message)
    else:
        if added:
            messages.success(
                request,
                _("The case was added to “%(name)s”.") % {"name": collection.name},
            )
        else:
            messages.info(
                request, _("The case is already in “%(name)s”.") % {"name": collection.name}
            )
    return redirect(_safe_next(request, fallback))


@permission_required("cases.edit_collection", fn=OWN_COLLECTION)
@require_POST
def collection_remove(request, collection):
    if actions.remove_case(
        collection=collection, by=request.user, case_slug=request.POST.get("case", "")
    ):
        messages.success(request, _("The case was removed from this collection."))
    return redirect(reverse("library:collection", args=[collection.pk]) + "#messages")


@permission_required("cases.edit_collection", fn=OWN_COLLECTION)
@require_http_methods(["GET", "POST"])
def collection_delete(request, collection):
    if request.method == "POST":
        name = collection.name
        actions.delete_collection(collection=collection, by=request.user)
        messages.success(request, _("The collection “%(name)s” is deleted.") % {"name": name})
        return redirect(reverse("library:collections") + "#messages")
    return render(request, "library/collections/delete.html", {"collection": collection})


def _shared_or_404(token):
    collection = shared_collection(token)
    if collection is None:
        raise Http404(_("No collection is shared under this link."))
    return collection


@permission_required("cases.view_public_pages")
@require_GET
def shared_detail(request, token):
    collection = _shared_or_404(token)
    page = Paginator(collection_page_cases(collection), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "library/collections/shared.html",
        {
            "collection": collection,
            "page": page,
            "is_owner": request.user.is_authenticated and collection.owner_id == request.user.pk,
        },
    )


def _export_name(collection) -> str:
    return f"epsa-collection-{slugify(collection.name)[:60] or collection.pk}"


@permission_required("cases.view_public_pages")
@require_GET
def shared_export_csv(request, token):
    collection = _shared_or_404(token)
    response = StreamingHttpResponse(
        csv_rows(collection_cases(collection), request.build_absolute_uri("/")[:-1]),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{_export_name(collection)}.csv"'
    return response


@permission_required("cases.view_public_pages")
@require_GET
def shared_export_json(request, token):
    collection = _shared_or_404(token)
    response = StreamingHttpResponse(
        json_chunks(
            collection_cases(collection),
            request.build_absolute_uri("/")[:-1],
            query={"collection": [collection.name]},
        ),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{_export_name(collection)}.json"'
    return response


@permission_required("cases.view_public_pages")
@require_GET
def shared_export_citations(request, token, format_name):
    """The collection's cases still published, cited in ``format_name`` (BibTeX, RIS, CSL-JSON)."""
    collection = _shared_or_404(token)
    return citation_response(
        citables_of(request, collection_cases(collection)), format_name, _export_name(collection)
    )


# --- the comparison page's downloads ----------------------------------------------------------


def _compared_cases(request):
    """The published cases among the comparison's ``?cases=a,b`` (at most ``MAX_COMPARED``)."""
    slugs = [item.strip() for item in request.GET.get("cases", "").split(",") if item.strip()]
    return published_cases().filter(slug__in=slugs[:MAX_COMPARED]).order_by("title", "id")


@permission_required("cases.view_public_pages")
@require_GET
def comparison_export_csv(request):
    """The cases of a comparison (``?cases=a,b``) as CSV, published ones only."""
    response = StreamingHttpResponse(
        csv_rows(_compared_cases(request), request.build_absolute_uri("/")[:-1]),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="epsa-comparison.csv"'
    return response


@permission_required("cases.view_public_pages")
@require_GET
def comparison_export_citations(request, format_name):
    """The cases of a comparison (``?cases=a,b``) cited in ``format_name``, published ones only."""
    return citation_response(
        citables_of(request, _compared_cases(request)), format_name, "epsa-comparison"
    )
