"""The library's open-data views: citation downloads, the Atom feed of a search, the data
package page and its download, the sitemap and robots.txt.

Like every library view they read published cases only (through ``published_cases()``, the
``LibraryFilterSet`` and ``library_cases``)."""

from django.contrib.syndication.views import Feed
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from cases.domain.datapackage import data_package_info, data_package_path
from cases.domain.queries.library import library_cases, ordered, published_case_for_page
from cases.interfaces.citations import (
    CITATION_EXPORT_LIMIT,
    bibtex,
    bibtex_chunks,
    csl,
    csl_json_chunks,
    from_case,
    from_record,
    ris,
    ris_chunks,
)
from cases.interfaces.exporters import export_records
from cases.interfaces.filters import LibraryFilterSet
from cases.library.metadata import former_address_redirect

# --- citations of one case ------------------------------------------------------------------

_CITATION_FORMATS = {
    "bib": ("application/x-bibtex; charset=utf-8", "bib"),
    "ris": ("application/x-research-info-systems; charset=utf-8", "ris"),
    "csl": ("application/vnd.citationstyles.csl+json; charset=utf-8", "json"),
}


def _citation_response(body, format_name: str, filename: str, *, streaming=False):
    content_type, extension = _CITATION_FORMATS[format_name]
    response_class = StreamingHttpResponse if streaming else HttpResponse
    response = response_class(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{extension}"'
    return response


def _citable_case(request, slug):
    case = published_case_for_page(slug)
    if case is None:
        return None, former_address_redirect(slug, request.resolver_match.view_name)
    return from_case(case, request.build_absolute_uri(case.get_absolute_url())), None


@require_GET
def case_bibtex(request, slug):
    item, redirect = _citable_case(request, slug)
    return redirect or _citation_response(bibtex(item), "bib", item.slug)


@require_GET
def case_ris(request, slug):
    item, redirect = _citable_case(request, slug)
    return redirect or _citation_response(ris(item), "ris", item.slug)


@require_GET
def case_csl_json(request, slug):
    import json

    item, redirect = _citable_case(request, slug)
    body = json.dumps([csl(item)], ensure_ascii=False, indent=2)
    return redirect or _citation_response(body, "csl", item.slug)


# --- citations of a filtered set ------------------------------------------------------------


def _citables(request):
    """The citable cases of the library URL's filters, in its order, up to the limit."""
    criteria = LibraryFilterSet(request.GET).criteria
    queryset = ordered(library_cases(criteria), criteria)[:CITATION_EXPORT_LIMIT]
    base_url = request.build_absolute_uri("/")[:-1]
    return (from_record(record) for record in export_records(queryset, base_url))


def _set_name() -> str:
    return f"epsa-library-{timezone.localdate():%Y-%m-%d}"


@require_GET
def export_bibtex(request):
    return _citation_response(bibtex_chunks(_citables(request)), "bib", _set_name(), streaming=True)


@require_GET
def export_ris(request):
    return _citation_response(ris_chunks(_citables(request)), "ris", _set_name(), streaming=True)


@require_GET
def export_csl_json(request):
    return _citation_response(
        csl_json_chunks(_citables(request)), "csl", _set_name(), streaming=True
    )


# --- Atom feed of a search ------------------------------------------------------------------

FEED_SIZE = 50


class SearchFeed(Feed):
    """Newly published cases matching a library query: the same parameters as /library/."""

    feed_type = Atom1Feed
    description = gettext_lazy("Cases newly published in the EPSA Portal case library.")

    def get_object(self, request):
        self.request = request
        filterset = LibraryFilterSet(request.GET)
        return filterset.criteria

    def title(self, criteria):
        if criteria.q:
            return _("EPSA case library: “%(q)s”") % {"q": criteria.q}
        if criteria.active_facets() or criteria.year_from or criteria.year_to:
            return _("EPSA case library: a filtered search")
        return _("EPSA case library: new cases")

    def subtitle(self, criteria):
        return self.description

    def link(self, criteria):
        query = self.request.GET.urlencode()
        return reverse("library:list") + (f"?{query}" if query else "")

    def items(self, criteria):
        return list(
            library_cases(criteria)
            .order_by("-published_at", "-id")
            .only(
                "id",
                "slug",
                "title",
                "summary",
                "published_at",
                "updated_at",
                "lead_organisation__name",
            )
            .select_related("lead_organisation")[:FEED_SIZE]
        )

    def item_title(self, case):
        return case.title

    def item_description(self, case):
        return case.summary

    def item_link(self, case):
        return case.get_absolute_url()

    item_guid_is_permalink = False

    def item_guid(self, case):
        # Stable when the case's slug changes with its title (a tag URI, RFC 4151).
        host = self.request.get_host().split(":")[0]
        return f"tag:{host},2024:case-{case.pk}"

    def item_pubdate(self, case):
        return case.published_at

    def item_updateddate(self, case):
        return max(case.updated_at, case.published_at)

    def item_author_name(self, case):
        return case.lead_organisation.name if case.lead_organisation else None


search_feed = require_GET(SearchFeed())


# --- the data package -----------------------------------------------------------------------


@require_GET
def data_package(request):
    package = data_package_info()
    tables = [
        {"name": name, "rows": package["rows"].get(name, 0), "columns": columns}
        for name, columns in (package or {}).get("tables", {}).items()
    ]
    return render(request, "library/data.html", {"package": package, "tables": tables})


@require_GET
def data_package_download(request):
    path = data_package_path()
    if not path.exists():
        raise Http404(_("The data package has not been built yet."))
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=path.name, content_type="application/zip"
    )
