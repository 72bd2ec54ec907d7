"""Settings, all from environment variables with safe local defaults.

Locally (`make run`) nothing needs setting: SQLite under var/, tasks run in-process,
local-memory cache, files under var/media/, email printed to the console.
At scale the same code reads DATABASE_URL, CELERY_BROKER_URL, REDIS_URL, the
S3 variables and the SMTP variables; see README.md ("Production").
"""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DJANGO_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if DEBUG:
    SECRET_KEY = SECRET_KEY or "insecure-local-development-key-never-use-in-production"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]", "testserver"]
else:
    missing = [
        name
        for name, value in (
            ("DJANGO_SECRET_KEY", SECRET_KEY),
            ("DJANGO_ALLOWED_HOSTS", ALLOWED_HOSTS),
        )
        if not value
    ]
    if missing:
        raise ImproperlyConfigured(
            f"DJANGO_DEBUG=0 needs {' and '.join(missing)} set. "
            "See README.md, section 'Production'."
        )

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "accounts",
    "core",
    "artefacts",
    "reflections",
    "badges",
    "portfolio",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy, Permissions-Policy, no-store for signed-in people.
    "core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.loadshed.LoadShedMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "core.degrade.CacheDownMiddleware",
]

ROOT_URLCONF = "portfolio.urls"
WSGI_APPLICATION = "portfolio.wsgi.application"

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
                "accounts.context_processors.navigation",
                "portfolio.review.context_processors.unread_notifications",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# Outside development each worker keeps its connection (opening one costs ~1 ms of a
# 2 ms cached page), checked before reuse so a restarted server costs no failed request.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0" if DEBUG else "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, reading timestamps with psycopg's compiled parser (seven times
    # faster than the pure-Python one Django's loader subclasses); see the module.
    DATABASES["default"]["ENGINE"] = "core.postgresql"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (allauth's rate limits live here, so it must be shared by all web processes) -
# While it is down, forms that need it answer 503 "try again in a minute" (core/degrade.py);
# the short timeouts make a dead or unreachable server fail fast instead of holding a worker.
REDIS_URL = os.environ.get("REDIS_URL", "")
REDIS_CACHE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 2}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "portfolio"),
            "OPTIONS": REDIS_CACHE_OPTIONS,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Count share-link openings in the cache and fold them into the database every minute
# (portfolio/showcases/opens.py). Only with a cache every process shares.
SHARE_OPENS_IN_CACHE = env_bool("SHARE_OPENS_IN_CACHE", bool(REDIS_URL))
# Keep rendered share pages in the cache (portfolio/showcases/pagecache.py). Off only to
# measure or debug rendering itself.
SHARE_PAGE_CACHE = env_bool("SHARE_PAGE_CACHE", True)
# Each web process also keeps the pages it served last in its own memory, up to this
# many megabytes (a 500-item page weighs about 150 KB): a hit then costs no round trip
# to the cache. 0 keeps them in the shared cache only.
SHARE_PAGE_MEMORY_MB = int(os.environ.get("SHARE_PAGE_MEMORY_MB", "32"))

