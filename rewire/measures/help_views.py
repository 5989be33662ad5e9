"""The urgent-help page: one tap from every page's header, open without signing in.

It shows what the server is configured with (REWIRE_HELPLINES_FILE) and the advice to call the
local emergency number, and nothing about the person: someone in a crisis may be on a shared
or borrowed device, or signed out.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
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
