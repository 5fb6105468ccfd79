"""Settings for the EPSA Portal, read from the environment.

Development needs nothing but ``DEBUG=1`` (``make run`` sets it). With ``DEBUG`` off the
settings refuse to start unless ``SECRET_KEY`` and ``ALLOWED_HOSTS`` are set, so that a
production deployment cannot run on development defaults by accident.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

# Demo accounts with published passwords exist only on development machines. Read once here,
# because Django's test runner switches DEBUG off at run time.
DEMO_USERS_ALLOWED = DEBUG

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it to a long random value in production, "
            "or set DEBUG=1 for development."
        )
    SECRET_KEY = "development-only-key-never-used-in-production-" + "x" * 20
elif not DEBUG and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured("SECRET_KEY must be a random value of at least 50 characters.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is not set (comma-separated host names).")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_countries",
    "django_filters",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
    "corsheaders",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rules.apps.AutodiscoverRulesConfig",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "cases",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before CommonMiddleware, so that its redirects and 404s carry the CORS headers too.
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cases.interfaces.language.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cases.interfaces.language.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: turns a locked-out log-in into the "try again at" page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "epsa_portal.urls"
WSGI_APPLICATION = "epsa_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cases.interfaces.navigation.navigation",
                "cases.interfaces.language.languages",
            ],
        },
    },
]

if not os.environ.get("DATABASE_URL"):
    # The embedded default lives in var/; create it so that manage.py works on a fresh clone.
    (BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite as a real default for a few concurrent users: write-ahead logging lets readers
    # go on while one writer writes; every transaction takes the write lock when it begins
    # (IMMEDIATE), so two requests never both read and then both try to write, which SQLite
    # answers with "database is locked" at once; a writer waits up to `timeout` seconds for the
    # lock instead of failing. The domain's own checks then answer the later requests (409).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": int(os.environ.get("SQLITE_TIMEOUT", "20")),
        **DATABASES["default"].get("OPTIONS", {}),
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles every query whose plan cost passes jit_above_cost; at 100,000
    # cases the library's count queries do, and compiling costs more than it saves (148 ms
    # with it, 71 ms without, docs/performance.md). Off for the portal's connections, as are
    # parallel workers: a ranked search's page took 68 ms alone and 78 ms with two workers,
    # and under concurrent load the workers only compete with other requests for the cores.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        "-c jit=off -c max_parallel_workers_per_gather=0"
    )
# The case page and the comparison run as prepared statements, planned once per connection
# (cases.domain.queries.prepared). Behind a pooler in transaction mode, set this to 0.
LIBRARY_PREPARED_STATEMENTS = env_bool("LIBRARY_PREPARED_STATEMENTS", True)
# A streaming replica of the primary (docs/deployment.md): the public library reads from it.
READ_REPLICAS: tuple[str, ...] = ()
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
    DATABASES["replica"]["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
    READ_REPLICAS = ("replica",)
LIBRARY_READ_DATABASE = READ_REPLICAS[0] if READ_REPLICAS else "default"
DATABASE_ROUTERS = ["cases.domain.queries.routing.LibraryReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The library caches facet counts and statistics under a generation number that every change
# bumps. With several worker processes they must share one cache, or a worker keeps counts
# another worker has already invalidated: set REDIS_URL in production.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
if REDIS_URL:
    # Sessions read from the shared cache and written through to the database, so that any
    # application server answers any visitor and a Redis restart logs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Throttling. Log-in: django-axes records failed log-ins in the database (shared by every
# worker process) and locks out an account, and separately an address, after
# AXES_FAILURE_LIMIT failures within the cool-off time; the lock ends by itself after the
# cool-off, or when a coordinator unlocks it (/coordinate/lockouts/) or an administrator deletes
# the attempts in the admin. Attempts refused during a lockout do not extend it, so the time the
# page tells is true. Password reset, registration, verification resend and join requests:
# django-ratelimit counts in the default cache, which several processes share only through
# Redis (REDIS_URL): without it every worker counts on its own.
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_CALLABLE = "cases.domain.throttling.login_username"
AXES_CLIENT_IP_CALLABLE = "cases.domain.throttling.client_ip"
AXES_LOCKOUT_CALLABLE = "cases.views.locked_out"
AXES_VERBOSE = False
RATELIMIT_IP_META_KEY = "cases.domain.throttling.client_ip"
RATELIMIT_CACHE_PREFIX = "epsa-throttle:"
# `manage.py check --deploy` warns (cases.checks) when production runs without REDIS_URL.
SILENCED_SYSTEM_CHECKS: list[str] = []

AUTH_USER_MODEL = "cases.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses every log-in of a locked-out account or address (django-axes).
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en"
# The interface languages. Their translations live in locale/<code>/LC_MESSAGES/django.po; the
# compiled .mo files are committed and a test keeps them in step (see "Translations" in README).
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("de", _("German")),
    ("es", _("Spanish")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The switcher's choice, remembered for a year (signed-in users also keep it in their profile).
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True
# One date style everywhere ("1 May 2024", "1 May 2024, 18:00 CEST"): see epsa_portal/formats.
FORMAT_MODULE_PATH = ["epsa_portal.formats"]
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i T"

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "staticfiles"))

# Applicants' uploads are private: no MEDIA_URL serves them; a permission-checking view does.
# With several application servers they live in S3-compatible object storage (a private bucket,
# through django-storages) instead of a local folder: set AWS_STORAGE_BUCKET_NAME.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "private-media"))


def upload_storage(environ) -> dict:
    """The STORAGES entry for uploads: a private S3-compatible bucket when one is named."""
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME", "")
    if not bucket:
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
        }
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": environ.get("AWS_S3_REGION_NAME") or None,
            "access_key": environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "location": environ.get("AWS_LOCATION", "private-media"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }


STORAGES = {
    "default": upload_storage(os.environ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_PERMISSIONS = 0o640

# E-mail: console in development, SMTP in production unless EMAIL_BACKEND says otherwise.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "EPSA Portal <no-reply@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# The portal's public address, for links in e-mails sent outside a request (scheme and host,
# no trailing slash needed).
# Without SITE_URL, links point at the development server on the port it serves (PORT).
SITE_URL = (
    os.environ.get("SITE_URL") or f"http://127.0.0.1:{os.environ.get('PORT') or '8000'}"
).rstrip("/")
# The task queue (django-tasks): mail, reminders, imports and long exports run in the worker
# (`manage.py run_worker`, which `make run` starts beside the web server). The database backend
# needs no other service; TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend runs
# every task at once, inside the process that enqueues it.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# How often the worker's scheduler enqueues the periodic task (reminders, stalled mail).
TASKS_TICK_SECONDS = int(os.environ.get("TASKS_TICK_SECONDS", "60"))
# How many times a message or a task is tried before it is marked failed.
TASKS_MAX_ATTEMPTS = int(os.environ.get("TASKS_MAX_ATTEMPTS", "5"))
# Where people write about the portal (the about page and its accessibility statement show it).
CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "")
ADMINS = [("Administrators", address) for address in env_list("ADMIN_EMAILS")]

# The library's data package (/library/data/), rebuilt by `manage.py build_data_package` and
# after each publication.
OPEN_DATA_ROOT = Path(os.environ.get("OPEN_DATA_ROOT", BASE_DIR / "var" / "open-data"))

# Library exports (docs/library-export.md): a set of at most LIBRARY_INLINE_EXPORT_ROWS cases
# streams within the request; a larger one is prepared in the task queue, kept in private
# storage for LIBRARY_EXPORT_EXPIRY_DAYS, and each requester may have at most
# LIBRARY_EXPORTS_PENDING exports waiting at once.
LIBRARY_INLINE_EXPORT_ROWS = int(os.environ.get("LIBRARY_INLINE_EXPORT_ROWS", "10000"))
LIBRARY_EXPORT_EXPIRY_DAYS = int(os.environ.get("LIBRARY_EXPORT_EXPIRY_DAYS", "7"))
LIBRARY_EXPORTS_PENDING = int(os.environ.get("LIBRARY_EXPORTS_PENDING", "3"))

# The public read API (/api/v1/, docs/api.md): anonymous, read-only, JSON only, throttled per
# client address on the shared cache (set REDIS_URL in production so that every worker counts
# together).
API_ANON_RATE = os.environ.get("API_ANON_RATE", "120/minute")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_THROTTLE_CLASSES": ["cases.api.throttling.AnonymousRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "cases.api.errors.exception_handler",
    # Behind N reverse proxies, the client address is the Nth from the right of X-Forwarded-For.
    "NUM_PROXIES": int(os.environ["NUM_PROXIES"]) if os.environ.get("NUM_PROXIES") else None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "EPSA Portal case library API",
    "DESCRIPTION": (
        "Read-only access to the published cases of the EPSA Portal case library: the same "
        "filters and search as the library page (/library/), cursor pages of up to 100 cases, "
        "facet counts, vocabularies, editions and statistics. Anonymous; throttled per client "
        "address (HTTP 429 with Retry-After past the limit)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # The schema lists the vocabularies' values, read from the database, which `check --deploy`
    # may run without: tests/api/test_schema.py validates the schema instead.
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
}
# Any site may read the API from its pages; nothing else is open to other origins.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After", "Link"]

COUNTRIES_OVERRIDE = {"EU": _("EU institution")}
COUNTRIES_FIRST = ["EU"]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "cases.interfaces.errors.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): everything comes from the portal itself. No inline
# script or style anywhere (scripts and styles are static files; SVG charts use presentation
# attributes), no third-party origin, never framed, forms post only to the portal.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

if not DEBUG:
    # Behind a TLS-terminating proxy, set SECURE_SSL_REDIRECT=0 and let the proxy redirect;
    # SECURE_PROXY_SSL_HEADER tells Django which header marks the original request as HTTPS.
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    if not SECURE_SSL_REDIRECT:
        SILENCED_SYSTEM_CHECKS += ["security.W008"]
    if BEHIND_TLS_PROXY:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
