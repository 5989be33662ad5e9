"""A daily reminder, end to end in a real Chromium: the person turns it on for the time it is
now on their clock, and the minute round runs.

By email: it arrives at a real SMTP server (aiosmtpd) with no health data, and its link opens
the check-in; its other link turns it off.

By push: the page sends the device's subscription to the app's own route (as push.js does),
with an endpoint at a local push service over TLS (tests/factories/push_service.py, which checks
the VAPID signature against the key the page gave the browser and decrypts the payload with
the browser's keys). The push arrives holding only neutral words and a link; the page's service
worker (sw.js), handed that payload through DevTools as a push service would, shows it as a
notification; and its link opens the check-in.

Playwright's browser contexts are off the record, where Chromium has no Push API
(pushManager.subscribe() fails "Registration failed - permission denied"), and no vendor's push
service is reachable here: so the test makes the subscription's keys itself, and delivers the
push to the service worker with ServiceWorker.deliverPushMessage."""

import datetime as dt
import ipaddress
import json
import os
import re
import ssl
import time
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from factories.push_service import PushService, b64url
from helpers import FULL, post, token_client
from playwright.sync_api import Page, expect

from rewire.reminders import push
from rewire.reminders.models import Delivery, Reminder, ReminderSettings
from rewire.reminders.tasks import queue_due_reminders

pytestmark = pytest.mark.browser


def test_a_reminder_turned_on_arrives_by_email_and_its_link_opens_the_check_in(
    alice_page: Page, live_server, alice, smtp, watch
):
    page = alice_page
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    page.get_by_role("link", name="your reminders").click()
    expect(page.get_by_role("heading", name="Reminders", level=1)).to_be_visible()
    # A time of day well away from midnight, and the round's clock set to it.
    now = dt.datetime.now(alice.zone).replace(hour=14, minute=5, second=0, microsecond=0)
    page.get_by_label("Daily check-in", exact=True).check()
    page.locator("#id_checkin_at").fill(f"{now:%H:%M}")
    page.get_by_label("Quiet from").fill("")
    page.get_by_label("Quiet until").fill("")
    page.get_by_label("At most this many reminders a day").fill("3")
    page.get_by_label(re.compile("Send my reminders by email")).check()
    page.get_by_role("button", name="Save reminders").click()
    expect(page.get_by_role("status").filter(has_text="Your reminders are saved.")).to_be_visible()
    assert Reminder.objects.get(user=alice, kind="checkin").enabled

    # The clock reaches the reminder's time: the round sends it.
    assert queue_due_reminders(now=now + dt.timedelta(seconds=30)) == 1
    [(to, message)] = smtp.received
    assert to == [alice.email]
    body = message.get_payload()
    assert "today's check-in" in body
    opened = re.search(r"Open Rewire: https://rewire\.example\.org(\S+)", body).group(1)
    off = re.search(r"Turn off this reminder: https://rewire\.example\.org(\S+)", body).group(1)

    page.goto(live_server.url + opened)
    expect(page.get_by_role("heading", name="How is your pain right now?")).to_be_visible()
    page.goto(live_server.url + off)
    page.get_by_role("button", name="Turn it off").click()
    expect(page.get_by_role("heading", name="Turned off")).to_be_visible()
    assert not Reminder.objects.get(user=alice, kind="checkin").enabled
    watch.assert_clean()


# Reminders as notifications (Web Push)


def tls_files(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1: a push service is an https address (the app
    refuses any other), so the local one speaks TLS, trusted through REQUESTS_CA_BUNDLE."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Local push service")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "push-service.pem", folder / "push-service.key"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


@pytest.fixture
def push_service(settings, tmp_path, monkeypatch):
    """The local push service of tests/factories/push_service.py (it checks the VAPID
    signature against the server's key and decrypts with the browser's keys), here over TLS,
    as the app takes only an https endpoint; and this test's own VAPID key pair."""
    settings.REWIRE_HOME = tmp_path
    push.vapid.cache_clear()
    cert_file, key_file = tls_files(tmp_path)
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert_file, key_file)
    service = PushService()
    service.server.socket = tls.wrap_socket(service.server.socket, server_side=True)
    service.origin = f"https://127.0.0.1:{service.server.server_port}"
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(cert_file))
    yield service
    service.stop()
    service.server.server_close()
    push.vapid.cache_clear()


def browser_subscription(service: PushService, path: str) -> dict:
    """What PushManager.subscribe() would give (it fails in Playwright's off-the-record
    contexts): an endpoint at the local service, and the keys the "browser" keeps to decrypt."""
    private = ec.generate_private_key(ec.SECP256R1())
    auth = os.urandom(16)
    service.browsers[path] = (private, auth)
    public = private.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return {
        "endpoint": service.origin + path,
        "expirationTime": None,
        "keys": {"p256dh": b64url(public), "auth": b64url(auth)},
    }


# As push.js sends the subscription: to the button's address, with the page's CSRF token.
SEND_SUBSCRIPTION = """async (subscription) => {
  const button = document.querySelector("[data-push-allow]");
  const token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
  const response = await fetch(button.dataset.url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": token },
    body: JSON.stringify(subscription),
  });
  return { status: response.status, detail: (await response.json()).detail };
}"""

SHOWN = """navigator.serviceWorker.ready
  .then((registration) => registration.getNotifications())
  .then((shown) => shown.map((n) => ({ title: n.title, body: n.body, tag: n.tag, data: n.data })))
"""


