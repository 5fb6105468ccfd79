"""URLs of the public case library. The fixed paths come before ``<slug>/`` so that no case
slug can shadow them (a case slugged "compare" or "stats" would otherwise be unreachable)."""

from django.urls import path

from . import analytics_views, views

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
    path("stats/", views.stats, name="stats"),
    path("stats/factors.json", analytics_views.analytics_json, name="analytics_json"),
    path("stats/cases/", analytics_views.figure_cases, name="figure_cases"),
    path("methods/", analytics_views.methods, name="methods"),
    path("<slug:slug>/", views.case_detail, name="case"),
    path("<slug:slug>/files/<int:pk>/", views.attachment, name="attachment"),
]
