"""Walks every URL pattern and API operation as a stranger and as nobody, and fails on a leak.

New URL patterns with an object id must be added to OBJECT_FOR, or this test fails.
"""

import datetime as dt
import json
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from helpers import FULL, PASSWORD, post, token_client

from rewire.accounts.actions import create_api_token, create_user
from rewire.api.api import api
from rewire.care import actions as care
from rewire.exposure import actions as exposure
from rewire.exposure.rules import ActivityEntry, AttemptAfter, AttemptBefore, Rating, RungEntry
from rewire.insights import actions as insights
from rewire.insights.experiments import ExperimentEntry
from rewire.measures import actions as measures
from rewire.program import actions as program
from rewire.program.rules import AttributionEntry, PracticeEntry, ThoughtRecordEntry

PUBLIC = {
    "signup",
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}
OBJECT_FOR = {
    "checkin_edit": "checkin",
    "checkin_delete": "checkin",
    "token_revoke": "token",
    "practice_result": "practice",
    "practice_delete": "practice",
    "safety_message_edit": "safety_message",
    "safety_message_delete": "safety_message",
    "evidence_edit": "evidence",
    "evidence_delete": "evidence",
    "causes_delete": "attribution",
    "thought_edit": "thought_record",
    "thought_delete": "thought_record",
    "response_result": "response",
    "response_delete": "response",
    "warning_signs_assessed": "screening",
    "rung": "rung",
    "rung_edit": "rung",
    "rung_rate": "rung",
    "rung_mastered": "rung",
    "rung_delete": "rung",
    "attempt_start": "rung",
    "attempt": "attempt",
    "attempt_next_day": "attempt",
    "attempt_delete": "attempt",
    "activity_delete": "activity",
    "experiment": "experiment",
    "experiment_answer": "experiment",
    "experiment_stop": "experiment",
    "experiment_delete": "experiment",
    "share_edit": "share",
    "share_revoke": "share",
    "invitation_withdraw": "invitation",
    "invitation_created": "invitation",
    "patient": "share",  # a clinician's page of a patient who shares with them
    "patient_report": "share",
    "patient_report_pdf": "share",
}
# Path parts that name content (the same for everyone), not an owned object.
CONTENT_IDS = {"session_id": "intake", "kind": "somatic_tracking", "instrument_id": "phq9"}
# API path parameters and the object each names.
API_OBJECT_FOR = {
    "checkin_id": "checkin",
    "practice_id": "practice",
    "message_id": "safety_message",
    "evidence_id": "evidence",
    "attribution_id": "attribution",
    "record_id": "thought_record",
    "response_id": "response",
    "screening_id": "screening",
    "rung_id": "rung",
    "attempt_id": "attempt",
    "activity_id": "activity",
    "experiment_id": "experiment",
    "date": "experiment_day",  # a day of the experiment
}
SECRET_NOTE = "alice-only-secret-note"
# A body each collection's writes accept, so a refusal is about the object, not the body.
VALID_BODY = {
    "safety-messages": {"text": "x"},
    "evidence": {"kind": "delayed", "example": "x"},
    "thought-records": {"automatic_thought": "x"},
    "questionnaire-responses": {"instrument": "weekly_pain", "answers": {"average_pain": 3}},
    "practices": {
        "kind": "savouring",
        "started_at": "2026-01-01T10:00:00Z",
        "finished_at": "2026-01-01T10:05:00Z",
        "mood_before": 4,
    },
    "flare-plan": {"steps": ["Breathe out slowly."]},
    "attributions": {"causes": [{"text": "Stress", "category": "mind"}]},
    "ladder": {"activity": "x", "fear": 40, "expected_pain": 4, "harm": 20},
    "ladder/rungs/{rung_id}": {"activity": "x", "mastered": True},
    "ladder/rungs/{rung_id}/ratings": {"fear": 40, "expected_pain": 4, "harm": 20},
    "exposure-attempts": {"rung": 1, "fear_before": 50, "predicted_pain": 5, "predicted_harm": 30},
    "exposure-attempts/{attempt_id}/after": {"actual_pain": 3, "outcome": "no", "fear_after": 20},
    "exposure-attempts/{attempt_id}/next-day": {"pain": 1},
    "activity-sessions": {"activity": "x", "minutes": 20},
    "experiments": {"intervention": "x", "outcome": "day_average", "days": 14},
    "experiments/{experiment_id}/days/{date}": {"done": True},
}


def body_for(path: str) -> str:
    """The body for the operation's own path, else for its collection (the first part)."""
    route = path.removeprefix("/api/v1/")
    return json.dumps(VALID_BODY.get(route, VALID_BODY.get(route.split("/")[0], {"pain": 1})))


