"""What many pages share."""

from django.contrib import messages
from django.shortcuts import redirect, render


def confirm(
    request,
    *,
    title,
    description,
    act,
    done,
    done_url,
    cancel_url,
    button="Delete",
    cancel="Keep it",
    warning="This cannot be undone.",
):
    """GET asks; POST does it through the action, says `done` and goes to `done_url`."""
    if request.method == "POST":
        act()
        messages.success(request, done)
        return redirect(done_url)
    return render(
        request,
        "confirm.html",
        {
            "title": title,
            "description": description,
            "warning": warning,
            "button": button,
            "cancel": cancel,
            "cancel_url": cancel_url,
        },
    )


def confirm_delete(request, *, delete, title, description, cancel_url, done_url, done):
    """GET asks; POST deletes through the action (`delete()`)."""
    return confirm(
        request,
        title=title,
        description=description,
        act=delete,
        done=done,
        done_url=done_url,
        cancel_url=cancel_url,
    )
