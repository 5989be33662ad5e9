import zoneinfo

from django.utils import timezone


def no_store_middleware(get_response):
    """Pages and API answers may hold health data: no cache keeps a copy.

    Static files never reach this (WhiteNoise answers them earlier in the chain).
    """

    def middleware(request):
        response = get_response(request)
        response["Cache-Control"] = "no-store"
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
