"""A reminder's email: no health data, not even which kind in the subject (an inbox preview
is seen by others); a link that opens the right page and counts as "not ignored", and a link
that turns the reminder off in one tap (also as RFC 8058 one-click unsubscribe)."""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.urls import reverse

from rewire.reminders.models import Delivery

SALT = "rewire.reminders.delivery"
SUBJECT = "Rewire: a reminder you asked for"
WHAT = {
    "checkin": "your check-in, a few seconds",
    "practice": "today's practice",
    "session": "the next session of your programme",
    "questionnaires": "a questionnaire that is due",
    "ladder_next_day": "the next-day question after your fear-ladder try",
}
BODY = """Hello,

A reminder you asked for: {what}.

Open Rewire: {open}

No rush, and no streak to keep: skip it whenever you like.

Turn off this reminder: {off}
Change your reminders: {settings}
"""


def token_for(delivery: Delivery) -> str:
    return signing.dumps(delivery.pk, salt=SALT)


def delivery_from(token: str) -> Delivery | None:
    try:
        pk = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return Delivery.objects.filter(pk=pk).select_related("user").first()


def links(delivery: Delivery) -> dict[str, str]:
    base = settings.REWIRE_BASE_URL.rstrip("/")
    token = token_for(delivery)
    return {
        "open": base + reverse("reminder_open", args=[token]),
        "off": base + reverse("reminder_off", args=[token]),
        "settings": base + reverse("reminder_settings"),
    }


def send_reminder_email(delivery_id: int) -> int:
    """Send one reminder, if its person still wants it by email. Raises when the mail server
    does not accept it, so the queue tries again."""
    delivery = Delivery.objects.filter(pk=delivery_id).select_related("user").first()
    if delivery is None or not delivery.user.is_active:
        return 0
    from rewire.reminders.models import Reminder, ReminderSettings

    wanted = ReminderSettings.objects.for_user(delivery.user).filter(by_email=True).exists()
    if (
        not wanted
        or not Reminder.objects.for_user(delivery.user)
        .filter(kind=delivery.kind, enabled=True)
        .exists()
    ):
        return 0
    urls = links(delivery)
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
    return message.send()
