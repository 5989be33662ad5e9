"""Every write of reminders, and the round that finds which are due (run each minute by the
queue's scheduler: tasks.py). Whether one is due is schedule.py's, in plain Python."""

import datetime as dt
from dataclasses import replace

from django.db import IntegrityError, transaction
from django.utils import timezone

from rewire.core.errors import InvalidEntry
from rewire.reminders import schedule
from rewire.reminders.models import (
    DEFAULT_TIMES,
    Delivery,
    PushSubscription,
    Reminder,
    ReminderSettings,
)

SNOOZES = {"1": dt.timedelta(days=1), "3": dt.timedelta(days=3), "7": dt.timedelta(days=7)}
MAX_DAILY_CAP = 10


def settings_for(user) -> ReminderSettings:
    found, _ = ReminderSettings.objects.get_or_create(user=user)
    return found


def reminders_for(user) -> dict[str, Reminder]:
    """Every kind, turned on or not (a kind never set: off, at its default time)."""
    saved = {reminder.kind: reminder for reminder in Reminder.objects.for_user(user)}
    return {
        kind: saved.get(kind)
        or Reminder(user=user, kind=kind, at=DEFAULT_TIMES[kind], enabled=False)
        for kind in schedule.KINDS
    }


def choice_problems(
    *, quiet_from, quiet_until, daily_cap, times: dict[str, dt.time], enabled: set[str]
) -> dict[str, str]:
    problems = {}
    if (quiet_from is None) != (quiet_until is None):
        problems["quiet_until" if quiet_until is None else "quiet_from"] = (
            "Give both ends of the quiet hours, or neither."
        )
    if not 1 <= daily_cap <= MAX_DAILY_CAP:
        problems["daily_cap"] = f"From 1 to {MAX_DAILY_CAP} a day."
    unknown = (set(times) | enabled) - set(schedule.KINDS)
    for kind in sorted(unknown):
        problems[kind] = "No such reminder."
    if quiet_from is not None and quiet_until is not None and not problems:
        limits = schedule.Limits(dt.UTC, quiet_from=quiet_from, quiet_until=quiet_until)
        for kind in sorted(enabled):
            at = dt.datetime.combine(dt.date(2026, 1, 1), times[kind], tzinfo=dt.UTC)
            if schedule.in_quiet_hours(at, limits):
                problems[kind] = "This time is in your quiet hours: it would never come."
    return problems


@transaction.atomic
def set_reminders(
    *,
    user,
    quiet_from: dt.time | None,
    quiet_until: dt.time | None,
    daily_cap: int,
    by_email: bool,
    times: dict[str, dt.time],
    enabled: set[str],
    by_push: bool | None = None,
) -> ReminderSettings:
    """Save every choice at once: all checked first, nothing written if one is wrong."""
    times = {kind: times.get(kind) or DEFAULT_TIMES[kind] for kind in schedule.KINDS} | times
    if problems := choice_problems(
        quiet_from=quiet_from,
        quiet_until=quiet_until,
        daily_cap=daily_cap,
        times=times,
        enabled=enabled,
    ):
        raise InvalidEntry(problems)
    found = settings_for(user)
    found.quiet_from, found.quiet_until = quiet_from, quiet_until
    found.daily_cap, found.by_email = daily_cap, by_email
    if by_push is not None:
        found.by_push = by_push
    found.save()
    for kind in schedule.KINDS:
        reminder, created = Reminder.objects.get_or_create(
            user=user, kind=kind, defaults={"at": times[kind], "enabled": kind in enabled}
        )
        if not created:
            turned_on = kind in enabled and not reminder.enabled
            reminder.at, reminder.enabled = times[kind], kind in enabled
            if turned_on:  # turned on again: a fresh start
                reminder.every_days, reminder.ignored_in_a_row = 1, 0
                reminder.ask_to_keep = False
            reminder.save()
    return found


