"""The guided programme in the JSON API: every operation, its rules, and strangers' 404s."""

import datetime as dt
import json

import pytest
from django.utils import timezone
from helpers import FULL, open_programme, post, suited, token_client

from rewire.core.models import IdempotencyKey
from rewire.measures import actions as measures
from rewire.program.models import (
    Attribution,
    Cause,
    Evidence,
    FlarePlanStep,
    Practice,
    SafetyMessage,
    SessionCompletion,
    ThoughtEmotion,
    ThoughtRecord,
)

TRACKING = {
    "kind": "somatic_tracking",
    "started_at": "2026-03-02T08:30:00+00:00",
    "finished_at": "2026-03-02T08:41:00+00:00",
    "pain_before": 6,
    "pain_after": 4,
    "threat_before": 7,
    "threat_after": 3,
    "note": "  Calmer after.  ",
}
RECORD = {
    "recorded_at": "2026-03-02T09:00:00+00:00",
    "situation": "Bending to tie a shoe",
    "automatic_thought": "My back is breaking.",
    "emotions": [{"name": "Fear", "before": 8, "after": 4}, {"name": "anger", "before": 3}],
    "traps": ["catastrophising", "fortune_telling"],
    "reappraisal": "My back is strong; this is an alarm going off.",
}
SESSION_IDS = [
    "intake",
    "evidence",
    "tracking",
    "fear_and_safety",
    "reappraisal",
    "emotional_threats",
    "good_feelings",
    "facing_movement",
    "flares",
]


@pytest.fixture
def api(alice):
    # The warning signs come before the programme; alice answers them all no.
    open_programme(alice)
    return token_client(alice)


def test_sessions_wait_for_the_warning_signs_and_a_clinicians_assessment(carol):
    carol_api = token_client(carol)
    url = "/api/v1/programme/sessions/intake/complete"
    assert carol_api.get("/api/v1/programme").json()["programme_state"] == "suitability"
    suited(carol)
    assert carol_api.get("/api/v1/programme").json()["programme_state"] == "not_screened"
    assert send(carol_api, "POST", url).status_code == 409
    screening = measures.record_screening(
        user=carol, answers={f.id: f.id == "night_pain" for f in measures.red_flags()}
    )
    assert carol_api.get("/api/v1/programme").json()["programme_state"] == "locked"
    assert send(carol_api, "POST", url).status_code == 409
    assert not SessionCompletion.objects.exists()
    measures.confirm_assessed(user=carol, pk=screening.pk)
    assert carol_api.get("/api/v1/programme").json()["programme_state"] == "open"
    assert send(carol_api, "POST", url).status_code == 200


def send(client, method, url, body=None, **headers):
    data = "" if body is None else json.dumps(body)
    return client.generic(method, url, data, content_type="application/json", headers=headers)


def fields_named(response) -> list[str]:
    """Each error's place in the body, as a dotted path: "causes.0.text"."""
    return [
        ".".join(str(part) for part in item["loc"][1:])
        for item in response.json()["detail"]
        if item["loc"][0] == "body"
    ]


# The course


def test_the_programme_lists_the_sessions_in_order_and_opens_them_one_by_one(api):
    programme = api.get("/api/v1/programme").json()
    assert [s["id"] for s in programme["sessions"]] == SESSION_IDS
    assert [s["number"] for s in programme["sessions"]] == list(range(9))
    first, second = programme["sessions"][:2]
    assert first["open"] and not first["done"] and first["completed_at"] is None
    assert first["title"] and first["minutes"] > 0 and first["practice"] == "pain_attribution"
    assert not second["open"]
    assert programme["next_session"] == "intake"
    assert programme["todays_practice"] is None

    done = send(api, "POST", "/api/v1/programme/sessions/intake/complete")
    assert done.status_code == 200, done.content
    assert done.json()["done"] and done.json()["completed_at"]
    again = send(api, "POST", "/api/v1/programme/sessions/intake/complete")
    assert again.status_code == 200 and again.json() == done.json()
    assert SessionCompletion.objects.count() == 1

    programme = api.get("/api/v1/programme").json()
    assert programme["next_session"] == "evidence"
    assert programme["sessions"][1]["open"] and not programme["sessions"][2]["open"]
    assert programme["pace"] == "twice_a_week"
    assert programme["todays_practice"] == {
        "practice": "checkin",
        "label": "Log a check-in",
        "why": "It is the daily practice of your latest session, "
        f"“{programme['sessions'][0]['title']}”. Once you have done a few guided practices, "
        "rating them before and after, Rewire will suggest the one that calms the alarm most for "
        "you.",
    }


