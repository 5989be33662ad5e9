"""The reminders' tasks on the queue (ADR 0013): each minute, the round that finds what is due
(actions.due_deliveries), and one email task per reminder, tried again when the mail server
refuses. A task carries ids only."""

import logging

from django.conf import settings
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from rewire.reminders import actions
from rewire.reminders.messages import send_reminder_email
from rewire.reminders.models import Reminder, ReminderSettings

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*"))
def remind_round() -> int:
    """Queue every reminder due now. Returns how many."""
    now = timezone.now()
    queued = 0
    people = ReminderSettings.objects.filter(
        by_email=True,
        user__is_active=True,
        user_id__in=Reminder.objects.filter(enabled=True).values("user_id"),
    ).select_related("user")
    for found in people:
        try:
            for delivery in actions.due_deliveries(found.user, now=now):
                send_reminder(delivery.pk)
                queued += 1
        except Exception as error:  # noqa: BLE001 - one person's problem stops no one else's
            log.warning("A reminder round failed for one person (%s).", type(error).__name__)
    return queued


@db_task(retries=settings.TASK_RETRIES, retry_delay=settings.TASK_RETRY_DELAY)
def send_reminder(delivery_id: int) -> None:
    send_reminder_email(delivery_id)
