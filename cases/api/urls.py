"""Version 1 of the public read API: /api/v1/ (documented at /api/docs/ and in docs/api.md)."""

from django.urls import path, re_path

from cases.interfaces.permissions import permission_required

from . import views

app_name = "api"

# The API reads only published cases, through the library's gate: public to everyone.
public = permission_required("cases.view_public_pages")

urlpatterns = [
    path("cases/", public(views.CaseListView.as_view()), name="case-list"),
    path("cases/<slug:slug>/", public(views.CaseDetailView.as_view()), name="case-detail"),
    path("facets/", public(views.FacetsView.as_view()), name="facets"),
    path("editions/", public(views.EditionListView.as_view()), name="editions"),
    path("vocabularies/", public(views.VocabulariesView.as_view()), name="vocabularies"),
    path("stats/", public(views.StatsView.as_view()), name="stats"),
    re_path(r"^(?P<rest>.*)$", public(views.NotFoundView.as_view()), name="not-found"),
]
