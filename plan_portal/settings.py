"""Settings of the plan portal, read from the environment (see README, "Configuration")."""

import datetime
import os
import tempfile
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env file is optional; the process environment always wins.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off the portal needs the environment variable "
            "SECRET_KEY: a long random string (e.g. python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))'), kept secret and the same on every restart."
        )
    # Only with DEBUG on: production refuses to start without a key (above).
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

# Ours, in their dependency order (README, "Architecture"): an app imports only those before it.
PORTAL_APPS = [
    "core",
    "agencies",
    "measures",
    "reporting",
    "commissions",
    "operations",
    "publication",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "import_export",
    "simple_history",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    # django-ninja (the API): listed so that its docs page uses its own bundled Swagger UI files
    # (served by whitenoise), never a CDN.
    "ninja",
    *PORTAL_APPS,
]

MIDDLEWARE = [
    # First: the security headers on every response, also those answered before the middleware
    # that set them below has run (a bad Host's 400, static files).
    "plan_portal.middleware.SecurityHeadersMiddleware",
    # The client's address for the audit trail, for everything below it.
    "agencies.audit.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # A NUL byte in the address is a 400 before any view passes it to the database.
    "plan_portal.middleware.refuse_nul_in_address",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    "agencies.middleware.SessionLifetimeMiddleware",
    # After OTPMiddleware and the session lifetime: asks for the second factor (see below).
    "agencies.middleware.TwoFactorMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "plan_portal.urls"

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
            # The summary's package has no app of its own to hold a templatetags folder.
            "libraries": {"matrix": "reporting.summaries.matrix"},
        },
    },
]

WSGI_APPLICATION = "plan_portal.wsgi.application"

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock when a transaction begins, so that two requests cannot
    # both read a report as "draft" and both submit it (PostgreSQL uses SELECT … FOR UPDATE).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
    # Tests use a file, not shared-cache memory, whose table locks ignore the timeout; the
    # concurrency tests need the same locking as a real database file.
    # One file per test process, so that parallel runs do not share it.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"plan-portal-test-{os.getpid()}.sqlite3")
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "agencies.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a username and address that are locked out, before any password check.
    "axes.backends.AxesStandaloneBackend",
    "agencies.backends.AgencyModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ru"
# The interface speaks Russian (the default), Kazakh and English; the plan's own text stays in
# Russian, as the Resolution wrote it.
LANGUAGES = [("ru", "Русский"), ("kk", "Қазақша"), ("en", "English")]
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Almaty"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Documents (core.storage): a folder by default, shared by the app servers when there are
# several; an S3-compatible bucket with PRIVATE_STORAGE=s3 (README, "More than one app
# server"). Either way private: no public URL, served only through the portal.
PRIVATE_STORAGE = env.str("PRIVATE_STORAGE", default="folder")
if PRIVATE_STORAGE == "s3":
    PRIVATE_STORAGE_CONFIG = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("S3_BUCKET"),
            "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("S3_REGION", default="") or None,
            "access_key": env.str("S3_ACCESS_KEY", default="") or None,
            "secret_key": env.str("S3_SECRET_KEY", default="") or None,
            "location": env.str("S3_PREFIX", default="private"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
elif PRIVATE_STORAGE == "folder":
    PRIVATE_STORAGE_CONFIG = {"BACKEND": "core.storage.PrivateStorage"}
else:
    raise ImproperlyConfigured(
        f"PRIVATE_STORAGE is {PRIVATE_STORAGE!r}: it must be 'folder' (the default) or 's3'."
    )
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": PRIVATE_STORAGE_CONFIG,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Tests and `runserver` serve static files straight from the finders.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Supporting documents of reports: never inside STATIC_ROOT or a folder a web server serves.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private_media")
ATTACHMENT_MAX_SIZE = 20 * 1024 * 1024
# A DOCX or XLSX is a ZIP archive: what it may unpack to, and how many files it may hold. A real
# document of 20 MB unpacks to a few times that and holds tens of files, a few hundred with
# many images or sheets; a "zip bomb" unpacks to gigabytes (core.documents.check_archive).
DOCUMENT_MAX_UNPACKED_SIZE = env.int("DOCUMENT_MAX_UNPACKED_SIZE", default=100 * 1024 * 1024)
DOCUMENT_MAX_MEMBERS = env.int("DOCUMENT_MAX_MEMBERS", default=2000)
# Larger uploads go to a temporary file rather than memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# `python manage.py backup` writes its timestamped folders here (see README, "Backups").
BACKUP_DIR = env.path("BACKUP_DIR", default=BASE_DIR / "backups")

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# A mail server that does not answer fails the attempt after this many seconds; the worker
# tries again later (core.mail): never a request, and never the worker, waiting for ever.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
MAIL_MAX_ATTEMPTS = env.int("MAIL_MAX_ATTEMPTS", default=8)
# Seconds before the second attempt; doubled after each failure, at most an hour (with the
# defaults: 1, 2, 4, 8, 16, 32 minutes, then an hour; given up after about two hours).
MAIL_RETRY_DELAY = env.int("MAIL_RETRY_DELAY", default=60)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="portal@localhost")
# Links in mails.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# A failed row rolls back the whole import: nothing is written unless every row is valid.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# A file to import is refused before it is parsed when larger than this (an XLSX also when
# unpacked) or with more rows (agencies.spreadsheets): the plan is a few hundred rows, while a
# file of millions would fill a worker's memory. 5,000 rows take 10–20 s a step (the preview,
# then the import), within gunicorn's 60 s.
IMPORT_MAX_SIZE = env.int("IMPORT_MAX_SIZE", default=5 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=5000)

