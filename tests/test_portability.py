import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from helpers import FITS, FULL, PASSWORD, export_document, post, token_client

from rewire.accounts.actions import create_user
from rewire.core import portability
from rewire.core.portability import export_diary
from rewire.diary.models import CheckIn, Tag
from rewire.exposure.actions import log_activity
from rewire.exposure.rules import ActivityEntry
from rewire.insights import actions as insights
from rewire.insights.experiments import ExperimentEntry
from rewire.insights.models import Experiment
from rewire.measures.models import SafetyEvent
from rewire.program.actions import set_flare_plan
from rewire.program.models import ThoughtRecord


@pytest.fixture
def alice_api(alice):
    return token_client(alice)


def fill_diary(client):
    post(client, FULL)
    post(client, {"pain": 8, "is_flare": True, "recorded_at": "2026-03-03T22:10:05.123456+01:00"})
    post(
        client,
        {
            "pain": 2,
            "recorded_at": "2026-03-04T07:00:00Z",
            "emotions": [{"name": "relieved", "intensity": 6}],
            "helped": ["heat", "a swim"],
            "note": "Ünïcode ✓",
        },
    )


def without_time_of_export(document):
    return {key: value for key, value in document.items() if key != "exported_at"}


def test_export_then_import_into_an_empty_account_reproduces_it_exactly(alice_api, db):
    fill_diary(alice_api)
    exported = alice_api.get("/api/v1/export").json()
    assert exported["format"] == "rewire-export" and exported["version"] == 1
    assert len(exported["checkins"]) == 3

    dave = create_user(email="dave@example.com", password=PASSWORD, timezone="Europe/London")
    dave_api = token_client(dave)
    response = dave_api.post(
        "/api/v1/import", json.dumps(exported), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["checkins"] == 3

    again = dave_api.get("/api/v1/export").json()
    assert without_time_of_export(again) == without_time_of_export(exported)


def test_import_is_validated_whole_before_anything_is_written(alice_api, carol):
    fill_diary(alice_api)
    exported = alice_api.get("/api/v1/export").json()
    exported["checkins"][2]["pain"] = 14
    exported["checkins"][1]["body_areas"] = [{"area": "elbow", "intensity": 3}]
    carol_api = token_client(carol)
    tags_before = Tag.objects.for_user(carol).count()
    response = carol_api.post(
        "/api/v1/import", json.dumps(exported), content_type="application/json"
    )
    assert response.status_code == 422
    locations = [item["loc"] for item in response.json()["detail"]]
    assert any("checkins" in loc and 2 in loc and "pain" in loc for loc in locations)
    assert any("checkins" in loc and 1 in loc for loc in locations)
    assert CheckIn.objects.for_user(carol).count() == 0
    assert Tag.objects.for_user(carol).count() == tags_before


def test_import_rule_breaking_entries_are_rejected_too(alice_api, carol):
    fill_diary(alice_api)
    exported = alice_api.get("/api/v1/export").json()
    exported["checkins"][0]["sleep_hours"] = 6.55  # more than one decimal place
    response = token_client(carol).post(
        "/api/v1/import", json.dumps(exported), content_type="application/json"
    )
    assert response.status_code == 422
    assert ["body", "checkins", 0, "sleep_hours"] in [
        item["loc"] for item in response.json()["detail"]
    ]
    assert CheckIn.objects.for_user(carol).count() == 0


def test_import_into_a_diary_with_checkins_is_refused(alice_api):
    fill_diary(alice_api)
    exported = alice_api.get("/api/v1/export").json()
    response = alice_api.post(
        "/api/v1/import", json.dumps(exported), content_type="application/json"
    )
    assert response.status_code == 409
    assert CheckIn.objects.count() == 3


def test_import_rejects_unknown_fields_and_formats(alice_api):
    for document in (
        {
            "format": "other",
            "version": 1,
            "account": {"timezone": "UTC"},
            "tags": [],
            "checkins": [],
        },
        {"version": 1, "account": {"timezone": "UTC"}, "tags": [], "checkins": [], "extra": 1},
    ):
        response = alice_api.post(
            "/api/v1/import", json.dumps(document), content_type="application/json"
        )
        assert response.status_code == 422


def test_cli_export_and_import_round_trip(alice_api, alice, tmp_path, capsys):
    fill_diary(alice_api)
    target = tmp_path / "diary.json"
    call_command("export", "--email", "alice@example.com", str(target))
    create_user(email="erin@example.com", password=PASSWORD)
    call_command("import", "--email", "erin@example.com", str(target))
    erin_export = export_diary(alice.__class__.objects.get(email="erin@example.com"))
    assert without_time_of_export(erin_export) == without_time_of_export(
        json.loads(target.read_text())
    )


def test_import_checks_local_dates_and_normalises_tag_names(alice_api, carol):
    fill_diary(alice_api)
    exported = alice_api.get("/api/v1/export").json()
    exported["tags"].append({"kind": "context", "name": "Big  Thing"})
    exported["tags"].append({"kind": "context", "name": "big thing"})
    wrong_date = json.loads(json.dumps(exported))
    wrong_date["checkins"][0]["local_date"] = "2020-01-01"
    rejected = token_client(carol).post(
        "/api/v1/import", json.dumps(wrong_date), content_type="application/json"
    )
    assert rejected.status_code == 422
    assert rejected.json()["detail"][0]["loc"] == ["body", "checkins", 0, "local_date"]
    accepted = token_client(carol).post(
        "/api/v1/import", json.dumps(exported), content_type="application/json"
    )
    assert accepted.status_code == 201
    assert Tag.objects.for_user(carol).filter(name="big thing").count() == 1


def test_import_with_an_unknown_timezone_says_so_briefly(alice_api, carol):
    exported = alice_api.get("/api/v1/export").json()
    exported["account"]["timezone"] = "Mars/Olympus"
    response = token_client(carol).post(
        "/api/v1/import", json.dumps(exported), content_type="application/json"
    )
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["loc"] == ["body", "account", "timezone"]
    assert len(problem["msg"]) < 120


def test_a_large_import_is_accepted_only_at_the_import_address(alice_api, carol, settings):
    full = FULL
    document = export_document(
        [
            {
                **full,
                "note": "x" * 4000,
                "local_date": "2026-03-02",
                "created_at": full["recorded_at"],
                "updated_at": full["recorded_at"],
            }
        ]
        * 800
    )
    body = json.dumps(document)
    assert len(body) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = token_client(carol).post("/api/v1/import", body, content_type="application/json")
    assert response.status_code == 201, response.content[:300]
    elsewhere = token_client(carol).post("/api/v1/checkins", body, content_type="application/json")
    assert elsewhere.status_code == 400
    from django.test import Client

    anonymous = Client().post("/api/v1/import", body, content_type="application/json")
    assert anonymous.status_code == 401  # a stranger's large body is never read
    settings.IMPORT_MAX_BYTES = 1000
    too_big = token_client(carol).post("/api/v1/import", body, content_type="application/json")
    assert too_big.status_code == 413


def test_export_reads_details_in_batches_without_losing_any(alice_api, monkeypatch):
    fill_diary(alice_api)
    whole = alice_api.get("/api/v1/export").json()
    monkeypatch.setattr(portability, "ID_BATCH", 2)
    batched = alice_api.get("/api/v1/export").json()
    assert without_time_of_export(batched) == without_time_of_export(whole)
    assert [row["emotions"] for row in batched["checkins"]][2] == [
        {"name": "relieved", "intensity": 6}
    ]


# The guided programme in the export


def send(client, method, url, body=None):
    data = "" if body is None else json.dumps(body)
    response = client.generic(method, url, data, content_type="application/json")
    assert response.status_code < 300, response.content
    return response.json() if response.content else None


def fill_programme(client):
    """Some of every programme record, made through the API, some changed since."""
    checkins = client.get("/api/v1/checkins").json()["items"]
    flags = [flag["id"] for flag in client.get("/api/v1/safety/red-flags").json()]
    send(client, "POST", "/api/v1/suitability", {"answers": FITS})
    send(client, "POST", "/api/v1/safety/screenings", {"answers": dict.fromkeys(flags, False)})
    for session in ("intake", "evidence"):
        send(client, "POST", f"/api/v1/programme/sessions/{session}/complete")
    send(
        client,
        "POST",
        "/api/v1/practices",
        {
            "kind": "somatic_tracking",
            "started_at": "2026-03-03T21:00:00.5+01:00",
            "finished_at": "2026-03-03T21:12:00+01:00",
            "pain_before": 7,
            "pain_after": 5,
            "threat_before": 8,
            "threat_after": 4,
            "note": "Ünïcode ✓",
        },
    )
    send(
        client,
        "POST",
        "/api/v1/practices",
        {
            "kind": "savouring",
            "started_at": "2026-03-04T07:30:00Z",
            "finished_at": "2026-03-04T07:36:00Z",
            "mood_before": 4,
        },
    )
    first, middle, _ = (
        send(client, "POST", "/api/v1/safety-messages", {"text": text})
        for text in ("I am safe.", "Gone soon.", "Pain is an alarm.")
    )
    send(client, "DELETE", f"/api/v1/safety-messages/{middle['id']}")
    send(client, "PUT", f"/api/v1/safety-messages/{first['id']}", {"text": "I am safe now."})
    send(client, "PUT", "/api/v1/flare-plan", {"steps": ["Breathe out.", "Track it.", "Walk."]})
    for kind, example in (("delayed", "Hurts the day after."), ("symmetrical", "Both knees.")):
        send(client, "POST", "/api/v1/evidence", {"kind": kind, "example": example})
    for when, causes in (
        ("2026-03-01T09:00:00Z", [("A worn disc", "body")]),
        ("2026-03-08T09:00:00Z", [("A worn disc", "body"), ("Stress", "mind"), ("Fear", "mind")]),
    ):
        send(
            client,
            "POST",
            "/api/v1/attributions",
            {"recorded_at": when, "causes": [{"text": t, "category": c} for t, c in causes]},
        )
    record = {
        "recorded_at": "2026-03-03T22:30:00+01:00",
        "situation": "Woke in pain",
        "automatic_thought": "This will never end.",
        "emotions": [{"name": "despair", "before": 7, "after": 3}, {"name": "fear", "before": 5}],
        "traps": ["catastrophising"],
        "reappraisal": "Flares pass; this one will too.",
    }
    linked = send(
        client, "POST", "/api/v1/thought-records", {**record, "checkin": checkins[1]["id"]}
    )
    send(client, "POST", "/api/v1/thought-records", {**record, "checkin": checkins[0]["id"]})
    send(client, "POST", "/api/v1/thought-records", {**record, "recorded_at": None})
    send(
        client,
        "PUT",
        f"/api/v1/thought-records/{linked['id']}",
        {**record, "checkin": checkins[1]["id"], "traps": ["fortune_telling", "labelling"]},
    )
    plan = {"keep_doing": "Tracking.", "warning_signs": "Avoiding stairs.", "what_helped": ""}
    send(client, "PUT", "/api/v1/programme/maintenance-plan", plan)
    letter = {"kind": "unsent_letter", "title": "To my old boss", "text": "You never…\n\nÜ ✓"}
    written = send(client, "POST", "/api/v1/writing", {**letter, "distress_before": 3})
    send(
        client,
        "PUT",
        f"/api/v1/writing/{written['id']}",
        {**letter, "distress_before": 3, "distress_after": 8},
    )
    events = [
        {"age": 7, "event": "We moved town", "felt": "hard"},
        {"age": 19, "event": "First job", "felt": "good"},
        {"age": 34, "event": "Back pain began", "felt": "mixed"},
    ]
    send(
        client,
        "POST",
        "/api/v1/writing",
        {"kind": "timeline", "events": events, "text": "The pain came in a hard year."},
    )


def test_the_programme_round_trips_exactly_through_an_empty_account(alice_api, db):
    fill_diary(alice_api)
    fill_programme(alice_api)
    paced = alice_api.put(
        "/api/v1/programme/pace", json.dumps({"pace": "every_day"}), content_type="application/json"
    )
    assert paced.status_code == 200
    exported = alice_api.get("/api/v1/export").json()
    programme = exported["programme"]
    assert programme["pace"] == "every_day"  # a preference: replaced, not counted
    assert programme["maintenance_plan"]["warning_signs"] == "Avoiding stairs."
    lists = {name: rows for name, rows in programme.items() if isinstance(rows, list)}
    assert {name: len(rows) for name, rows in lists.items()} == {
        "session_completions": 2,
        "practices": 2,
        "safety_messages": 2,
        "flare_plan": 3,
        "evidence": 2,
        "attributions": 2,
        "thought_records": 3,
        "writing": 2,
    }
    assert [m["text"] for m in programme["safety_messages"]] == [
        "I am safe now.",
        "Pain is an alarm.",
    ]
    # Oldest first; each names its check-in by the check-in's place in the document.
    assert [r["checkin_index"] for r in programme["thought_records"]] == [1, 2, None]

    dave = create_user(email="dave@example.com", password=PASSWORD, timezone="Europe/London")
    dave_api = token_client(dave)
    response = dave_api.post(
        "/api/v1/import", json.dumps(exported), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    # ... and the plan, and two pieces of writing.
    assert response.json()["programme_records"] == 2 + 2 + 2 + 3 + 2 + 2 + 3 + 1 + 2
    again = dave_api.get("/api/v1/export").json()
    assert without_time_of_export(again) == without_time_of_export(exported)
    # Expressive writing comes back whole: the letter, the timeline's events in order, and
    # how upset the person felt before and after.
    letter, timeline = again["programme"]["writing"]
    assert (letter["kind"], letter["distress_before"], letter["distress_after"]) == (
        "unsent_letter",
        3,
        8,
    )
    assert [e["age"] for e in timeline["events"]] == [7, 19, 34]

    # The links point at dave's own copies of the check-ins.
    records = dave_api.get("/api/v1/thought-records").json()["items"]
    linked = [r["checkin"] for r in records if r["checkin"]]
    daves_checkins = {c["id"] for c in dave_api.get("/api/v1/checkins").json()["items"]}
    assert len(linked) == 2 and set(linked) <= daves_checkins
    assert dave_api.get("/api/v1/programme").json()["next_session"] == "tracking"
    assert ThoughtRecord.objects.for_user(dave).filter(checkin__user=dave).count() == 2


def test_the_cli_round_trip_carries_the_programme(alice_api, alice, tmp_path):
    fill_diary(alice_api)
    fill_programme(alice_api)
    target = tmp_path / "everything.json"
    call_command("export", "--email", "alice@example.com", str(target))
    create_user(email="erin@example.com", password=PASSWORD)
    call_command("import", "--email", "erin@example.com", str(target))
    erin = alice.__class__.objects.get(email="erin@example.com")
    written = json.loads(target.read_text())
    assert len(written["programme"]["thought_records"]) == 3
    assert without_time_of_export(export_diary(erin)) == without_time_of_export(written)


def test_a_document_without_the_programme_still_imports(alice_api, carol):
    fill_diary(alice_api)
    exported = alice_api.get("/api/v1/export").json()
    del exported["programme"]
    response = token_client(carol).post(
        "/api/v1/import", json.dumps(exported), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert export_diary(carol)["programme"] == {
        "pace": "twice_a_week",
        "maintenance_plan": None,
        "session_completions": [],
        "practices": [],
        "safety_messages": [],
        "flare_plan": [],
        "evidence": [],
        "attributions": [],
        "thought_records": [],
        "writing": [],
    }


def section_named(name):
    return next(section for section in portability.sections() if section.name == name)


def nothing_written_for(user, tags_before: int, timezone: str):
    user.refresh_from_db()
    assert user.timezone == timezone
    assert CheckIn.objects.for_user(user).count() == 0
    assert Tag.objects.for_user(user).count() == tags_before
    for model in section_named("program").record_models():
        assert not model.objects.for_user(user).exists(), model


def test_bad_programme_records_reject_the_whole_import(alice_api, carol):
    fill_diary(alice_api)
    fill_programme(alice_api)
    exported = alice_api.get("/api/v1/export").json()
    exported["account"]["timezone"] = "Asia/Tokyo"
    programme = exported["programme"]
    programme["session_completions"][1]["session"] = "tracking"  # skips "evidence"
    programme["practices"][0]["finished_at"] = "2026-03-01T00:00:00Z"  # before it started
    programme["practices"][1]["pain_before"] = 3  # savouring asks only for mood
    programme["safety_messages"][0]["text"] = "   "
    programme["evidence"][1]["kind"] = "astrology"
    programme["attributions"][0]["local_date"] = "2025-01-01"
    programme["thought_records"][0]["traps"] = ["wishful_thinking"]
    programme["thought_records"][2]["checkin_index"] = 3  # the document has 3 check-ins
    tags_before = Tag.objects.for_user(carol).count()
    response = token_client(carol).post(
        "/api/v1/import", json.dumps(exported), content_type="application/json"
    )
    assert response.status_code == 422, response.content
    locations = {tuple(item["loc"]) for item in response.json()["detail"]}
    where = ("body", "programme")
    assert locations == {
        (*where, "session_completions", 1, "session"),
        (*where, "practices", 0, "finished_at"),
        (*where, "practices", 1, "pain_before"),
        (*where, "safety_messages", 0, "text"),
        (*where, "evidence", 1, "kind"),
        (*where, "attributions", 0, "local_date"),
        (*where, "thought_records", 0, "traps"),
        (*where, "thought_records", 2, "checkin_index"),
    }
    nothing_written_for(carol, tags_before, "America/New_York")


def test_a_badly_shaped_programme_record_rejects_the_whole_import(alice_api, carol):
    fill_diary(alice_api)
    fill_programme(alice_api)
    exported = alice_api.get("/api/v1/export").json()
    exported["programme"]["thought_records"][1]["emotions"][0]["after"] = 11
    exported["programme"]["flare_plan"][0]["colour"] = "red"
    tags_before = Tag.objects.for_user(carol).count()
    response = token_client(carol).post(
        "/api/v1/import", json.dumps(exported), content_type="application/json"
    )
    assert response.status_code == 422
    locations = [item["loc"] for item in response.json()["detail"]]
    assert ["body", "programme", "thought_records", 1, "emotions", 0, "after"] in locations
    assert ["body", "programme", "flare_plan", 0, "colour"] in locations
    nothing_written_for(carol, tags_before, "America/New_York")


def test_import_into_an_account_with_programme_records_is_refused(alice_api, carol):
    fill_diary(alice_api)
    exported = alice_api.get("/api/v1/export").json()
    carol_api = token_client(carol)
    set_flare_plan(user=carol, steps=["Rest."])
    response = carol_api.post(
        "/api/v1/import", json.dumps(exported), content_type="application/json"
    )
    assert response.status_code == 409
    assert response.json()["detail"][0]["loc"] == ["body", "programme"]
    assert CheckIn.objects.for_user(carol).count() == 0


def test_the_programme_export_reads_in_batches_without_losing_any(alice_api, monkeypatch):
    fill_diary(alice_api)
    fill_programme(alice_api)
    whole = alice_api.get("/api/v1/export").json()
    monkeypatch.setattr(portability, "ID_BATCH", 1)
    batched = alice_api.get("/api/v1/export").json()
    assert without_time_of_export(batched) == without_time_of_export(whole)
    assert [len(a["causes"]) for a in batched["programme"]["attributions"]] == [1, 3]


# Questionnaires, warning signs and safety events in the export

PHQ9 = {f"phq9_{n}": 1 for n in range(1, 10)} | {"phq9_9": 0}  # total 8, mild
NO_FLAGS = {
    flag: False
    for flag in (
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
    )
}


def fill_measures(client):
    """Some of every questionnaire and safety record, made through the API."""
    for when, answers in (
        ("2026-03-01T09:00:00Z", {"average_pain": 6}),
        ("2026-03-08T23:30:00-05:00", {"average_pain": 2}),  # the 9th in London
    ):
        send(
            client,
            "POST",
            "/api/v1/questionnaire-responses",
            {"instrument": "weekly_pain", "answers": answers, "answered_at": when},
        )
    for when, answers in (
        ("2026-03-01T09:05:00Z", {**PHQ9, "phq9_3": None}),  # prorated
        ("2026-03-15T09:05:00.25Z", {**PHQ9, "phq9_9": 2}),  # crisis: a safety event
    ):
        send(
            client,
            "POST",
            "/api/v1/questionnaire-responses",
            {"instrument": "phq9", "answers": answers, "answered_at": when},
        )
    start_back = {f"sb_{n}": n % 2 for n in range(1, 9)} | {"sb_9": 3}
    send(
        client,
        "POST",
        "/api/v1/questionnaire-responses",
        {"instrument": "start_back", "answers": start_back, "answered_at": "2026-03-01T09:10:00Z"},
    )
    # A crisis answer deleted since: its event stays, without the link.
    gone = send(
        client,
        "POST",
        "/api/v1/questionnaire-responses",
        {
            "instrument": "phq9",
            "answers": {**PHQ9, "phq9_9": 1},
            "answered_at": "2026-03-02T09:00Z",
        },
    )
    send(client, "DELETE", f"/api/v1/questionnaire-responses/{gone['id']}")
    # Who the programme is for: answers that do not fit, with a clinician's agreement, then
    # answers that fit.
    leg = send(client, "POST", "/api/v1/suitability", {"answers": {**FITS, "where": "leg_worse"}})
    send(
        client,
        "POST",
        f"/api/v1/suitability/{leg['id']}/clinician-agreed",
        {"clinician": "Dr Shah"},
    )
    send(client, "POST", "/api/v1/suitability", {"answers": FITS})
    send(client, "POST", "/api/v1/safety/screenings", {"answers": NO_FLAGS})
    assessed = send(
        client, "POST", "/api/v1/safety/screenings", {"answers": {**NO_FLAGS, "night_pain": True}}
    )
    send(client, "POST", f"/api/v1/safety/screenings/{assessed['id']}/assessed")
    send(
        client,
        "POST",
        "/api/v1/safety/screenings",
        {"answers": {**NO_FLAGS, "bladder_bowel_saddle": True}},
    )


def test_the_measures_round_trip_exactly_through_an_empty_account(alice_api, db):
    fill_diary(alice_api)
    fill_programme(alice_api)
    fill_measures(alice_api)
    exported = alice_api.get("/api/v1/export").json()
    measures = exported["measures"]
    assert {name: len(rows) for name, rows in measures.items()} == {
        "responses": 5,
        "screenings": 4,  # fill_programme's, all no, and fill_measures' three
        "suitability": 3,  # fill_programme's, and fill_measures' two
        "safety_events": 4,
    }
    assert [row["answers"]["where"] for row in measures["suitability"]] == [
        "back",
        "leg_worse",
        "back",
    ]
    assert measures["suitability"][1]["clinician"] == "Dr Shah"
    assert measures["suitability"][1]["clinician_agreed_at"] is not None
    responses = measures["responses"]
    assert [r["instrument"] for r in responses] == [
        "weekly_pain",
        "phq9",
        "start_back",
        "weekly_pain",
        "phq9",
    ]
    assert responses[1] == {
        "instrument": "phq9",
        "answered_at": "2026-03-01T09:05:00+00:00",
        "local_date": "2026-03-01",
        "answers": {**PHQ9, "phq9_3": None},
        "total": 8,  # 7 from 8 answers, prorated: 7.875
        "band": "Mild",
        "subscale": None,
        "prorated": True,
    }
    assert responses[3]["local_date"] == "2026-03-09"
    assert (responses[2]["total"], responses[2]["subscale"]) == (5, 3)
    assert responses[2]["band"] == "Medium risk"
    assert [s["assessed_at"] is not None for s in measures["screenings"]] == [
        False,  # fill_programme's, all no
        False,
        True,
        False,
    ]
    # Oldest first; each names its answers by their place in the document.
    assert [
        (e["kind"], e["response_index"], e["screening_index"]) for e in measures["safety_events"]
    ] == [
        ("phq9_item9", None, None),  # its answers were deleted
        ("phq9_item9", 4, None),
        ("red_flag", None, 2),
        ("red_flag", None, 3),
    ]

    dave = create_user(email="dave@example.com", password=PASSWORD, timezone="Europe/London")
    dave_api = token_client(dave)
    response = dave_api.post(
        "/api/v1/import", json.dumps(exported), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["measures_records"] == 5 + 4 + 3 + 4
    # ... and the plan, and two pieces of writing.
    assert response.json()["programme_records"] == 2 + 2 + 2 + 3 + 2 + 2 + 3 + 1 + 2
    again = dave_api.get("/api/v1/export").json()
    assert without_time_of_export(again) == without_time_of_export(exported)

    # The events point at dave's own copies; his programme is locked as alice's was.
    events = dave_api.get("/api/v1/safety-events").json()
    daves_responses = dave_api.get("/api/v1/questionnaire-responses").json()["items"]
    daves_screenings = dave_api.get("/api/v1/safety/screenings").json()
    assert {e["response"] for e in events} - {None} == {daves_responses[0]["id"]}
    assert daves_responses[0]["crisis_support"] is True
    assert {e["screening"] for e in events} - {None} == {s["id"] for s in daves_screenings[:2]}
    assert dave_api.get("/api/v1/safety").json() == {
        "programme_state": "locked",
        "latest_screening": daves_screenings[0]["id"],
        "latest_suitability": dave_api.get("/api/v1/suitability").json()[0]["id"],
    }
    assert SafetyEvent.objects.for_user(dave).filter(response__user=dave).count() == 1
    assert SafetyEvent.objects.for_user(dave).filter(screening__user=dave).count() == 2


def test_the_cli_round_trip_carries_the_measures(alice_api, alice, tmp_path, capsys):
    fill_measures(alice_api)
    target = tmp_path / "everything.json"
    call_command("export", "--email", "alice@example.com", str(target))
    create_user(email="erin@example.com", password=PASSWORD)
    call_command("import", "--email", "erin@example.com", str(target))
    assert "14 questionnaire and safety records" in capsys.readouterr().out
    erin = alice.__class__.objects.get(email="erin@example.com")
    written = json.loads(target.read_text())
    assert len(written["measures"]["responses"]) == 5
    assert without_time_of_export(export_diary(erin)) == without_time_of_export(written)


def test_a_document_without_the_measures_still_imports(alice_api, carol):
    fill_diary(alice_api)
    exported = alice_api.get("/api/v1/export").json()
    del exported["measures"]
    response = token_client(carol).post(
        "/api/v1/import", json.dumps(exported), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["measures_records"] == 0
    assert export_diary(carol)["measures"] == {
        "responses": [],
        "screenings": [],
        "suitability": [],
        "safety_events": [],
    }


def nothing_at_all_written_for(user, tags_before: int, timezone: str):
    nothing_written_for(user, tags_before, timezone)
    for name in ("measures", "exposure", "insights"):
        for model in section_named(name).record_models():
            assert not model.objects.for_user(user).exists(), model


def test_bad_measures_reject_the_whole_import(alice_api, carol):
    fill_diary(alice_api)
    fill_programme(alice_api)
    fill_measures(alice_api)
    exported = alice_api.get("/api/v1/export").json()
    exported["account"]["timezone"] = "Asia/Tokyo"
    measures = exported["measures"]
    responses, screenings, events = (
        measures["responses"],
        measures["screenings"],
        measures["safety_events"],
    )
    responses[0]["answers"]["average_pain"] = 11
    responses[1]["total"] = 9  # the answers give 8
    responses[2]["instrument"] = "bpi"
    responses[3]["local_date"] = "2026-01-01"
    responses[4]["answered_at"] = "2099-01-01T00:00:00+00:00"
    responses[4]["local_date"] = "2099-01-01"
    screenings[0]["answers"].pop("night_pain")
    screenings[0]["answers"]["headache"] = True
    screenings[0]["assessed_at"] = screenings[0]["answered_at"]  # nothing to assess
    screenings[1]["assessed_at"] = "2020-01-01T00:00:00+00:00"  # before the answers
    events[1]["response_index"] = 5  # the document has 5 responses
    # A red flag event cannot name questionnaire answers.
    events[2]["response_index"], events[2]["screening_index"] = 0, None
    events[3]["occurred_at"] = "2099-01-01T00:00:00+00:00"
    tags_before = Tag.objects.for_user(carol).count()
    response = token_client(carol).post(
        "/api/v1/import", json.dumps(exported), content_type="application/json"
    )
    assert response.status_code == 422, response.content
    locations = [tuple(item["loc"]) for item in response.json()["detail"]]
    where = ("body", "measures")
    assert sorted(locations, key=str) == sorted(
        [
            (*where, "responses", 0, "answers", "average_pain"),
            (*where, "responses", 1, "total"),
            (*where, "responses", 2, "instrument"),
            (*where, "responses", 3, "local_date"),
            (*where, "responses", 4, "answered_at"),
            (*where, "screenings", 0, "answers", "headache"),
            (*where, "screenings", 0, "answers", "night_pain"),
            (*where, "screenings", 0, "assessed_at"),
            (*where, "screenings", 1, "assessed_at"),
            (*where, "safety_events", 1, "response_index"),
            (*where, "safety_events", 2, "response_index"),
            (*where, "safety_events", 3, "occurred_at"),
            # Response 4 (PHQ-9 item 9 above 0) and screening 1 lost the events naming them.
            (*where, "safety_events"),
            (*where, "safety_events"),
        ],
        key=str,
    )
    total = next(i for i in response.json()["detail"] if i["loc"][-1] == "total")
    assert total["msg"] == "Does not match the answers, which give 8."
    nothing_at_all_written_for(carol, tags_before, "America/New_York")


def test_an_answer_that_raised_a_safety_event_cannot_be_imported_without_it(alice_api, carol):
    fill_measures(alice_api)
    exported = alice_api.get("/api/v1/export").json()
    exported["measures"]["safety_events"] = [
        e for e in exported["measures"]["safety_events"] if e["response_index"] is None
    ]
    response = token_client(carol).post(
        "/api/v1/import", json.dumps(exported), content_type="application/json"
    )
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["loc"] == ["body", "measures", "safety_events"]
    assert "response_index 4" in problem["msg"]
    nothing_at_all_written_for(carol, Tag.objects.for_user(carol).count(), "America/New_York")


def test_a_badly_shaped_measures_record_rejects_the_whole_import(alice_api, carol):
    fill_measures(alice_api)
    exported = alice_api.get("/api/v1/export").json()
    exported["measures"]["responses"][0]["answers"]["average_pain"] = "6"
    exported["measures"]["screenings"][0]["answers"]["night_pain"] = "no"
    exported["measures"]["safety_events"][0]["kind"] = "worry"
    exported["measures"]["safety_events"][1]["clinician"] = "Dr Who"
    response = token_client(carol).post(
        "/api/v1/import", json.dumps(exported), content_type="application/json"
    )
    assert response.status_code == 422
    locations = [item["loc"] for item in response.json()["detail"]]
    where = ["body", "measures"]
    assert [*where, "responses", 0, "answers", "average_pain"] in locations
    assert [*where, "screenings", 0, "answers", "night_pain"] in locations
    assert [*where, "safety_events", 0, "kind"] in locations
    assert [*where, "safety_events", 1, "clinician"] in locations
    nothing_at_all_written_for(carol, Tag.objects.for_user(carol).count(), "America/New_York")


def test_import_into_an_account_with_measures_records_is_refused(alice_api, carol):
    fill_diary(alice_api)
    exported = alice_api.get("/api/v1/export").json()
    carol_api = token_client(carol)
    send(carol_api, "POST", "/api/v1/safety/screenings", {"answers": NO_FLAGS})
    response = carol_api.post(
        "/api/v1/import", json.dumps(exported), content_type="application/json"
    )
    assert response.status_code == 409
    assert response.json()["detail"][0]["loc"] == ["body", "measures"]
    assert CheckIn.objects.for_user(carol).count() == 0


# The fear ladder, its tries and the movement log in the export

NO_FLAGS_ANSWERED = {"answers": NO_FLAGS}


def fill_exposure(client):
    """Some of every exposure record, made through the API, some changed or deleted since."""
    state = client.get("/api/v1/safety").json()["programme_state"]
    if state in ("suitability", "not_suited"):
        send(client, "POST", "/api/v1/suitability", {"answers": FITS})
    if state != "open":
        send(client, "POST", "/api/v1/safety/screenings", NO_FLAGS_ANSWERED)
    rungs = "/api/v1/ladder/rungs"
    lift = send(
        client,
        "POST",
        rungs,
        {
            "activity": "Lifting a box from the floor",
            "library_id": "lift_box_floor",
            "fear": 70,
            "expected_pain": 6,
            "harm": 50,
        },
    )
    own = send(
        client, "POST", rungs, {"activity": "Hoovering", "fear": 40, "expected_pain": 4, "harm": 20}
    )
    gone = send(
        client, "POST", rungs, {"activity": "Gone soon", "fear": 90, "expected_pain": 9, "harm": 90}
    )
    walk = send(
        client,
        "POST",
        rungs,
        {
            "activity": "Walking for 30 minutes",
            "library_id": "walk_30_minutes",
            "fear": 20,
            "expected_pain": 3,
            "harm": 10,
        },
    )
    send(client, "PATCH", f"{rungs}/{own['id']}", {"activity": "Hoovering the stairs ✓"})
    for fear in (35, 25):
        send(
            client,
            "POST",
            f"{rungs}/{own['id']}/ratings",
            {"fear": fear, "expected_pain": 3, "harm": 15},
        )
    send(client, "PATCH", f"{rungs}/{walk['id']}", {"mastered": True})

    attempts = "/api/v1/exposure-attempts"
    before = {"fear_before": 60, "predicted_pain": 7, "predicted_harm": 40, "prediction": "Pain."}
    after = {"actual_pain": 3, "outcome": "no", "fear_after": 20, "learned": "Ünïcode ✓"}
    both = send(
        client,
        "POST",
        attempts,
        {
            "rung": walk["id"],
            **before,
            "started_at": "2026-03-03T21:00:00.5+01:00",
            "after": {**after, "finished_at": "2026-03-03T21:20:00+01:00"},
        },
    )
    send(client, "POST", f"{attempts}/{both['id']}/next-day", {"pain": 3})
    send(
        client,
        "POST",
        attempts,
        {"rung": own["id"], **before, "started_at": "2026-03-04T07:30:00Z"},
    )
    send(client, "POST", attempts, {"rung": gone["id"], **before, "after": after})
    send(client, "DELETE", f"{rungs}/{gone['id']}")  # with its try
    later = send(
        client,
        "POST",
        attempts,
        {"rung": lift["id"], **before, "started_at": "2026-03-05T10:00:00Z"},
    )
    send(client, "POST", f"{attempts}/{later['id']}/after", {**after, "outcome": "yes"})
    send(client, "POST", f"{attempts}/{later['id']}/next-day", {"pain": None})
    send(client, "POST", f"{attempts}/{later['id']}/after", {**after, "outcome": "partly"})

    activities = "/api/v1/activity-sessions"
    for activity, minutes, note in (("A swim", 30, "Cold ✓"), ("A walk", 45, "")):
        send(
            client,
            "POST",
            activities,
            {"activity": activity, "minutes": minutes, "local_date": "2026-03-03", "note": note},
        )
    deleted = send(
        client, "POST", activities, {"activity": "Gone", "minutes": 5, "local_date": "2026-03-04"}
    )
    send(client, "DELETE", f"{activities}/{deleted['id']}")

    plans, bouts = "/api/v1/pacing-plans", "/api/v1/pacing-bouts"
    garden = send(
        client, "POST", plans, {"activity": "Gärdening", "activity_minutes": 15, "break_minutes": 5}
    )
    desk = send(
        client, "POST", plans, {"activity": "Desk", "activity_minutes": 30, "break_minutes": 3}
    )
    gone_plan = send(
        client, "POST", plans, {"activity": "Gone", "activity_minutes": 5, "break_minutes": 1}
    )
    send(
        client,
        "POST",
        bouts,
        {
            "plan": garden["id"],
            "minutes": 30,
            "breaks": 1,
            "local_date": "2026-03-03",
            "note": "Fine ✓",
        },
    )
    send(client, "PATCH", f"{plans}/{garden['id']}", {"activity_minutes": 17})
    send(
        client,
        "POST",
        bouts,
        {"plan": garden["id"], "minutes": 17, "breaks": 0, "local_date": "2026-03-04"},
    )
    send(
        client,
        "POST",
        bouts,
        {"plan": desk["id"], "minutes": 60, "breaks": 2, "local_date": "2026-03-04"},
    )
    send(
        client,
        "POST",
        bouts,
        {"plan": gone_plan["id"], "minutes": 5, "breaks": 0, "local_date": "2026-03-04"},
    )
    send(client, "DELETE", f"{plans}/{gone_plan['id']}")  # with its bout


def test_the_exposure_round_trips_exactly_through_an_empty_account(alice_api, db):
    fill_diary(alice_api)
    fill_exposure(alice_api)
    exported = alice_api.get("/api/v1/export").json()
    exposure = exported["exposure"]
    assert {name: len(rows) for name, rows in exposure.items()} == {
        "rungs": 3,
        "attempts": 3,
        "activity_sessions": 2,
        "pacing_plans": 2,
        "pacing_bouts": 3,
    }
    rungs = exposure["rungs"]
    assert [r["activity"] for r in rungs] == [
        "Lifting a box from the floor",
        "Hoovering the stairs ✓",
        "Walking for 30 minutes",
    ]
    assert [r["library_id"] for r in rungs] == ["lift_box_floor", None, "walk_30_minutes"]
    assert [len(r["ratings"]) for r in rungs] == [1, 3, 1]
    assert [r["fear"] for r in rungs[1]["ratings"]] == [40, 35, 25]
    assert rungs[1]["fear"] == 25 and rungs[1]["rated_at"] == rungs[1]["ratings"][-1]["rated_at"]
    assert [r["mastered_at"] is not None for r in rungs] == [False, False, True]
    # Oldest first; each names its rung by the rung's place in the document.
    attempts = exposure["attempts"]
    assert [a["rung_index"] for a in attempts] == [2, 1, 0]
    assert attempts[0]["started_at"] == "2026-03-03T20:00:00.500000+00:00"
    assert attempts[0]["local_date"] == "2026-03-03"
    assert attempts[0]["after"] == {
        "actual_pain": 3,
        "outcome": "no",
        "fear_after": 20,
        "learned": "Ünïcode ✓",
        "finished_at": "2026-03-03T20:20:00+00:00",
    }
    assert (attempts[0]["next_day_pain"], attempts[0]["next_day_declined"]) == (3, False)
    assert attempts[1]["after"] is None
    assert (attempts[2]["next_day_pain"], attempts[2]["next_day_declined"]) == (None, True)
    assert attempts[2]["after"]["outcome"] == "partly"
    assert [a["activity"] for a in exposure["activity_sessions"]] == ["A swim", "A walk"]
    assert [(p["activity"], p["activity_minutes"]) for p in exposure["pacing_plans"]] == [
        ("Gärdening", 17),
        ("Desk", 30),
    ]
    # Oldest first, each naming its plan by the plan's place, with the quota it was done with.
    assert [
        (b["plan_index"], b["minutes"], b["breaks"], b["planned_minutes"], b["note"])
        for b in exposure["pacing_bouts"]
    ] == [(0, 30, 1, 15, "Fine ✓"), (0, 17, 0, 17, ""), (1, 60, 2, 30, "")]

    dave = create_user(email="dave@example.com", password=PASSWORD, timezone="Europe/London")
    dave_api = token_client(dave)
    response = dave_api.post(
        "/api/v1/import", json.dumps(exported), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["exposure_records"] == 3 + 3 + 2 + 2 + 3
    assert response.json()["programme_records"] == 0
    again = dave_api.get("/api/v1/export").json()
    assert without_time_of_export(again) == without_time_of_export(exported)

    # Dave's tries point at his own copies of the rungs, and teach what alice's taught.
    def lessons(client):
        return [
            (a["activity"], a["violation"] and a["violation"]["words"])
            for a in client.get("/api/v1/exposure-attempts").json()["items"]
        ]

    assert lessons(dave_api) == lessons(alice_api)
    daves_rungs = {r["id"] for r in dave_api.get("/api/v1/ladder").json()["rungs"]}
    assert {a["rung"] for a in dave_api.get("/api/v1/exposure-attempts").json()["items"]} <= (
        daves_rungs
    )
    assert dave_api.get("/api/v1/movement").json()["mastered"] == 1
    daves_plans = {p["id"] for p in dave_api.get("/api/v1/pacing-plans").json()}
    daves_bouts = dave_api.get("/api/v1/pacing-bouts").json()["items"]
    assert {b["plan"] for b in daves_bouts} == daves_plans


def test_the_exposure_export_reads_ratings_in_batches_without_losing_any(alice_api, monkeypatch):
    fill_exposure(alice_api)
    whole = alice_api.get("/api/v1/export").json()
    monkeypatch.setattr(portability, "ID_BATCH", 1)
    batched = alice_api.get("/api/v1/export").json()
    assert without_time_of_export(batched) == without_time_of_export(whole)
    assert [len(r["ratings"]) for r in batched["exposure"]["rungs"]] == [1, 3, 1]


def test_a_document_without_the_exposure_still_imports(alice_api, carol):
    fill_diary(alice_api)
    exported = alice_api.get("/api/v1/export").json()
    del exported["exposure"]
    response = token_client(carol).post(
        "/api/v1/import", json.dumps(exported), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["exposure_records"] == 0
    assert export_diary(carol)["exposure"] == {
        "rungs": [],
        "attempts": [],
        "activity_sessions": [],
        "pacing_plans": [],
        "pacing_bouts": [],
    }


def test_bad_exposure_records_reject_the_whole_import(alice_api, carol):
    fill_diary(alice_api)
    fill_exposure(alice_api)
    exported = alice_api.get("/api/v1/export").json()
    exported["account"]["timezone"] = "Asia/Tokyo"
    exposure = exported["exposure"]
    rungs, attempts, activities = (
        exposure["rungs"],
        exposure["attempts"],
        exposure["activity_sessions"],
    )
    rungs[0]["library_id"] = "moonwalk"
    rungs[1]["activity"] = "  lifting a BOX from the floor "  # rung 0's words again
    rungs[2]["mastered_at"] = "2999-01-01T00:00:00+00:00"
    rungs[1]["ratings"][2]["rated_at"] = "2999-01-01T00:00:00+00:00"
    attempts[0]["rung_index"] = 3  # the document has 3 rungs
    attempts[0]["after"]["finished_at"] = "2026-03-03T19:00:00+00:00"  # before it started
    attempts[1]["next_day_pain"] = 2  # the try has no "after"
    attempts[2]["local_date"] = "2020-01-01"
    attempts[2]["next_day_pain"] = 4  # and declined too
    just_now = dt.datetime.now(dt.UTC).isoformat()
    attempts.append(
        {
            **attempts[1],
            "started_at": just_now,
            "local_date": dt.datetime.now(ZoneInfo("Asia/Tokyo")).date().isoformat(),
            "after": {**attempts[2]["after"], "finished_at": just_now},
            "next_day_pain": 1,  # asked only from the day after the try
        }
    )
    activities[0]["local_date"] = "2999-01-01"
    activities[1]["created_at"] = "2999-01-01T00:00:00+00:00"
    tags_before = Tag.objects.for_user(carol).count()
    response = token_client(carol).post(
        "/api/v1/import", json.dumps(exported), content_type="application/json"
    )
    assert response.status_code == 422, response.content
    locations = {tuple(item["loc"]) for item in response.json()["detail"]}
    where = ("body", "exposure")
    assert locations == {
        (*where, "rungs", 0, "library_id"),
        (*where, "rungs", 1, "activity"),
        (*where, "rungs", 1, "ratings", 2, "rated_at"),
        (*where, "rungs", 1, "ratings"),  # its last rating is no longer the rung's own
        (*where, "rungs", 2, "mastered_at"),
        (*where, "attempts", 0, "rung_index"),
        (*where, "attempts", 0, "after", "finished_at"),
        (*where, "attempts", 1, "next_day_pain"),
        (*where, "attempts", 2, "local_date"),
        (*where, "attempts", 2, "next_day_declined"),
        (*where, "attempts", 3, "next_day_pain"),
        (*where, "activity_sessions", 0, "local_date"),
        (*where, "activity_sessions", 1, "created_at"),
    }
    messages = {tuple(item["loc"]): item["msg"] for item in response.json()["detail"]}
    assert messages[(*where, "rungs", 1, "activity")] == "This activity is on the ladder already."
    assert messages[(*where, "attempts", 1, "next_day_pain")] == "Say how the try went first."
    nothing_at_all_written_for(carol, tags_before, "America/New_York")


def test_a_badly_shaped_exposure_record_rejects_the_whole_import(alice_api, carol):
    fill_exposure(alice_api)
    exported = alice_api.get("/api/v1/export").json()
    exposure = exported["exposure"]
    exposure["rungs"][0]["fear"] = 101
    exposure["rungs"][1]["colour"] = "red"
    exposure["attempts"][0]["after"]["outcome"] = "maybe"
    exposure["attempts"][1]["rung_index"] = -1
    exposure["activity_sessions"][0]["minutes"] = 0
    response = token_client(carol).post(
        "/api/v1/import", json.dumps(exported), content_type="application/json"
    )
    assert response.status_code == 422
    locations = [item["loc"] for item in response.json()["detail"]]
    where = ["body", "exposure"]
    for location in (
        [*where, "rungs", 0, "fear"],
        [*where, "rungs", 1, "colour"],
        [*where, "attempts", 0, "after", "outcome"],
        [*where, "attempts", 1, "rung_index"],
        [*where, "activity_sessions", 0, "minutes"],
    ):
        assert location in locations
    nothing_at_all_written_for(carol, Tag.objects.for_user(carol).count(), "America/New_York")


def test_import_into_an_account_with_exposure_records_is_refused(alice_api, carol):
    fill_diary(alice_api)
    exported = alice_api.get("/api/v1/export").json()
    log_activity(
        user=carol,
        entry=ActivityEntry(activity="A walk", minutes=20, local_date=dt.date(2026, 3, 1)),
    )
    response = token_client(carol).post(
        "/api/v1/import", json.dumps(exported), content_type="application/json"
    )
    assert response.status_code == 409
    assert response.json()["detail"][0]["loc"] == ["body", "exposure"]
    assert CheckIn.objects.for_user(carol).count() == 0


# Personal experiments in the export


def fill_experiments(user, client):
    """Three experiments: one long over (planned weeks ago, so its first day is in the past),
    one stopped today after its first answer, and one planned for tomorrow."""
    today = user.today()
    old = Experiment.objects.create(
        user=user,
        intervention="Somatic tracking before bed",
        preset="somatic_tracking_before_bed",
        outcome="next_morning_pain",
        start_date=today - dt.timedelta(days=40),
        days=14,
        schedule=[True, False] * 7,
        created_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=41),
    )
    for back, done in ((40, True), (39, False), (35, True)):
        insights.answer_day(user=user, pk=old.pk, date=today - dt.timedelta(days=back), done=done)
    stopped = send(
        client,
        "POST",
        "/api/v1/experiments",
        {"intervention": "  A   warm shower ✓ ", "outcome": "day_average", "days": 16},
    )
    send(client, "POST", f"/api/v1/experiments/{stopped['id']}/days/{today}", {"done": True})
    send(client, "POST", f"/api/v1/experiments/{stopped['id']}/stop")
    gone = send(client, "POST", "/api/v1/experiments", {**A_WALK, "days": 20})
    send(client, "DELETE", f"/api/v1/experiments/{gone['id']}")
    send(
        client,
        "POST",
        "/api/v1/experiments",
        {**A_WALK, "start_date": (today + dt.timedelta(days=1)).isoformat()},
    )


A_WALK = {
    "intervention": "A 20-minute walk",
    "preset": "walk_20_minutes",
    "outcome": "day_average",
    "days": 14,
}


def test_the_experiments_round_trip_exactly_through_an_empty_account(alice, alice_api, db):
    fill_diary(alice_api)
    fill_experiments(alice, alice_api)
    exported = alice_api.get("/api/v1/export").json()
    experiments = exported["experiments"]
    today = alice.today()
    assert [e["intervention"] for e in experiments] == [
        "Somatic tracking before bed",
        "A warm shower ✓",
        "A 20-minute walk",
    ]
    old, stopped, planned = experiments
    assert old == {
        "intervention": "Somatic tracking before bed",
        "preset": "somatic_tracking_before_bed",
        "outcome": "next_morning_pain",
        "start_date": (today - dt.timedelta(days=40)).isoformat(),
        "days": 14,
        "schedule": [True, False] * 7,
        "created_at": old["created_at"],
        "stopped_on": None,
        "answers": old["answers"],
    }
    assert [(a["date"], a["done"]) for a in old["answers"]] == [
        ((today - dt.timedelta(days=back)).isoformat(), done)
        for back, done in ((40, True), (39, False), (35, True))
    ]
    assert stopped["preset"] is None and stopped["stopped_on"] == today.isoformat()
    assert len(stopped["schedule"]) == 16 and sum(stopped["schedule"]) == 8
    assert [a["done"] for a in stopped["answers"]] == [True]
    # The whole schedule, the days still to come too: it is the person's own data.
    assert len(planned["schedule"]) == 14 and planned["answers"] == []

    dave = create_user(email="dave@example.com", password=PASSWORD, timezone="Europe/London")
    dave_api = token_client(dave)
    response = dave_api.post(
        "/api/v1/import", json.dumps(exported), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["experiments_records"] == 3
    again = dave_api.get("/api/v1/export").json()
    assert without_time_of_export(again) == without_time_of_export(exported)

    # Dave's copies report what alice's report.
    def reports(client):
        return [
            {key: value for key, value in e.items() if key not in ("id", "created_at")}
            for e in client.get("/api/v1/experiments").json()
        ]

    assert reports(dave_api) == reports(alice_api)
    assert [e["status"] for e in dave_api.get("/api/v1/experiments").json()] == [
        "scheduled",
        "stopped",
        "finished",
    ]


def test_the_cli_round_trip_carries_the_experiments(alice, alice_api, tmp_path, capsys):
    fill_experiments(alice, alice_api)
    target = tmp_path / "everything.json"
    call_command("export", "--email", "alice@example.com", str(target))
    create_user(email="erin@example.com", password=PASSWORD)
    call_command("import", "--email", "erin@example.com", str(target))
    assert ", 3 personal experiments and 0 reminder choices." in capsys.readouterr().out
    erin = alice.__class__.objects.get(email="erin@example.com")
    assert without_time_of_export(export_diary(erin)) == without_time_of_export(
        json.loads(target.read_text())
    )


def test_a_document_without_the_experiments_still_imports(alice_api, carol):
    fill_diary(alice_api)
    exported = alice_api.get("/api/v1/export").json()
    del exported["experiments"]
    response = token_client(carol).post(
        "/api/v1/import", json.dumps(exported), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["experiments_records"] == 0
    assert export_diary(carol)["experiments"] == []


def test_bad_experiments_reject_the_whole_import(alice, alice_api, carol):
    fill_diary(alice_api)
    fill_experiments(alice, alice_api)
    exported = alice_api.get("/api/v1/export").json()
    old, stopped, planned = exported["experiments"]
    old["schedule"] = old["schedule"][:12]  # 12 values for 14 days
    old["answers"][1]["date"] = old["answers"][0]["date"]  # the same day twice
    old["answers"][2]["date"] = "2001-01-01"  # not a day of it
    old["answers"][2]["answered_at"] = "2999-01-01T00:00:00+00:00"
    stopped["schedule"][2:4] = [True, True]  # a pair with two on days
    stopped["stopped_on"] = (
        dt.date.fromisoformat(stopped["start_date"]) + dt.timedelta(days=16)
    ).isoformat()  # the day after its last
    stopped["preset"] = "moonwalk"
    planned["start_date"] = (alice.today() + dt.timedelta(days=9)).isoformat()
    planned["created_at"] = "2999-01-01T00:00:00+00:00"
    too_old = {**old, "start_date": "1899-12-31", "schedule": [True, False] * 7, "answers": []}
    exported["experiments"].append(too_old)
    tags_before = Tag.objects.for_user(carol).count()
    response = token_client(carol).post(
        "/api/v1/import", json.dumps(exported), content_type="application/json"
    )
    assert response.status_code == 422, response.content
    messages = {tuple(item["loc"]): item["msg"] for item in response.json()["detail"]}
    where = ("body", "experiments")
    assert messages == {
        (*where, 0, "schedule"): "Must have one value a day: 14, not 12.",
        (*where, 0, "answers", 1, "date"): "Each day can be answered only once.",
        (*where, 0, "answers", 2, "date"): "Not a day of this experiment.",
        (*where, 0, "answers", 2, "answered_at"): "Cannot be in the future.",
        (*where, 1, "schedule"): (
            "Each pair of days, from the first, must be one on day and one off day."
        ),
        (*where, 1, "stopped_on"): "Must be from the day before the first day to the last day.",
        (*where, 1, "preset"): "Not one of the suggestions; leave it out for your own idea.",
        (*where, 2, "start_date"): "Start within the next 7 days.",
        (*where, 2, "created_at"): "Cannot be in the future.",
        (*where, 3, "start_date"): "Must be after 1900.",
    }
    nothing_at_all_written_for(carol, tags_before, "America/New_York")


def test_a_badly_shaped_experiment_rejects_the_whole_import(alice, alice_api, carol):
    fill_experiments(alice, alice_api)
    exported = alice_api.get("/api/v1/export").json()
    old, stopped, planned = exported["experiments"]
    old["days"] = 15
    old["answers"][0]["done"] = "yes"
    stopped["outcome"] = "mood"
    stopped["schedule"][0] = 1
    planned["colour"] = "red"
    planned["intervention"] = "   "
    response = token_client(carol).post(
        "/api/v1/import", json.dumps(exported), content_type="application/json"
    )
    assert response.status_code == 422
    locations = [item["loc"] for item in response.json()["detail"]]
    where = ["body", "experiments"]
    for location in (
        [*where, 0, "days"],
        [*where, 0, "answers", 0, "done"],
        [*where, 1, "outcome"],
        [*where, 1, "schedule", 0],
        [*where, 2, "colour"],
        [*where, 2, "intervention"],
    ):
        assert location in locations
    nothing_at_all_written_for(carol, Tag.objects.for_user(carol).count(), "America/New_York")


def test_import_into_an_account_with_experiments_is_refused(alice_api, carol):
    fill_diary(alice_api)
    exported = alice_api.get("/api/v1/export").json()
    insights.start_experiment(
        user=carol,
        entry=ExperimentEntry(
            intervention="A walk",
            outcome="day_average",
            days=14,
            start_date=carol.today(),
        ),
    )
    response = token_client(carol).post(
        "/api/v1/import", json.dumps(exported), content_type="application/json"
    )
    assert response.status_code == 409
    assert response.json()["detail"][0]["loc"] == ["body", "experiments"]
    assert CheckIn.objects.for_user(carol).count() == 0


def test_an_export_written_by_the_version_before_the_registry_imports_whole(carol):
    """tests/data/export-before-adr-0011.json: a 45-day demo diary (with a flare plan and a
    PHQ-9 crisis answer) exported by commit 2ebb0a7, the last one before the per-app sections
    (ADR 0011). It imports, and exports again as the same document."""
    written = json.loads(
        (Path(__file__).parent / "data" / "export-before-adr-0011.json").read_text("utf-8")
    )
    assert all(written[key] for key in ("checkins", "experiments"))
    assert all(all(part.values()) for part in (written["programme"], written["measures"]))
    counts = portability.import_diary(carol, written)
    assert counts == {
        "checkins": len(written["checkins"]),
        "tags": counts["tags"],
        "programme_records": sum(map(len, written["programme"].values())),
        "measures_records": sum(map(len, written["measures"].values())),
        "exposure_records": sum(map(len, written["exposure"].values())),
        "experiments_records": len(written["experiments"]),
        "reminder_records": 0,
        "goal_records": 0,
    }
    # The same document, with what was added since: no answers on who the programme is for,
    # no reminders chosen and no goals.
    written["measures"]["suitability"] = []
    written["reminders"] = None
    written["goals"] = []
    written["programme"] = {
        "pace": "twice_a_week",
        "maintenance_plan": None,
        **written["programme"],
        "writing": [],
    }
    for practice in written["programme"]["practices"]:  # the relaxation practices' rating
        practice |= {"tension_before": None, "tension_after": None}
    written["exposure"] |= {"pacing_plans": [], "pacing_bouts": []}
    assert without_time_of_export(export_diary(carol)) == without_time_of_export(written)
