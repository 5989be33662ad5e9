"""Reminders the person turns on, kind by kind, and what was sent (issue 15). When one is due
is plain Python (schedule.py); sending runs on the task queue (tasks.py)."""

import datetime as dt

from django.conf import settings
from django.db import models

from rewire.core.models import OwnedQuerySet
from rewire.reminders.schedule import KINDS

KIND_CHOICES = [
    ("checkin", "Daily check-in"),
    ("practice", "Today's practice"),
    ("session", "The next session"),
    ("questionnaires", "Questionnaires that are due"),
    ("ladder_next_day", "The next-day question after a fear-ladder try"),
]
assert tuple(kind for kind, _ in KIND_CHOICES) == KINDS
KEPT_DAYS = 16  # deliveries older than this are removed by `rewire cleanup`
DEFAULT_TIMES = {
    "checkin": dt.time(20, 0),
    "practice": dt.time(18, 0),
    "session": dt.time(10, 0),
    "questionnaires": dt.time(10, 0),
    "ladder_next_day": dt.time(10, 0),
}


def _owner():
    return models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")


class ReminderSettings(models.Model):
    """What holds for all of a person's reminders: quiet hours (possibly across midnight), a
    daily cap, a snooze, and whether email is one of the ways they come."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    quiet_from = models.TimeField(null=True, blank=True)
    quiet_until = models.TimeField(null=True, blank=True)
    daily_cap = models.PositiveSmallIntegerField(default=3)
    snoozed_until = models.DateTimeField(null=True, blank=True)
    by_email = models.BooleanField(default=False)
    by_push = models.BooleanField(default=False)  # to each device that allowed it

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "reminder settings"

    def __str__(self):
        return "Reminder settings"


class Reminder(models.Model):
    """One kind turned on (or off) at a time of day on the person's own clock. After three
    ignored in a row, it comes half as often and the page asks whether to keep it."""

    user = _owner()
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    at = models.TimeField()
    enabled = models.BooleanField(default=True)
    every_days = models.PositiveSmallIntegerField(default=1)
    ignored_in_a_row = models.PositiveSmallIntegerField(default=0)
    ask_to_keep = models.BooleanField(default=False)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["at", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="reminder_one_per_kind")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} at {self.at:%H:%M}"


class Delivery(models.Model):
    """A reminder due: one per kind per local day at most (the constraint makes a second one
    impossible, on any number of servers). `sent_at`: the email went (until then the round
    queues it again while it is still due); `opened_at`: the person, signed in, followed its
    link (it was not ignored). Kept KEPT_DAYS."""

    user = _owner()
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    local_date = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "local_date"], name="delivery_once_a_day"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} reminder on {self.local_date}"


class PushSubscription(models.Model):
    """A browser or phone that allowed Rewire's notifications (Web Push): where to send, and
    the keys a payload is encrypted with for it. Removed when the push service says it is
    gone, or when the person turns it off."""

    user = _owner()
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return "A device's push subscription"


class CalendarFeed(models.Model):
    """A private calendar address for the person's reminders. Only the key's SHA-256 is kept
    (the address is shown once); revoked, it answers nothing."""

    user = _owner()
    key_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return "A private calendar feed"
