"""URLs of the applicant area: accounts under /accounts/, applications under /apply/."""

from django.urls import include, path

from cases.applications import account_views, views

account_patterns = [
    path("register/", account_views.register, name="register"),
    path("verify/<str:token>/", account_views.verify, name="verify"),
    path("verify-again/", account_views.resend_verification, name="resend_verification"),
    path("profile/", account_views.profile, name="profile"),
    path("organisations/new/", account_views.create_organisation, name="create_organisation"),
    path("organisations/join/", account_views.join_organisation, name="join_organisation"),
    path("memberships/", account_views.membership_requests, name="membership_requests"),
    path("memberships/<int:pk>/decide/", account_views.decide_membership, name="decide_membership"),
]

application_patterns = [
    path("", views.dashboard, name="dashboard"),
    path("<slug:edition_slug>/new/", views.new_application, name="new"),
    path("case/<int:pk>/", views.case_status, name="case"),
    path("case/<int:pk>/edit/<slug:section>/", views.edit_section, name="edit"),
    path("case/<int:pk>/review/", views.review, name="review"),
    path("case/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path(
        "case/<int:pk>/attachments/<int:attachment_pk>/",
        views.download_attachment,
        name="attachment",
    ),
    path(
        "case/<int:pk>/attachments/<int:attachment_pk>/remove/",
        views.delete_attachment,
        name="attachment_delete",
    ),
]

urlpatterns = [
    path("accounts/", include((account_patterns, "accounts"))),
    path("apply/", include((application_patterns, "applications"))),
]
