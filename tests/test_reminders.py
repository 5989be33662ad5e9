"""Reminders the person controls (issue 15): the page and the API, the round that finds what is
due and records it once, the email through a real SMTP server (aiosmtpd) with no health data,
its links (open; turn off in one tap), the slower rate after three ignored, and the export."""

import datetime as dt
import json
import re
import time
from zoneinfo import ZoneInfo

import pytest
from django.core import signing
from helpers import FULL, open_programme, post, signed_in, token_client

from rewire.core.errors import InvalidEntry
from rewire.core.portability import export_diary, import_diary
from rewire.exposure.models import ExposureAttempt, Rung
from rewire.program import actions as program
from rewire.program.models import SessionCompletion
from rewire.reminders import actions
from rewire.reminders.messages import SALTS, token_for
from rewire.reminders.models import Delivery, Reminder, ReminderSettings
from rewire.reminders.tasks import queue_due_reminders, send_reminder

LONDON = ZoneInfo("Europe/London")


def at_london(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 1, day, hour, minute, tzinfo=LONDON)


@pytest.fixture
def evening_checkin(alice):
    """alice (Europe/London) asks for a check-in reminder at 20:00, by email."""
    return actions.set_reminders(
        user=alice,
        quiet_from=dt.time(22),
        quiet_until=dt.time(7),
        daily_cap=3,
        by_email=True,
        times={"checkin": dt.time(20, 0)},
        enabled={"checkin"},
    )


def choices(**changes) -> dict:
    base = {
        "quiet_from": "22:00",
        "quiet_until": "07:00",
        "daily_cap": "3",
        "by_email": "on",
        **{f"{kind}_at": "10:00" for kind in actions.schedule.KINDS},
        "checkin_at": "20:00",
        "checkin_on": "on",
    }
    return {key: value for key, value in (base | changes).items() if value is not None}


# The page


def test_the_page_saves_every_choice_and_shows_it_again(alice, alice_client):
    page = alice_client.get("/settings/reminders").content.decode()
    assert "Daily check-in" in page and "Quiet hours" in page
    assert "nothing about your pain or your diary" in page
    response = alice_client.post("/settings/reminders", choices(practice_on="on"))
    assert response.status_code == 302
    found = ReminderSettings.objects.get(user=alice)
    assert (found.quiet_from, found.quiet_until, found.daily_cap, found.by_email) == (
        dt.time(22),
        dt.time(7),
        3,
        True,
    )
    enabled = dict(Reminder.objects.for_user(alice).values_list("kind", "enabled"))
    assert enabled["checkin"] and enabled["practice"] and not enabled["session"]
    page = alice_client.get("/settings/reminders").content.decode()
    assert 'name="checkin_at" value="20:00"' in page


@pytest.mark.parametrize(
    "changes, field, reason",
    [
        ({"checkin_at": "23:00"}, "checkin_at", "in your quiet hours"),
        ({"quiet_until": ""}, "quiet_until", "both ends"),
        ({"daily_cap": "0"}, "daily_cap", "From 1 to 10"),
        ({"checkin_at": "8pm"}, "checkin_at", "such as 20:00"),
    ],
)
def test_a_choice_that_cannot_work_is_refused_beside_its_field(
    alice, alice_client, changes, field, reason
):
    response = alice_client.post("/settings/reminders", choices(**changes))
    assert response.status_code == 422
    page = response.content.decode()
    assert re.search(rf'id="id_{field}_error">[^<]*{reason}', page), page[-3000:]
    assert not Reminder.objects.for_user(alice).exists()


def test_a_break_of_a_few_days_and_its_end(alice, alice_client, evening_checkin):
    alice_client.post("/settings/reminders/snooze", {"days": "3"})
    found = ReminderSettings.objects.get(user=alice)
    assert found.snoozed_until > dt.datetime.now(dt.UTC) + dt.timedelta(days=2, hours=23)
    assert "No reminders until" in alice_client.get("/settings/reminders").content.decode()
    alice_client.post("/settings/reminders/snooze", {"days": "off"})
    assert ReminderSettings.objects.get(user=alice).snoozed_until is None


