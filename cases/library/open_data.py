"""The library's open-data views: citation downloads, the Atom feed of a search, the data
package page and its download, the sitemap and robots.txt.

Like every library view they read published cases only (through ``published_cases()``, the
``LibraryFilterSet`` and ``library_cases``)."""

import datetime
import json

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cases.domain.datapackage import data_package_info, data_package_path
from cases.domain.queries.library import published_cases
from cases.interfaces.citations import (
    CITATION_EXPORT_LIMIT,
    bibtex,
    csl,
    from_case,
    ris,
)
from cases.interfaces.feeds import SearchFeed
from cases.interfaces.library_exports import WRITERS
from cases.interfaces.permissions import permission_required
from cases.library.export_views import stream_or_offer
from cases.library.metadata import former_address_redirect
from cases.models import ExportFormat

# --- citations of one case ------------------------------------------------------------------


def _citation_response(body, format_name: str, filename: str):
    writer = WRITERS[format_name]
    response = HttpResponse(body, content_type=writer.content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{writer.extension}"'
    return response


def _case_citation(request, slug, render_item, format_name: str):
    """One case's citation in a format, or 301 from a former slug, or 404."""
    case = (
        published_cases()
        .filter(slug=slug)
        .select_related("edition", "lead_organisation")
        .only(
            "slug",
            "title",
            "year",
            "published_at",
            "licence",
            "edition__name",
            "lead_organisation__name",
        )
        .first()
    )
    if case is None:
        return former_address_redirect(slug, request.resolver_match.view_name)
    item = from_case(case, request.build_absolute_uri(case.get_absolute_url()))
    return _citation_response(render_item(item), format_name, item.slug)


@permission_required("cases.view_public_pages")
@require_GET
def case_bibtex(request, slug):
    return _case_citation(request, slug, bibtex, ExportFormat.BIBTEX)


@permission_required("cases.view_public_pages")
@require_GET
def case_ris(request, slug):
    return _case_citation(request, slug, ris, ExportFormat.RIS)


def _csl_document(item) -> str:
    return json.dumps([csl(item)], ensure_ascii=False, indent=2)


@permission_required("cases.view_public_pages")
@require_GET
def case_csl_json(request, slug):
    return _case_citation(request, slug, _csl_document, ExportFormat.CSL_JSON)


# --- citations of a filtered set ------------------------------------------------------------
# The library URL's cases in its order, the first CITATION_EXPORT_LIMIT of them; streamed, or
# prepared in the queue when even that is more than a request should write.


@permission_required("cases.view_public_pages")
@require_GET
def export_bibtex(request):
    return stream_or_offer(request, ExportFormat.BIBTEX, limit=CITATION_EXPORT_LIMIT)


@permission_required("cases.view_public_pages")
@require_GET
def export_ris(request):
    return stream_or_offer(request, ExportFormat.RIS, limit=CITATION_EXPORT_LIMIT)


@permission_required("cases.view_public_pages")
@require_GET
def export_csl_json(request):
    return stream_or_offer(request, ExportFormat.CSL_JSON, limit=CITATION_EXPORT_LIMIT)


# --- Atom feed of a search ------------------------------------------------------------------

search_feed = permission_required("cases.view_public_pages")(require_GET(SearchFeed()))


# --- the data package -----------------------------------------------------------------------


@permission_required("cases.view_public_pages")
@require_GET
def data_package(request):
    package = data_package_info()
    if package:
        package["created_at"] = datetime.datetime.fromisoformat(package["created"])
    tables = [
        {"name": name, "rows": package["rows"].get(name, 0), "columns": columns}
        for name, columns in (package or {}).get("tables", {}).items()
    ]
    return render(request, "library/data.html", {"package": package, "tables": tables})


@permission_required("cases.view_public_pages")
@require_GET
def data_package_download(request):
    path = data_package_path()
    if not path.exists():
        raise Http404(_("The data package has not been built yet."))
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=path.name, content_type="application/zip"
    )
