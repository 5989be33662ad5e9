"""A clinician a patient shares safety alerts with is emailed at once when one is recorded.

The email holds no health data: no name, no score, no answer — only that a patient they care
for needs a look, and a link to their patient list, where the alert is shown after sign-in.
It goes through Django's email backend (SMTP when REWIRE_SMTP_HOST is set), sent by a task on
the queue (ADR 0013), which tries again when the mail server refuses. A failure is logged by
where it happened, never what, and never fails the patient's request. Alerts
are emailed and shown, not watched around the clock: the clinician pages say so.
"""

from django.conf import settings
from django.core.mail import send_mail

from rewire.care.models import Share

SUBJECT = "Rewire: a patient you care for needs a look"
BODY = """Hello,

A patient who shares their Rewire diary with you has a new safety alert.
Please sign in to see it:

{link}

This email holds no details on purpose. Rewire shows alerts and sends these emails; nobody
watches them around the clock, and the patient has been shown what to do in an emergency.
"""


def clinicians_to_alert(patient):
    """Each active clinician with an active share that includes safety alerts."""
    shares = Share.objects.for_user(patient).filter(
        revoked_at__isnull=True, clinician__is_active=True
    )
    return sorted(
        {
            share.clinician
            for share in shares.select_related("clinician")
            if "questionnaires" in share.scopes and share.clinician.is_clinician
        },
        key=lambda clinician: clinician.pk,
    )


def send_alert_email(event_id: int, clinician_id: int) -> int:
    """Send one alert email, if the event is still there and the clinician still receives
    this patient's alerts (a share revoked or an account erased since: nothing). Raises when
    the mail server does not accept it, so the queue tries again."""
    from rewire.measures.models import SafetyEvent

    event = SafetyEvent.objects.filter(pk=event_id).select_related("user").first()
    if event is None:
        return 0
    clinician = next((c for c in clinicians_to_alert(event.user) if c.pk == clinician_id), None)
    if clinician is None:
        return 0
    link = settings.REWIRE_BASE_URL.rstrip("/") + "/care"
    return send_mail(SUBJECT, BODY.format(link=link), None, [clinician.email])
