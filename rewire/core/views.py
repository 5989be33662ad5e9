"""What many pages share."""

from django.contrib import messages
from django.shortcuts import redirect, render


def confirm_delete(request, *, obj, delete, title, description, cancel_url, done_url, done):
    """GET asks; POST deletes through the action."""
    if request.method == "POST":
        delete()
        messages.success(request, done)
        return redirect(done_url)
    return render(
        request,
        "confirm_delete.html",
        {"object": obj, "title": title, "description": description, "cancel_url": cancel_url},
    )