# --- Background work ------------------------------------------------------------------
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    # Never contacted while tasks are eager; named so nothing tries amqp://localhost.
    CELERY_BROKER_URL = "memory://localhost/"
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or (
    os.environ.get("CELERY_BROKER_URL") or None
)
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "celery")
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Reliability (README "Workers and Redis"): a task is acknowledged only when it has run,
# and one whose worker died (killed pool child, lost host) goes back to the queue. Every
# task is idempotent, so running one again is safe; emails go through the outbox
# (core.email), which sends each at most once.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# A task running when the broker connection drops is cancelled and redelivered, rather
# than finishing unacknowledgeable and running again anyway.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None  # a worker waits out a Redis restart
# No task may run longer than this: the longest (an image preview, a badge re-check with
# its fetches) takes seconds; the limit stops one stuck task holding a worker for ever.
CELERY_TASK_SOFT_TIME_LIMIT = int(os.environ.get("CELERY_TASK_SOFT_TIME_LIMIT", "240"))
CELERY_TASK_TIME_LIMIT = CELERY_TASK_SOFT_TIME_LIMIT + 60
# Redis hands a task whose worker vanished without a word (kill -9, lost host) to
# another worker after this many seconds. It must exceed the longest task plus its wait
# behind one prefetched task, or a slow task would run twice: 2 x time limit + margin.
CELERY_VISIBILITY_TIMEOUT = int(
    os.environ.get("CELERY_VISIBILITY_TIMEOUT", str(2 * CELERY_TASK_TIME_LIMIT + 300))
)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "socket_connect_timeout": 5,
}
# A web request that queues a task gives up quickly when the broker is down (the
# enqueue is logged and a sweep queues the work later; see core.enqueue).
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_RESULT_EXPIRES = 3600
# Every badge is checked again on this schedule (run `celery -A portfolio beat` once).
BADGE_REVERIFY_EVERY_HOURS = float(os.environ.get("BADGE_REVERIFY_EVERY_HOURS", "24"))
# Issuer registries fetched from a web address are fetched again on this schedule.
REGISTRY_REFRESH_EVERY_HOURS = float(os.environ.get("REGISTRY_REFRESH_EVERY_HOURS", "6"))
CELERY_BEAT_SCHEDULE = {
    "badges-reverify-all": {
        "task": "badges.tasks.badges_reverify_all_task",
        "schedule": timedelta(hours=BADGE_REVERIFY_EVERY_HOURS),
    },
    "badges-registries-refresh-all": {
        "task": "badges.registries.tasks.registries_refresh_all_task",
        "schedule": timedelta(hours=REGISTRY_REFRESH_EVERY_HOURS),
    },
    # Sends the notification digests whose hour is up (at most one email an hour each).
    # Exports whose worker died: queued once more, or marked failed.
    "exports-sweep": {
        "task": "portfolio.exports.tasks.exports_sweep_task",
        "schedule": timedelta(minutes=1),
    },
    "archive-imports-sweep": {
        "task": "portfolio.archive.tasks.archive_imports_sweep_task",
        "schedule": timedelta(minutes=1),
    },
    "review-digest-sweep": {
        "task": "portfolio.review.tasks.notification_digest_sweep_task",
        "schedule": timedelta(minutes=5),
    },
    # The database is the source of truth for work still to do; these sweeps queue again
    # whatever a lost task, a Redis restart or a broker outage at enqueue left undone.
    "core-email-outbox-sweep": {
        "task": "core.tasks.email_outbox_sweep_task",
        "schedule": timedelta(minutes=1),
    },
    # Share-link openings counted in Redis on the hot path, folded into the database.
    "showcases-link-opens-fold": {
        "task": "portfolio.showcases.tasks.link_opens_fold_task",
        "schedule": timedelta(minutes=1),
    },
    "artefacts-preview-sweep": {
        "task": "artefacts.tasks.artefact_preview_sweep_task",
        "schedule": timedelta(minutes=5),
    },
    "attestation-request-sweep": {
        "task": "portfolio.attestations.tasks.request_email_sweep_task",
        "schedule": timedelta(minutes=5),
    },
}

# --- Files ----------------------------------------------------------------------------
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
# No MEDIA_URL is served: every download goes through a permission-checked view.
MEDIA_URL = "/media-not-served/"
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]

# Private objects, downloads by signed URLs valid five minutes, always signed with
# SigV4 (botocore would pick the retired SigV2 in some regions; new buckets refuse it).
S3_STORAGE_OPTIONS = {
    "default_acl": "private",
    "querystring_auth": True,
    "querystring_expire": 300,
    "file_overwrite": False,
    "signature_version": "s3v4",
}
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    default_storage: dict = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **S3_STORAGE_OPTIONS,
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
        },
    }
else:
    default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": MEDIA_URL},
    }
