"""The client's address for sign-in lockout, also behind a reverse proxy."""

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
