"""Reminders as notifications (Web Push, issue 15), against a push service of our own on
127.0.0.1 that does what a real one must: it checks the VAPID signature (RFC 8292) against the
server's public key and decrypts the payload (RFC 8291) with the keys only the subscribed
browser holds. It finds no health data; a subscription the service says is gone is removed."""

import json

import pytest
from factories.push_service import PushService
from helpers import FULL, post, token_client

from rewire.core.errors import InvalidEntry
from rewire.reminders import actions, push
from rewire.reminders.models import Delivery, PushSubscription, ReminderSettings
from rewire.reminders.tasks import send_reminder


@pytest.fixture
def service():
    running = PushService()
    yield running
    running.stop()


@pytest.fixture
def pushed_checkin(alice, settings, tmp_path):
    settings.REWIRE_HOME = tmp_path  # this test's own VAPID key pair, made on first use
    push.vapid.cache_clear()
    actions.set_reminders(
        user=alice, quiet_from=None, quiet_until=None, daily_cap=3, by_email=False,
        times={}, enabled={"checkin"}, by_push=True,
    )  # fmt: skip
    yield
    push.vapid.cache_clear()


def test_a_reminder_pushed_is_signed_encrypted_and_holds_no_health_data(
    alice, service, pushed_checkin, settings
):
    post(
        token_client(alice), {**FULL, "note": "my secret back", "recorded_at": "2026-01-01T09:00Z"}
    )
    service.subscribe(alice, "/ok/phone")
    service.subscribe(alice, "/ok/laptop")
    delivery = Delivery.objects.create(user=alice, kind="checkin", local_date=alice.today())
    send_reminder(delivery.pk)
    assert service.refused == []
    assert sorted(path for path, _, _ in service.received) == ["/ok/laptop", "/ok/phone"]
    _, claims, payload = service.received[0]
    assert claims["sub"] == "mailto:rewire@localhost"
    assert payload["title"] == "Rewire"
    assert payload["body"] == "A reminder you asked for: today's check-in."
    assert payload["url"].startswith(settings.REWIRE_BASE_URL.rstrip("/") + "/reminders/open/")
    text = json.dumps(payload)
    for secret in ("secret back", "Anxious", "pain", "alice"):
        assert secret not in text
    # The key pair was made once and kept, readable by its owner only.
    key_file = push.key_file()
    assert key_file.exists() and oct(key_file.stat().st_mode)[-3:] == "600"
    first_key = push.application_server_key()
    push.vapid.cache_clear()
    assert push.application_server_key() == first_key


def test_a_subscription_the_push_service_says_is_gone_is_removed(alice, service, pushed_checkin):
    service.subscribe(alice, "/gone/old-phone")
    service.subscribe(alice, "/ok/new-phone")
    delivery = Delivery.objects.create(user=alice, kind="checkin", local_date=alice.today())
    send_reminder(delivery.pk)
    assert [s.endpoint.rsplit("/", 1)[-1] for s in PushSubscription.objects.for_user(alice)] == [
        "new-phone"
    ]
    assert [path for path, _, _ in service.received] == ["/ok/new-phone"]


def test_push_alone_is_enough_for_the_round(alice, service, pushed_checkin):
    import datetime as dt
    from zoneinfo import ZoneInfo

    at = dt.datetime(2026, 1, 15, 20, 1, tzinfo=ZoneInfo("Europe/London"))
    assert actions.due_deliveries(alice, now=at) == []  # push on, but no device yet
    service.subscribe(alice, "/ok/phone")
    assert len(actions.due_deliveries(alice, now=at)) == 1


def test_a_device_is_added_from_the_page_and_all_turned_off(alice, alice_client):
    subscription = {
        "endpoint": "https://push.example.org/send/abc123",
        "keys": {
            "p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQ",
            "auth": "tBHItJI5svbpez7KI4CCXg",
        },
    }
    response = alice_client.post(
        "/settings/reminders/push", json.dumps(subscription), content_type="application/json"
    )
    assert response.status_code == 201
    again = alice_client.post(
        "/settings/reminders/push", json.dumps(subscription), content_type="application/json"
    )
    assert again.status_code == 201 and PushSubscription.objects.for_user(alice).count() == 1
    assert ReminderSettings.objects.get(user=alice).by_push
    page = alice_client.get("/settings/reminders").content.decode()
    assert (
        "They are on for 1 device." in page
        and f'data-key="{push.application_server_key()}"' in page
    )
    alice_client.post("/settings/reminders/push/off")
    assert not PushSubscription.objects.for_user(alice).exists()
    assert not ReminderSettings.objects.get(user=alice).by_push


@pytest.mark.parametrize(
    "endpoint, p256dh, auth, field",
    [
        ("http://push.example.org/x", "BNc", "tBH", "endpoint"),
        ("https://push.example.org/x", "", "tBH", "p256dh"),
        ("https://push.example.org/x", "BNc", "not base64!", "auth"),
    ],
)
def test_a_subscription_that_is_not_one_is_refused(alice, endpoint, p256dh, auth, field):
    with pytest.raises(InvalidEntry) as refused:
        actions.add_push_subscription(user=alice, endpoint=endpoint, p256dh=p256dh, auth=auth)
    assert list(refused.value.problems) == [field]
    assert not PushSubscription.objects.exists()


def test_the_api_gives_the_key_takes_a_subscription_and_removes_them(alice, carol):
    api = token_client(alice)
    read = api.get("/api/v1/reminders/push").json()
    assert read == {"application_server_key": push.application_server_key(), "devices": 0}
    body = {
        "endpoint": "https://push.example.org/send/def456",
        "expirationTime": None,
        "keys": {"p256dh": "BNcRdreALRFXTkOOUHK1", "auth": "tBHItJI5svbpez7KI4CCXg"},
    }
    added = api.post("/api/v1/reminders/push", json.dumps(body), content_type="application/json")
    assert added.status_code == 201 and added.json()["devices"] == 1
    bad = {**body, "keys": {"p256dh": "BNc", "auth": "no spaces please"}}
    refused = api.post("/api/v1/reminders/push", json.dumps(bad), content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "keys", "auth"]
    assert token_client(carol).get("/api/v1/reminders/push").json()["devices"] == 0
    assert api.delete("/api/v1/reminders/push").status_code == 204
    assert not PushSubscription.objects.for_user(alice).exists()
