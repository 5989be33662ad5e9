"""Who is signing in, for the lockout: the client's address (also behind a proxy) and name."""

from django.conf import settings


def client_ip(request) -> str:
    """REMOTE_ADDR, or with REWIRE_PROXY_COUNT=N the address N hops back in X-Forwarded-For.

    Only the entries added by the operator's own proxies are trusted; a client can put
    anything at the start of the header.
    """
    proxies = settings.REWIRE_PROXY_COUNT
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def sign_in_name(request, credentials) -> str:
    """The email as sign-in matches it (any case, no spaces), so variants share one lockout."""
    if credentials:
        name = credentials.get("username", "")
    else:
        name = request.POST.get("username", "") if request is not None else ""
    return (name or "").strip().lower()
