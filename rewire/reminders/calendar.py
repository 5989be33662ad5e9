"""The person's reminders as a private iCalendar feed (RFC 5545), for people who live in
their calendar: one repeating event per reminder turned on, at its time on the person's own
clock (with the time zone's rules, so the calendar follows clock changes), an alert at the
start, and neutral words. The address holds a random key; only its SHA-256 is stored."""

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from icalendar import Alarm, Calendar, Event

from rewire.reminders.messages import WHAT
from rewire.reminders.models import CalendarFeed, Reminder


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def new_feed(*, user) -> str:
    """A new private address's key (shown once); any earlier address stops working."""
    CalendarFeed.objects.for_user(user).filter(revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    key = secrets.token_urlsafe(32)
    CalendarFeed.objects.create(user=user, key_digest=digest(key))
    return key


@transaction.atomic
def revoke_feeds(*, user) -> int:
    return (
        CalendarFeed.objects.for_user(user)
        .filter(revoked_at__isnull=True)
        .update(revoked_at=timezone.now())
    )


def feed_for(key: str) -> CalendarFeed | None:
    return (
        CalendarFeed.objects.filter(key_digest=digest(key), revoked_at__isnull=True)
        .select_related("user")
        .first()
    )


def calendar_for(feed: CalendarFeed, *, now: dt.datetime) -> bytes:
    user = feed.user
    calendar = Calendar()
    calendar.add("prodid", "-//Rewire//Reminders//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Rewire reminders")
    starts = now.astimezone(user.zone).date()
    for reminder in Reminder.objects.for_user(user).filter(enabled=True).order_by("kind"):
        event = Event()
        event.add("uid", f"{reminder.kind}-{feed.pk}@rewire")
        event.add("dtstamp", now.astimezone(dt.UTC))
        event.add("summary", f"Rewire: {WHAT[reminder.kind]}")
        begin = dt.datetime.combine(starts, reminder.at, tzinfo=user.zone)
        event.add("dtstart", begin)
        event.add("duration", dt.timedelta(minutes=5))
        event.add("rrule", {"freq": "daily", "interval": reminder.every_days})
        event.add("transp", "TRANSPARENT")  # a reminder, not busy time
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"Rewire: {WHAT[reminder.kind]}")
        alarm.add("trigger", dt.timedelta(0))
        event.add_component(alarm)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
