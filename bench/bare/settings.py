"""Settings of the bare baseline: nothing but one app, one model, one view.

DATABASES is not copied: it is Rewire's own `_databases()`, evaluated with this
process's REWIRE_HOME (or DATABASE_URL), so the engine (`rewire.sqlite_backend` with
its write lock), the PRAGMAs, IMMEDIATE transactions and the timeouts are the same.
"""

from rewire.settings import _databases

SECRET_KEY = "bench-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = ["bare"]
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "bare.urls"
DATABASES = _databases()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "UTC"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
