"""Settings for every environment, read from environment variables.

With nothing set the portal runs in local demo mode (DEBUG on, SQLite under var/).
With DEBUG off it refuses to start unless SECRET_KEY and ALLOWED_HOSTS are set.
Django's own debug pages are shown only with DEBUG_PAGES=1 as well (see DEMO_MODE).
"""

import os
from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from portal.config import clamd_url, database, env_bool, env_choice, env_int, env_list, local_secret_key, mandatory

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("PORTAL_VAR_DIR", BASE_DIR / "var"))

# --- Core -------------------------------------------------------------------
# DEBUG=1 (the default) is the local demo: a generated key, local host names, static files
# read from static/, demo data and accounts allowed. Django's own debug pages (tracebacks,
# every URL pattern, settings) are another matter: a demo is opened by other people, so it
# answers with the site's own error pages, and only DEBUG_PAGES=1 on a developer's own
# machine turns Django's on.
DEMO_MODE = env_bool("DEBUG", default=True)
DEBUG = DEMO_MODE and env_bool("DEBUG_PAGES", default=False)
if DEMO_MODE:
    SECRET_KEY = os.environ.get("SECRET_KEY") or local_secret_key(VAR_DIR)
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
else:
    SECRET_KEY = mandatory("SECRET_KEY")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        mandatory("ALLOWED_HOSTS")

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "accounts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "taggit",
    "nested_admin",
    "rest_framework",
    "drf_spectacular",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "reports",
    "operations",
]