def test_at_the_trials_pace_the_next_session_waits_three_days_and_says_when(api, alice):
    for session_id in SESSION_IDS[:2]:  # the intake leads straight into session 1
        assert (
            send(api, "POST", f"/api/v1/programme/sessions/{session_id}/complete").status_code
            == 200
        )
    opens = alice.today() + dt.timedelta(days=3)
    third = api.get("/api/v1/programme").json()["sessions"][2]
    assert (third["open"], third["opens_on"]) == (False, opens.isoformat())
    early = send(api, "POST", f"/api/v1/programme/sessions/{SESSION_IDS[2]}/complete")
    assert early.status_code == 422
    [problem] = early.json()["detail"]
    assert problem["loc"] == ["path", "session_id"]
    assert f"opens on {opens:%A %-d %B}" in problem["msg"]
    assert SessionCompletion.objects.count() == 2

    # A faster pace opens it at once; a pace it does not know is refused at its field.
    refused = send(api, "PUT", "/api/v1/programme/pace", {"pace": "hourly"})
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"][-1] == "pace"
    assert send(api, "PUT", "/api/v1/programme/pace", {"pace": "no_wait"}).json() == {
        "pace": "no_wait"
    }
    third = api.get("/api/v1/programme").json()["sessions"][2]
    assert (third["open"], third["opens_on"]) == (True, None)
    assert (
        send(api, "POST", f"/api/v1/programme/sessions/{SESSION_IDS[2]}/complete").status_code
        == 200
    )


def test_a_session_opens_with_a_review_of_the_persons_own_data(api, alice):
    assert send(api, "GET", "/api/v1/programme/sessions/evidence/review").status_code == 404
    for session_id in SESSION_IDS[:2]:
        assert (
            send(api, "POST", f"/api/v1/programme/sessions/{session_id}/complete").status_code
            == 200
        )
    # Session 1 was done an hour ago; a practice after it counts, one before it does not.
    now = timezone.now()
    SessionCompletion.objects.update(completed_at=now - dt.timedelta(hours=1))
    # Session 2 is not open until its day: no review of a period still to come.
    assert (
        send(api, "GET", f"/api/v1/programme/sessions/{SESSION_IDS[2]}/review").status_code == 404
    )
    send(api, "PUT", "/api/v1/programme/pace", {"pace": "no_wait"})
    before = {
        **TRACKING,
        "started_at": (now - dt.timedelta(hours=2)).isoformat(),
        "finished_at": (now - dt.timedelta(hours=2, minutes=-5)).isoformat(),
    }
    assert send(api, "POST", "/api/v1/practices", before).status_code == 201
    just_now = {
        **TRACKING,
        "started_at": (now - dt.timedelta(minutes=10)).isoformat(),
        "finished_at": (now - dt.timedelta(minutes=1)).isoformat(),
    }
    assert send(api, "POST", "/api/v1/practices", just_now).status_code == 201
    review = api.get(f"/api/v1/programme/sessions/{SESSION_IDS[2]}/review").json()
    assert (
        review["since"] == (now - dt.timedelta(hours=1)).astimezone(alice.zone).date().isoformat()
    )
    topics = [line["topic"] for line in review["lines"]]
    assert topics[:2] == ["practices", "threat"]
    assert review["lines"][0]["text"] == ("You logged 1 round of somatic tracking.")
    assert review["little_data"].startswith("There is not much to look back on this time")
    assert send(api, "GET", "/api/v1/programme/sessions/intake/review").status_code == 404
    assert send(api, "GET", "/api/v1/programme/sessions/nope/review").status_code == 404


