"""Reminders in the JSON API (/api/v1/reminders). Thin: writes go through actions.py."""

from django.urls import reverse
from ninja import Router, Status

from rewire.core.api import ERRORS, unprocessable
from rewire.core.errors import InvalidEntry
from rewire.reminders import actions, calendar, push
from rewire.reminders.models import KIND_CHOICES, PushSubscription
from rewire.reminders.schemas import (
    CalendarOut,
    PushOut,
    PushSubscriptionIn,
    ReminderChoices,
    RemindersOut,
    SnoozeIn,
)

router = Router()


def reminders_data(user) -> dict:
    found = actions.settings_for(user)
    labels = dict(KIND_CHOICES)
    return {
        "quiet_from": found.quiet_from,
        "quiet_until": found.quiet_until,
        "daily_cap": found.daily_cap,
        "by_email": found.by_email,
        "snoozed_until": found.snoozed_until,
        "reminders": [
            {
                "kind": kind,
                "at": reminder.at,
                "enabled": reminder.enabled,
                "every_days": reminder.every_days,
                "ask_to_keep": reminder.ask_to_keep,
                "label": labels[kind],
            }
            for kind, reminder in actions.reminders_for(user).items()
        ],
    }


@router.get("/reminders", response={200: RemindersOut, **ERRORS}, tags=["reminders"])
def read_reminders(request):
    """Every kind of reminder (on or off), and what holds for all of them."""
    return reminders_data(request.auth)


@router.put("/reminders", response={200: RemindersOut, **ERRORS}, tags=["reminders"])
def replace_reminders(request, payload: ReminderChoices):
    """Every choice at once. A kind not listed is turned off (keeping its time). Sending the
    same body again changes nothing."""
    kinds = [reminder.kind for reminder in payload.reminders]
    if len(set(kinds)) != len(kinds):
        return unprocessable({"reminders": "Each kind at most once."})
    current = actions.reminders_for(request.auth)
    times = {kind: reminder.at for kind, reminder in current.items()}
    times |= {reminder.kind: reminder.at for reminder in payload.reminders}
    try:
        actions.set_reminders(
            user=request.auth,
            quiet_from=payload.quiet_from,
            quiet_until=payload.quiet_until,
            daily_cap=payload.daily_cap,
            by_email=payload.by_email,
            times=times,
            enabled={reminder.kind for reminder in payload.reminders if reminder.enabled},
        )
    except InvalidEntry as invalid:
        # A kind's problem is about its time, at its place in the list.
        return Status(
            422,
            {
                "detail": [
                    {
                        "loc": ["body", "reminders", kinds.index(name), "at"]
                        if name in kinds
                        else ["body", name],
                        "msg": reason,
                        "type": "value_error",
                    }
                    for name, reason in invalid.problems.items()
                ]
            },
        )
    return Status(200, reminders_data(request.auth))


@router.post("/reminders/snooze", response={200: RemindersOut, **ERRORS}, tags=["reminders"])
def snooze_reminders(request, payload: SnoozeIn):
    """A break from every reminder for 1, 3 or 7 days (`days`), or its end (`null`)."""
    if payload.days is None:
        actions.end_snooze(user=request.auth)
    else:
        actions.snooze(user=request.auth, days=payload.days)
    return Status(200, reminders_data(request.auth))


def _push_data(user) -> dict:
    return {
        "application_server_key": push.application_server_key(),
        "devices": PushSubscription.objects.for_user(user).count(),
    }


@router.get("/reminders/push", response={200: PushOut, **ERRORS}, tags=["reminders"])
def read_push(request):
    """The key a device subscribes with (Web Push, VAPID), and how many devices have."""
    return _push_data(request.auth)


@router.post("/reminders/push", response={201: PushOut, **ERRORS}, tags=["reminders"])
def add_push(request, payload: PushSubscriptionIn):
    """A device's subscription, as the browser's PushSubscription.toJSON() gives it. Sent
    again: the same one. Turns reminders by notification on."""
    try:
        actions.add_push_subscription(
            user=request.auth,
            endpoint=payload.endpoint,
            p256dh=payload.keys.p256dh,
            auth=payload.keys.auth,
        )
    except InvalidEntry as invalid:
        return Status(
            422,
            {
                "detail": [
                    {
                        "loc": ["body", *(("keys",) if name != "endpoint" else ()), name],
                        "msg": reason,
                        "type": "value_error",
                    }
                    for name, reason in invalid.problems.items()
                ]
            },
        )
    return Status(201, _push_data(request.auth))


@router.delete("/reminders/push", response={204: None, **ERRORS}, tags=["reminders"])
def remove_push(request):
    """Notifications off on every device."""
    actions.remove_push_subscriptions(user=request.auth)
    return Status(204, None)


@router.post("/reminders/calendar", response={201: CalendarOut, **ERRORS}, tags=["reminders"])
def new_calendar(request):
    """A new private calendar address (iCalendar), shown only in this answer; any earlier
    address stops working."""
    key = calendar.new_feed(user=request.auth)
    return Status(
        201, {"address": request.build_absolute_uri(reverse("reminder_calendar", args=[key]))}
    )


@router.delete("/reminders/calendar", response={204: None, **ERRORS}, tags=["reminders"])
def stop_calendar(request):
    """Stop every calendar address."""
    calendar.revoke_feeds(user=request.auth)
    return Status(204, None)
