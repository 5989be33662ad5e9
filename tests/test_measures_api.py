"""Questionnaires and the safety net in the JSON API: every operation, its rules, crisis
support, and strangers' 404s."""

import datetime as dt
import json

import pytest
from helpers import finish_sessions, suited, token_client

from rewire.core.models import IdempotencyKey
from rewire.measures.helplines import DEFAULT_ADVICE, helplines_for
from rewire.measures.models import Response, SafetyEvent, Screening

PHQ9_CALM = {f"phq9_{n}": 0 for n in range(1, 10)} | {"phq9_1": 1, "phq9_2": 1}  # total 2
PHQ9_ITEM9 = {**PHQ9_CALM, "phq9_9": 1}
FLAGS = [
    "bladder_bowel_saddle",
    "weakness_numbness",
    "fever_infection",
    "cancer_weight_loss",
    "trauma_osteoporosis",
    "new_pain_age",
    "night_pain",
    "passing_urine",
    "wiping_feeling",
    "sexual_function",
    "both_legs",
    "inflammatory_back_pain",
    "long_term_steroids",
    "spinal_surgery",
    "osteoporosis",
]
ALL_NO = dict.fromkeys(FLAGS, False)
INSTRUMENT_IDS = [
    "weekly_pain",
    "phq9",
    "phq2",
    "gad7",
    "pgic",
    "pain_change",
    "start_back",
    "fear_of_movement",
    "pain_means_damage",
]


@pytest.fixture
def api(alice):
    return token_client(alice)


def send(client, method, url, body=None, **headers):
    data = "" if body is None else json.dumps(body)
    return client.generic(method, url, data, content_type="application/json", headers=headers)


def answer(client, instrument, answers, **extra):
    return send(
        client,
        "POST",
        "/api/v1/questionnaire-responses",
        {"instrument": instrument, "answers": answers, **extra},
    )


def locations(response) -> list[list]:
    return [item["loc"] for item in response.json()["detail"]]


# The questionnaires as data


def test_every_instrument_is_listed_as_data(api):
    response = api.get("/api/v1/instruments")
    assert response.status_code == 200
    instruments = {i["id"]: i for i in response.json()}
    assert list(instruments) == INSTRUMENT_IDS
    phq9 = instruments["phq9"]
    assert phq9["short_name"] == "PHQ-9" and phq9["validated"] and phq9["higher_is_worse"]
    assert "Spitzer" in phq9["attribution"]
    assert [item["id"] for item in phq9["items"]] == [f"phq9_{n}" for n in range(1, 10)]
    assert phq9["items"][8]["text"] == (
        "Thoughts that you would be better off dead or of hurting yourself in some way"
    )
    assert phq9["items"][0]["options"][3] == {"value": 3, "label": "Nearly every day"}
    assert [(b["low"], b["high"]) for b in phq9["bands"]] == [
        (0, 4),
        (5, 9),
        (10, 14),
        (15, 19),
        (20, 27),
    ]
    assert phq9["mcid"] == {"points": 5, "percent": None}
    assert phq9["loinc"] == {"panel": "44249-1", "total": "44261-6", "items": {"phq9_9": "44260-8"}}
    assert phq9["max_missing"] == 1 and phq9["required"] == ["phq9_9"]
    pain = instruments["weekly_pain"]
    assert pain["mcid"] == {"points": 2, "percent": 30}
    assert pain["loinc"] == {"panel": None, "total": "72514-3", "items": {}}
    start_back = instruments["start_back"]
    assert start_back["bands"] == [] and start_back["risk_levels"] == [
        "Low risk",
        "Medium risk",
        "High risk",
    ]
    assert "Keele" in start_back["attribution"]
    own = instruments["fear_of_movement"]
    assert not own["validated"] and "not validated" in own["attribution"]
    assert own["mcid"] is None


