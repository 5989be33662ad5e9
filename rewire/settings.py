"""Settings for Rewire, read from environment variables with safe local defaults.

Every variable is documented in docs/configuration.md (a test checks that).
"""

import os
import secrets
from pathlib import Path

import dj_database_url
import platformdirs
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


REWIRE_HOME = Path(os.environ.get("REWIRE_HOME") or platformdirs.user_data_dir("rewire"))


def _secret_key() -> str:
    """Use REWIRE_SECRET_KEY, or generate a key once and keep it in REWIRE_HOME."""
    if key := os.environ.get("REWIRE_SECRET_KEY"):
        return key
    REWIRE_HOME.mkdir(parents=True, exist_ok=True)
    path = REWIRE_HOME / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        key = secrets.token_urlsafe(50)
        handle.write(key)
    return key


SECRET_KEY = _secret_key()
DEBUG = env_flag("REWIRE_DEBUG")
ALLOWED_HOSTS = env_list("REWIRE_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("REWIRE_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Serves the interactive API docs' assets locally (the docs exist only with DEBUG).
    "ninja",
    "axes",
    # The task queue (ADR 0013): `rewire worker` runs its consumer; `rewire serve` starts one.
    "huey.contrib.djhuey",
    # What every app shares; it imports none of them (docs/architecture.md).
    "rewire.core",
    "rewire.accounts",
    "rewire.diary",
    "rewire.program",
    "rewire.goals",
    "rewire.measures",
    "rewire.exposure",
    "rewire.insights",
    "rewire.care",
    "rewire.reminders",
    "rewire.api",
    "rewire.server",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages go compressed when the browser asks (docs/adr/0014-compressed-pages.md): after
    # WhiteNoise, which answers static files itself from the .gz files collectstatic wrote, and
    # before everything that writes the body (the CSP nonce, the CSRF token), so it compresses
    # the finished page. Django's GZipMiddleware (since 4.2) adds random bytes to each response's
    # gzip header against BREACH; Django also masks the CSRF token differently in every page.
    "django.middleware.gzip.GZipMiddleware",
    "rewire.middleware.no_store_middleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "rewire.middleware.session_activity_middleware",
    "rewire.middleware.large_import_body",
    "django.contrib.messages.middleware.MessageMiddleware",
    "rewire.middleware.offline_copy_middleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "rewire.middleware.user_timezone_middleware",
    # Last, as django-axes asks, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

# Who may call the JSON API (rewire/api): a personal token, or the signed-in browser.
API_AUTHENTICATION = [
    "rewire.accounts.api_auth.PersonalToken",
    "rewire.accounts.api_auth.BrowserSession",
]

# API requests that carry a personal token (`Authorization: Bearer`) take this short chain
# (rewire/handlers.py): sessions, CSRF, messages and the sign-in lockout do nothing for them.
TOKEN_API_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A script may ask for its export compressed; without Accept-Encoding it costs nothing.
    "django.middleware.gzip.GZipMiddleware",
    "rewire.middleware.token_api_middleware",
    "rewire.middleware.large_import_body",
]

ROOT_URLCONF = "rewire.urls"
WSGI_APPLICATION = "rewire.wsgi.application"

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
                "rewire.context_processors.rewire",
            ],
        },
    },
]