def test_a_session_cannot_be_done_before_the_ones_before_it(api):
    response = send(api, "POST", "/api/v1/programme/sessions/tracking/complete")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "session_id"]
    assert SessionCompletion.objects.count() == 0
    assert send(api, "POST", "/api/v1/programme/sessions/nope/complete").status_code == 404


def test_the_last_session_done_ends_the_course(api):
    assert send(api, "PUT", "/api/v1/programme/pace", {"pace": "no_wait"}).status_code == 200
    for session_id in SESSION_IDS:
        response = send(api, "POST", f"/api/v1/programme/sessions/{session_id}/complete")
        assert response.status_code == 200
    programme = api.get("/api/v1/programme").json()
    assert programme["next_session"] is None
    assert all(s["done"] for s in programme["sessions"])
    assert programme["todays_practice"]["practice"] == "somatic_tracking"


# Practices


def test_a_practice_is_recorded_read_listed_and_deleted(api):
    created = send(api, "POST", "/api/v1/practices", TRACKING)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["kind"] == "somatic_tracking"
    assert (body["pain_before"], body["pain_after"]) == (6, 4)
    assert (body["threat_before"], body["threat_after"]) == (7, 3)
    assert body["mood_before"] is None and body["note"] == "Calmer after."
    assert body["local_date"] == "2026-03-02"
    url = f"/api/v1/practices/{body['id']}"
    assert api.get(url).json() == body
    assert api.get("/api/v1/practices").json() == {
        "count": 1,
        "limit": 100,
        "offset": 0,
        "items": [body],
    }
    assert send(api, "DELETE", url).status_code == 204
    assert api.get(url).status_code == 404
    assert send(api, "DELETE", url).status_code == 404


def test_practices_filter_by_local_date_and_paginate(api):
    for day in range(1, 6):
        send(
            api,
            "POST",
            "/api/v1/practices",
            {
                "kind": "savouring",
                "started_at": f"2026-03-0{day}T12:00:00Z",
                "finished_at": f"2026-03-0{day}T12:06:00Z",
                "mood_before": day,
            },
        )
    page = api.get("/api/v1/practices", {"from": "2026-03-02", "to": "2026-03-04"}).json()
    assert page["count"] == 3
    assert [item["mood_before"] for item in page["items"]] == [4, 3, 2]
    second = api.get("/api/v1/practices", {"limit": 2, "offset": 2}).json()
    assert second["count"] == 5 and [i["mood_before"] for i in second["items"]] == [3, 2]
    assert api.get("/api/v1/practices", {"limit": 0}).status_code == 422
    assert api.get("/api/v1/practices", {"from": "March"}).status_code == 422


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "yoga"}, "kind"),
        ({"pain_before": 11}, "pain_before"),
        ({"threat_before": None}, "threat_before"),  # pain is optional in somatic tracking
        ({"mood_before": 5}, "mood_before"),
        ({"mood_after": 5}, "mood_after"),
        ({"finished_at": "2026-03-02T08:00:00+00:00"}, "finished_at"),
        ({"finished_at": "2026-03-02T12:00:00+00:00"}, "finished_at"),
        ({"started_at": "2026-03-02T08:30:00"}, "started_at"),
        (
            {"started_at": "2999-01-01T08:30:00Z", "finished_at": "2999-01-01T08:40:00Z"},
            "started_at",
        ),
        ({"note": "x" * 5001}, "note"),
        ({"surprise": True}, "surprise"),
    ],
)
def test_a_bad_practice_is_a_422_naming_the_field_and_writes_nothing(api, changes, field):
    response = send(api, "POST", "/api/v1/practices", {**TRACKING, **changes})
    assert response.status_code == 422, response.content
    assert field in fields_named(response)
    assert Practice.objects.count() == 0


