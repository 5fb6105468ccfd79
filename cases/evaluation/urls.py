from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("", views.assignments, name="assignments"),
    path("profile/", views.profile, name="profile"),
    path("<int:assignment_id>/", views.review, name="review"),
    path("<int:assignment_id>/conflict/", views.declare_conflict, name="declare_conflict"),
]
