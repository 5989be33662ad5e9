import time
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.base import BaseStorage
from django.http import JsonResponse
from django.utils import timezone

from rewire.accounts.models import ApiToken


def no_store_middleware(get_response):
    """Pages and API answers may hold health data: no cache keeps a copy.

    Static files never reach this (WhiteNoise answers them earlier in the chain).
    """

    def middleware(request):
        response = get_response(request)
        response["Cache-Control"] = "no-store"
        return response

    return middleware


# An API answer is JSON: it needs no scripts, styles or frames from anywhere.
TOKEN_API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'"


def token_api_middleware(get_response):
    """What the full chain's no_store, CSP, clickjacking and authentication middlewares do,
    for API requests that carry a personal token (settings.TOKEN_API_MIDDLEWARE)."""

    def middleware(request):
        request.user = AnonymousUser()  # until the token says who it is
        timezone.deactivate()  # not the last page's person's, left on this thread
        # No cookie can sign anyone in on this chain (it loads no session), so there is
        # nothing for CSRF to protect: a wrong token is a 401, not a CSRF 403.
        request._dont_enforce_csrf_checks = True
        response = get_response(request)
        response["Cache-Control"] = "no-store"
        response["Content-Security-Policy"] = TOKEN_API_CONTENT_SECURITY_POLICY
        response["X-Frame-Options"] = "DENY"
        return response

    return middleware


def user_timezone_middleware(get_response):
    """Show dates and times in the signed-in person's own timezone."""

    def middleware(request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.timezone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return get_response(request)

    return middleware


IMPORT_PATH = "/api/v1/import"


def _signed_in_or_holds_a_token(request) -> bool:
    if request.user.is_authenticated:
        return True
    scheme, _, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    return (
        scheme.lower() == "bearer"
        and ApiToken.objects.filter(
            digest=ApiToken.digest_of(token.strip()), user__is_active=True
        ).exists()
    )


def large_import_body(get_response):
    """Let the whole-diary import take up to IMPORT_MAX_BYTES, for a known account only;
    every other request keeps Django's DATA_UPLOAD_MAX_MEMORY_SIZE."""

    def middleware(request):
        if (
            request.path == IMPORT_PATH
            and request.method == "POST"
            and _signed_in_or_holds_a_token(request)
        ):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > settings.IMPORT_MAX_BYTES:
                return JsonResponse(
                    {"detail": f"An import may be at most {settings.IMPORT_MAX_BYTES} bytes."},
                    status=413,
                )
            # Reading the body here, within our own limit, skips Django's smaller one.
            request._body = request.read()
        return get_response(request)

    return middleware


# Renewing the session on every request would make every page view a database write;
# a short idle limit is renewed more often, so activity always keeps the session alive.
SESSION_RENEW_SECONDS = min(300, settings.SESSION_COOKIE_AGE // 4)


def session_activity_middleware(get_response):
    """Sessions end after REWIRE_SESSION_IDLE_MINUTES without activity: activity renews the
    session, at most once every five minutes."""

    def middleware(request):
        response = get_response(request)
        session = getattr(request, "session", None)
        if session is not None and request.user.is_authenticated and session.session_key:
            now = int(time.time())
            if now - session.get("renewed_at", 0) >= SESSION_RENEW_SECONDS:
                session["renewed_at"] = now  # saved with a fresh expiry
        return response

    return middleware


OFFLINE_COPY_HEADER = "HTTP_X_REWIRE_OFFLINE_COPY"


class _NoMessages(BaseStorage):
    """Messages for a page fetched to be kept for offline use: none shown, none kept."""

    def _get(self, *args, **kwargs):
        return [], True

    def _store(self, messages, response, *args, **kwargs):
        return []


def offline_copy_middleware(get_response):
    """A page that static/rewire/offline.js fetches in the background, to keep for use with no
    connection (it sends X-Rewire-Offline-Copy), neither shows nor takes the person's pending
    messages ("Saved: pain 3" belongs to the page they open next, not to a hidden copy), and
    what its view says (a redirect's reason) is dropped."""

    def middleware(request):
        if OFFLINE_COPY_HEADER not in request.META or not hasattr(request, "_messages"):
            return get_response(request)
        theirs = request._messages
        request._messages = _NoMessages(request)
        try:
            return get_response(request)
        finally:
            request._messages = theirs  # untouched: MessageMiddleware stores nothing new

    return middleware
