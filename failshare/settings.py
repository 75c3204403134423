"""Settings for failshare, read from the environment (see README.md, "Configuration")."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.strip().lower() in _TRUE:
        return True
    if value.strip().lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "development-only-insecure-key"  # noqa: S105 - DEBUG only

LOCAL_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", LOCAL_HOSTS if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = "failshare"
# Named on the privacy and accessibility pages as the data controller, and where people write.
SITE_OWNER = os.environ.get("SITE_OWNER", "The failshare network")
CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "hello@failshare.example")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "corsheaders",
    "rest_framework",
    "drf_spectacular",
    "failshare",
    "confessions",
    "events",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "failshare.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "failshare.languages.RememberedLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "failshare.middleware.StaffSessionExpiryMiddleware",
    "failshare.staff.SecondFactorRequiredMiddleware",
    "failshare.metrics.RequestMetricsMiddleware",
    "failshare.middleware.AccountPagesNotStoredMiddleware",
    "failshare.middleware.CacheUnavailableMiddleware",
]

ROOT_URLCONF = "failshare.urls"
WSGI_APPLICATION = "failshare.wsgi.application"

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
                "failshare.context_processors.site",
                "failshare.languages.languages",
            ],
        },
    },
]

# Widgets render through the site's template settings, so templates/admin/widgets/ can fix the
# admin's own widgets (labelled date and time inputs).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# PostgreSQL is the only database: search, row locks and partial unique constraints rely on it.
# Production names its server; the local default is for development (where `make` may give an
# embedded one instead, failshare/devdb.py), so without DEBUG it is never guessed.
if not DEBUG and not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured("DATABASE_URL must be set when DEBUG is off")
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/failshare"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
    "DATABASE_CONNECT_TIMEOUT", 3
)
# Nothing waits for ever: a held lock or a runaway query ends in a clear 503 page within a few
# seconds, and the worker is free for the next person (gunicorn.conf.py's timeout is longer, so
# the application always answers first). Commands (manage.py: migrations, bulk loads, the task
# worker) have their own limits, none by default.
if os.environ.get("FAILSHARE_PROCESS") == "command":
    STATEMENT_TIMEOUT_MS = env_int("COMMAND_STATEMENT_TIMEOUT_MS", 0)
    LOCK_TIMEOUT_MS = env_int("COMMAND_LOCK_TIMEOUT_MS", 0)
else:
    STATEMENT_TIMEOUT_MS = env_int("DATABASE_STATEMENT_TIMEOUT_MS", 15_000)
    LOCK_TIMEOUT_MS = env_int("DATABASE_LOCK_TIMEOUT_MS", 10_000)
# Registering, cancelling and "I can no longer come" (events/views.py) wait less: the queue on
# an event's row is at most one registration per gunicorn worker, a few milliseconds each.
REGISTRATION_LOCK_TIMEOUT_MS = env_int("REGISTRATION_LOCK_TIMEOUT_MS", 3_000)
DATABASES["default"]["OPTIONS"]["options"] = (
    f"-c statement_timeout={STATEMENT_TIMEOUT_MS} -c lock_timeout={LOCK_TIMEOUT_MS}"
)
# A read replica (failshare/dbrouter.py): anonymous GET/HEAD requests to the views below (or to
# a view decorated with @replica_safe) read from it; everything else uses the primary. Without
# DATABASE_REPLICA_URL there is no "replica" alias and no router.
REPLICA_SAFE_VIEWS = {
    "home",
    "tag",
    "confessions:list",
    "confessions:feed",
    "confessions:detail",
    *env_list("REPLICA_SAFE_VIEWS", []),
}
REPLICA_RETRY_SECONDS = env_int("REPLICA_RETRY_SECONDS", 5)
DATABASE_ROUTERS = []
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
    DATABASES["replica"]["OPTIONS"] = dict(DATABASES["default"]["OPTIONS"])
    # Tests never create a database for it: it reads the test database.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["failshare.dbrouter.ReplicaRouter"]
    # Last, so it wraps the view alone.
    MIDDLEWARE.append("failshare.dbrouter.ReplicaReadsMiddleware")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Two caches: "default" for what server processes must share (rate limits, "this happened to us
# too" claims, allauth's limits), and "pages" for whole public pages and the data they are built
# from. Without Redis, what must be shared lives in the database (Django's database cache, table
# failshare_cache), never per process; pages may then be kept per process, because each is
# served only while the content versions it was built from, read from the database on every
# request, are current (failshare/pagecache.py).
REDIS_URL = os.environ.get("REDIS_URL", "")
# A cache is a help, never a single point of failure (failshare/rediscache.py): a Redis that is
# down or hung costs one short timeout, then this process leaves it alone for a moment.
REDIS_OPTIONS = {
    "socket_connect_timeout": env_int("REDIS_CONNECT_TIMEOUT_MS", 250) / 1000,
    "socket_timeout": env_int("REDIS_TIMEOUT_MS", 250) / 1000,
    "BACKOFF_SECONDS": env_int("REDIS_BACKOFF_MS", 500) / 1000,
}
if REDIS_URL:
    CACHES = {
        # Rate limits must not be let through unchecked: a failure raises (a 503 page).
        "default": {
            "BACKEND": "failshare.rediscache.ReusingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "failshare",
            "KEY_FUNCTION": "failshare.cachekeys.keyed_hash",
            "OPTIONS": {**REDIS_OPTIONS, "ON_FAILURE": "raise", "ALIAS": "default"},
        },
        # Pages and the data they are built from: a failure is a miss, built from the database.
        "pages": {
            "BACKEND": "failshare.rediscache.ReusingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "failshare-pages",
            "OPTIONS": {**REDIS_OPTIONS, "ON_FAILURE": "miss", "ALIAS": "pages"},
        },
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "failshare_cache",
            "KEY_FUNCTION": "failshare.cachekeys.keyed_hash",
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        },
    }

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Accounts: email is the login, verified before use; usernames are never shown.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[failshare] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
# Chosen deliberately (README, "Rate limits"); shared between processes through the cache.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/300s/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/180s/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
# By name, so signing in or out lands on the home page in the language of the page it was on.
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "failshare.staff.AccountAdapter"
# The account forms in the site's words (failshare/forms.py).
ACCOUNT_FORMS = {
    name: f"failshare.forms.{form}"
    for name, form in {
        "login": "LoginForm",
        "signup": "SignupForm",
        "reset_password": "ResetPasswordForm",
        "reset_password_from_key": "ResetPasswordKeyForm",
        "change_password": "ChangePasswordForm",
        "set_password": "SetPasswordForm",
        "add_email": "AddEmailForm",
        "reauthenticate": "ReauthenticateForm",
    }.items()
}

# Second factors (allauth's MFA): authenticator apps with recovery codes for everyone, required
# of staff in the Moderators or Organisers group and of superusers (failshare/staff.py). Wrong
# codes count against allauth's "login_failed" limit above (5 per 5 minutes per account).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_FORMS = {
    "authenticate": "failshare.forms.AuthenticateForm",
    "reauthenticate": "failshare.forms.MfaReauthenticateForm",
    "activate_totp": "failshare.forms.ActivateTOTPForm",
}
MFA_TOTP_ISSUER = "failshare"
MFA_RECOVERY_CODES_SHOW_ONCE = True
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# Staff sign-ins, second-factor changes, group changes and exports are kept this many days.
STAFF_AUDIT_DAYS = env_int("STAFF_AUDIT_DAYS", 365)
# /metrics answers only with this bearer token, and is off (404) while it is empty.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")

TAGGIT_TAGS_FROM_STRING = "failshare.tagging.parse_tags"
TAGGIT_STRING_FROM_TAGS = "failshare.tagging.edit_string_for_tags"
LOGIN_URL = "account_login"

# Sessions live in the database only. Read through Redis, a sign-out made while Redis was away
# would leave the old session in it, alive again when Redis returns; and nothing is lost when
# Redis evicts or restarts.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 14 * 24 * 3600)
STAFF_SESSION_SECONDS = env_int("STAFF_SESSION_SECONDS", 8 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# HTTPS protections: on unless DEBUG, each can be switched off for plain HTTP on loopback.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind proxies that append to X-Forwarded-For: how many, so rate limits (allauth's and ours)
# count each client rather than the proxy.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# Load balancers probe liveness over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "failshare.views.csrf_failure"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)

# The open data API (confessions/api/): anonymous, read-only JSON, open to any origin for GET.
API_REQUESTS_PER_MINUTE = env_int("API_REQUESTS_PER_MINUTE", 120)
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "failshare open data API",
    "DESCRIPTION": (
        "Read-only JSON of the published stories: anonymous, rate-limited, open to any origin. "
        "Published stories are open data under the Creative Commons Attribution 4.0 "
        "International licence (CC BY 4.0): reuse them freely, crediting failshare."
    ),
    "LICENSE": {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
}

ADMIN_URL = os.environ.get("ADMIN_URL", "admin/").strip("/") + "/"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if not EMAIL_BACKEND:
    EMAIL_BACKEND = (
        "django.core.mail.backends.smtp.EmailBackend"
        if EMAIL_HOST
        else "django.core.mail.backends.console.EmailBackend"
    )
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "failshare <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
MODERATOR_EMAILS = env_list("MODERATOR_EMAILS", [])

# Story form: a person takes at least this long between opening the form and sending it.
CONFESSION_MIN_SECONDS = env_int("CONFESSION_MIN_SECONDS", 3)
# Days a moderator waits for a writer to agree to a rewording before publishing only the
# redactions, or rejecting; reports from different clients that hide a story or response.
CONSENT_WAIT_DAYS = env_int("CONSENT_WAIT_DAYS", 14)
REPORTS_TO_HIDE = env_int("REPORTS_TO_HIDE", 3)

# English at today's addresses, Welsh under /cy/ (failshare/urls.py). The language a visitor
# last chose with the switch is kept in Django's language cookie: the home page follows it.
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Logs never carry client addresses, user agents or story text (see failshare/logs.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"scrub": {"()": "failshare.logs.ScrubRequestFilter"}},
    "formatters": {
        "json": {"()": "failshare.logs.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            # Plain lines for a person at a development server, JSON for log collectors.
            "formatter": os.environ.get("LOG_FORMAT", "plain" if DEBUG else "json"),
            "filters": ["scrub"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Only our scrubbed console handler: no emailed error reports carrying request headers.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
