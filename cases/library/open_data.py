"""The library's open-data views: citation downloads, the Atom feed of a search, the data
package page and its download, the sitemap and robots.txt.

Like every library view they read published cases only (through ``published_cases()``, the
``LibraryFilterSet`` and ``library_cases``)."""

import datetime

from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cases.domain.datapackage import data_package_info, data_package_path
from cases.domain.queries.library import published_cases
from cases.interfaces.citations import (
    CITATION_EXPORT_LIMIT,
    bibtex_chunks,
    csl_json_chunks,
    from_case,
    from_record,
    ris_chunks,
)
from cases.interfaces.exporters import export_records
from cases.interfaces.feeds import SearchFeed
from cases.interfaces.library_exports import WRITERS
from cases.interfaces.permissions import permission_required
from cases.library.export_views import stream_or_offer
from cases.library.metadata import former_address_redirect
from cases.models import ExportFormat

# --- citation downloads: one response builder for every caller -----------------------------

# The citation formats (``ExportFormat`` values) and the writer of each; their content type and
# file extension come from the one table of export formats (``WRITERS``).
_CITATION_CHUNKS = {
    ExportFormat.BIBTEX: bibtex_chunks,
    ExportFormat.RIS: ris_chunks,
    ExportFormat.CSL_JSON: csl_json_chunks,
}


def citation_response(items, format_name: str, filename: str, *, streaming=False):
    """The citations of ``items`` (``Citable`` records) as a download ``filename.<extension>``.

    Every citation download of a known set of cases goes through here: one case, a collection
    and a comparison (a filtered set goes through ``stream_or_offer``, which may queue it)."""
    writer = WRITERS[format_name]
    body = _CITATION_CHUNKS[format_name](items)
    if streaming:
        response = StreamingHttpResponse(body, content_type=writer.content_type)
    else:
        response = HttpResponse("".join(body), content_type=writer.content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{writer.extension}"'
    return response


def citables_of(request, queryset):
    """The queryset's cases as ``Citable`` records, in its order, with absolute addresses
    (a constant number of queries per chunk of cases, like the CSV export)."""
    base_url = request.build_absolute_uri("/")[:-1]
    return (from_record(record) for record in export_records(queryset, base_url))


# --- citations of one case ------------------------------------------------------------------


@permission_required("cases.view_public_pages")
@require_GET
def case_citation(request, slug, format_name):
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
    return citation_response([item], format_name, item.slug)


# --- citations of a filtered set ------------------------------------------------------------
# The library URL's cases in its order, the first CITATION_EXPORT_LIMIT of them; streamed, or
# prepared in the queue when even that is more than a request should write.


@permission_required("cases.view_public_pages")
@require_GET
def export_citations(request, format_name):
    return stream_or_offer(request, format_name, limit=CITATION_EXPORT_LIMIT)


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
