"""The urgent-help page: one tap from every page's header, open without signing in.

It shows what the server is configured with (REWIRE_HELPLINES_FILE) and the advice to call the
local emergency number, and nothing about the person: someone in a crisis may be on a shared
or borrowed device, or signed out.
"""

import hashlib
import json

from django.http import HttpRequest, HttpResponse
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


# The templates the kept copy of Urgent help is made from: a change renews it.
OFFLINE_TEMPLATES = (
    "base.html",
    "measures/urgent_help.html",
    "measures/_helplines.html",
)


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker (templates/sw.js), served from the root so that it can answer for
    every page. It keeps a signed-out copy of Urgent help for use with no connection; its
    version follows what the copy shows (the helplines, the static files' names), so a
    browser renews the copy when they change."""
    shown = [crisis_helplines(), DEFAULT_ADVICE, static("rewire/rewire.css")]
    shown += [static("rewire/rewire.js"), static("rewire/icon.svg")]
    shown += [get_template(name).template.source for name in OFFLINE_TEMPLATES]
    version = hashlib.sha256(json.dumps(shown, sort_keys=True).encode()).hexdigest()[:16]
    response = render(
        request,
        "sw.js",
        {"version": version, "urgent_help": reverse("urgent_help")},
        content_type="text/javascript; charset=utf-8",
    )
    # Never cached (every page is "no-store": rewire/middleware.py), so a browser checking
    # for a new version always gets this one. It may answer for the whole site.
    response["Service-Worker-Allowed"] = "/"
    return response
