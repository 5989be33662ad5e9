"""Whether this server really sends email (SMTP configured), rather than printing it: pages
say truthfully what an alert or a reminder will do."""

from django.conf import settings


def sends_email() -> bool:
    return not settings.EMAIL_BACKEND.endswith(("console.EmailBackend", "dummy.EmailBackend"))