def test_the_due_questionnaires_follow_the_schedule(api, alice):
    due = api.get("/api/v1/questionnaires/due")
    assert due.status_code == 200
    assert [d["instrument"] for d in due.json()] == ["weekly_pain", "phq9", "gad7", "start_back"]
    assert due.json()[1]["short_name"] == "PHQ-9" and due.json()[1]["reason"]
    answer(api, "weekly_pain", {"average_pain": 5})
    assert [d["instrument"] for d in api.get("/api/v1/questionnaires/due").json()] == [
        "phq9",
        "gad7",
        "start_back",
    ]
    # Once every session is done, the PGIC asks how things have changed.
    finish_sessions(alice)
    assert api.get("/api/v1/questionnaires/due").json()[-1]["instrument"] == "pgic"
    answer(api, "pgic", {"pgic": 6})
    assert "pgic" not in [d["instrument"] for d in api.get("/api/v1/questionnaires/due").json()]


def test_the_due_questionnaires_count_days_in_the_persons_timezone(api, alice):
    # Pick a place whose date differs from UTC's now, and an answer that is due by that
    # place's date but not by UTC's (or the other way round).
    if dt.datetime.now(dt.UTC).hour >= 10:  # Kiritimati (UTC+14) is already on tomorrow
        zone, days_ago, due = "Pacific/Kiritimati", 7, True
    else:  # Pago Pago (UTC-11) is still on yesterday
        zone, days_ago, due = "Pacific/Pago_Pago", 6, False
    alice.timezone = zone
    alice.save()
    then = (dt.datetime.now(dt.UTC) - dt.timedelta(days=days_ago)).isoformat()
    assert answer(api, "weekly_pain", {"average_pain": 3}, answered_at=then).status_code == 201
    listed = api.get("/api/v1/questionnaires/due").json()
    assert ("weekly_pain" in [d["instrument"] for d in listed]) is due
    if due:
        assert listed[0] == {
            "instrument": "weekly_pain",
            "short_name": "Weekly pain",
            "reason": "Every week.",
        }


# Questionnaire answers


