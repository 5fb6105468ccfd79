"""URLs of the public case library. The fixed paths come before ``<slug>/`` so that no case
slug can shadow them (a case slugged "compare" or "stats" would otherwise be unreachable)."""

from django.urls import path

from cases.models import ExportFormat

from . import analytics_views, collection_views, export_views, open_data, views

app_name = "library"

# The citation format of a download, passed to its view (see ``open_data.citation_response``).
BIB = {"format_name": ExportFormat.BIBTEX}
RIS = {"format_name": ExportFormat.RIS}
CSL = {"format_name": ExportFormat.CSL_JSON}

urlpatterns = [
    path("", views.case_list, name="list"),
    path("compare/", views.compare, name="compare"),
    path("compare/add/", views.compare_add, name="compare_add"),
    path("compare/remove/", views.compare_remove, name="compare_remove"),
    path("compare/clear/", views.compare_clear, name="compare_clear"),
    path("compare/export.csv", collection_views.comparison_export_csv, name="compare_csv"),
    path(
        "compare/export.bib",
        collection_views.comparison_export_citations,
        BIB,
        name="compare_bibtex",
    ),
    path(
        "compare/export.ris",
        collection_views.comparison_export_citations,
        RIS,
        name="compare_ris",
    ),
    path(
        "compare/export.csl.json",
        collection_views.comparison_export_citations,
        CSL,
        name="compare_csl_json",
    ),
    path("export/", views.export_fields, name="export_fields"),
    path("export.csv", export_views.export_csv, name="export_csv"),
    path("export.json", export_views.export_json, name="export_json"),
    path("export.bib", open_data.export_citations, BIB, name="export_bibtex"),
    path("export.ris", open_data.export_citations, RIS, name="export_ris"),
    path("export.csl.json", open_data.export_citations, CSL, name="export_csl_json"),
    path("exports/", export_views.export_list, name="exports"),
    path("exports/new/", export_views.export_prepare, name="export_prepare"),
    path("exports/<str:token>/", export_views.export_status, name="export_status"),
    path("exports/<str:token>/download/", export_views.export_download, name="export_download"),
    path("feed/", open_data.search_feed, name="feed"),
    path("data/", open_data.data_package, name="data"),
    path("data/epsa-case-library.zip", open_data.data_package_download, name="data_download"),
    path("stats/", views.stats, name="stats"),
    path("stats/factors.json", analytics_views.analytics_json, name="analytics_json"),
    path("stats/cases/", analytics_views.figure_cases, name="figure_cases"),
    path("methods/", analytics_views.methods, name="methods"),
    path("collections/", collection_views.collection_list, name="collections"),
    path("collections/new/", collection_views.collection_create, name="collection_create"),
    path("collections/add/", collection_views.collection_add, name="collection_add"),
    path("collections/<int:pk>/", collection_views.collection_detail, name="collection"),
    path("collections/<int:pk>/edit/", collection_views.collection_edit, name="collection_edit"),
    path(
        "collections/<int:pk>/remove/",
        collection_views.collection_remove,
        name="collection_remove",
    ),
    path(
        "collections/<int:pk>/delete/",
        collection_views.collection_delete,
        name="collection_delete",
    ),
    path("shared/<str:token>/", collection_views.shared_detail, name="shared_collection"),
    path(
        "shared/<str:token>/export.csv",
        collection_views.shared_export_csv,
        name="shared_collection_csv",
    ),
    path(
        "shared/<str:token>/export.json",
        collection_views.shared_export_json,
        name="shared_collection_json",
    ),
    path(
        "shared/<str:token>/export.bib",
        collection_views.shared_export_citations,
        BIB,
        name="shared_collection_bibtex",
    ),
    path(
        "shared/<str:token>/export.ris",
        collection_views.shared_export_citations,
        RIS,
        name="shared_collection_ris",
    ),
    path(
        "shared/<str:token>/export.csl.json",
        collection_views.shared_export_citations,
        CSL,
        name="shared_collection_csl_json",
    ),
    path("<slug:slug>/", views.case_detail, name="case"),
    path("<slug:slug>/cite.bib", open_data.case_citation, BIB, name="case_bibtex"),
    path("<slug:slug>/cite.ris", open_data.case_citation, RIS, name="case_ris"),
    path("<slug:slug>/cite.json", open_data.case_citation, CSL, name="case_csl_json"),
    path("<slug:slug>/files/<int:pk>/", views.attachment, name="attachment"),
]