def test_a_practice_create_with_an_idempotency_key_happens_once(api):
    first = send(api, "POST", "/api/v1/practices", TRACKING, **{"Idempotency-Key": "p-1"})
    again = send(api, "POST", "/api/v1/practices", TRACKING, **{"Idempotency-Key": "p-1"})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert Practice.objects.count() == 1
    other_body = {**TRACKING, "pain_before": 2}
    reused = send(api, "POST", "/api/v1/practices", other_body, **{"Idempotency-Key": "p-1"})
    assert reused.status_code == 422
    assert reused.json()["detail"][0]["loc"] == ["header", "Idempotency-Key"]
    # A key a check-in used is taken for practices too, and the other way round.
    post(api, FULL, **{"Idempotency-Key": "shared"})
    taken = send(api, "POST", "/api/v1/practices", TRACKING, **{"Idempotency-Key": "shared"})
    assert taken.status_code == 422
    assert Practice.objects.count() == 1
    # The key keeps only the id: after a delete, a retry is told it is gone.
    assert TRACKING["note"].strip() not in json.dumps(
        list(IdempotencyKey.objects.values("response_body"))
    )
    send(api, "DELETE", f"/api/v1/practices/{first.json()['id']}")
    late = send(api, "POST", "/api/v1/practices", TRACKING, **{"Idempotency-Key": "p-1"})
    assert late.status_code == 410
    assert Practice.objects.count() == 0


# Safety messages and the flare plan


def test_safety_messages_are_added_in_order_changed_and_deleted(api):
    first = send(api, "POST", "/api/v1/safety-messages", {"text": "  I am safe.  "})
    assert first.status_code == 201, first.content
    assert first.json()["text"] == "I am safe."
    second = send(api, "POST", "/api/v1/safety-messages", {"text": "Pain is an alarm."}).json()
    listed = api.get("/api/v1/safety-messages").json()
    assert [m["text"] for m in listed] == ["I am safe.", "Pain is an alarm."]
    assert listed[0]["position"] < listed[1]["position"]
    url = f"/api/v1/safety-messages/{second['id']}"
    changed = send(api, "PUT", url, {"text": "Pain is an over-protective alarm."})
    assert changed.status_code == 200 and changed.json()["position"] == second["position"]
    assert send(api, "PUT", url, {"text": "   "}).status_code == 422
    assert "text" in fields_named(send(api, "PUT", url, {"text": "x" * 501}))
    assert send(api, "PUT", url, {"text": "ok", "extra": 1}).status_code == 422
    assert send(api, "DELETE", url).status_code == 204
    assert [m["text"] for m in api.get("/api/v1/safety-messages").json()] == ["I am safe."]


def test_a_blank_safety_message_is_refused(api):
    response = send(api, "POST", "/api/v1/safety-messages", {"text": "  "})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "text"]
    assert SafetyMessage.objects.count() == 0


def test_the_flare_plan_is_replaced_whole(api):
    assert api.get("/api/v1/flare-plan").json() == {"steps": []}
    steps = ["Breathe out slowly.", "Read my safety messages.", "Somatic tracking."]
    response = send(api, "PUT", "/api/v1/flare-plan", {"steps": steps})
    assert response.status_code == 200 and response.json() == {"steps": steps}
    shorter = send(api, "PUT", "/api/v1/flare-plan", {"steps": [" Rest. ", "", "Walk."]})
    assert shorter.json() == {"steps": ["Rest.", "Walk."]}
    assert api.get("/api/v1/flare-plan").json() == {"steps": ["Rest.", "Walk."]}
    too_many = send(api, "PUT", "/api/v1/flare-plan", {"steps": ["a"] * 101})
    assert too_many.status_code == 422 and "steps" in fields_named(too_many)
    too_long = send(api, "PUT", "/api/v1/flare-plan", {"steps": ["x" * 501]})
    assert too_long.status_code == 422 and "steps.0" in fields_named(too_long)
    assert send(api, "PUT", "/api/v1/flare-plan", {"step": []}).status_code == 422
    assert FlarePlanStep.objects.count() == 2


