"""The urgent-help page: one tap from every page's header, open without signing in.

It shows what the server is configured with (REWIRE_HELPLINES_FILE) and the advice to call the
local emergency number, and nothing about the person: someone in a crisis may be on a shared
or borrowed device, or signed out.
"""

import hashlib
import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_safe

from rewire.measures.helplines import DEFAULT_ADVICE
from rewire.measures.views import crisis_helplines


@require_safe
def urgent_help(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "measures/urgent_help.html",
        {"helplines": crisis_helplines(), "default_advice": DEFAULT_ADVICE},
    )


@require_safe
def offline(request: HttpRequest) -> HttpResponse:
    """What the service worker shows, from its signed-out copy, for a page it cannot reach and
    has no copy of: what works with no connection, and the way to urgent help. It names no one."""
    return render(request, "measures/offline.html")


# The templates the kept copies of Urgent help and the offline page are made from: a change
# renews them.
OFFLINE_TEMPLATES = (
    "base.html",
    "measures/urgent_help.html",
    "measures/_helplines.html",
    "measures/offline.html",
)

# The static files the offline pages use (base.html asks for them all): a new name renews them.
OFFLINE_STATIC = ("rewire/rewire.css", "rewire/rewire.js", "rewire/offline.js", "rewire/icon.svg")

THEME_COLOUR = "#1f5f5b"  # the header's --accent, as base.html's theme-color says
BACKGROUND_COLOUR = "#f7f6f2"  # the page's --bg


@require_safe
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest: what a phone needs to put Rewire on its home screen and open it
    like an app (docs/offline.md). The icons come from scripts/make_icons.py."""
    icons = [
        {"src": static("rewire/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        *(
            {"src": static(f"rewire/icon-{size}.png"), "sizes": f"{size}x{size}"}
            | {"type": "image/png", "purpose": "any"}
            for size in (192, 512)
        ),
        *(
            {"src": static(f"rewire/icon-maskable-{size}.png"), "sizes": f"{size}x{size}"}
            | {"type": "image/png", "purpose": "maskable"}
            for size in (192, 512)
        ),
    ]
    response = JsonResponse(
        {
            "id": "/",
            "name": "Rewire",
            "short_name": "Rewire",
            "description": "Log pain in seconds, work through the programme, keep your data.",
            "lang": "en",
            "start_url": reverse("home"),
            "scope": "/",
            "display": "standalone",
            "theme_color": THEME_COLOUR,
            "background_color": BACKGROUND_COLOUR,
            "icons": icons,
        },
        content_type="application/manifest+json",
    )
    return response


def personal_offline_pages() -> list[str]:
    """The signed-in pages kept for use with no connection (in a cache of the person's own,
    filled and emptied by static/rewire/offline.js): the check-in, the flare plan and the
    safety messages. The flare button is on every page, so on these too."""
    return [reverse("home"), reverse("flare_plan"), reverse("safety_messages")]


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker (templates/sw.js), served from the root so that it can answer for
    every page. It keeps a signed-out copy of Urgent help for use with no connection; its
    version follows what the copy shows (the helplines, the static files' names), so a
    browser renews the copy when they change."""
    shown = [crisis_helplines(), DEFAULT_ADVICE, [static(name) for name in OFFLINE_STATIC]]
    shown += [get_template(name).template.source for name in OFFLINE_TEMPLATES]
    version = hashlib.sha256(json.dumps(shown, sort_keys=True).encode()).hexdigest()[:16]
    response = render(
        request,
        "sw.js",
        {
            "version": version,
            "urgent_help": reverse("urgent_help"),
            "offline_page": reverse("offline"),
            "sign_in": reverse("login"),
            "manifest": reverse("manifest"),
            "personal_pages": json.dumps(personal_offline_pages()),
        },
        content_type="text/javascript; charset=utf-8",
    )
    # Never cached (every page is "no-store": rewire/middleware.py), so a browser checking
    # for a new version always gets this one. It may answer for the whole site.
    response["Service-Worker-Allowed"] = "/"
    return response
