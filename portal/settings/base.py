"""Settings for every environment, read from environment variables.

With nothing set the portal runs in local demo mode (DEBUG on, SQLite under var/).
With DEBUG off it refuses to start unless SECRET_KEY and ALLOWED_HOSTS are set.
Django's own debug pages are shown only with DEBUG_PAGES=1 as well (see DEMO_MODE).
"""

import os
from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from portal.config import database, env_bool, env_int, env_list, local_secret_key, mandatory

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
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Serves public pages the full stack below has already produced (reports/public/middleware.py).
    "reports.public.middleware.PublicPagesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
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

# --- Cache -------------------------------------------------------------------
# Rendered public pages, keyed by facts read from the database (reports/public/caching.py).
# Per process by default, which is already correct with several app servers; REDIS_URL
# (redis://host:6379/0) shares them through Django's own Redis backend.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
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

# Article views commit without waiting for the disk on PostgreSQL (reports/public/counter.py):
# a database crash may lose the last fraction of a second of view counts, nothing else.
VIEW_COUNT_ASYNC_COMMIT = env_bool("VIEW_COUNT_ASYNC_COMMIT", default=True)

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
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
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

# --- Logging ----------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# --- Accounts ---------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "accounts.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
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