# Evidence


def test_evidence_kinds_come_from_the_content(api):
    kinds = api.get("/api/v1/evidence/kinds").json()
    assert kinds[0]["id"] == "began_without_injury"
    assert all(kind["label"] and kind["help"] for kind in kinds)
    # The clues for the alarm, then the clues that point elsewhere (to tell a clinician).
    points = [kind["points"] for kind in kinds]
    assert points == sorted(points) and {"alarm", "elsewhere"} == set(points)
    elsewhere = next(kind["id"] for kind in kinds if kind["points"] == "elsewhere")
    added = send(api, "POST", "/api/v1/evidence", {"kind": elsewhere, "example": "Since my fall"})
    assert added.status_code == 201 and added.json()["kind"] == elsewhere


def test_evidence_is_added_changed_and_deleted(api):
    created = send(
        api,
        "POST",
        "/api/v1/evidence",
        {"kind": "varies_with_stress", "example": " Worse at work. "},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["kind"] == "varies_with_stress" and body["example"] == "Worse at work."
    url = f"/api/v1/evidence/{body['id']}"
    changed = send(api, "PUT", url, {"kind": "delayed", "example": "Hurts the next day."})
    assert changed.status_code == 200
    assert api.get("/api/v1/evidence").json() == [changed.json()]
    for bad, field in (
        ({"kind": "vibes", "example": "x"}, "kind"),
        ({"kind": "delayed", "example": "  "}, "example"),
        ({"kind": "delayed"}, "example"),
        ({"kind": "delayed", "example": "x", "when": "now"}, "when"),
    ):
        response = send(api, "PUT", url, bad)
        assert response.status_code == 422 and field in fields_named(response), bad
    assert api.get("/api/v1/evidence").json() == [changed.json()]
    assert send(api, "DELETE", url).status_code == 204
    assert Evidence.objects.count() == 0


# Pain attribution


def test_an_attribution_holds_its_causes_and_their_mind_share(api):
    created = send(
        api,
        "POST",
        "/api/v1/attributions",
        {
            "recorded_at": "2026-03-01T10:00:00Z",
            "causes": [
                {"text": "A worn disc", "category": "body"},
                {"text": "Stress at work", "category": "mind"},
                {"text": "Worry about it", "category": "mind"},
            ],
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert [c["text"] for c in body["causes"]] == [
        "A worn disc",
        "Stress at work",
        "Worry about it",
    ]
    assert body["mind_share"] == pytest.approx(2 / 3)
    url = f"/api/v1/attributions/{body['id']}"
    assert api.get(url).json() == body
    listed = api.get("/api/v1/attributions").json()
    assert listed["count"] == 1 and listed["items"] == [body]
    assert send(api, "DELETE", url).status_code == 204
    assert Cause.objects.count() == 0 and api.get(url).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"causes": []}, "causes"),
        ({"causes": [{"text": "  ", "category": "body"}]}, "causes"),
        ({"causes": [{"text": "x", "category": "soul"}]}, "causes.0.category"),
        ({"causes": [{"text": "x", "category": "body"}] * 4}, "causes"),
        ({"causes": [{"text": "x" * 501, "category": "body"}]}, "causes.0.text"),
        (
            {"causes": [{"text": "x", "category": "body"}], "recorded_at": "2999-01-01T00:00Z"},
            "recorded_at",
        ),
        ({"causes": [{"text": "x", "category": "body", "why": "?"}]}, "causes.0.why"),
        ({}, "causes"),
    ],
)
def test_a_bad_attribution_is_a_422_naming_the_field(api, body, field):
    response = send(api, "POST", "/api/v1/attributions", body)
    assert response.status_code == 422, response.content
    assert field in fields_named(response)
    assert Attribution.objects.count() == 0


