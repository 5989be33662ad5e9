import uuid

from django.conf import settings


def rewire(request):
    return {
        # Every <script> carries the CSP nonce (templates read it under this name).
        "csp_nonce": getattr(request, "csp_nonce", ""),
        "debug": settings.DEBUG,
        "flare_scale": PAIN_SCALE,
        # The flare form's submission id: tapping twice records one flare.
        "flare_submission": uuid.uuid4().hex,
    }


PAIN_SCALE = list(range(11))
