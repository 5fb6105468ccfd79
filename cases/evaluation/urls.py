from django.urls import path

from . import invitation_views, views

app_name = "evaluation"

urlpatterns = [
    path("", views.assignments, name="assignments"),
    path("profile/", views.profile, name="profile"),
    path("invitations/", invitation_views.invitations, name="invitations"),
    path("invitations/<str:token>/", invitation_views.invitation, name="invitation"),
    path(
        "invitations/<str:token>/accept/",
        invitation_views.accept_invitation,
        name="accept_invitation",
    ),
    path(
        "invitations/<str:token>/decline/",
        invitation_views.decline_invitation,
        name="decline_invitation",
    ),
    path("<int:assignment_id>/", views.review, name="review"),
    path("<int:assignment_id>/conflict/", views.declare_conflict, name="declare_conflict"),
]
