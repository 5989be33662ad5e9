"""A reminder's email: no health data, not even which kind in the subject (an inbox preview
is seen by others); a link that opens the right page and counts as "not ignored", and a link
that turns the reminder off in one tap (also as RFC 8058 one-click unsubscribe)."""

import logging

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone

from rewire.reminders import push
from rewire.reminders.models import Delivery, PushSubscription, Reminder, ReminderSettings

log = logging.getLogger(__name__)

# One key for each link: the open link cannot turn a reminder off, nor the reverse.
SALTS = {"open": "rewire.reminders.open", "off": "rewire.reminders.off"}
LINK_DAYS = 30  # a link older than this is refused (the settings page works always)
SUBJECT = "Rewire: a reminder you asked for"
# Neutral words: an inbox preview shows the first lines to whoever looks.
WHAT = {
    "checkin": "today's check-in",
    "practice": "today's practice",
    "session": "your next step",
    "questionnaires": "a short questionnaire",
    "ladder_next_day": "a follow-up question",
}
BODY = """Hello,

A reminder you asked for: {what}.

Open Rewire: {open}

No rush, and no streak to keep: skip it whenever you like.

Turn off this reminder: {off}
Change your reminders: {settings}
"""


def token_for(delivery: Delivery, link: str) -> str:
    return signing.dumps(delivery.pk, salt=SALTS[link])


def delivery_from(token: str, link: str) -> Delivery | None:
    try:
        pk = signing.loads(token, salt=SALTS[link], max_age=LINK_DAYS * 24 * 3600)
    except signing.BadSignature:  # altered, made for the other link, or expired
        return None
    return Delivery.objects.filter(pk=pk).select_related("user").first()


def links(delivery: Delivery) -> dict[str, str]:
    base = settings.REWIRE_BASE_URL.rstrip("/")
    return {
        "open": base + reverse("reminder_open", args=[token_for(delivery, "open")]),
        "off": base + reverse("reminder_off", args=[token_for(delivery, "off")]),
        "settings": base + reverse("reminder_settings"),
    }


def send_reminder_email(delivery_id: int) -> int:
    """Send one reminder, if not sent already and its person still wants it: by email, then
    to each device that allowed notifications. Raises when the mail server does not accept
    it, so the queue tries again (before any push, so a retry never pushes twice).

    The reminder is claimed (marked sent) in a short write before the mail server is asked,
    and the claim let go if it refuses: two tasks for one reminder send it once, and no write
    lock is held while the mail server answers. A process killed between the two loses that
    one reminder rather than sending it twice."""
    delivery = Delivery.objects.filter(pk=delivery_id).select_related("user").first()
    if delivery is None or delivery.sent_at is not None or not delivery.user.is_active:
        return 0
    found = ReminderSettings.objects.for_user(delivery.user).first()
    devices = list(PushSubscription.objects.for_user(delivery.user)) if found else []
    wanted = found is not None and (found.by_email or (found.by_push and devices))
    if (
        not wanted
        or not Reminder.objects.for_user(delivery.user)
        .filter(kind=delivery.kind, enabled=True)
        .exists()
    ):
        return 0
    claimed = Delivery.objects.filter(pk=delivery.pk, sent_at__isnull=True).update(
        sent_at=timezone.now()
    )
    if not claimed:
        return 0
    urls = links(delivery)
    sent = 0
    if found.by_email:
        message = EmailMessage(
            SUBJECT,
            BODY.format(what=WHAT[delivery.kind], **urls),
            None,
            [delivery.user.email],
            headers={
                "List-Unsubscribe": f"<{urls['off']}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
        try:
            sent += message.send()
        except Exception:
            Delivery.objects.filter(pk=delivery.pk).update(sent_at=None)
            raise
    if found.by_push:
        payload = {
            "title": "Rewire",
            "body": f"A reminder you asked for: {WHAT[delivery.kind]}.",
            "url": urls["open"],
        }
        for device in devices:
            try:
                sent += push.push(device, payload)
            except Exception as error:  # noqa: BLE001 - one device's failure stops no other
                log.warning("A push could not be sent (%s).", type(error).__name__)
    return sent
