"""The reminders' tasks on the queue (ADR 0013): each minute, the round that finds what is due
(actions.due_deliveries), and one email task per reminder, tried again when the mail server
refuses. A task carries ids only."""

import logging

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from rewire.reminders import actions
from rewire.reminders.messages import send_reminder_email
from rewire.reminders.models import Reminder, ReminderSettings

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*"))
@lock_task("rewire-remind-round")  # several servers' schedulers: one round at a time
def remind_round() -> int:
    return queue_due_reminders(now=timezone.now())


def queue_due_reminders(*, now) -> int:
    """Queue every reminder due at `now`, and again any recorded but not sent while still
    due. Returns how many were queued."""
    queued = 0
    people = ReminderSettings.objects.filter(
        Q(by_email=True) | Q(by_push=True),
        user__is_active=True,
        user_id__in=Reminder.objects.filter(enabled=True).values("user_id"),
    ).select_related("user")
    due = []
    for found in people:
        try:
            due += actions.due_deliveries(found.user, now=now, found=found)
        except Exception as error:  # noqa: BLE001 - one person's problem stops no one else's
            log.warning("A reminder round failed for one person (%s).", type(error).__name__)
    for delivery in due + actions.unsent_deliveries(now=now):
        try:
            send_reminder(delivery.pk)
            queued += 1
        except Exception as error:  # noqa: BLE001 - the next round queues it again
            log.warning("A reminder could not be queued (%s).", type(error).__name__)
    return queued


@db_task(retries=settings.TASK_RETRIES, retry_delay=settings.TASK_RETRY_DELAY)
def send_reminder(delivery_id: int) -> None:
    send_reminder_email(delivery_id)
