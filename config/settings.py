"""Ladder settings: one module, driven by environment variables.

DEBUG is off unless DJANGO_DEBUG=1. Without DEBUG the app refuses to start
unless DJANGO_SECRET_KEY holds a real secret. SQLite is the default database;
DATABASE_URL (e.g. postgres://user:pass@127.0.0.1:5432/ladder) selects PostgreSQL.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from assessments.domain import limits
from config.email import parse_email_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

_DEV_SECRET_KEY = "django-insecure-ladder-development-only"
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random value "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DJANGO_DEBUG=1 for local development."
        )
    SECRET_KEY = _DEV_SECRET_KEY
elif not DEBUG and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is too weak for production: use at least 50 random characters."
    )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # django.contrib.admin, restricted to superusers (assessments/admin_site.py).
    "assessments.apps.LadderAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "assessments",
    "reports",
]

MIDDLEWARE = [
    # First: every response carries the Content-Security-Policy (config/middleware.py).
    "config.middleware.ContentSecurityPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A write that lost a race twice answers 503 "try again", never 500.
    "config.middleware.DatabaseBusyMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default must hold a unit's team saving at once (several gunicorn
    # workers): WAL lets readers go on while one writer writes; IMMEDIATE transactions take
    # the write lock when they begin, so concurrent writers queue on the busy timeout
    # instead of failing with "database is locked" when a read lock cannot be upgraded; a
    # writer still waiting after the timeout is retried once, then told to try again
    # (assessments/services/retry.py). synchronous=NORMAL is durable in WAL mode except
    # for the last transactions before a power cut, not a crash of the app.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("LADDER_SQLITE_TIMEOUT_SECONDS", 20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Every page issues the same handful of statements, request after request: bound on
    # the server, psycopg prepares a statement the second time a connection runs it, and
    # PostgreSQL no longer parses and plans it again. In the load test this took the
    # database's CPU from ~10.7 to ~4.4 ms a request (docs/performance.md). Needs
    # connections kept across requests (DJANGO_CONN_MAX_AGE) to pay; 0 switches it off
    # (e.g. behind PgBouncer in transaction mode, which cannot keep prepared statements).
    prepare_threshold = env_int("DJANGO_PG_PREPARE_THRESHOLD", 2)
    if prepare_threshold > 0:
        DATABASES["default"]["OPTIONS"] = {
            "server_side_binding": True,
            "prepare_threshold": prepare_threshold,
        }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
# Links in email sent without a request (manage.py send_reminders) start with this.
LADDER_BASE_URL = env_str("LADDER_BASE_URL", "http://localhost:8000")
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Every script and style comes from here, never from a CDN; plotly.js is a partial build
# of the charts the pages draw (static/vendor/plotly/README.md).
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Uploads (answer files) are read in memory; anything larger is refused with a message.
LADDER_MAX_UPLOAD_BYTES = env_int("LADDER_MAX_UPLOAD_BYTES", 5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = LADDER_MAX_UPLOAD_BYTES
DATA_UPLOAD_MAX_MEMORY_SIZE = LADDER_MAX_UPLOAD_BYTES
# One capability's questionnaire posts up to 4 fields a question: Django's default of 1000
# refused capabilities of more than ~333 questions (400 TooManyFieldsSent). The framework
# loader refuses a capability of more than limits.MAX_QUESTIONS_PER_CAPABILITY questions.
DATA_UPLOAD_MAX_NUMBER_FIELDS = limits.form_field_limit()

# Login throttling (assessments/throttling.py): this many failures for one username
# from one address within the window refuse further logins until the window passes.
LADDER_LOGIN_FAILURE_LIMIT = env_int("LADDER_LOGIN_FAILURE_LIMIT", 5)
LADDER_LOGIN_FAILURE_WINDOW_SECONDS = env_int("LADDER_LOGIN_FAILURE_WINDOW_SECONDS", 15 * 60)

# Email (invitations, notifications): EMAIL_URL (config/email.py: smtp://user:pass@host:587?tls=1,
# smtps://…:465, console://) or the usual EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER,
# EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, EMAIL_USE_SSL. With neither, the demo (DJANGO_DEBUG=1)
# prints messages on the console; production sends to an SMTP relay on localhost:25.
# docs/cycles.md lists them.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Ladder <ladder@localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
if env_str("EMAIL_URL"):
    try:
        globals().update(parse_email_url(env_str("EMAIL_URL")))
    except ValueError as error:
        raise ImproperlyConfigured(str(error)) from None
elif env_str("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env_str("EMAIL_HOST")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
    if EMAIL_USE_TLS and EMAIL_USE_SSL:
        raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL exclude each other.")
    EMAIL_PORT = env_int("EMAIL_PORT", 465 if EMAIL_USE_SSL else 587 if EMAIL_USE_TLS else 25)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
elif DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
}
