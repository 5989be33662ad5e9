"""Web Push for reminders, through pywebpush: VAPID (RFC 8292) with a key pair made on first
use and kept in REWIRE_HOME, payloads encrypted for the browser (RFC 8291, aes128gcm). A
payload says only that a reminder is due and where to go: no health data. A subscription the
push service says is gone (404 or 410) is removed."""

import json
import os
from email.utils import parseaddr
from functools import cache

from cryptography.hazmat.primitives import serialization
from django.conf import settings
from py_vapid import Vapid02, b64urlencode
from pywebpush import WebPushException, webpush

from rewire.reminders.models import PushSubscription

GONE = (404, 410)
TIMEOUT = 10  # seconds: a slow push service must not hold the queue's worker


def key_file():
    return settings.REWIRE_HOME / "vapid_private.pem"


@cache
def vapid() -> Vapid02:
    """This server's VAPID key pair: made the first time it is needed, then read."""
    path = key_file()
    if not path.exists():
        made = Vapid02()
        made.generate_keys()
        pem = made.private_pem()
        try:  # two processes at once: the first to create the file wins
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(handle, "wb") as file:
                file.write(pem)
    return Vapid02.from_file(str(path))


def application_server_key() -> str:
    """The public key a browser subscribes with (base64url, uncompressed point)."""
    raw = vapid().public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64urlencode(raw)


def claims() -> dict:
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "rewire@localhost"
    return {"sub": f"mailto:{address}"}


def push(subscription: PushSubscription, payload: dict) -> bool:
    """Send one push. False when the push service says the subscription is gone (it is then
    removed); raises on any other failure, so the queue tries again."""
    info = {
        "endpoint": subscription.endpoint,
        "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
    }
    try:
        webpush(
            info,
            data=json.dumps(payload),
            vapid_private_key=vapid(),
            vapid_claims=claims(),
            timeout=TIMEOUT,
            ttl=4 * 3600,
        )
    except WebPushException as error:
        if error.response is not None and error.response.status_code in GONE:
            PushSubscription.objects.filter(pk=subscription.pk).delete()
            return False
        raise
    return True
