"""The programme's actions: every write, on the real database, for alice; carol's objects are
never reachable through them."""

import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone

from rewire.core.errors import InvalidEntry
from rewire.diary.actions import record_checkin
from rewire.diary.entry import CheckInEntry
from rewire.program import actions
from rewire.program.models import (
    FlarePlanStep,
    Practice,
    SafetyMessage,
    SessionCompletion,
    ThoughtRecord,
)
from rewire.program.rules import AttributionEntry, PracticeEntry, ThoughtRecordEntry


def test_sessions_are_completed_in_order_once(alice):
    with pytest.raises(InvalidEntry) as refused:
        actions.complete_session(user=alice, session_id="evidence")
    assert "session" in refused.value.problems
    first = actions.complete_session(user=alice, session_id="intake")
    again = actions.complete_session(user=alice, session_id="intake")
    assert again.pk == first.pk
    actions.complete_session(user=alice, session_id="evidence")
    assert set(actions.completed_sessions(alice)) == {"intake", "evidence"}
    with pytest.raises(Http404):
        actions.complete_session(user=alice, session_id="no_such_session")


def test_a_practice_keeps_its_times_ratings_and_local_date(alice):
    alice.timezone = "Pacific/Auckland"
    alice.save()
    started = dt.datetime(2026, 3, 1, 11, 30, tzinfo=dt.UTC)  # 00:30 on 2 March in Auckland
    practice = actions.record_practice(
        user=alice,
        entry=PracticeEntry(
            kind="somatic_tracking",
            started_at=started,
            finished_at=started + dt.timedelta(minutes=6),
            ratings={"pain": (7, 4), "threat": (8, 3)},
            note="  calmer  ",
        ),
    )
    stored = Practice.objects.get(pk=practice.pk)
    assert (stored.pain_before, stored.pain_after, stored.threat_before, stored.threat_after) == (
        7,
        4,
        8,
        3,
    )
    assert stored.mood_before is None
    assert stored.local_date == dt.date(2026, 3, 2)
    assert stored.note == "calmer"


def test_an_invalid_practice_writes_nothing(alice):
    with pytest.raises(InvalidEntry):
        actions.record_practice(
            user=alice,
            entry=PracticeEntry(
                kind="savouring",
                started_at=timezone.now(),
                finished_at=timezone.now(),
                ratings={"mood": (None, 5)},
            ),
        )
    assert not Practice.objects.exists()


def test_safety_messages_and_the_flare_plan(alice, carol):
    message = actions.add_safety_message(user=alice, text="  I am safe.  ")
    second = actions.add_safety_message(user=alice, text="This will pass.")
    assert (message.text, message.position, second.position) == ("I am safe.", 0, 1)
    actions.update_safety_message(user=alice, pk=message.pk, text="I am safe right now.")
    with pytest.raises(Http404):
        actions.update_safety_message(user=carol, pk=message.pk, text="mine now")
    with pytest.raises(Http404):
        actions.delete_safety_message(user=carol, pk=message.pk)
    with pytest.raises(InvalidEntry):
        actions.add_safety_message(user=alice, text="   ")
    assert list(SafetyMessage.objects.for_user(alice).values_list("text", flat=True)) == [
        "I am safe right now.",
        "This will pass.",
    ]

    actions.set_flare_plan(user=alice, steps=["Breathe out", "", "  Track  "])
    actions.set_flare_plan(user=carol, steps=["Carol's own"])
    actions.set_flare_plan(user=alice, steps=["Track", "Breathe out"])
    assert list(FlarePlanStep.objects.for_user(alice).values_list("text", flat=True)) == [
        "Track",
        "Breathe out",
    ]
    assert FlarePlanStep.objects.for_user(carol).count() == 1
    with pytest.raises(InvalidEntry):
        actions.set_flare_plan(user=alice, steps=["x" * 501])
    assert FlarePlanStep.objects.for_user(alice).count() == 2  # nothing half-written


def test_evidence_and_attribution(alice, carol):
    evidence = actions.add_evidence(user=alice, kind="moves_or_spreads", example="Left, then right")
    with pytest.raises(InvalidEntry) as refused:
        actions.update_evidence(user=alice, pk=evidence.pk, kind="vibes", example="x")
    assert "kind" in refused.value.problems
    with pytest.raises(Http404):
        actions.delete_evidence(user=carol, pk=evidence.pk)

    attribution = actions.record_attribution(
        user=alice,
        entry=AttributionEntry(
            recorded_at=timezone.now(), causes=[("Disc", "body"), ("Stress at work", "mind")]
        ),
    )
    assert [(c.text, c.category) for c in attribution.causes.all()] == [
        ("Disc", "body"),
        ("Stress at work", "mind"),
    ]
    with pytest.raises(Http404):
        actions.get_attribution_for(carol, attribution.pk)


def test_a_thought_record_starts_from_ones_own_check_in_only(alice, carol):
    checkin = record_checkin(
        user=alice,
        entry=CheckInEntry(pain=7, recorded_at=timezone.now(), thought="It will never stop"),
    )
    entry = ThoughtRecordEntry(
        recorded_at=timezone.now(),
        automatic_thought="It will never stop",
        emotions=[("Afraid", 8, 4)],
        traps=["catastrophising"],
        reappraisal="Flares have passed before.",
        checkin=checkin.pk,
    )
    record = actions.record_thought_record(user=alice, entry=entry)
    assert record.checkin_id == checkin.pk
    assert [(e.name, e.before, e.after) for e in record.emotions.all()] == [("afraid", 8, 4)]

    with pytest.raises(InvalidEntry) as refused:
        actions.record_thought_record(user=carol, entry=entry)
    assert "checkin" in refused.value.problems
    assert ThoughtRecord.objects.for_user(carol).count() == 0

    entry.emotions = [("afraid", 8, 2), ("hopeful", 2, 5)]
    actions.update_thought_record(user=alice, pk=record.pk, entry=entry)
    assert record.emotions.count() == 2
    with pytest.raises(Http404):
        actions.update_thought_record(user=carol, pk=record.pk, entry=entry)

    checkin.delete()
    record.refresh_from_db()
    assert record.checkin_id is None  # the record stays when its check-in goes


def test_completions_belong_to_their_user(alice, carol):
    actions.complete_session(user=alice, session_id="intake")
    assert SessionCompletion.objects.for_user(carol).count() == 0
    assert actions.completed_sessions(carol) == {}