STORAGES = {
    "default": default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Evidence uploads: limits a learner meets, each configurable per deployment.
ARTEFACT_MAX_UPLOAD_BYTES = int(os.environ.get("ARTEFACT_MAX_UPLOAD_BYTES", 500 * 1024**2))
ARTEFACT_QUOTA_BYTES = int(os.environ.get("ARTEFACT_QUOTA_BYTES", 2 * 1024**3))
ARTEFACT_MAX_IMAGE_PIXELS = int(os.environ.get("ARTEFACT_MAX_IMAGE_PIXELS", 40_000_000))
# Uploads over 2.5 MB go to a temporary file while they arrive, never into memory.
FILE_UPLOAD_HANDLERS = ["artefacts.uploadhandlers.HashingUploadHandler"]
FILE_UPLOAD_TEMP_DIR = os.environ.get("FILE_UPLOAD_TEMP_DIR") or None
DATA_UPLOAD_MAX_NUMBER_FILES = 50

# Attestations (portfolio/attestations): how long an emailed link works, and how many
# requests a learner may send a day, and one address may receive a day.
# The institution named on tutors' attestations (until accounts records one per tutor).
INSTITUTION_NAME = os.environ.get("INSTITUTION_NAME", "")
ATTESTATION_LINK_DAYS = int(os.environ.get("ATTESTATION_LINK_DAYS", 14))
ATTESTATION_REQUESTS_PER_DAY = int(os.environ.get("ATTESTATION_REQUESTS_PER_DAY", 20))
ATTESTATION_REQUESTS_PER_RECIPIENT = int(os.environ.get("ATTESTATION_REQUESTS_PER_RECIPIENT", 3))

# APEL programmes (portfolio/apel): the largest CSV of learning outcomes an admin or a
# learner may import; a bigger file is refused before it is read. The preview carries the
# checked file (compressed, signed) in its confirm form, so keep this well under
# DATA_UPLOAD_MAX_MEMORY_SIZE (Django's default 2.5 MB).
APEL_CSV_MAX_BYTES = int(os.environ.get("APEL_CSV_MAX_BYTES", 1024**2))

# --- Overload: refuse at once what would be served too late (core/loadshed.py) ----------
# A request that waited longer than this in the queue gets 503 with Retry-After.
LOADSHED_MAX_WAIT_MS = float(os.environ.get("LOADSHED_MAX_WAIT_MS", "1000"))
# Requests one process runs at once; more get 503 at once. 0: no limit (runserver);
# portfolio/gunicorn_conf.py sets it below its thread count.
LOADSHED_MAX_CONCURRENT = int(os.environ.get("LOADSHED_MAX_CONCURRENT", "0"))
LOADSHED_RETRY_AFTER_S = int(os.environ.get("LOADSHED_RETRY_AFTER_S", "2"))

# --- Exports (signed PDFs; see README "Exports") --------------------------------------
# A task past the soft limit stops with a message for the learner; the hard limit kills
# it, and the sweep then marks the export failed (or queues it once more).
EXPORT_SOFT_TIME_LIMIT = int(os.environ.get("EXPORT_SOFT_TIME_LIMIT", "600"))
EXPORT_TIME_LIMIT = int(os.environ.get("EXPORT_TIME_LIMIT", "660"))
EXPORT_MAX_ATTEMPTS = int(os.environ.get("EXPORT_MAX_ATTEMPTS", "2"))
# Address-space cap for the worker process that renders (0: none); only in a worker.
EXPORT_MEMORY_LIMIT_MB = int(os.environ.get("EXPORT_MEMORY_LIMIT_MB", "2048"))
EXPORT_IMAGE_MAX_SIDE = int(os.environ.get("EXPORT_IMAGE_MAX_SIDE", "1600"))
EXPORT_DATA_URL_MAX_BYTES = 64 * 1024
# Archives of a whole account ("Download everything") and their import: the time one may
# take, the largest archive that may be uploaded, and the most files one may hold.
ARCHIVE_TIME_LIMIT = int(os.environ.get("ARCHIVE_TIME_LIMIT", "3600"))
ARCHIVE_MAX_UPLOAD_BYTES = int(os.environ.get("ARCHIVE_MAX_UPLOAD_BYTES", 4 * 1024**3))
ARCHIVE_MAX_MEMBERS = int(os.environ.get("ARCHIVE_MAX_MEMBERS", "50000"))
EXPORT_VERIFY_MAX_UPLOAD_BYTES = int(os.environ.get("EXPORT_VERIFY_MAX_UPLOAD_BYTES", 50 * 1024**2))
EXPORT_VERIFY_UPLOADS_PER_HOUR = int(os.environ.get("EXPORT_VERIFY_UPLOADS_PER_HOUR", "30"))
EXPORT_SIGNING_KEY = os.environ.get("EXPORT_SIGNING_KEY", "")
EXPORT_SIGNING_CERT = os.environ.get("EXPORT_SIGNING_CERT", "")
EXPORT_SIGNING_PKCS12 = os.environ.get("EXPORT_SIGNING_PKCS12", "")
EXPORT_SIGNING_PASSPHRASE = os.environ.get("EXPORT_SIGNING_PASSPHRASE", "")
# Without a configured certificate: make a self-signed one (development only).
EXPORT_SIGNING_SELF_SIGNED = env_bool("EXPORT_SIGNING_SELF_SIGNED", DEBUG)
EXPORT_SIGNING_DEV_DIR = os.environ.get("EXPORT_SIGNING_DEV_DIR", str(VAR_DIR / "signing"))

# --- Outbound fetches (badge verification): core/fetch.py is the only way out --------
OUTBOUND_FETCH_TIMEOUT = float(os.environ.get("OUTBOUND_FETCH_TIMEOUT", "5"))
OUTBOUND_FETCH_MAX_BYTES = int(os.environ.get("OUTBOUND_FETCH_MAX_BYTES", 2 * 1024**2))
OUTBOUND_FETCH_MAX_REDIRECTS = 3
# Development and tests only: let fetches reach loopback addresses. Never in production.
OUTBOUND_FETCH_ALLOW_LOOPBACK = env_bool("OUTBOUND_FETCH_ALLOW_LOOPBACK", False)
if OUTBOUND_FETCH_ALLOW_LOOPBACK and not DEBUG:
    raise ImproperlyConfigured(
        "OUTBOUND_FETCH_ALLOW_LOOPBACK is for development only and refused with DJANGO_DEBUG=0."
    )
# Tests only (set by fixtures, never from the environment): answer these host names from
# loopback servers, trusting this extra CA file for their TLS certificates.
OUTBOUND_FETCH_TEST_HOSTS: dict[str, dict[str, int]] = {}
OUTBOUND_FETCH_TEST_CA_FILE = ""

# The site's own address, for links in emails sent by background tasks (no request there).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Existing people and cohorts (and new sign-ups) join this institution.
DEFAULT_INSTITUTION_NAME = os.environ.get("DEFAULT_INSTITUTION_NAME", "Demo institution")

# --- Email ----------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Learner Portfolio <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))

# --- Accounts (django-allauth) --------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
# The same work (a password hash, one queued email) whether or not the address is taken.
ACCOUNT_FORMS = {"signup": "accounts.signup.AccountSignupForm"}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
# Confirming from the browser that signed up signs the person in (allauth checks the
# pending sign-up in the session, so a leaked link alone signs nobody in).
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# Tell people about changes to their account (password, email addresses, two-factor).
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# allauth's rate limits, counted per client address (core/clientip.py, through the
# adapter) so that one client's failures never lock out anyone at another address. Failed
# sign-ins: 10 a minute from one client whatever the email, and 5 in 5 minutes for one
# email (that one stops guessing a person's password from many addresses; the price is
# that someone who knows an address can pause sign-in for that one person, 5 minutes).
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
# Single sign-on per institution (accounts/sso/, accounts/social_adapter.py): its staff
# configure OpenID Connect or SAML on /staff/<slug>/sso/, kept as allauth SocialApp rows.
# An identity provider's email counts as verified only when it says so (OIDC
# email_verified) or, for SAML, when the institution marks its email attribute
# authoritative, and in both cases only for the institution's own email domains. Only
# such an email signs into, and links, an existing account; an unverified one never
# signs anyone up without the usual email confirmation.
SOCIALACCOUNT_ADAPTER = "accounts.social_adapter.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "mandatory"
SOCIALACCOUNT_EMAIL_REQUIRED = True
SOCIALACCOUNT_QUERY_EMAIL = True
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = 10
SOCIALACCOUNT_OPENID_CONNECT_URL_PREFIX = "oidc"
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"OAUTH_PKCE_ENABLED": True}}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Learner Portfolio"
# TOTP secrets and recovery-code seeds are encrypted in the database (accounts/mfa.py).
# Comma-separated: the first key encrypts, any decrypts. Unset: derived from SECRET_KEY.
MFA_ADAPTER = "accounts.mfa.MFAAdapter"
MFA_ENCRYPTION_KEYS = env_list("MFA_ENCRYPTION_KEY")