# Thought records


def test_a_thought_record_starts_from_a_checkin_and_is_replaced_whole(api):
    checkin = post(api, FULL).json()
    created = send(api, "POST", "/api/v1/thought-records", {**RECORD, "checkin": checkin["id"]})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["checkin"] == checkin["id"]
    assert body["emotions"] == [
        {"name": "fear", "before": 8, "after": 4},
        {"name": "anger", "before": 3, "after": None},
    ]
    assert body["traps"] == ["catastrophising", "fortune_telling"]
    assert body["local_date"] == "2026-03-02"
    url = f"/api/v1/thought-records/{body['id']}"
    assert api.get(url).json() == body
    assert api.get("/api/v1/thought-records").json()["items"] == [body]

    replaced = send(api, "PUT", url, {"automatic_thought": "It might be a flare."})
    assert replaced.status_code == 200, replaced.content
    new = replaced.json()
    assert new["recorded_at"] == body["recorded_at"]  # left out: the time stays
    assert new["emotions"] == [] and new["traps"] == [] and new["checkin"] is None
    assert new["created_at"] == body["created_at"] and new["updated_at"] > body["updated_at"]

    # Deleting the check-in keeps the record, without the link.
    send(api, "PUT", url, {**RECORD, "checkin": checkin["id"]})
    send(api, "DELETE", f"/api/v1/checkins/{checkin['id']}")
    assert api.get(url).json()["checkin"] is None
    assert send(api, "DELETE", url).status_code == 204
    assert ThoughtEmotion.objects.count() == 0 and api.get(url).status_code == 404


def test_thinking_traps_come_from_the_content(api):
    traps = api.get("/api/v1/thinking-traps").json()
    assert "catastrophising" in [trap["id"] for trap in traps]
    assert all(trap["label"] and trap["help"] for trap in traps)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"automatic_thought": "  "}, "automatic_thought"),
        ({"automatic_thought": None}, "automatic_thought"),
        ({"traps": ["wishful_thinking"]}, "traps"),
        ({"emotions": [{"name": "fear", "before": 11}]}, "emotions.0.before"),
        ({"emotions": [{"name": "fear", "before": 2}, {"name": "Fear", "before": 3}]}, "emotions"),
        ({"emotions": [{"name": "", "before": 2}]}, "emotions.0.name"),
        ({"checkin": 999999}, "checkin"),
        ({"checkin": "1"}, "checkin"),
        ({"recorded_at": "2999-01-01T00:00:00Z"}, "recorded_at"),
        ({"mood": 3}, "mood"),
    ],
)
def test_a_bad_thought_record_is_a_422_naming_the_field(api, changes, field):
    response = send(api, "POST", "/api/v1/thought-records", {**RECORD, **changes})
    assert response.status_code == 422, response.content
    assert field in fields_named(response)
    assert ThoughtRecord.objects.count() == 0


def test_a_thought_record_cannot_point_at_someone_elses_checkin(api, carol):
    carols_checkin = post(token_client(carol), FULL).json()
    response = send(
        api, "POST", "/api/v1/thought-records", {**RECORD, "checkin": carols_checkin["id"]}
    )
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"loc": ["body", "checkin"], "msg": "No such check-in.", "type": "value_error"}
    ]


def test_a_failed_replace_leaves_the_record_as_it_was(api):
    created = send(api, "POST", "/api/v1/thought-records", RECORD).json()
    url = f"/api/v1/thought-records/{created['id']}"
    response = send(api, "PUT", url, {**RECORD, "traps": ["nope"]})
    assert response.status_code == 422
    assert api.get(url).json() == created


# Strangers and nobody


