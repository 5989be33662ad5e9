"""The JSON API under /api/v1/: its settings, its error answers, and every app's router.

It names no app: each app that has an `api` module with a `router` is mounted, as the
Django admin finds each `admin.py`. What the routers share (error responses, creating once
per Idempotency-Key, pages of dated records) is in rewire/core/api.py.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.utils.module_loading import import_string
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError

api = NinjaAPI(
    title="Rewire API",
    version="1",
    description="The pain diary of the signed-in person. See docs/api.md.",
    # Like Django's AUTHENTICATION_BACKENDS: a personal token, or the signed-in browser.
    auth=[import_string(path)() for path in settings.API_AUTHENTICATION],
    urls_namespace="api",
    docs_url="/docs" if settings.DEBUG else None,
)


def _location(loc) -> list:
    # ninja puts the parameter's name second ("body", "payload", "pain"); the field is enough.
    loc = list(loc)
    if (
        len(loc) >= 2
        and loc[0] in ("body", "query", "header", "path")
        and loc[1] in ("payload", "filters")
    ):
        del loc[1]
    return loc


@api.exception_handler(NinjaValidationError)
def validation_error(request, exc):
    detail = [
        {
            "loc": _location(e.get("loc", [])),
            "msg": e.get("msg", "Invalid."),
            "type": e.get("type", ""),
        }
        for e in exc.errors
    ]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(
        request, {"detail": "Sign in, or send Authorization: Bearer <token>."}, status=401
    )


def mount_routers() -> None:
    """Mount `<app>.api.router` of every Rewire app that has one, in INSTALLED_APPS order."""
    for config in apps.get_app_configs():
        name = f"{config.name}.api"
        if config.name.startswith("rewire.") and name != __name__ and find_spec(name):
            router = getattr(import_module(name), "router", None)
            if router is not None:
                api.add_router("/", router)


mount_routers()
