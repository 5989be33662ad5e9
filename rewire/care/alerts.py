"""A clinician a patient shares safety alerts with is emailed at once when one is recorded.

The email holds no health data: no name, no score, no answer — only that a patient they care
for needs a look, and a link to their patient list, where the alert is shown after sign-in.
It goes through Django's email backend (SMTP when REWIRE_SMTP_HOST is set). A failure to send
is logged by where it happened, never what, and never fails the patient's request. Alerts
are emailed and shown, not watched around the clock: the clinician pages say so.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail

from rewire.care.models import Share

log = logging.getLogger(__name__)

SUBJECT = "Rewire: a patient you care for needs a look"
BODY = """Hello,

A patient who shares their Rewire diary with you has a new safety alert.
Please sign in to see it:

{link}

This email holds no details on purpose. Rewire shows alerts and sends these emails; nobody
watches them around the clock, and the patient has been shown what to do in an emergency.
"""


def clinicians_to_alert(patient) -> list[str]:
    """The email of each clinician with an active share that includes safety alerts."""
    shares = Share.objects.for_user(patient).filter(
        revoked_at__isnull=True, clinician__is_active=True
    )
    return sorted(
        {
            share.clinician.email
            for share in shares.select_related("clinician")
            if "questionnaires" in share.scopes and share.clinician.is_clinician
        }
    )


def email_clinicians(sender, *, event, **kwargs) -> int:
    """Receiver of measures.signals.safety_event_recorded: one email per clinician."""
    link = settings.REWIRE_BASE_URL.rstrip("/") + "/care"
    sent = 0
    try:
        addresses = clinicians_to_alert(event.user)
    except Exception as error:  # noqa: BLE001 - the patient's request goes on
        log.warning("Alert emails could not be prepared (%s).", type(error).__name__)
        return 0
    for address in addresses:
        try:
            sent += send_mail(SUBJECT, BODY.format(link=link), None, [address])
        except Exception as error:  # noqa: BLE001 - one failure does not stop the others
            log.warning("An alert email could not be sent (%s).", type(error).__name__)
    return sent