def alices_programme(api) -> dict[str, int]:
    """One of each of alice's programme records, by the path parameter that names it."""
    checkin = post(api, FULL).json()
    return {
        "practice_id": send(api, "POST", "/api/v1/practices", TRACKING).json()["id"],
        "message_id": send(api, "POST", "/api/v1/safety-messages", {"text": "Safe."}).json()["id"],
        "evidence_id": send(
            api, "POST", "/api/v1/evidence", {"kind": "delayed", "example": "Next day."}
        ).json()["id"],
        "attribution_id": send(
            api, "POST", "/api/v1/attributions", {"causes": [{"text": "Disc", "category": "body"}]}
        ).json()["id"],
        "record_id": send(
            api, "POST", "/api/v1/thought-records", {**RECORD, "checkin": checkin["id"]}
        ).json()["id"],
    }


OPERATIONS_WITH_AN_ID = [
    ("GET", "/api/v1/practices/{practice_id}", None),
    ("DELETE", "/api/v1/practices/{practice_id}", None),
    ("PUT", "/api/v1/safety-messages/{message_id}", {"text": "Mine now."}),
    ("DELETE", "/api/v1/safety-messages/{message_id}", None),
    ("PUT", "/api/v1/evidence/{evidence_id}", {"kind": "delayed", "example": "Mine now."}),
    ("DELETE", "/api/v1/evidence/{evidence_id}", None),
    ("GET", "/api/v1/attributions/{attribution_id}", None),
    ("DELETE", "/api/v1/attributions/{attribution_id}", None),
    ("GET", "/api/v1/thought-records/{record_id}", None),
    ("PUT", "/api/v1/thought-records/{record_id}", {"automatic_thought": "Mine now."}),
    ("PUT", "/api/v1/thought-records/{record_id}", {**RECORD, "recorded_at": None}),
    ("DELETE", "/api/v1/thought-records/{record_id}", None),
]


def test_a_stranger_gets_404_for_every_one_of_alices_records_and_changes_nothing(api, carol):
    ids = alices_programme(api)
    before = {
        "practice": api.get(f"/api/v1/practices/{ids['practice_id']}").json(),
        "messages": api.get("/api/v1/safety-messages").json(),
        "evidence": api.get("/api/v1/evidence").json(),
        "attribution": api.get(f"/api/v1/attributions/{ids['attribution_id']}").json(),
        "record": api.get(f"/api/v1/thought-records/{ids['record_id']}").json(),
    }
    carol_api = token_client(carol)
    for method, path, body in OPERATIONS_WITH_AN_ID:
        response = send(carol_api, method, path.format(**ids), body)
        assert response.status_code == 404, (method, path, response.content)
        assert "Safe." not in response.content.decode()
    # Carol's own lists show none of alice's records.
    for path in ("/api/v1/practices", "/api/v1/attributions", "/api/v1/thought-records"):
        assert carol_api.get(path).json()["count"] == 0
    for path in ("/api/v1/safety-messages", "/api/v1/evidence"):
        assert carol_api.get(path).json() == []
    assert carol_api.get("/api/v1/programme").json()["next_session"] == "intake"
    after = {
        "practice": api.get(f"/api/v1/practices/{ids['practice_id']}").json(),
        "messages": api.get("/api/v1/safety-messages").json(),
        "evidence": api.get("/api/v1/evidence").json(),
        "attribution": api.get(f"/api/v1/attributions/{ids['attribution_id']}").json(),
        "record": api.get(f"/api/v1/thought-records/{ids['record_id']}").json(),
    }
    assert after == before


def test_a_session_done_by_one_person_is_not_done_for_another(api, carol):
    send(api, "POST", "/api/v1/programme/sessions/intake/complete")
    carol_api = token_client(carol)
    open_programme(carol)
    assert not carol_api.get("/api/v1/programme").json()["sessions"][0]["done"]
    refused = send(carol_api, "POST", "/api/v1/programme/sessions/evidence/complete")
    assert refused.status_code == 422


