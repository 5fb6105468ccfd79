"""The portal's URLs. The public library answers twice: under a language prefix
(``/fr/library/…``, the address to share and the one ``{% url 'library:…' %}`` gives) and without
one (``/library/…``, in the visitor's own language: saved choice, cookie or browser); the other
areas follow the visitor's language without a prefix (see cases.interfaces.language)."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf.urls.i18n import i18n_patterns
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
from cases.interfaces.forms import accounts as account_forms
from cases.interfaces.permissions import permission_required
from cases.interfaces.throttling import (
    PASSWORD_RESET_PER_ADDRESS,
    PASSWORD_RESET_PER_CLIENT,
    posted_address,
    throttle,
)
from cases.sitemaps import SITEMAPS

# Pages everyone may read (the site's own views declare it where they are defined).
public = permission_required("cases.view_public_pages")

urlpatterns = [
    path("", site_views.home, name="home"),
    path("about/", site_views.about, name="about"),
    path("language/", site_views.set_language, name="set_language"),
    path("favicon.ico", site_views.favicon),
    path("accounts/login/", site_views.PortalLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password-reset/",
        # At most a few reset mails an hour to one address, and from one client.
        throttle("password-reset-address", key=posted_address, rate=PASSWORD_RESET_PER_ADDRESS)(
            throttle("password-reset-client", key="ip", rate=PASSWORD_RESET_PER_CLIENT)(
                auth_views.PasswordResetView.as_view(
                    email_template_name="registration/password_reset_email.txt",
                    subject_template_name="registration/password_reset_subject.txt",
                    form_class=account_forms.PasswordResetRequestForm,
                )
            )
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
        auth_views.PasswordResetConfirmView.as_view(form_class=account_forms.NewPasswordForm),
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
    # The two API documentation viewers are third-party code with needs of their own, granted
    # on these pages only: Swagger UI draws its icons as data: images; Redoc also injects its
    # styles at run time and parses the schema in a worker started from a blob: URL.
    path(
        "api/docs/",
        csp_update({"img-src": ["data:"]})(
            public(SpectacularSwaggerSplitView.as_view(url_name="api-schema"))
        ),
        name="api-docs",
    ),
    path(
        "api/redoc/",
        csp_update({"img-src": ["data:"], "style-src": [UNSAFE_INLINE], "worker-src": ["blob:"]})(
            public(SpectacularRedocView.as_view(url_name="api-schema"))
        ),
        name="api-redoc",
    ),
    path("api/v1/", include("cases.api.urls")),
    path("library/", include(("cases.library.urls", "library"), namespace="library-any")),
    path("evaluate/", include("cases.evaluation.urls")),
    path("coordinate/", include("cases.coordination.urls")),
    path("", include("cases.applications.urls")),
    path("admin/", admin.site.urls),
]
urlpatterns += i18n_patterns(
    path("library/", include("cases.library.urls")), prefix_default_language=True
)

handler403 = "cases.views.permission_denied"
handler404 = "cases.views.page_not_found"
handler500 = "cases.views.server_error"