def _databases() -> dict:
    url = os.environ.get("DATABASE_URL", "")
    if url and not url.startswith("sqlite"):
        return {"default": dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)}
    REWIRE_HOME.mkdir(parents=True, exist_ok=True)
    # sqlite:///path in DATABASE_URL picks the file; the settings below apply either way.
    name = dj_database_url.parse(url)["NAME"] if url else REWIRE_HOME / "rewire.sqlite3"
    if name in ("", ":memory:"):
        raise ImproperlyConfigured(
            "DATABASE_URL=sqlite:// needs a file: sqlite:////path/db.sqlite3"
        )
    return {
        "default": {
            # Django's SQLite backend plus a write lock that queues writers in the
            # kernel instead of in SQLite's sleeping busy handler (ADR 0003).
            "ENGINE": "rewire.sqlite_backend",
            "NAME": name,
            # One connection per server thread, kept: opening one costs about 1 ms a request.
            "CONN_MAX_AGE": None,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=FULL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }


DATABASES = _databases()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "rewire.accounts.passwords.UserAttributeSimilarityValidator"},
    {
        "NAME": "rewire.accounts.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "rewire.accounts.passwords.CommonPasswordValidator"},
    {"NAME": "rewire.accounts.passwords.NumericPasswordValidator"},
]
# Anyone may sign up, unless the operator closes it; the first account can always be made.
OPEN_SIGNUP = env_flag("REWIRE_OPEN_SIGNUP", True)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in lockout (django-axes): the pair of username and address is locked.
AXES_FAILURE_LIMIT = int(os.environ.get("REWIRE_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# Behind N reverse proxies of the operator's, the client's address is N hops back.
REWIRE_PROXY_COUNT = int(os.environ.get("REWIRE_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "rewire.accounts.lockout.client_ip"
AXES_USERNAME_CALLABLE = "rewire.accounts.lockout.sign_in_name"
# Failed attempts are kept for the lockout; successful sign-ins are not logged.
AXES_DISABLE_ACCESS_LOG = True

# Sessions end after a period without activity.
# Messages may repeat the person's own words ("Lifting my child" is on your ladder): keep them
# in the server-side session, never in a cookie (Django's default puts them in one).
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
# Sharing, export and deletion ask for the password again after this many minutes.
REAUTH_MINUTES = int(os.environ.get("REWIRE_REAUTH_MINUTES", "5"))
SESSION_COOKIE_AGE = int(os.environ.get("REWIRE_SESSION_IDLE_MINUTES", "60")) * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Behind HTTPS (a TLS proxy), REWIRE_HTTPS=1 turns on secure cookies and redirects.
HTTPS = env_flag("REWIRE_HTTPS")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Django only sends HSTS on HTTPS responses, so this is safe over plain HTTP.
SECURE_HSTS_SECONDS = 63072000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = False
# Submitting a domain to the browsers' HSTS preload list is the operator's decision.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

# Background and timed work (ADR 0013): huey, with its queue and schedule in a SQLite file under
# REWIRE_HOME (no service to run), or in Redis when REDIS_URL is set (several app servers).
REDIS_URL = os.environ.get("REDIS_URL", "")
HUEY = {
    "name": "rewire",
    "huey_class": "huey.RedisHuey" if REDIS_URL else "huey.SqliteHuey",
    "connection": (
        {"url": REDIS_URL} if REDIS_URL else {"filename": str(REWIRE_HOME / "tasks.sqlite3")}
    ),
    "immediate": False,  # djhuey would run tasks in the request with DEBUG: never here
    "results": False,  # nothing reads a task's return value
    "utc": True,
    # SIGTERM (systemd, `rewire serve` stopping) lets running tasks finish, up to 30 seconds
    # (more than an email's EMAIL_TIMEOUT); huey's default would cut them off and lose them.
    "consumer": {
        "workers": 2,
        "worker_type": "thread",
        "periodic": True,
        "graceful_signal": "TERM",
        "shutdown_timeout": 30,
    },
}
# A task that fails (an email not accepted) is tried again this many times, this far apart.
TASK_RETRIES = int(os.environ.get("REWIRE_TASK_RETRIES", "5"))
TASK_RETRY_DELAY = int(os.environ.get("REWIRE_TASK_RETRY_DELAY", "60"))  # seconds

# Email: printed to the console unless an SMTP host is configured.
if os.environ.get("REWIRE_SMTP_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["REWIRE_SMTP_HOST"]
    EMAIL_USE_SSL = env_flag("REWIRE_SMTP_SSL")
    EMAIL_PORT = int(os.environ.get("REWIRE_SMTP_PORT", "465" if EMAIL_USE_SSL else "587"))
    EMAIL_HOST_USER = os.environ.get("REWIRE_SMTP_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("REWIRE_SMTP_PASSWORD", "")
    # Port 465 speaks TLS from the start (REWIRE_SMTP_SSL); 587 upgrades with STARTTLS.
    EMAIL_USE_TLS = not EMAIL_USE_SSL and env_flag("REWIRE_SMTP_STARTTLS", True)
    # A slow mail server must not hold a request (an alert is sent as the answers are saved).
    EMAIL_TIMEOUT = 10
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("REWIRE_EMAIL_FROM", "Rewire <rewire@localhost>")
# The address people use to reach this server, for links in emails sent without a request
# (a clinician's safety alert).
REWIRE_BASE_URL = os.environ.get("REWIRE_BASE_URL", "http://localhost:8000")

# Also picks the programme's content folder (rewire/program/content/<language>/).
LANGUAGE_CODE = os.environ.get("REWIRE_LANGUAGE", "en-gb").lower()
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = REWIRE_HOME / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if env_flag("REWIRE_PLAIN_STATIC")
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Health data never goes to logs: only warnings and errors, and no request bodies.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"where_not_what": {"()": "rewire.logs.WhereNotWhat"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["where_not_what"]},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        # The task queue says which task ran and when it failed, through the same filter (a
        # handler of its own here keeps huey from adding one that prints whole tracebacks).
        "huey": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# A whole-diary import is one request: ten years of check-ins is about 8 MB of JSON. Only that
# address takes bodies this large (middleware.large_import_body); others keep the 2.5 MB default.
IMPORT_MAX_BYTES = 50 * 1024 * 1024

# Crisis helplines by locale, shown with PHQ-9 item 9 above 0 (rewire/measures/helplines.py).
# Unset: only the advice to call the local emergency number.
REWIRE_HELPLINES_FILE = os.environ.get("REWIRE_HELPLINES_FILE", "")