MIDDLEWARE = [
    # /healthz, /readyz and the metrics, ahead of the host check and the https redirect (operations/health.py).
    "operations.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # One log line per request (operations/requestlog.py).
    "operations.requestlog.RequestLogMiddleware",
    # Replaces dead database connections before use; statement timeouts (operations/database.py).
    "operations.database.DatabaseAvailabilityMiddleware",
    # Serves public pages the full stack below has already produced (reports/public/middleware.py).
    "reports.public.middleware.PublicPagesMiddleware",
    # Below it, so the page it keeps for a 繁體 reader is already converted (reports/public/traditional.py).
    "reports.public.traditional.TraditionalChineseMiddleware",
    # Likewise for the open data API's responses, with its rate limit (reports/opendata/middleware.py).
    "reports.opendata.middleware.OpenDataMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A full or read-only upload storage is an admin message; files whose save was undone are removed.
    "operations.storage.UploadSafetyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "accounts.middleware.AuditContextMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "accounts.middleware.PasswordExpiryMiddleware",
    # Last, as django-axes requires: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "reports.context_processors.site",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
DATABASES = {
    "default": database(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'portal.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}

# Longest a statement of a public request may run on PostgreSQL, so one slow query cannot
# hold every worker (0: no limit). Admin requests get their own limit; commands have none.
PUBLIC_STATEMENT_TIMEOUT_MS = env_int("PUBLIC_STATEMENT_TIMEOUT_MS", 5000)
ADMIN_STATEMENT_TIMEOUT_MS = env_int("ADMIN_STATEMENT_TIMEOUT_MS", 25000)

# --- Cache -------------------------------------------------------------------
# Rendered public pages, keyed by facts read from the database (reports/public/caching.py).
# Per process by default, which is already correct with several app servers; REDIS_URL
# (redis://host:6379/0) shares them through Django's own Redis backend, which a Redis
# outage only slows down (operations/cache.py).
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "operations.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
            # Keys name the release and the database's identity (operations/release.py).
            "KEY_FUNCTION": "operations.release.cache_key",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            # About 30 KB an entry: bounded well within a worker's memory.
            "OPTIONS": {"MAX_ENTRIES": 1000},
        }
    }

# Article views written by their request (VIEW_COUNT_FLUSH_MS=0) commit without waiting for the disk
# on PostgreSQL (reports/public/counter.py): a database crash may lose the last fraction of a second
# of view counts, nothing else.
VIEW_COUNT_ASYNC_COMMIT = env_bool("VIEW_COUNT_ASYNC_COMMIT", default=True)
# On PostgreSQL each process adds its article views up and writes them every this many
# milliseconds, so a view costs no write of its own; 0 writes each view with its request
# (SQLite's default: there a write costs microseconds). What a crash can lose: README, "View counts".
VIEW_COUNT_FLUSH_MS = env_int(
    "VIEW_COUNT_FLUSH_MS", 1000 if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3" else 0
)
if VIEW_COUNT_FLUSH_MS < 0:
    raise ImproperlyConfigured("VIEW_COUNT_FLUSH_MS must be 0 or more milliseconds.")

# --- Language and time ------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files and uploads ----------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    # Nothing half-written, no file without a row (operations/storage.py).
    "default": {"BACKEND": "operations.storage.UploadStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEMO_MODE
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEMO_MODE
WHITENOISE_AUTOREFRESH = DEMO_MODE
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)
# Optional virus scan of uploads by a ClamAV daemon: tcp://host:3310 or unix:///run/clamav/clamd.ctl.
CLAMD_URL = clamd_url("CLAMD_URL")
CLAMD_TIMEOUT = env_int("CLAMD_TIMEOUT", 30)

# --- Email ------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security ---------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# Only staff have sessions; they end after this long without a request (等保: idle timeout).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# No inline scripts or styles anywhere, the admin included (Django 5.2's admin needs none).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
if not DEMO_MODE:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
ADMIN_PATH = os.environ.get("ADMIN_PATH", "admin").strip("/") or "admin"
# How many reverse proxies in front of the portal append to X-Forwarded-For (0: none,
# REMOTE_ADDR is the client). Lockouts and the audit log use the address this yields.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# --- The portal -------------------------------------------------------------
PORTAL_SITE_NAME = os.environ.get("PORTAL_SITE_NAME", "揭东区人民政府网站")
PORTAL_SPONSOR = os.environ.get("PORTAL_SPONSOR", "揭阳市揭东区人民政府办公室")
PORTAL_CONTACT = os.environ.get("PORTAL_CONTACT", "0663-3266000")
PORTAL_SITE_CODE = os.environ.get("PORTAL_SITE_CODE", "4452030001")
PORTAL_ICP_NUMBER = os.environ.get("PORTAL_ICP_NUMBER", "粤ICP备00000000号")
PORTAL_PSB_NUMBER = os.environ.get("PORTAL_PSB_NUMBER", "粤公网安备 44520302000000号")
PORTAL_ORGANIZER = os.environ.get("PORTAL_ORGANIZER", "")
# Where the 党政机关网站标识 in the footer leads: the site's own entry at the verification
# service of 中央编办 (…/sitename?method=show&id=…), shown as a self-hosted image, not their script.
PORTAL_CONAC_URL = os.environ.get("PORTAL_CONAC_URL", "https://bszs.conac.cn/")
# Which traditional forms the 繁體 pages use: Taiwan's, Hong Kong's or OpenCC's standard
# (reports/public/chinese.py).
PORTAL_TRADITIONAL_VARIANT = env_choice("PORTAL_TRADITIONAL_VARIANT", ("tw", "hk", "standard"), "tw")

# --- 我要纠错 (residents' error reports) -------------------------------------
# Reports one address may send per window; more get a polite refusal (429).
CORRECTION_RATE_LIMIT = env_int("CORRECTION_RATE_LIMIT", 5)
CORRECTION_RATE_WINDOW_MINUTES = env_int("CORRECTION_RATE_WINDOW_MINUTES", 60)
# Days a sender's contact details are kept; `manage.py erase_correction_contacts` (daily) erases older ones.
CORRECTION_RETENTION_DAYS = env_int("CORRECTION_RETENTION_DAYS", 180)

# --- The annual duty (reports/duty/) ----------------------------------------
# The day a report for year Y is late in the superior's hands (MM-DD of Y+1; empty: no such milestone).
DUTY_UPWARD_DEADLINE = os.environ.get("DUTY_UPWARD_DEADLINE", "03-01")
# Reminders go this many days before each milestone, and once on the day it is missed.
DUTY_REMINDER_DAYS = os.environ.get("DUTY_REMINDER_DAYS", "30,14,7,1")

# --- Official documents (reports/official/) ---------------------------------
# Free fonts embedded in PDFs in place of the proprietary ones a .docx names (Debian packages
# fonts-arphic-gbsn00lp, fonts-arphic-gkai00mp, fonts-wqy-zenhei). "path" or "path#index" for a .ttc.
OFFICIAL_FONT_SONG = os.environ.get("OFFICIAL_FONT_SONG", "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf")
OFFICIAL_FONT_FANGSONG = os.environ.get(
    "OFFICIAL_FONT_FANGSONG", "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"
)
OFFICIAL_FONT_HEI = os.environ.get("OFFICIAL_FONT_HEI", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc#0")
OFFICIAL_FONT_KAI = os.environ.get("OFFICIAL_FONT_KAI", "/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf")
# For characters the fonts above lack (they cover GB 2312): a font with a wide Unicode range.
OFFICIAL_FONT_FALLBACK = os.environ.get("OFFICIAL_FONT_FALLBACK", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc#0")

# --- Open data (reports/opendata/) ----------------------------------------------
# Licence of the open data, named on the API page and in every file.
PORTAL_OPEN_DATA_LICENCE = os.environ.get(
    "PORTAL_OPEN_DATA_LICENCE", "知识共享署名 4.0 国际许可协议（CC BY 4.0）：可自由使用，须注明来源"
)
PORTAL_OPEN_DATA_LICENCE_URL = os.environ.get(
    "PORTAL_OPEN_DATA_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/deed.zh-hans"
)
# Requests per client address (accounts.client.client_ip) and period, counted in the cache
# (per process unless REDIS_URL is set): "120/min", "2000/hour".
OPEN_DATA_RATE_LIMIT = os.environ.get("OPEN_DATA_RATE_LIMIT", "120/min")
OPEN_DATA_BULK_RATE_LIMIT = os.environ.get("OPEN_DATA_BULK_RATE_LIMIT", "20/min")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "法治政府建设情况报告开放数据接口",
    "DESCRIPTION": "只读、公开、无需登录。只提供已发布报告的公开版本。说明见 /opendata/。",
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": [],
    "ENUM_NAME_OVERRIDES": {
        "OrganizationKindEnum": "reports.models.OrganizationKind",
        "SectionKindEnum": "reports.models.SectionKind",
    },
}

# --- Logging ----------------------------------------------------------------
# text: "LEVEL logger: message" lines; json: one JSON object a line (operations/logs.py).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text").strip().lower()
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(levelname)s %(name)s: %(message)s"},
        "json": {"()": "operations.logs.JsonFormatter"},
    },
    "filters": {"database_outage": {"()": "operations.database.DropOutageTracebacks"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # An outage is reported once a minute by operations.database, not as a traceback per request.
    "loggers": {"django.request": {"filters": ["database_outage"]}},
}

# --- Metrics -----------------------------------------------------------------
# Prometheus metrics through django-prometheus, answered at METRICS_PATH only to these
# addresses connecting directly, never through the reverse proxy (operations/health.py).
PROMETHEUS_METRICS = env_bool("PROMETHEUS_METRICS", default=False)
METRICS_PATH = "/" + os.environ.get("METRICS_PATH", "metrics").strip("/")
METRICS_ALLOWED_ADDRESSES = env_list("METRICS_ALLOWED_ADDRESSES", "127.0.0.1,::1")
if PROMETHEUS_METRICS:
    INSTALLED_APPS.append("django_prometheus")
    # Around everything; the "after" half just inside django-axes, which must stay last.
    MIDDLEWARE = [
        "django_prometheus.middleware.PrometheusBeforeMiddleware",
        *MIDDLEWARE[:-1],
        "django_prometheus.middleware.PrometheusAfterMiddleware",
        MIDDLEWARE[-1],
    ]

# --- Accounts ---------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "accounts.backends.LockoutBackend",
    # Django's ModelBackend, refusing demo accounts in production.
    "accounts.backends.AccountBackend",
]
# 等保 2.0 level 3: at least 10 characters from three of four character classes.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
]
LOGIN_URL = "admin:login"
# Where a sign-in lands when its ?next= is missing or leads off the site (Django's default page does not exist).
LOGIN_REDIRECT_URL = "admin:index"
# 0 turns the rule off; otherwise staff must change a password older than this many days.
PASSWORD_MAX_AGE_DAYS = env_int("PASSWORD_MAX_AGE_DAYS", 0)
# Editors and superusers must pass a TOTP second factor (on by default in production).
REQUIRE_2FA_FOR_STAFF = env_bool("REQUIRE_2FA_FOR_STAFF", default=not DEMO_MODE)
OTP_TOTP_ISSUER = PORTAL_SITE_NAME

# Lockout after repeated failures, per account and, separately, per address (django-axes).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_CLIENT_IP_CALLABLE = "accounts.client.client_ip"
# accounts.AuthEvent is the login record; axes keeps only the failure counters.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