def test_answers_are_scored_kept_read_and_deleted(api):
    created = answer(
        api, "phq9", {**PHQ9_CALM, "phq9_3": None}, answered_at="2026-03-02T23:30:00-05:00"
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["instrument"] == "phq9"
    assert body["answered_at"].startswith("2026-03-03T04:30:00")
    assert body["local_date"] == "2026-03-03"  # alice is in London
    assert body["answers"]["phq9_3"] is None and body["answers"]["phq9_1"] == 1
    # 2 from 8 answers, prorated to 9: 2.25, rounded half up.
    assert (body["total"], body["band"], body["prorated"]) == (2, "Minimal", True)
    assert body["subscale"] is None
    assert body["crisis_support"] is False and body["crisis"] is None
    url = f"/api/v1/questionnaire-responses/{body['id']}"
    read = api.get(url)
    assert read.status_code == 200
    assert read.json() == {
        key: value for key, value in body.items() if key not in ("crisis", "worsening")
    }
    # In the questions' order, on every database.
    assert list(read.json()["answers"]) == [f"phq9_{n}" for n in range(1, 10)]
    assert send(api, "DELETE", url).status_code == 204
    assert api.get(url).status_code == 404
    assert send(api, "DELETE", url).status_code == 404
    assert Response.objects.count() == 0


def test_start_back_gives_its_risk_level_and_subscale(api):
    answers = {f"sb_{n}": 1 for n in range(1, 9)} | {"sb_9": 4}
    body = answer(api, "start_back", answers).json()
    assert (body["total"], body["subscale"], body["band"]) == (9, 5, "High risk")


def test_answers_are_listed_newest_first_and_filtered(api):
    for day, instrument, answers in (
        ("01", "weekly_pain", {"average_pain": 6}),
        ("08", "weekly_pain", {"average_pain": 4}),
        ("08", "gad7", {f"gad7_{n}": 1 for n in range(1, 8)}),
        ("15", "weekly_pain", {"average_pain": 1}),
    ):
        response = answer(api, instrument, answers, answered_at=f"2026-03-{day}T09:00:00Z")
        assert response.status_code == 201
    page = api.get("/api/v1/questionnaire-responses").json()
    assert page["count"] == 4 and page["limit"] == 100 and page["offset"] == 0
    assert [r["local_date"] for r in page["items"]] == [
        "2026-03-15",
        "2026-03-08",
        "2026-03-08",
        "2026-03-01",
    ]
    pain = api.get("/api/v1/questionnaire-responses?instrument=weekly_pain&to=2026-03-08").json()
    assert [r["total"] for r in pain["items"]] == [4, 6] and pain["count"] == 2
    window = api.get("/api/v1/questionnaire-responses?from=2026-03-08&limit=1&offset=1").json()
    assert window["count"] == 3 and len(window["items"]) == 1
    unknown = api.get("/api/v1/questionnaire-responses?instrument=bpi")
    assert unknown.status_code == 422
    assert locations(unknown) == [["query", "instrument"]]
    bad_date = api.get("/api/v1/questionnaire-responses?from=0")
    assert bad_date.status_code == 422
    assert locations(bad_date) == [["query", "from"]]


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"instrument": "bpi", "answers": {}}, ["body", "instrument"]),
        (
            {"instrument": "phq9", "answers": {**PHQ9_CALM, "phq9_4": 4}},
            ["body", "answers", "phq9_4"],
        ),
        (
            {"instrument": "phq9", "answers": {**PHQ9_CALM, "phq9_4": True}},
            ["body", "answers", "phq9_4"],
        ),
        (
            {"instrument": "phq9", "answers": {**PHQ9_CALM, "phq9_4": "2"}},
            ["body", "answers", "phq9_4"],
        ),
        (
            {"instrument": "phq9", "answers": {**PHQ9_CALM, "phq9_10": 0}},
            ["body", "answers", "phq9_10"],
        ),
        (
            {"instrument": "phq9", "answers": {**PHQ9_CALM, "phq9_9": None}},
            ["body", "answers", "phq9_9"],
        ),
        (
            {"instrument": "phq9", "answers": {**PHQ9_CALM, "phq9_1": None, "phq9_2": None}},
            ["body", "answers"],
        ),
        ({"instrument": "pgic", "answers": {"pgic": 0}}, ["body", "answers", "pgic"]),
        (
            {
                "instrument": "weekly_pain",
                "answers": {"average_pain": 3},
                "answered_at": "2099-01-01T00:00:00Z",
            },
            ["body", "answered_at"],
        ),
        (
            {
                "instrument": "weekly_pain",
                "answers": {"average_pain": 3},
                "answered_at": 1700000000,
            },
            ["body", "answered_at"],
        ),
        (
            {"instrument": "weekly_pain", "answers": {"average_pain": 3}, "score": 3},
            ["body", "score"],
        ),
        ({"answers": {"average_pain": 3}}, ["body", "instrument"]),
        ({"instrument": "weekly_pain"}, ["body", "answers"]),
    ],
)
def test_a_broken_rule_is_a_422_at_its_field_and_nothing_is_kept(api, body, where):
    response = send(api, "POST", "/api/v1/questionnaire-responses", body)
    assert response.status_code == 422, response.content
    assert locations(response) == [where]
    assert Response.objects.count() == 0 and SafetyEvent.objects.count() == 0


