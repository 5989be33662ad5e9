"""The root URLconf: the API, then every Rewire app's own `urls.py`.

Each app owns its URLs, as Django's admin finds each `admin.py`: nothing here lists the apps,
so adding an app's pages means adding its `urls.py` and nothing else (tests/test_urls.py checks
that every page is declared by the app whose view serves it).
"""

from importlib.util import find_spec

from django.apps import apps
from django.http import JsonResponse
from django.urls import include, path
from django.views.defaults import page_not_found

from rewire.api.api import api

urlpatterns = [
    # First: scripts and apps call the API far more often than people open pages.
    path("api/v1/", api.urls),
    # In INSTALLED_APPS order. No app's route matches another app's path, so only the order
    # within each app's own list matters.
    *(
        path("", include(f"{config.name}.urls"))
        for config in apps.get_app_configs()
        if config.name.startswith("rewire.") and find_spec(f"{config.name}.urls")
    ),
]


def not_found(request, exception):
    """API clients get JSON; people get the page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return page_not_found(request, exception)


handler404 = not_found
