import uuid

from django.conf import settings
from django.utils.crypto import salted_hmac


def rewire(request):
    return {
        # Every <script> carries the CSP nonce (templates read it under this name).
        "csp_nonce": getattr(request, "csp_nonce", ""),
        "debug": settings.DEBUG,
        "flare_scale": PAIN_SCALE,
        # The flare form's submission id: tapping twice records one flare.
        "flare_submission": uuid.uuid4().hex,
        "offline_owner": offline_owner(getattr(request, "user", None)),
    }


def offline_owner(user) -> str:
    """Who the browser's offline copies and queue belong to (static/rewire/offline.js), as an
    opaque name: the same for one person on every visit, different for anyone else, and not
    their id or email (it names a cache in their browser). Empty when nobody is signed in."""
    if user is None or not user.is_authenticated:
        return ""
    return salted_hmac("rewire.offline.owner", str(user.pk), algorithm="sha256").hexdigest()[:32]


PAIN_SCALE = list(range(11))