def test_phq9_item_9_above_0_carries_crisis_support_and_records_a_safety_event(api, settings):
    calm = answer(api, "phq9", PHQ9_CALM).json()
    assert calm["crisis_support"] is False and calm["crisis"] is None
    assert SafetyEvent.objects.count() == 0
    # Other questionnaires never carry it.
    for instrument, answers in (
        ("phq2", {"phq2_1": 3, "phq2_2": 3}),
        ("weekly_pain", {"average_pain": 10}),
    ):
        body = answer(api, instrument, answers).json()
        assert body["crisis_support"] is False and body["crisis"] is None

    created = answer(api, "phq9", PHQ9_ITEM9)
    assert created.status_code == 201
    body = created.json()
    assert body["crisis_support"] is True
    assert body["crisis"] == {
        "advice": DEFAULT_ADVICE,
        "helplines": [
            {"name": h.name, "phone": h.phone, "text": h.text, "url": h.url, "hours": h.hours}
            for h in helplines_for(settings.LANGUAGE_CODE)
        ],
    }
    [event] = SafetyEvent.objects.all()
    assert event.kind == SafetyEvent.CRISIS and event.response_id == body["id"]
    assert api.get(f"/api/v1/questionnaire-responses/{body['id']}").json()["crisis_support"]

    events = api.get("/api/v1/safety-events").json()
    assert events == [
        {
            "id": event.pk,
            "kind": "phq9_item9",
            "rule": None,
            "occurred_at": events[0]["occurred_at"],
            "detail": "PHQ-9 item 9 answered 1 (of 3).",
            "response": body["id"],
            "screening": None,
        }
    ]
    # Deleting the answers keeps the event, unlinked.
    send(api, "DELETE", f"/api/v1/questionnaire-responses/{body['id']}")
    assert api.get("/api/v1/safety-events").json()[0]["response"] is None


def test_crisis_support_lists_the_configured_helplines(api, settings, tmp_path):
    from rewire.measures import helplines

    path = tmp_path / "helplines.yaml"
    path.write_text('en:\n  - {name: "A test line", phone: "0000", hours: "Always"}\n')
    settings.REWIRE_HELPLINES_FILE = str(path)
    helplines.helplines_for.cache_clear()
    try:
        body = answer(api, "phq9", {**PHQ9_ITEM9, "phq9_9": 3}).json()
    finally:
        helplines.helplines_for.cache_clear()
    assert body["crisis"]["helplines"] == [
        {"name": "A test line", "phone": "0000", "text": "", "url": "", "hours": "Always"}
    ]