# The round: due once, never after the thing is done, never twice


def test_the_round_records_a_reminder_once_at_its_time(alice, evening_checkin):
    assert actions.due_deliveries(alice, now=at_london(15, 19, 59)) == []
    [delivery] = actions.due_deliveries(alice, now=at_london(15, 20, 1))
    assert (delivery.kind, delivery.local_date) == ("checkin", dt.date(2026, 1, 15))
    assert actions.due_deliveries(alice, now=at_london(15, 20, 2)) == []  # never twice
    assert len(actions.due_deliveries(alice, now=at_london(16, 20, 1))) == 1  # the next day


def test_nothing_once_the_day_has_a_check_in(alice, evening_checkin):
    post(token_client(alice), {**FULL, "recorded_at": at_london(15, 9).isoformat()})
    assert actions.due_deliveries(alice, now=at_london(15, 20, 1)) == []


def test_nothing_without_email_or_while_on_a_break(alice, evening_checkin):
    ReminderSettings.objects.filter(user=alice).update(by_email=False)
    assert actions.due_deliveries(alice, now=at_london(15, 20, 1)) == []
    ReminderSettings.objects.filter(user=alice).update(
        by_email=True, snoozed_until=at_london(16, 0)
    )
    assert actions.due_deliveries(alice, now=at_london(15, 20, 1)) == []


def test_three_ignored_in_a_row_slow_it_down_and_the_page_asks(
    alice, alice_client, evening_checkin
):
    for day in (10, 11, 12):
        assert len(sent(actions.due_deliveries(alice, now=at_london(day, 20, 1)))) == 1
    assert len(sent(actions.due_deliveries(alice, now=at_london(13, 20, 1)))) == 1
    reminder = Reminder.objects.get(user=alice, kind="checkin")
    assert (reminder.every_days, reminder.ask_to_keep) == (2, True)
    assert actions.due_deliveries(alice, now=at_london(14, 20, 1)) == []  # every other day
    assert len(actions.due_deliveries(alice, now=at_london(15, 20, 1))) == 1
    page = alice_client.get("/settings/reminders").content.decode()
    assert "Keep “Daily check-in”?" in page and "every 2 days" in page
    alice_client.post("/settings/reminders/checkin/keep", {})  # neither: nothing changes
    assert Reminder.objects.get(user=alice, kind="checkin").enabled
    alice_client.post("/settings/reminders/checkin/keep", {"keep": "yes"})
    reminder = Reminder.objects.get(user=alice, kind="checkin")
    assert reminder.enabled and not reminder.ask_to_keep


def test_a_day_done_without_a_reminder_breaks_the_run_of_ignored_ones(alice, evening_checkin):
    for day in (10, 11):
        sent(actions.due_deliveries(alice, now=at_london(day, 20, 1)))
    post(token_client(alice), {**FULL, "recorded_at": at_london(12, 9).isoformat()})
    assert actions.due_deliveries(alice, now=at_london(12, 20, 1)) == []
    sent(actions.due_deliveries(alice, now=at_london(13, 20, 1)))
    reminder = Reminder.objects.get(user=alice, kind="checkin")
    assert (reminder.every_days, reminder.ask_to_keep) == (1, False)


def test_a_reminder_the_server_failed_to_send_is_not_ignored_and_is_sent_again(
    alice, evening_checkin, smtp
):
    for day in (10, 11, 12):  # recorded, never sent (the mail server was down all day)
        actions.due_deliveries(alice, now=at_london(day, 20, 1))
    actions.due_deliveries(alice, now=at_london(13, 20, 1))
    Delivery.objects.filter(local_date=dt.date(2026, 1, 13)).update(created_at=at_london(13, 20, 1))
    assert Reminder.objects.get(user=alice, kind="checkin").every_days == 1
    # Still in its window, unsent after ten minutes: the round queues it again, once.
    assert queue_due_reminders(now=at_london(13, 20, 15)) == 1
    assert len(smtp.received) == 1
    assert queue_due_reminders(now=at_london(13, 20, 16)) == 0