def poll(page: Page, script: str, seconds: float = 10, *, give_up: bool = True):
    """page.evaluate until it gives something truthy (wait_for_function awaits no promise).
    After `seconds`: an assertion error, or (give_up=False) the falsy answer."""
    deadline = time.monotonic() + seconds
    while not (found := page.evaluate(script)):
        if time.monotonic() >= deadline:
            assert not give_up, f"nothing from {script!r}"
            return found
        page.wait_for_timeout(100)
    return found


def worker_registrations(page: Page, cdp, scope: str) -> list[str]:
    """The ids DevTools knows the service worker registrations for `scope` by, the page's own
    first: the one with an activated version that controls a page. (DevTools may also report
    the registration of an earlier test's context, closed but not yet torn down.)"""
    registrations, versions = [], []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda e: registrations.extend(e["registrations"]),
    )
    cdp.on("ServiceWorker.workerVersionUpdated", lambda e: versions.extend(e["versions"]))
    cdp.send("ServiceWorker.enable")  # reports every registration and version there is
    deadline = time.monotonic() + 20
    while True:
        ours = {r["registrationId"] for r in registrations if r["scopeURL"] == scope}
        ours -= {r["registrationId"] for r in registrations if r["isDeleted"]}
        controlling = [
            v["registrationId"]
            for v in versions
            if v["registrationId"] in ours and v["status"] == "activated" and v["controlledClients"]
        ]
        if controlling:
            return list(dict.fromkeys(controlling)) + sorted(ours - set(controlling))
        assert time.monotonic() < deadline, f"none for {scope}: {registrations} {versions}"
        page.wait_for_timeout(100)


def test_a_reminder_turned_on_arrives_by_push_and_the_service_worker_shows_it(
    alice_page: Page, live_server, alice, push_service, settings, watch
):
    settings.REWIRE_BASE_URL = "https://rewire.example.org"
    page = alice_page
    # The person allows notifications (before the service worker starts: one started before
    # may not see the permission yet, and drop the push).
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    now = dt.datetime.now(alice.zone).replace(hour=14, minute=5, second=0, microsecond=0)
    # Yesterday's check-in, full of health data a notification must not carry.
    yesterday = (now - dt.timedelta(days=1)).astimezone(dt.UTC).isoformat()
    assert post(token_client(alice), {**FULL, "recorded_at": yesterday}).status_code == 201

    page.goto(f"{live_server.url}/settings/reminders")
    page.get_by_label("Daily check-in", exact=True).check()
    page.locator("#id_checkin_at").fill(f"{now:%H:%M}")
    page.get_by_label("Quiet from").fill("")
    page.get_by_label("Quiet until").fill("")
    page.get_by_label(re.compile("Send my reminders by email")).uncheck()  # push alone
    page.get_by_role("button", name="Save reminders").click()
    expect(page.get_by_role("status").filter(has_text="Your reminders are saved.")).to_be_visible()

    # This device allows notifications: its subscription goes to the page's own route.
    allow = page.get_by_role("button", name="Allow notifications on this device")
    expect(allow).to_be_visible()  # push.js found what it needs in this browser
    # The key the browser would subscribe with is the one the server signs with.
    assert allow.get_attribute("data-key") == push.application_server_key()
    sent = page.evaluate(SEND_SUBSCRIPTION, browser_subscription(push_service, "/ok/chromium"))
    assert sent == {"status": 201, "detail": "This device will show your reminders."}
    page.reload()
    expect(page.get_by_text("They are on for 1 device.")).to_be_visible()
    assert ReminderSettings.objects.get(user=alice).by_push

    # The clock reaches the reminder's time: the round pushes it, signed and encrypted.
    assert queue_due_reminders(now=now + dt.timedelta(seconds=30)) == 1
    assert push_service.refused == []
    [(path, claims, payload)] = push_service.received
    assert path == "/ok/chromium" and claims["sub"] == "mailto:rewire@localhost"
    assert payload["title"] == "Rewire"
    assert payload["body"] == "A reminder you asked for: today's check-in."
    opened = re.fullmatch(r"https://rewire\.example\.org(/reminders/open/\S+)", payload["url"])
    assert sorted(payload) == ["body", "title", "url"] and opened
    words = payload["title"] + " " + payload["body"]
    assert not re.search(r"\d", words)  # no pain score, no number at all
    text = json.dumps(payload).lower()
    for health in ("pain", "anxious", "hopeful", "never gets", "rough", "sitting", "walk", "alice"):
        assert health not in text

    # The service worker shows it (the browser's push service would hand it the payload).
    assert page.evaluate("Notification.permission") == "granted"
    scope = poll(page, "navigator.serviceWorker.ready.then((r) => r.active && r.scope)")
    assert scope == live_server.url + "/"
    cdp = page.context.new_cdp_session(page)
    [registration, *_] = worker_registrations(page, cdp, scope)
    message = {"origin": live_server.url, "registrationId": registration}
    # DevTools now and then drops a delivery here (about 1 in 6 runs, whatever the wait): it is
    # sent again, as a push service retries what was not taken. The tag keeps it one notice.
    for _ in range(5):
        cdp.send("ServiceWorker.deliverPushMessage", {**message, "data": json.dumps(payload)})
        if shown := poll(page, SHOWN, seconds=5, give_up=False):
            break
    assert shown, "the service worker showed no notification after 5 deliveries"
    assert shown == [
        {
            "title": "Rewire",
            "body": "A reminder you asked for: today's check-in.",
            "tag": "rewire-reminder",
            "data": {"url": payload["url"]},
        }
    ]

    # Its link opens the check-in (and the reminder counts as answered).
    page.goto(live_server.url + opened.group(1))
    expect(page.get_by_role("heading", name="How is your pain right now?")).to_be_visible()
    assert Delivery.objects.get(user=alice, kind="checkin").opened_at is not None
    watch.assert_clean()