@transaction.atomic
def snooze(*, user, days: str) -> ReminderSettings:
    if days not in SNOOZES:
        raise InvalidEntry({"days": f"Choose one of: {', '.join(SNOOZES)}."})
    found = settings_for(user)
    found.snoozed_until = timezone.now() + SNOOZES[days]
    found.save(update_fields=["snoozed_until"])
    return found


@transaction.atomic
def end_snooze(*, user) -> None:
    ReminderSettings.objects.for_user(user).update(snoozed_until=None)


@transaction.atomic
def turn_off(*, user, kind: str) -> None:
    Reminder.objects.for_user(user).filter(kind=kind).update(enabled=False, ask_to_keep=False)


@transaction.atomic
def keep(*, user, kind: str) -> None:
    """The person keeps a reminder that had slowed down: asked no more, at the slower rate."""
    Reminder.objects.for_user(user).filter(kind=kind).update(ask_to_keep=False, ignored_in_a_row=0)


def mark_opened(delivery: Delivery) -> None:
    if delivery.opened_at is None:
        Delivery.objects.filter(pk=delivery.pk, opened_at__isnull=True).update(
            opened_at=timezone.now()
        )


# What there is to remind of


def nothing_to_remind(user, kind: str, day: dt.date) -> bool:
    """Whether the thing a reminder is for is done on `day`, or there is nothing to do."""
    from rewire.diary.models import CheckIn
    from rewire.exposure import actions as exposure
    from rewire.measures import actions as measures
    from rewire.program import actions as program
    from rewire.program.models import Practice

    if kind == "checkin":
        return CheckIn.objects.for_user(user).filter(local_date=day).exists()
    if kind == "practice":
        return Practice.objects.for_user(user).filter(local_date=day).exists()
    if kind == "session":
        if measures.programme_state(user) != measures.OPEN:
            return True  # the programme waits for something else first: not a session
        found = program.where(user, today=day)
        if any(
            c.completed_at.astimezone(user.zone).date() == day for c in found.completions.values()
        ):
            return True
        # Nothing to remind of when all are done, or the next waits for its day (the pace).
        return found.next is None or not found.next.open
    if kind == "questionnaires":
        return not measures.due_questionnaires(user)
    if kind == "ladder_next_day":
        return not exposure.awaiting_next_day(user, today=day).exists()
    raise ValueError(kind)


# The round, each minute


def _was_ignored(user, delivery: Delivery | None) -> bool:
    """Sent, its link not followed, and the thing not done that day. A reminder the server
    failed to send is not the person's to ignore."""
    return (
        delivery is not None
        and delivery.sent_at is not None
        and delivery.opened_at is None
        and not nothing_to_remind(user, delivery.kind, delivery.local_date)
    )


