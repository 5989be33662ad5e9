"""The reminders page, and the two links in every reminder: open (it was not ignored) and
turn off (one tap, no sign-in needed: the link is the key)."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from rewire.core.errors import InvalidEntry
from rewire.core.forms import form_status
from rewire.core.mail import sends_email
from rewire.reminders import actions, calendar, push
from rewire.reminders.forms import RemindersForm
from rewire.reminders.messages import WHAT, delivery_from
from rewire.reminders.models import KIND_CHOICES, CalendarFeed, PushSubscription


@login_required
def push_subscribe(request):
    """A device allows notifications: its browser's subscription, as JSON (from push.js)."""
    if request.method != "POST":
        return JsonResponse({"detail": "Send the subscription with POST."}, status=405)
    try:
        body = json.loads(request.body or b"{}")
        keys = body.get("keys") or {}
        actions.add_push_subscription(
            user=request.user,
            endpoint=str(body.get("endpoint", "")),
            p256dh=str(keys.get("p256dh", "")),
            auth=str(keys.get("auth", "")),
        )
    except (ValueError, AttributeError):
        return JsonResponse({"detail": "Send the browser's subscription as JSON."}, status=400)
    except InvalidEntry as invalid:
        return JsonResponse({"detail": invalid.problems}, status=422)
    return JsonResponse({"detail": "This device will show your reminders."}, status=201)


@login_required
def push_off(request):
    if request.method == "POST":
        removed = actions.remove_push_subscriptions(user=request.user)
        messages.success(
            request,
            f"Notifications turned off on {removed} device{'s' if removed != 1 else ''}.",
        )
    return redirect("reminder_settings")


@login_required
def calendar_feed(request):
    """Make a private calendar address (shown once), or stop every one."""
    if request.method == "POST":
        if request.POST.get("feed") == "new":
            key = calendar.new_feed(user=request.user)
            address = request.build_absolute_uri(reverse("reminder_calendar", args=[key]))
            return render(request, "reminders/calendar_made.html", {"address": address})
        if request.POST.get("feed") == "stop":
            calendar.revoke_feeds(user=request.user)
            messages.success(request, "Your calendar address no longer works.")
    return redirect("reminder_settings")


@require_safe
def calendar_ics(request, key):
    """The feed itself: the key in the address is the key, as calendar apps cannot sign in."""
    feed = calendar.feed_for(key)
    if feed is None:
        raise Http404
    response = HttpResponse(
        calendar.calendar_for(feed, now=timezone.now()), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="rewire-reminders.ics"'
    return response


# Where each reminder's link leads.
TARGETS = {
    "checkin": "home",
    "practice": "programme",
    "session": "programme",
    "questionnaires": "questionnaires",
    "ladder_next_day": "movement",
}


@login_required
def reminder_settings(request):
    user = request.user
    found = actions.settings_for(user)
    reminders = actions.reminders_for(user)
    initial = {
        "by_email": found.by_email,
        "quiet_from": found.quiet_from,
        "quiet_until": found.quiet_until,
        "daily_cap": found.daily_cap,
    }
    for kind, reminder in reminders.items():
        initial |= {f"{kind}_on": reminder.enabled, f"{kind}_at": reminder.at}
    form = RemindersForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_reminders(user=user, **form.choices())
        except InvalidEntry as invalid:
            form.add_problems(invalid.problems)
        else:
            messages.success(request, "Your reminders are saved.")
            return redirect("reminder_settings")
    labels = dict(KIND_CHOICES)
    return render(
        request,
        "reminders/settings.html",
        {
            "form": form,
            "found": found,
            "snoozed": found.snoozed_until is not None and found.snoozed_until > timezone.now(),
            "asking": [
                {"kind": kind, "label": labels[kind], "every_days": r.every_days}
                for kind, r in reminders.items()
                if r.pk and r.enabled and r.ask_to_keep
            ],
            "sends_email": sends_email(),
            "devices": PushSubscription.objects.for_user(user).count(),
            "has_feed": CalendarFeed.objects.for_user(user)
            .filter(revoked_at__isnull=True)
            .exists(),
            "push_key": push.application_server_key(),
        },
        status=form_status(form),
    )


@login_required
def reminder_snooze(request):
    if request.method == "POST":
        if request.POST.get("days") == "off":
            actions.end_snooze(user=request.user)
            messages.success(request, "Reminders are back on.")
        else:
            try:
                found = actions.snooze(user=request.user, days=request.POST.get("days", ""))
            except InvalidEntry as invalid:
                messages.error(request, invalid.problems["days"])
            else:
                until = timezone.localtime(found.snoozed_until, request.user.zone)
                messages.success(request, f"No reminders until {until:%-d %B, %H:%M}.")
    return redirect("reminder_settings")


@login_required
def reminder_keep(request, reminder_kind):
    kind = reminder_kind
    if kind not in WHAT:
        raise Http404
    if request.method == "POST":
        choice = request.POST.get("keep")
        if choice == "yes":
            actions.keep(user=request.user, kind=kind)
            messages.success(request, "Kept, at the slower rate. Change its time below.")
        elif choice == "no":
            actions.turn_off(user=request.user, kind=kind)
            messages.success(request, "Turned off. Turn it on again here whenever you like.")
    return redirect("reminder_settings")


@require_safe
def reminder_open(request, token):
    """A reminder's link: on to its page (sign-in first if needed). It counts as answered
    only when its own person, signed in, arrives: a mail scanner that follows every link
    does not."""
    delivery = delivery_from(token, "open")
    if delivery is None:
        raise Http404
    if request.user.is_authenticated and request.user.pk == delivery.user_id:
        actions.mark_opened(delivery)
        return redirect(TARGETS[delivery.kind])
    login = reverse("login")
    return redirect(f"{login}?next={reverse('reminder_open', args=[token])}")


@csrf_exempt  # the link is the key; RFC 8058 one-click unsubscribe posts without a page
def reminder_off(request, token):
    delivery = delivery_from(token, "off")
    if delivery is None:
        raise Http404
    label = dict(KIND_CHOICES)[delivery.kind]
    if request.method == "POST":
        actions.turn_off(user=delivery.user, kind=delivery.kind)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(status=204)
        return render(request, "reminders/off.html", {"label": label, "done": True})
    return render(
        request,
        "reminders/off.html",
        {"label": label, "done": False, "action": reverse("reminder_off", args=[token])},
    )
