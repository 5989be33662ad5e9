"""Sensitive actions (sharing, export, deletion) ask for the password again when the person
last gave it more than a few minutes ago: a phone left unlocked should not hand over the
diary. The moment is kept in the session, set at sign-in and at each confirmation."""

import time
from functools import wraps

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

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
    """For downloads: send the person to confirm their password first when it is not recent,
    then back to the page they came from (where the download link is), not to the file: a file
    would download while the browser stayed on the password page. Forms ask inline instead
    (`password_check`), so nothing typed is lost."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if password_is_recent(request):
            return view(request, *args, **kwargs)
        target = request.get_full_path()
        referer = request.META.get("HTTP_REFERER", "")
        if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}):
            target = referer
        return redirect(f"{reverse('confirm_password')}?{urlencode({'next': target})}")

    return wrapped


PASSWORD_FIELD = "confirm_password"


def password_check(request) -> str | None:
    """For a form that shares or deletes: None when the password is recent, or was given
    right now in the form's own password field (`confirm_password`, counted by the sign-in
    lockout like a sign-in); otherwise what to tell the person, the form kept as typed."""
    if password_is_recent(request):
        return None
    given = request.POST.get(PASSWORD_FIELD, "")
    if not given:
        return (
            "Please confirm your password to go on: this shares or deletes health data, and it "
            f"was last given more than {settings.REAUTH_MINUTES} minutes ago."
        )
    if authenticate(request, username=request.user.email, password=given) != request.user:
        return "That password is not right. Please try again."
    mark_password_given(request)
    return None