def due_deliveries(user, *, now: dt.datetime, found: ReminderSettings | None = None):
    """Record (once) each of the person's reminders due at `now`, and return them to send.
    Each one ignored before it counts towards the slower rate; a day already done resets it."""
    found = found or ReminderSettings.objects.for_user(user).first()
    if found is None or not (
        found.by_email or (found.by_push and PushSubscription.objects.for_user(user).exists())
    ):
        return []
    reminders = list(Reminder.objects.for_user(user).filter(enabled=True))
    if not reminders:
        return []
    zone = user.zone
    today = now.astimezone(zone).date()
    since = today - dt.timedelta(days=2 * schedule.LONGEST_GAP_DAYS)
    deliveries = list(Delivery.objects.for_user(user).filter(local_date__gte=since))
    last = {}
    for delivery in sorted(deliveries, key=lambda d: d.local_date):
        last[delivery.kind] = delivery
    sent_today = sum(1 for d in deliveries if d.local_date == today)
    limits = schedule.Limits(
        zone,
        quiet_from=found.quiet_from,
        quiet_until=found.quiet_until,
        daily_cap=found.daily_cap,
        snoozed_until=found.snoozed_until,
    )
    sent = {kind: schedule.Sent(last_on=d.local_date) for kind, d in last.items()}
    wanted = [schedule.Reminder(r.kind, r.at, r.every_days) for r in reminders]
    # Which are in their window, before asking (it costs queries) what is done already.
    candidates = schedule.due_now(
        wanted,
        replace(limits, daily_cap=len(schedule.KINDS)),
        now=now,
        sent=sent,
        sent_today=0,
        done_today=set(),
    )
    by_kind = {r.kind: r for r in reminders}
    done = {kind for kind in candidates if nothing_to_remind(user, kind, today)}
    for kind in done:  # done without a reminder: not "in a row" any more
        if by_kind[kind].ignored_in_a_row:
            Reminder.objects.filter(pk=by_kind[kind].pk).update(ignored_in_a_row=0)
    due = schedule.due_now(
        [w for w in wanted if w.kind in candidates],
        limits,
        now=now,
        sent=sent,
        sent_today=sent_today,
        done_today=done,
    )
    made = []
    for kind in due:
        reminder = by_kind[kind]
        ignored = reminder.ignored_in_a_row + 1 if _was_ignored(user, last.get(kind)) else 0
        slower = schedule.after_ignored(ignored, reminder.every_days)
        try:
            with transaction.atomic():
                delivery = Delivery.objects.create(user=user, kind=kind, local_date=today)
                reminder.ignored_in_a_row = 0 if slower.ask_to_keep else ignored
                reminder.every_days = slower.every_days
                reminder.ask_to_keep = reminder.ask_to_keep or slower.ask_to_keep
                reminder.save(update_fields=["ignored_in_a_row", "every_days", "ask_to_keep"])
        except IntegrityError:
            continue  # recorded already today (another server's round): never twice
        made.append(delivery)
    return made


def unsent_deliveries(*, now: dt.datetime) -> list[Delivery]:
    """Reminders recorded as due but not sent (the queue lost them, or every try failed),
    while still in their window: the round queues them again."""
    window = dt.timedelta(hours=2)
    return list(
        Delivery.objects.filter(
            sent_at__isnull=True,
            created_at__lt=now - dt.timedelta(minutes=10),
            created_at__gte=now - window,
        ).select_related("user")
    )


@transaction.atomic
def forget_old_deliveries(*, now: dt.datetime) -> int:
    from rewire.reminders.models import KEPT_DAYS

    removed, _ = Delivery.objects.filter(created_at__lt=now - dt.timedelta(days=KEPT_DAYS)).delete()
    return removed


# Devices that allowed notifications (Web Push)


@transaction.atomic
def add_push_subscription(*, user, endpoint: str, p256dh: str, auth: str) -> PushSubscription:
    """Keep a device's subscription (sent again: the same one), and push on for the person."""
    from urllib.parse import urlsplit

    problems = {}
    if urlsplit(endpoint).scheme != "https" or len(endpoint) > 1000:
        problems["endpoint"] = "An https address of a push service, at most 1,000 characters."
    for name, value, size in (("p256dh", p256dh, 200), ("auth", auth, 100)):
        if not value or len(value) > size or not all(c.isalnum() or c in "-_=" for c in value):
            problems[name] = "A base64url key from the browser's subscription."
    if problems:
        raise InvalidEntry(problems)
    subscription, _ = PushSubscription.objects.update_or_create(
        endpoint=endpoint, defaults={"user": user, "p256dh": p256dh, "auth": auth}
    )
    found = settings_for(user)
    if not found.by_push:
        found.by_push = True
        found.save(update_fields=["by_push"])
    return subscription


@transaction.atomic
def remove_push_subscriptions(*, user) -> int:
    """Stop notifications on every device (the person can allow them again on each)."""
    removed, _ = PushSubscription.objects.for_user(user).delete()
    ReminderSettings.objects.for_user(user).update(by_push=False)
    return removed