def web_patterns(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if str(entry.pattern).startswith("api/"):
                continue  # the API is walked through its OpenAPI document below
            yield from web_patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield entry.name, prefix + str(entry.pattern)


def api_operations():
    for path, methods in api.get_openapi_schema()["paths"].items():
        for method in methods:
            yield method.upper(), path


@pytest.fixture
def alices_things(alice):
    """One of each thing alice owns, each holding the secret."""
    checkin = post(token_client(alice), {**FULL, "note": SECRET_NOTE}).json()
    token, _ = create_api_token(user=alice, name="alice's script")
    now = timezone.now()
    practice = program.record_practice(
        user=alice,
        entry=PracticeEntry(
            kind="somatic_tracking",
            started_at=now - dt.timedelta(minutes=6),
            finished_at=now,
            ratings={"pain": (6, 4), "threat": (7, 3)},
            note=SECRET_NOTE,
        ),
    )
    attribution = program.record_attribution(
        user=alice, entry=AttributionEntry(recorded_at=now, causes=[(SECRET_NOTE, "mind")])
    )
    record = program.record_thought_record(
        user=alice,
        entry=ThoughtRecordEntry(
            recorded_at=now, automatic_thought=SECRET_NOTE, checkin=checkin["id"]
        ),
    )
    program.set_flare_plan(user=alice, steps=[SECRET_NOTE])
    program.complete_session(user=alice, session_id="intake")
    response = measures.record_response(
        user=alice, instrument_id="phq9", answers={f"phq9_{n}": 1 for n in range(1, 10)}
    )
    screening = measures.record_screening(
        user=alice, answers={flag.id: flag.id == "night_pain" for flag in measures.red_flags()}
    )
    rung = exposure.add_rung(
        user=alice, entry=RungEntry(activity=SECRET_NOTE, rating=Rating(40, 4, 20))
    )
    attempt = exposure.start_attempt(
        user=alice,
        entry=AttemptBefore(
            rung=rung.pk,
            started_at=now - dt.timedelta(minutes=20),
            fear_before=60,
            predicted_pain=7,
            predicted_harm=40,
            prediction=SECRET_NOTE,
        ),
        after=AttemptAfter(actual_pain=3, outcome="no", fear_after=20, learned=SECRET_NOTE),
    )
    experiment = insights.start_experiment(
        user=alice,
        entry=ExperimentEntry(
            intervention=SECRET_NOTE,
            outcome="day_average",
            days=14,
            start_date=alice.today(),
        ),
    )
    activity = exposure.log_activity(
        user=alice,
        entry=ActivityEntry(
            activity=SECRET_NOTE, minutes=20, local_date=now.date(), note=SECRET_NOTE
        ),
    )
    # alice shares with her clinician, bob, and has an invitation not yet used.
    bob = create_user(email="bob@example.com", password=PASSWORD, role="clinician")
    _, code = care.create_invitation(user=alice, scopes=["diary", "thoughts"])
    share = care.accept_invitation(clinician=bob, code=code)
    invitation, _ = care.create_invitation(user=alice, scopes=["diary"])
    return {
        "share": share.pk,
        "invitation": invitation.pk,
        "experiment": experiment.pk,
        "experiment_day": experiment.start_date.isoformat(),
        "rung": rung.pk,
        "attempt": attempt.pk,
        "activity": activity.pk,
        "response": response.pk,
        "screening": screening.pk,
        "checkin": checkin["id"],
        "token": token.pk,
        "practice": practice.pk,
        "safety_message": program.add_safety_message(user=alice, text=SECRET_NOTE).pk,
        "evidence": program.add_evidence(user=alice, kind="delayed", example=SECRET_NOTE).pk,
        "attribution": attribution.pk,
        "thought_record": record.pk,
    }


def fill(pattern: str, ids: dict, name: str) -> str:
    url = "/" + pattern
    for part, value in CONTENT_IDS.items():
        url = re.sub(rf"<slug:{part}>", value, url)
    if "<" in url:
        assert name in OBJECT_FOR, f"{name}: say which object its id names in OBJECT_FOR"
        url = re.sub(r"<int:\w+>", str(ids[OBJECT_FOR[name]]), url)
    return url


def fill_api(path: str, ids: dict) -> str:
    for parameter in re.findall(r"{(\w+)}", path):
        if parameter == "session_id":
            value = "intake"
        else:
            assert parameter in API_OBJECT_FOR, f"{path}: say what {parameter} names"
            value = ids[API_OBJECT_FOR[parameter]]
        path = path.replace(f"{{{parameter}}}", str(value))
    return path


def test_the_walk_covers_the_app():
    names = {name for name, _ in web_patterns()}
    assert {"home", "history", "checkin_edit", "flare", "settings", "thought_edit"} <= names
    paths = {path for _, path in api_operations()}
    assert {"/api/v1/checkins/{checkin_id}", "/api/v1/thought-records/{record_id}"} <= paths
    assert len(list(api_operations())) >= 30


def test_a_stranger_gets_404_for_every_object_and_sees_nothing_of_alice(
    alice, alices_things, carol, carol_client
):
    for name, pattern in web_patterns():
        if name in PUBLIC or name == "logout":
            continue
        url = fill(pattern, alices_things, name)
        for method in ("get", "post"):
            response = getattr(carol_client, method)(url)
            if name in OBJECT_FOR:
                assert response.status_code == 404, (method, url)
            assert SECRET_NOTE.encode() not in response.content, (method, url)
    carol_api = token_client(carol)
    for method, path in api_operations():
        url = fill_api(path, alices_things)
        response = carol_api.generic(method, url, body_for(path), "application/json")
        # A session id names content, not alice's: carol completes her own intake.
        if "{" in path and "{session_id}" not in path:
            assert response.status_code == 404, (method, path)
        assert SECRET_NOTE.encode() not in response.content, (method, path)
    # Alice's things are untouched by all of that.
    alice_api = token_client(alice)
    assert (
        alice_api.get(f"/api/v1/checkins/{alices_things['checkin']}").json()["note"] == SECRET_NOTE
    )
    exported = json.dumps(alice_api.get("/api/v1/export").json())
    # The check-in, six programme records, and the rung's words, the try's prediction and
    # what it taught, the activity's name and note, and what the experiment tries.
    assert exported.count(SECRET_NOTE) == 13


def test_nobody_signed_in_is_sent_to_sign_in_or_gets_401(alices_things):
    anonymous = Client()
    for name, pattern in web_patterns():
        if name in PUBLIC:
            continue
        url = fill(pattern, alices_things, name)
        for method in ("get", "post"):
            response = getattr(anonymous, method)(url)
            assert response.status_code in (302, 405), (method, url)
            if response.status_code == 302:
                assert response.url.startswith(("/accounts/login", "/accounts/signup")), url
    for method, path in api_operations():
        url = fill_api(path, alices_things)
        response = anonymous.generic(method, url, body_for(path), "application/json")
        assert response.status_code == 401, (method, path)


def test_every_web_form_post_needs_the_csrf_token(alices_things, alice):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    for name, pattern in web_patterns():
        if name in ("logout", "password_reset_confirm"):  # the latter: its URL is a secret
            continue
        url = fill(pattern, alices_things, name)
        response = browser.post(url, {"text": "x", "pain": "3"})
        assert response.status_code in (403, 405), (name, url, response.status_code)


PROGRAMME_API = (
    "/api/v1/programme",
    "/api/v1/ladder",
    "/api/v1/exposure-attempts",
    "/api/v1/activity-sessions",
    "/api/v1/movement",
    "/api/v1/practices",
    "/api/v1/safety-messages",
    "/api/v1/flare-plan",
    "/api/v1/evidence",
    "/api/v1/attributions",
    "/api/v1/thought-records",
)


@pytest.mark.parametrize("state", ["not_screened", "locked"])
def test_the_programme_waits_for_the_warning_signs_on_every_page_and_api_write(
    alice, alices_things, state
):
    """Before the warning signs are answered, or after a yes not yet assessed, no page of the
    programme opens and no API call adds to it; logging is never blocked."""
    dave = create_user(email="dave@example.com", password=PASSWORD)
    if state == "locked":
        flags = [flag.id for flag in measures.red_flags()]
        measures.record_screening(user=dave, answers={f: f == "night_pain" for f in flags})
    browser = Client()
    browser.force_login(dave, backend="django.contrib.auth.backends.ModelBackend")
    checked, movement_pages = 0, 0
    for name, pattern in web_patterns():
        if not pattern.startswith(("programme", "movement")) or "<int:" in pattern:
            continue  # pages about one object: a stranger's 404 comes first (swept above)
        url = fill(pattern, alices_things, name)
        for method in ("get", "post"):
            response = getattr(browser, method)(url)
            assert response.status_code == 302 and response.url == "/safety", (method, url)
            checked += 1
            movement_pages += pattern.startswith("movement")
    assert checked >= 20 and movement_pages >= 4  # the movement page and the ladder, at least
    api = token_client(dave)
    writes = 0
    for method, path in api_operations():
        if method not in ("POST", "PUT", "PATCH") or not path.startswith(PROGRAMME_API):
            continue
        if "{" in path and "{session_id}" not in path:
            continue
        url = fill_api(path, alices_things)
        response = api.generic(method, url, body_for(path), "application/json")
        assert response.status_code == 409, (method, path, response.content)
        writes += 1
    assert writes >= 10
    assert post(api, {"pain": 5}).status_code == 201  # logging is never blocked