# Security (see README, "Deployment"). Production mode is DEBUG off behind a TLS proxy;
# `python manage.py check --deploy --fail-level WARNING` passes with these defaults. The test
# suite sets what it needs in the environment (pyproject.toml, [tool.pytest.ini_options] env).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
if env.bool("BEHIND_TLS_PROXY", default=False):
    # The proxy (nginx) terminates TLS and says so in this header; only then trust it.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The audit trail records the first X-Forwarded-For address only behind the portal's own proxy,
# which sets that header; otherwise REMOTE_ADDR (a client could write the header itself).
AUDIT_TRUST_X_FORWARDED_FOR = env.bool(
    "AUDIT_TRUST_X_FORWARDED_FOR", default=env.bool("BEHIND_TLS_PROXY", default=False)
)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 60 * 60 if not DEBUG else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Sessions end after 30 minutes without a request, and 12 hours after sign-in in any case
# (agencies.middleware.SessionLifetimeMiddleware); logout deletes the session on the server.
SESSION_COOKIE_AGE = 30 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_LIFETIME = datetime.timedelta(hours=12)

# Every response carries a Content-Security-Policy: nothing inline, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# Sign-in lockout: 5 failures for a username from one address lock that pair for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The same client address as the audit trail: behind the TLS proxy (AUDIT_TRUST_X_FORWARDED_FOR)
# the first X-Forwarded-For address, else REMOTE_ADDR — never the proxy's own 127.0.0.1.
AXES_CLIENT_IP_CALLABLE = "agencies.audit.client_address"

# Two-factor sign-in (django-otp, TOTP; agencies.middleware.TwoFactorMiddleware): the secretariat
# and admins must enrol an authenticator app and enter its code after the password; officers and
# observers may enrol, and are then asked too. The test suite signs users in with force_login and
# turns the requirement on where it tests it (tests/agencies/test_two_factor.py).
OTP_REQUIRED_FOR_PRIVILEGED = True
# Shown in the app beside the username; short, so that the QR code stays easy to scan.
OTP_TOTP_ISSUER = "Портал МВК"
# Admins reset a user's devices but never see their secrets.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Work outside the request (README, "Background work"): django-tasks with its database backend,
# so a task is a row written in the transaction of the change that asks for it. The worker is
# `python manage.py db_worker --queue-name '*'`; the scheduler `python manage.py run_scheduler`.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "mail"],
    }
}
# When the scheduler hands the day's deadline reminders to the worker (Asia/Almaty, HH:MM).
REMINDERS_AT = env.str("REMINDERS_AT", default="09:00")

# More than one app server: the cache is Redis when REDIS_URL is set (then sessions are read
# from it and written through to the database), each process's memory otherwise (then
# sessions live in the database alone: a per-process cache would let a server keep a session
# another server has ended). The sign-in lockout (django-axes) and the second factor's
# throttling are in the database, shared by every server.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="plan-portal"),
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The read-only API (publication; README, "API and public pages"): requests a minute per token.
API_RATE_LIMIT = env.int("API_RATE_LIMIT", default=120)

# benchmarks/run only: routes /benchmark/floor/, a trivial signed-in page (the load test's floor).
BENCHMARK_FLOOR = env.bool("BENCHMARK_FLOOR", default=False)

# Logs go to the standard error stream (journald under systemd, the console under `make run`),
# one line per record with its time, level and origin. LOG_LEVEL sets the portal's own level;
# failed requests (django.request) are logged with their traceback in any case.
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "line"},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        **{
            app: {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False}
            for app in PORTAL_APPS
        },
    },
}
