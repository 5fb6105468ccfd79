from django.urls import path

from . import revision_views, views

app_name = "coordination"

urlpatterns = [
    path("", views.editions, name="editions"),
    path("<slug:edition>/", views.dashboard, name="dashboard"),
    path("<slug:edition>/eligibility/", views.eligibility, name="eligibility"),
    path("<slug:edition>/assignments/", views.assignments, name="assignments"),
    path("<slug:edition>/ranking/", views.ranking, name="ranking"),
    path("<slug:edition>/case/<int:case_id>/", views.case_detail, name="case"),
    path(
        "<slug:edition>/case/<int:case_id>/revise/",
        revision_views.revise_case,
        name="revise_case",
    ),
    path("<slug:edition>/results/", views.results, name="results"),
    path("<slug:edition>/settings/", views.edition_settings, name="settings"),
]