def test_an_answer_create_with_an_idempotency_key_happens_once(api):
    key = {"Idempotency-Key": "r-1"}
    body = {"instrument": "phq9", "answers": PHQ9_ITEM9}
    first = send(api, "POST", "/api/v1/questionnaire-responses", body, **key)
    again = send(api, "POST", "/api/v1/questionnaire-responses", body, **key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.json()["crisis"] is not None
    assert Response.objects.count() == 1 and SafetyEvent.objects.count() == 1
    other = {"instrument": "phq9", "answers": PHQ9_CALM}
    reused = send(api, "POST", "/api/v1/questionnaire-responses", other, **key)
    assert reused.status_code == 422
    assert locations(reused) == [["header", "Idempotency-Key"]]
    # Keys are one set per account: a screening cannot take it either.
    taken = send(api, "POST", "/api/v1/safety/screenings", {"answers": ALL_NO}, **key)
    assert taken.status_code == 422 and Screening.objects.count() == 0
    # The key keeps only the id.
    assert "phq9_9" not in json.dumps(list(IdempotencyKey.objects.values("response_body")))
    send(api, "DELETE", f"/api/v1/questionnaire-responses/{first.json()['id']}")
    late = send(api, "POST", "/api/v1/questionnaire-responses", body, **key)
    assert late.status_code == 410
    assert Response.objects.count() == 0
    # Without a key, each request records its own.
    assert answer(api, "phq9", PHQ9_CALM).status_code == 201
    assert answer(api, "phq9", PHQ9_CALM).status_code == 201
    assert Response.objects.count() == 2


# The warning signs


def test_the_warning_sign_questions_are_listed_with_the_emergency_one(api):
    flags = api.get("/api/v1/safety/red-flags").json()
    assert [f["id"] for f in flags] == FLAGS
    assert [f["id"] for f in flags if f["emergency"]] == [
        "bladder_bowel_saddle",
        "passing_urine",
        "wiping_feeling",
        "sexual_function",
        "both_legs",
    ]
    assert all(f["question"].endswith("?") for f in flags)


def test_no_warning_signs_open_the_programme(api, alice):
    fits = suited(alice)
    assert api.get("/api/v1/safety").json() == {
        "programme_state": "not_screened",
        "latest_screening": None,
        "latest_suitability": fits.pk,
    }
    created = send(api, "POST", "/api/v1/safety/screenings", {"answers": ALL_NO})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["answers"] == ALL_NO and body["flags"] == [] and not body["emergency"]
    assert body["assessed_at"] is None
    assert api.get("/api/v1/safety").json() == {
        "programme_state": "open",
        "latest_screening": body["id"],
        "latest_suitability": fits.pk,
    }
    assert SafetyEvent.objects.count() == 0
    # Nothing to confirm.
    nothing = send(api, "POST", f"/api/v1/safety/screenings/{body['id']}/assessed")
    assert nothing.status_code == 422
    assert locations(nothing) == [["path", "screening_id"]]


def test_a_yes_locks_the_programme_until_a_clinician_has_assessed_it(api, alice):
    suited(alice)
    answers = {**ALL_NO, "bladder_bowel_saddle": True, "night_pain": True}
    created = send(api, "POST", "/api/v1/safety/screenings", {"answers": answers}).json()
    assert created["flags"] == ["bladder_bowel_saddle", "night_pain"] and created["emergency"]
    assert list(api.get(f"/api/v1/safety/screenings/{created['id']}").json()["answers"]) == FLAGS
    assert api.get("/api/v1/safety").json()["programme_state"] == "locked"
    [event] = api.get("/api/v1/safety-events").json()
    assert event["kind"] == "red_flag" and event["screening"] == created["id"]
    assert event["response"] is None and "Emergency" in event["detail"]

    url = f"/api/v1/safety/screenings/{created['id']}"
    assessed = send(api, "POST", f"{url}/assessed")
    assert assessed.status_code == 200
    assert assessed.json()["assessed_at"] is not None
    assert api.get("/api/v1/safety").json()["programme_state"] == "open"
    again = send(api, "POST", f"{url}/assessed")
    assert again.json()["assessed_at"] == assessed.json()["assessed_at"]
    assert api.get(url).json() == assessed.json()
    assert [s["id"] for s in api.get("/api/v1/safety/screenings").json()] == [created["id"]]


def test_warning_signs_answered_again_are_a_new_screening_newest_first(api):
    first = send(api, "POST", "/api/v1/safety/screenings", {"answers": ALL_NO}).json()
    second = send(
        api, "POST", "/api/v1/safety/screenings", {"answers": {**ALL_NO, "night_pain": True}}
    ).json()
    assert not second["emergency"]
    assert [s["id"] for s in api.get("/api/v1/safety/screenings").json()] == [
        second["id"],
        first["id"],
    ]
    assert api.get("/api/v1/safety").json() == {
        "programme_state": "locked",
        "latest_screening": second["id"],
        "latest_suitability": None,
    }


@pytest.mark.parametrize(
    ("body", "where"),
    [
        (
            {"answers": {k: v for k, v in ALL_NO.items() if k != "night_pain"}},
            ["body", "answers", "night_pain"],
        ),
        ({"answers": {**ALL_NO, "headache": True}}, ["body", "answers", "headache"]),
        ({"answers": {**ALL_NO, "night_pain": 1}}, ["body", "answers", "night_pain"]),
        ({"answers": {**ALL_NO, "night_pain": None}}, ["body", "answers", "night_pain"]),
        ({"answers": ALL_NO, "assessed": True}, ["body", "assessed"]),
        ({}, ["body", "answers"]),
    ],
)
def test_warning_sign_answers_that_break_a_rule_are_a_422_at_the_sign(api, body, where):
    response = send(api, "POST", "/api/v1/safety/screenings", body)
    assert response.status_code == 422, response.content
    assert locations(response) == [where]
    assert Screening.objects.count() == 0 and SafetyEvent.objects.count() == 0


def test_a_screening_create_with_an_idempotency_key_happens_once(api):
    key = {"Idempotency-Key": "s-1"}
    body = {"answers": {**ALL_NO, "fever_infection": True}}
    first = send(api, "POST", "/api/v1/safety/screenings", body, **key)
    again = send(api, "POST", "/api/v1/safety/screenings", body, **key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert Screening.objects.count() == 1 and SafetyEvent.objects.count() == 1
    reused = send(api, "POST", "/api/v1/safety/screenings", {"answers": ALL_NO}, **key)
    assert reused.status_code == 422
    assert locations(reused) == [["header", "Idempotency-Key"]]
    assert Screening.objects.count() == 1


# Strangers and nobody


def alices_records(api) -> dict[str, int]:
    response = answer(api, "phq9", PHQ9_ITEM9).json()
    screening = send(
        api, "POST", "/api/v1/safety/screenings", {"answers": {**ALL_NO, "night_pain": True}}
    ).json()
    return {"response_id": response["id"], "screening_id": screening["id"]}


OPERATIONS_WITH_AN_ID = [
    ("GET", "/api/v1/questionnaire-responses/{response_id}"),
    ("DELETE", "/api/v1/questionnaire-responses/{response_id}"),
    ("GET", "/api/v1/safety/screenings/{screening_id}"),
    ("POST", "/api/v1/safety/screenings/{screening_id}/assessed"),
]


def test_a_stranger_gets_404_for_every_one_of_alices_records_and_changes_nothing(api, carol):
    ids = alices_records(api)
    before = {
        "response": api.get(f"/api/v1/questionnaire-responses/{ids['response_id']}").json(),
        "screening": api.get(f"/api/v1/safety/screenings/{ids['screening_id']}").json(),
        "events": api.get("/api/v1/safety-events").json(),
    }
    carol_api = token_client(carol)
    for method, path in OPERATIONS_WITH_AN_ID:
        response = send(carol_api, method, path.format(**ids))
        assert response.status_code == 404, (method, path, response.content)
    assert carol_api.get("/api/v1/questionnaire-responses").json()["count"] == 0
    for path in ("/api/v1/safety/screenings", "/api/v1/safety-events"):
        assert carol_api.get(path).json() == []
    assert carol_api.get("/api/v1/safety").json()["programme_state"] == "suitability"
    after = {
        "response": api.get(f"/api/v1/questionnaire-responses/{ids['response_id']}").json(),
        "screening": api.get(f"/api/v1/safety/screenings/{ids['screening_id']}").json(),
        "events": api.get("/api/v1/safety-events").json(),
    }
    assert after == before
    assert after["screening"]["assessed_at"] is None


def test_nobody_signed_in_gets_401_everywhere(api, client):
    ids = alices_records(api)
    for method, path, body in [
        ("GET", "/api/v1/instruments", None),
        ("GET", "/api/v1/questionnaires/due", None),
        ("GET", "/api/v1/questionnaire-responses", None),
        ("POST", "/api/v1/questionnaire-responses", {"instrument": "phq9", "answers": PHQ9_CALM}),
        ("GET", "/api/v1/safety", None),
        ("GET", "/api/v1/safety/red-flags", None),
        ("GET", "/api/v1/safety/screenings", None),
        ("POST", "/api/v1/safety/screenings", {"answers": ALL_NO}),
        ("GET", "/api/v1/safety-events", None),
        *((method, path, None) for method, path in OPERATIONS_WITH_AN_ID),
    ]:
        response = send(client, method, path.format(**ids), body)
        assert response.status_code == 401, (method, path)
    assert Response.objects.count() == 1 and Screening.objects.count() == 1
