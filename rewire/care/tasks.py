"""The care app's tasks on the queue (ADR 0013): huey runs them in `rewire worker` (or the
consumer `rewire serve` starts). A task carries ids only, never health data."""

import logging

from django.conf import settings
from huey.contrib.djhuey import db_task

from rewire.care.alerts import clinicians_to_alert, send_alert_email

log = logging.getLogger(__name__)


@db_task(retries=settings.TASK_RETRIES, retry_delay=settings.TASK_RETRY_DELAY)
def send_alert(event_id: int, clinician_id: int) -> None:
    """One clinician's alert email for one safety event; tried again when it fails."""
    send_alert_email(event_id, clinician_id)


def queue_alert_emails(sender, *, event, **kwargs) -> int:
    """Receiver of measures.signals.safety_event_recorded: one `send_alert` per clinician who
    receives this patient's alerts, so a slow or refusing mail server is tried again here and
    never holds the patient's request. Returns how many were queued."""
    queued = 0
    try:
        clinicians = clinicians_to_alert(event.user)
    except Exception as error:  # noqa: BLE001 - the patient's request goes on
        log.warning("Alert emails could not be prepared (%s).", type(error).__name__)
        return 0
    for clinician in clinicians:
        try:
            # Ids only: the queue holds no health data and no address.
            send_alert(event.pk, clinician.pk)
            queued += 1
        except Exception as error:  # noqa: BLE001 - one failure does not stop the others
            log.warning("An alert email could not be queued (%s).", type(error).__name__)
    return queued