def test_nobody_signed_in_gets_401_everywhere(api, client):
    ids = alices_programme(api)
    for method, path, body in [
        ("GET", "/api/v1/programme", None),
        ("POST", "/api/v1/programme/sessions/intake/complete", None),
        ("GET", "/api/v1/practices", None),
        ("POST", "/api/v1/practices", TRACKING),
        ("GET", "/api/v1/safety-messages", None),
        ("GET", "/api/v1/flare-plan", None),
        ("PUT", "/api/v1/flare-plan", {"steps": ["x"]}),
        ("GET", "/api/v1/evidence/kinds", None),
        ("GET", "/api/v1/thinking-traps", None),
        *OPERATIONS_WITH_AN_ID,
    ]:
        response = send(client, method, path.format(**ids), body)
        assert response.status_code == 401, (method, path)
    assert SessionCompletion.objects.count() == 0 and FlarePlanStep.objects.count() == 0


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        ("/api/v1/safety-messages", {"text": "safe\u0000"}, "text"),
        ("/api/v1/flare-plan", {"steps": ["rest", "\u0000"]}, "steps.1"),
        ("/api/v1/evidence", {"kind": "delayed", "example": "a\u0000b"}, "example"),
        ("/api/v1/thought-records", {**RECORD, "situation": "\u0000"}, "situation"),
        ("/api/v1/practices", {**TRACKING, "note": "\u0000"}, "note"),
        ("/api/v1/checkins", {"pain": 3, "tags": ["a\u0000"]}, "tags.0"),
    ],
)
def test_null_characters_are_refused_on_every_database(api, url, body, field):
    # PostgreSQL cannot store them: without this check, a 500 there and a 201 on SQLite.
    method = "PUT" if url.endswith("flare-plan") else "POST"
    response = send(api, method, url, body)
    assert response.status_code == 422, response.content
    assert field in fields_named(response)


@pytest.mark.parametrize(
    ("url", "body", "model"),
    [
        ("/api/v1/safety-messages", {"text": "I am safe."}, SafetyMessage),
        ("/api/v1/evidence", {"kind": "delayed", "example": "Hurt the next day"}, Evidence),
        ("/api/v1/attributions", {"causes": [{"text": "Stress", "category": "mind"}]}, Attribution),
        ("/api/v1/thought-records", RECORD, ThoughtRecord),
    ],
)
def test_every_create_honours_an_idempotency_key(api, url, body, model):
    first = send(api, "POST", url, body, **{"Idempotency-Key": f"retry-{url}"})
    again = send(api, "POST", url, body, **{"Idempotency-Key": f"retry-{url}"})
    assert first.status_code == again.status_code == 201, first.content
    assert again.json() == first.json()
    assert model.objects.count() == 1
    changed = send(api, "POST", url, {**body, "surprise": 1}, **{"Idempotency-Key": "other"})
    assert changed.status_code == 422
    assert send(api, "POST", url, body).status_code == 201  # no key: a new one each time
    assert model.objects.count() == 2


def test_a_relaxation_practice_takes_an_optional_tension_and_refuses_what_it_does_not_ask(api):
    breathing = {
        "kind": "breathing",
        "started_at": "2026-03-02T08:30:00+00:00",
        "finished_at": "2026-03-02T08:36:00+00:00",
        "tension_before": 7,
        "tension_after": 4,
    }
    created = send(api, "POST", "/api/v1/practices", breathing)
    assert created.status_code == 201, created.content
    assert (created.json()["tension_before"], created.json()["tension_after"]) == (7, 4)
    refused = send(api, "POST", "/api/v1/practices", {**breathing, "pain_before": 5})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "pain_before"]
    # The tension is asked, never required: a round with no numbers is a round.
    unrated = {**breathing, "tension_before": None, "tension_after": None}
    assert send(api, "POST", "/api/v1/practices", unrated).status_code == 201