def sent(deliveries):
    """As the email task marks them once the mail server took them."""
    Delivery.objects.filter(pk__in=[d.pk for d in deliveries]).update(sent_at=at_london(1, 0))
    return deliveries


def test_a_reminder_opened_by_its_person_is_not_ignored_but_a_link_scanner_does_not_count(
    alice, alice_client, client, evening_checkin
):
    for day in (10, 11, 12):
        [delivery] = sent(actions.due_deliveries(alice, now=at_london(day, 20, 1)))
        link = f"/reminders/open/{token_for(delivery, 'open')}"
        scanned = client.get(link)  # a mail scanner, signed out: on to sign-in, not counted
        assert scanned.status_code == 302 and scanned.url.startswith("/accounts/login?next=")
        assert Delivery.objects.get(pk=delivery.pk).opened_at is None
        assert alice_client.get(link).url == "/"
    actions.due_deliveries(alice, now=at_london(13, 20, 1))
    reminder = Reminder.objects.get(user=alice, kind="checkin")
    assert (reminder.every_days, reminder.ask_to_keep, reminder.ignored_in_a_row) == (1, False, 0)


# The email and its links


def test_the_round_sends_an_email_with_no_health_data_and_working_links(
    alice, evening_checkin, smtp, client, settings, time_machine=None
):
    post(
        token_client(alice), {**FULL, "note": "my secret back", "recorded_at": "2026-01-01T09:00Z"}
    )
    delivery = Delivery.objects.create(user=alice, kind="checkin", local_date=alice.today())
    send_reminder(delivery.pk)  # huey's immediate mode in the suite: sent at once
    send_reminder(delivery.pk)  # queued twice: sent once
    [(to, message)] = smtp.received
    assert to == ["alice@example.com"]
    assert message["Subject"] == "Rewire: a reminder you asked for"
    body = message.get_payload()
    assert "today's check-in" in body and "no streak to keep" in body
    for secret in ("secret back", "pain 6", "Anxious"):
        assert secret not in body
    off = re.search(r"Turn off this reminder: https://rewire\.example\.org(\S+)", body).group(1)
    opened = re.search(r"Open Rewire: https://rewire\.example\.org(\S+)", body).group(1)
    assert message["List-Unsubscribe"].strip() == f"<https://rewire.example.org{off}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Open, as alice: counted as not ignored, then on to the check-in.
    response = signed_in(alice).get(opened)
    assert response.status_code == 302 and response.url == "/"
    delivery.refresh_from_db()
    assert delivery.opened_at is not None and delivery.sent_at is not None
    # The open link is not the key to turning it off.
    assert client.get(opened.replace("/open/", "/off/")).status_code == 404
    # Turn off: one button, no sign-in; or a mail client's one-click POST.
    page = client.get(off).content.decode()
    assert "Turn off “Daily check-in” reminders?" in page
    assert client.post(off, {"List-Unsubscribe": "One-Click"}).status_code == 204
    assert not Reminder.objects.get(user=alice, kind="checkin").enabled
    # Turned off: a reminder already queued sends nothing.
    later = Delivery.objects.create(user=alice, kind="checkin", local_date=dt.date(2026, 2, 1))
    send_reminder(later.pk)
    assert len(smtp.received) == 1


def test_a_forged_altered_or_expired_link_is_404(alice, client, evening_checkin):
    delivery = Delivery.objects.create(user=alice, kind="checkin", local_date=alice.today())
    token = token_for(delivery, "off")
    assert client.get(f"/reminders/off/{token}x").status_code == 404
    other_salt = signing.dumps(delivery.pk, salt="other")
    assert client.get(f"/reminders/open/{other_salt}").status_code == 404
    no_such = signing.dumps(delivery.pk + 1, salt=SALTS["off"])
    assert client.get(f"/reminders/off/{no_such}").status_code == 404
    signer = signing.TimestampSigner(salt=SALTS["off"])
    fresh = signer.sign_object(delivery.pk)
    assert client.get(f"/reminders/off/{fresh}").status_code == 200
    signer.timestamp = lambda: signing.b62_encode(int(time.time()) - 31 * 24 * 3600)
    assert client.get(f"/reminders/off/{signer.sign_object(delivery.pk)}").status_code == 404
    assert Reminder.objects.get(user=alice, kind="checkin").enabled


