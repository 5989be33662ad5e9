"""The person's reminder choices in the export document (`reminders`, docs/api.md), and back
in. What was sent, and when, is left out (below)."""

from django.utils import timezone

from rewire.core.portability import Section, problems_at, register
from rewire.core.validation import moment_problem
from rewire.reminders import actions
from rewire.reminders.models import DEFAULT_TIMES, Reminder, ReminderSettings
from rewire.reminders.schemas import ExportedReminders


def export_reminders(user) -> dict | None:
    found = ReminderSettings.objects.for_user(user).first()
    reminders = list(Reminder.objects.for_user(user).order_by("kind"))
    if found is None and not reminders:
        return None
    found = found or ReminderSettings(user=user)
    return {
        "quiet_from": found.quiet_from and found.quiet_from.isoformat("minutes"),
        "quiet_until": found.quiet_until and found.quiet_until.isoformat("minutes"),
        "daily_cap": found.daily_cap,
        "by_email": found.by_email,
        "snoozed_until": found.snoozed_until and found.snoozed_until.isoformat(),
        "reminders": [
            {
                "kind": r.kind,
                "at": r.at.isoformat("minutes"),
                "enabled": r.enabled,
                "every_days": r.every_days,
            }
            for r in reminders
        ],
    }


@register
class RemindersSection(Section):
    name = "reminders"
    order = 70
    fields = {"reminders": (ExportedReminders | None, None)}
    exported = {
        "reminders.ReminderSettings": ("reminders",),
        "reminders.Reminder": ("reminders", "reminders", "*"),
    }
    left_out = {
        # The private calendar address's key (its digest): a credential of this server.
        "reminders.CalendarFeed": "a credential of this server",
        # A device's push address and keys: they work only for this server's key pair.
        "reminders.PushSubscription": "a device's credential for this server",
        # When each reminder went, and whether its link was followed: kept 16 days for the
        # slower rate and the never-twice-a-day rule, and meaningless on another server.
        "reminders.Delivery": "a short-lived log of what this server sent",
    }
    counts = {"reminder_records": ("Reminder choices written.", "{} reminder choices")}
    # Preferences, not records: an import replaces them, so no conflict.

    def export(self, user, links):
        return {"reminders": export_reminders(user)}

    def parse(self, document, *, prefix):
        chosen = document.reminders
        if chosen is None:
            return None, []
        where = [*prefix, "reminders"]
        errors = []
        kinds = [r.kind for r in chosen.reminders]
        if len(set(kinds)) != len(kinds):
            errors += problems_at(where, {"reminders": "Each kind at most once."})
        times = dict(DEFAULT_TIMES) | {r.kind: r.at for r in chosen.reminders}
        problems = actions.choice_problems(
            quiet_from=chosen.quiet_from,
            quiet_until=chosen.quiet_until,
            daily_cap=chosen.daily_cap,
            times=times,
            enabled={r.kind for r in chosen.reminders if r.enabled},
        )
        for kind, reason in problems.items():
            index = kinds.index(kind) if kind in kinds else None
            place = [*where, "reminders", index, "at"] if index is not None else [*where, kind]
            errors += problems_at(place[:-1], {place[-1]: reason})
        if chosen.snoozed_until is not None:
            now = timezone.now()
            longest = max(actions.SNOOZES.values())
            if chosen.snoozed_until > now + longest:
                errors += problems_at(
                    where, {"snoozed_until": f"A break ends at most {longest.days} days ahead."}
                )
            elif (problem := moment_problem(chosen.snoozed_until, now=now)) and (
                "future" not in problem
            ):
                errors += problems_at(where, {"snoozed_until": problem})
        return chosen, errors

    def write(self, user, parsed, links):
        if parsed is None:
            return {"reminder_records": 0}
        ReminderSettings.objects.update_or_create(
            user=user,
            defaults={
                "quiet_from": parsed.quiet_from,
                "quiet_until": parsed.quiet_until,
                "daily_cap": parsed.daily_cap,
                "by_email": parsed.by_email,
                "snoozed_until": parsed.snoozed_until,
            },
        )
        # Replaced, as PUT /api/v1/reminders does: a kind the document does not list is off.
        listed = {chosen.kind for chosen in parsed.reminders}
        Reminder.objects.for_user(user).exclude(kind__in=listed).update(enabled=False)
        for chosen in parsed.reminders:
            Reminder.objects.update_or_create(
                user=user,
                kind=chosen.kind,
                defaults={
                    "at": chosen.at,
                    "enabled": chosen.enabled,
                    "every_days": chosen.every_days,
                },
            )
        return {"reminder_records": 1 + len(parsed.reminders)}
