from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.decorators.http import require_GET
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from cases import views as site_views
from cases.interfaces.permissions import permission_required
from cases.sitemaps import SITEMAPS

# Pages everyone may read (the site's own views declare it where they are defined).
public = permission_required("cases.view_public_pages")

urlpatterns = [
    path("", site_views.home, name="home"),
    path("about/", site_views.about, name="about"),
    path("favicon.ico", site_views.favicon),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password-reset/",
        auth_views.PasswordResetView.as_view(
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("robots.txt", site_views.robots_txt, name="robots"),
    path(
        "sitemap.xml",
        public(require_GET(sitemap_views.index)),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        public(require_GET(sitemap_views.sitemap)),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("api/schema/", public(SpectacularAPIView.as_view()), name="api-schema"),
    path(
        "api/docs/",
        public(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path(
        "api/redoc/",
        public(SpectacularRedocView.as_view(url_name="api-schema")),
        name="api-redoc",
    ),
    path("api/v1/", include("cases.api.urls")),
    path("library/", include("cases.library.urls")),
    path("evaluate/", include("cases.evaluation.urls")),
    path("coordinate/", include("cases.coordination.urls")),
    path("", include("cases.applications.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "cases.views.permission_denied"
handler404 = "cases.views.page_not_found"
handler500 = "cases.views.server_error"