def test_the_minute_round_queues_what_is_due_for_everyone_once(alice, carol, evening_checkin, smtp):
    # carol has reminders too, but not by email: nothing for her.
    actions.set_reminders(
        user=carol, quiet_from=None, quiet_until=None, daily_cap=3, by_email=False,
        times={}, enabled={"checkin"},
    )  # fmt: skip
    assert queue_due_reminders(now=at_london(15, 20, 1)) == 1
    assert [to for to, _ in smtp.received] == [["alice@example.com"]]
    assert queue_due_reminders(now=at_london(15, 20, 2)) == 0  # never twice a day


def test_the_next_session_reminder_waits_for_the_sessions_day_at_the_persons_pace(alice):
    """At the trial's pace, session 2 opens 3 days after session 1 was done: nothing to
    remind of before that day, nor on the day a session was done; then it is due."""
    open_programme(alice)
    for session in ("intake", "evidence"):
        program.complete_session(user=alice, session_id=session)
    done_on = at_london(12, 9)  # Monday 12 January
    SessionCompletion.objects.filter(user=alice).update(completed_at=done_on)
    monday = done_on.date()
    assert [
        actions.nothing_to_remind(alice, "session", monday + dt.timedelta(days=n)) for n in range(5)
    ] == [True, True, True, False, False]
    program.set_pace(user=alice, pace="every_day")
    assert not actions.nothing_to_remind(alice, "session", monday + dt.timedelta(days=1))


def test_the_ladder_reminder_asks_only_while_yesterdays_try_waits_for_its_next_day_pain(alice):
    rung = Rung.objects.create(
        user=alice, activity="A short walk", activity_key="a short walk", fear=40,
        expected_pain=5, harm=20,
    )  # fmt: skip
    tried = at_london(14, 11)
    attempt = ExposureAttempt.objects.create(
        user=alice, rung=rung, started_at=tried, local_date=tried.date(), fear_before=40,
        predicted_pain=5, predicted_harm=20,
    )  # fmt: skip
    next_day = tried.date() + dt.timedelta(days=1)
    assert actions.nothing_to_remind(alice, "ladder_next_day", next_day)  # not finished
    ExposureAttempt.objects.filter(pk=attempt.pk).update(finished_at=tried, actual_pain=3)
    assert not actions.nothing_to_remind(alice, "ladder_next_day", next_day)
    assert actions.nothing_to_remind(alice, "ladder_next_day", next_day + dt.timedelta(days=1))
    ExposureAttempt.objects.filter(pk=attempt.pk).update(next_day_pain=2)
    assert actions.nothing_to_remind(alice, "ladder_next_day", next_day)  # answered


def test_cleanup_removes_the_log_after_sixteen_days(alice, evening_checkin):
    old = Delivery.objects.create(user=alice, kind="checkin", local_date=dt.date(2026, 1, 1))
    recent = Delivery.objects.create(user=alice, kind="checkin", local_date=dt.date(2026, 1, 2))
    Delivery.objects.filter(pk=old.pk).update(
        created_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=17)
    )
    assert actions.forget_old_deliveries(now=dt.datetime.now(dt.UTC)) == 1
    assert list(Delivery.objects.values_list("pk", flat=True)) == [recent.pk]


# The API and the export


