"""Sensitive actions (sharing, export, deletion) ask for the password again when the person
last gave it more than a few minutes ago: a phone left unlocked should not hand over the
diary. The moment is kept in the session, set at sign-in and at each confirmation."""

import time
from functools import wraps

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

SESSION_KEY = "rewire_password_at"


def mark_password_given(request) -> None:
    request.session[SESSION_KEY] = int(time.time())


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        mark_password_given(request)


def password_is_recent(request) -> bool:
    given = request.session.get(SESSION_KEY)
    return given is not None and time.time() - given <= settings.REAUTH_MINUTES * 60


def recent_password_required(view):
    """Send the person to confirm their password first when it is not recent, then back.
    A GET comes back to the same page; a POST comes back to the page to send it again (a
    form's data is not carried through the password page)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if password_is_recent(request):
            return view(request, *args, **kwargs)
        target = request.get_full_path()
        if request.method != "GET":
            target = request.META.get("HTTP_REFERER") or target
        return redirect(f"{reverse('confirm_password')}?{urlencode({'next': target})}")

    return wrapped
