"""The warning signs over time: the added signs of cauda equina syndrome and of causes that
need their own care; older answers (asked before a sign was added) still import; and a
clinician reads the signs in words, with whether the person has confirmed an assessment."""

import dataclasses
import datetime as dt
import json

import pytest
from django.utils import timezone
from helpers import PASSWORD, signed_in, suited, token_client

from rewire.accounts.actions import create_user
from rewire.care import actions as care
from rewire.core.errors import ImportRejected
from rewire.core.portability import export_diary, import_diary
from rewire.diary import actions as diary
from rewire.diary.entry import CheckInEntry
from rewire.measures import actions
from rewire.measures.models import Screening, Suitability


def test_a_clinician_reads_the_signs_in_words_and_whether_they_were_assessed(alice):
    bob = create_user(email="bob@example.com", password=PASSWORD, role="clinician")
    _, code = care.create_invitation(user=alice, scopes=["questionnaires"])
    share = care.accept_invitation(clinician=bob, code=code)
    answers = {flag.id: flag.id in ("night_pain", "osteoporosis") for flag in actions.red_flags()}
    screening = actions.record_screening(user=alice, answers=answers)
    page = signed_in(bob).get(f"/care/patients/{share.pk}").content.decode()
    assert "Yes to: Constant pain at night; Known osteoporosis." in page
    assert "Not yet assessed by a clinician" in page
    assert "night_pain" not in page and "osteoporosis." not in page.replace(
        "Known osteoporosis.", ""
    )
    actions.confirm_assessed(user=alice, pk=screening.pk)
    page = signed_in(bob).get(f"/care/patients/{share.pk}").content.decode()
    assert "The person confirmed a clinician assessed this on" in page


def test_answers_from_before_a_sign_was_added_import_but_new_ones_must_answer_it(
    alice, carol, monkeypatch
):
    answers = {flag.id: False for flag in actions.red_flags()}
    actions.record_screening(user=alice, answers=answers)
    document = export_diary(alice)
    [screening] = document["measures"]["screenings"]
    added = {flag.id for flag in actions.red_flags() if flag.added is not None}
    assert added and added <= set(screening["answers"])
    older = {key: value for key, value in screening["answers"].items() if key not in added}
    # As if the signs had been added on 1 December 2026.
    flags = tuple(
        dataclasses.replace(flag, added=dt.date(2026, 12, 1)) if flag.id in added else flag
        for flag in actions.red_flags()
    )
    monkeypatch.setattr(actions, "red_flags", lambda: flags)

    # Asked on 30 November, before the signs were added: it imports as it was.
    before = {**screening, "answers": older, "answered_at": "2026-11-30T09:00:00+00:00"}
    document["measures"]["screenings"] = [before]
    import_diary(carol, document)
    assert export_diary(carol)["measures"]["screenings"] == [before]

    # The same answers dated after: the added signs are missing.
    late = create_user(email="late@example.com", password=PASSWORD)
    after = {**before, "answered_at": "2026-12-02T09:00:00+00:00"}
    document["measures"]["screenings"] = [after]
    with pytest.raises(ImportRejected) as rejected:
        import_diary(late, document)
    assert {e["loc"][-1] for e in rejected.value.errors} == added


# Asked again: every four weeks, and after an unusual flare.


def screened(user, **when):
    """The warning signs answered all no (`when`: that long ago), after answers on who the
    programme is for that fit (asked once, never again)."""
    if not Suitability.objects.for_user(user).exists():
        suited(user)
    screening = actions.record_screening(
        user=user, answers={flag.id: False for flag in actions.red_flags()}
    )
    if when:
        Screening.objects.filter(pk=screening.pk).update(
            answered_at=timezone.now() - dt.timedelta(**when)
        )
    return screening


def test_the_questions_come_back_after_four_weeks(alice):
    screened(alice, days=27)
    assert actions.programme_state(alice) == actions.OPEN
    Screening.objects.for_user(alice).update(answered_at=timezone.now() - dt.timedelta(days=29))
    assert actions.programme_state(alice) == actions.RECHECK
    screened(alice)
    assert actions.programme_state(alice) == actions.OPEN


def test_a_strong_flare_or_one_somewhere_new_brings_the_questions_back(alice):
    old = diary.record_checkin(
        user=alice,
        entry=CheckInEntry(
            pain=5,
            recorded_at=timezone.now() - dt.timedelta(days=3),
            body_areas=[("lower_back", 5)],
        ),
    )
    assert old.pk
    screened(alice)
    flare = diary.record_flare(user=alice, pain=8)
    assert actions.programme_state(alice) == actions.OPEN  # 8, and no area: as usual
    entry = diary.entry_from_checkin(flare)
    entry.body_areas = [("lower_back", 7)]
    diary.update_checkin(user=alice, pk=flare.pk, entry=entry)
    assert actions.programme_state(alice) == actions.OPEN  # an area marked before
    entry.body_areas = [("lower_back", 7), ("left_thigh", 6)]
    diary.update_checkin(user=alice, pk=flare.pk, entry=entry)
    assert actions.programme_state(alice) == actions.RECHECK  # somewhere new
    screened(alice)
    assert actions.programme_state(alice) == actions.OPEN
    diary.record_flare(user=alice, pain=9)
    assert actions.programme_state(alice) == actions.RECHECK  # unusually strong


def test_while_asked_again_the_programme_pauses_on_pages_and_in_the_api(alice, alice_client):
    screened(alice, days=40)
    page = alice_client.get("/programme", follow=True)
    assert page.redirect_chain[-1][0] == "/safety"
    assert "Time to answer the warning-sign questions again" in page.content.decode()
    assert "Please answer these questions again" in page.content.decode()
    api = token_client(alice)
    assert api.get("/api/v1/safety").json()["programme_state"] == "recheck"
    refused = api.post(
        "/api/v1/safety-messages", json.dumps({"text": "Calm"}), content_type="application/json"
    )
    assert refused.status_code == 409 and "four weeks" in refused.json()["detail"]
    # Logging is never blocked.
    logged = api.post("/api/v1/checkins", json.dumps({"pain": 4}), content_type="application/json")
    assert logged.status_code == 201
    home = alice_client.get("/").content.decode()
    assert "Time to answer the warning-sign questions again" in home