def test_the_api_reads_replaces_and_snoozes(alice, carol):
    api = token_client(alice)
    read = api.get("/api/v1/reminders").json()
    assert [r["kind"] for r in read["reminders"]] == list(actions.schedule.KINDS)
    assert not any(r["enabled"] for r in read["reminders"])
    body = {
        "quiet_from": "22:00",
        "quiet_until": "07:00",
        "daily_cap": 2,
        "by_email": True,
        "reminders": [{"kind": "checkin", "at": "20:30", "enabled": True}],
    }
    replaced = api.put("/api/v1/reminders", json.dumps(body), content_type="application/json")
    assert replaced.status_code == 200
    checkin = next(r for r in replaced.json()["reminders"] if r["kind"] == "checkin")
    assert checkin == {
        "kind": "checkin",
        "at": "20:30",
        "enabled": True,
        "every_days": 1,
        "ask_to_keep": False,
        "label": "Daily check-in",
    }
    again = api.put("/api/v1/reminders", json.dumps(body), content_type="application/json")
    assert again.json() == replaced.json()
    for bad in ("8pm", "20:00:00Z", 0, "24:00"):
        wrong = {**body, "reminders": [{"kind": "checkin", "at": bad, "enabled": True}]}
        refused = api.put("/api/v1/reminders", json.dumps(wrong), content_type="application/json")
        assert refused.status_code == 422, bad
        assert refused.json()["detail"][0]["loc"] == ["body", "reminders", 0, "at"]
    in_quiet = {**body, "reminders": [{"kind": "checkin", "at": "23:00", "enabled": True}]}
    refused = api.put("/api/v1/reminders", json.dumps(in_quiet), content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "reminders", 0, "at"]
    snoozed = api.post(
        "/api/v1/reminders/snooze", json.dumps({"days": "7"}), content_type="application/json"
    )
    assert snoozed.json()["snoozed_until"] is not None
    # carol's reminders are her own.
    assert not any(
        r["enabled"] for r in token_client(carol).get("/api/v1/reminders").json()["reminders"]
    )


def test_the_choices_round_trip_through_the_export_and_the_log_is_left_out(
    alice, carol, evening_checkin
):
    Delivery.objects.create(user=alice, kind="checkin", local_date=alice.today())
    document = export_diary(alice)
    assert document["reminders"]["quiet_from"] == "22:00"
    assert document["reminders"]["reminders"][0] == {
        "kind": "checkin",
        "at": "20:00",
        "enabled": True,
        "every_days": 1,
    }
    import_diary(carol, json.loads(json.dumps(document)))
    assert export_diary(carol)["reminders"] == document["reminders"]
    assert not Delivery.objects.for_user(carol).exists()


def test_an_import_replaces_the_choices_and_refuses_an_endless_break(alice, carol, evening_checkin):
    document = export_diary(alice)
    actions.set_reminders(
        user=carol, quiet_from=None, quiet_until=None, daily_cap=3, by_email=True,
        times={"practice": dt.time(23, 30)}, enabled={"practice"},
    )  # fmt: skip
    import_diary(carol, json.loads(json.dumps(document)))
    enabled = dict(Reminder.objects.for_user(carol).values_list("kind", "enabled"))
    assert enabled["checkin"] and not enabled["practice"]  # not left on in quiet hours
    assert not any(on for kind, on in enabled.items() if kind != "checkin")
    document["reminders"]["snoozed_until"] = "2999-01-01T00:00:00+00:00"
    with pytest.raises(Exception) as refused:  # noqa: B017 - ImportRejected, checked below
        import_diary(carol, document)
    assert refused.value.errors[0]["loc"] == ["reminders", "snoozed_until"]


def test_an_imported_reminder_in_quiet_hours_is_refused_at_its_place(alice, carol, evening_checkin):
    document = export_diary(alice)
    document["reminders"]["reminders"][0]["at"] = "23:30"
    with pytest.raises(Exception) as refused:  # noqa: B017 - ImportRejected, checked below
        import_diary(carol, document)
    assert refused.value.errors[0]["loc"] == ["reminders", "reminders", 0, "at"]
    assert not Reminder.objects.for_user(carol).exists()


def test_the_action_refuses_an_unknown_kind(alice):
    with pytest.raises(InvalidEntry) as refused:
        actions.set_reminders(
            user=alice, quiet_from=None, quiet_until=None, daily_cap=3, by_email=True,
            times={"dinner": dt.time(19)}, enabled={"dinner"},
        )  # fmt: skip
    assert refused.value.problems == {"dinner": "No such reminder."}