# --- Client addresses behind a reverse proxy (core/clientip.py) ------------------------
# Without either setting X-Forwarded-For is ignored and the direct peer is the client.
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))
try:
    TRUSTED_PROXIES = [
        ipaddress.ip_network(item, strict=False) for item in env_list("DJANGO_TRUSTED_PROXIES")
    ]
except ValueError as exc:
    raise ImproperlyConfigured(f"DJANGO_TRUSTED_PROXIES: {exc}") from exc
if TRUSTED_PROXY_COUNT and TRUSTED_PROXIES:
    raise ImproperlyConfigured(
        "Set DJANGO_TRUSTED_PROXY_COUNT or DJANGO_TRUSTED_PROXIES, not both."
    )

# --- Internationalisation -------------------------------------------------------------
# LocaleMiddleware picks the language from Accept-Language; en-GB, en-AU, en-IN... and a
# browser that sends none get "en" (day month year), en-US gets its own month-first dates.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("en-gb", _("English (United Kingdom)")),
    ("en-us", _("English (United States)")),
]
FORMAT_MODULE_PATH = ["portfolio.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_TZ = True
# Off: with it on, every number in a template is grouped, ids and form values included
# (id="item-2,041" while the page links to #item-2041). Counts meant for people use
# |intcomma where they can grow large.
USE_THOUSAND_SEPARATOR = False

# --- Security -------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # WeasyPrint and fontTools narrate every PDF step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # One line per task run in-process would drown make run's output.
        "celery.app.trace": {"level": "WARNING"},
    },
}
