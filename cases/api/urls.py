"""Version 1 of the public read API: /api/v1/ (documented at /api/docs/ and in docs/api.md)."""

from django.urls import path, re_path

from . import views

app_name = "api"

urlpatterns = [
    path("cases/", views.CaseListView.as_view(), name="case-list"),
    path("cases/<slug:slug>/", views.CaseDetailView.as_view(), name="case-detail"),
    path("facets/", views.FacetsView.as_view(), name="facets"),
    path("editions/", views.EditionListView.as_view(), name="editions"),
    path("vocabularies/", views.VocabulariesView.as_view(), name="vocabularies"),
    path("stats/", views.StatsView.as_view(), name="stats"),
    re_path(r"^(?P<rest>.*)$", views.NotFoundView.as_view(), name="not-found"),
]
