"""URLs of the public case library. The fixed paths come before ``<slug>/`` so that no case
slug can shadow them (a case slugged "compare" or "stats" would otherwise be unreachable)."""

from django.urls import path

from . import open_data, views

app_name = "library"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("compare/", views.compare, name="compare"),
    path("compare/add/", views.compare_add, name="compare_add"),
    path("compare/remove/", views.compare_remove, name="compare_remove"),
    path("compare/clear/", views.compare_clear, name="compare_clear"),
    path("export/", views.export_fields, name="export_fields"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.json", views.export_json, name="export_json"),
    path("export.bib", open_data.export_bibtex, name="export_bibtex"),
    path("export.ris", open_data.export_ris, name="export_ris"),
    path("export.csl.json", open_data.export_csl_json, name="export_csl_json"),
    path("feed/", open_data.search_feed, name="feed"),
    path("data/", open_data.data_package, name="data"),
    path("data/epsa-case-library.zip", open_data.data_package_download, name="data_download"),
    path("stats/", views.stats, name="stats"),
    path("<slug:slug>/", views.case_detail, name="case"),
    path("<slug:slug>/cite.bib", open_data.case_bibtex, name="case_bibtex"),
    path("<slug:slug>/cite.ris", open_data.case_ris, name="case_ris"),
    path("<slug:slug>/cite.json", open_data.case_csl_json, name="case_csl_json"),
    path("<slug:slug>/files/<int:pk>/", views.attachment, name="attachment"),
]
