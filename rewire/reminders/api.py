"""Reminders in the JSON API (/api/v1/reminders). Thin: writes go through actions.py."""

from ninja import Router, Status

from rewire.core.api import ERRORS, unprocessable
from rewire.core.errors import InvalidEntry
from rewire.reminders import actions
from rewire.reminders.models import KIND_CHOICES
from rewire.reminders.schemas import ReminderChoices, RemindersOut, SnoozeIn

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
