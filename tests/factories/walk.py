"""Walking every URL pattern and API operation: which names are public, which object each id in
a path names, a body each write accepts, and the URLs filled with the ids of
`factories.one_of_each_thing`.

Shared by the access sweeps (test_access.py, test_care_matrix.py), so it is not a test module. It
lives next to the builder because OBJECT_FOR and API_OBJECT_FOR name the builder's ids, so a new
owned thing is added in one package: to the builder and to these maps. A new URL pattern with an
object id must be added to OBJECT_FOR, or the sweeps fail.
"""

import json
import re

from django.urls import URLPattern, URLResolver, get_resolver

from rewire.api.api import api

PUBLIC = {
    "signup",
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "urgent_help",
    "offline",  # what the service worker shows for a page it cannot reach: no one's data
    "manifest",
    "service_worker",
    # A reminder email's links: the signed token in the address is the key (no sign-in).
    "reminder_open",
    "reminder_off",
    "reminder_calendar",
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
    "writing_detail": "writing",
    "writing_edit": "writing",
    "writing_checkin": "writing",
    "writing_after": "writing",
    "writing_delete": "writing",
    "response_result": "response",
    "response_delete": "response",
    "warning_signs_assessed": "screening",
    "suitability_agreed": "suitability",
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
    "pacing_plan": "pacing_plan",
    "pacing_plan_edit": "pacing_plan",
    "pacing_plan_delete": "pacing_plan",
    "pacing_bout_delete": "pacing_bout",
    "experiment": "experiment",
    "experiment_answer": "experiment",
    "experiment_stop": "experiment",
    "experiment_delete": "experiment",
    "share_edit": "share",
    "share_revoke": "share",
    "invitation_withdraw": "invitation",
    "invitation_created": "invitation",
    "goal_rate": "goal",
    "goal_edit": "goal",
    "goal_delete": "goal",
    "patient": "share",  # a clinician's page of a patient who shares with them
    "patient_report": "share",
    "patient_report_pdf": "share",
}
# Path parts that name content (the same for everyone), not an owned object.
CONTENT_IDS = {
    "session_id": "intake",
    "kind": "somatic_tracking",
    "instrument_id": "phq9",
    "reminder_kind": "checkin",
    "topic_id": "keeping_going",
    "slug": "8-weeks",  # a check-up after the course
}
# Path parts that are a signed key to one of the builder's things.
TOKEN_FOR = {
    "reminder_open": "reminder_open_token",
    "reminder_off": "reminder_off_token",
    "reminder_calendar": "calendar_key",
}
# API path parameters and the object each names.
API_OBJECT_FOR = {
    "checkin_id": "checkin",
    "practice_id": "practice",
    "message_id": "safety_message",
    "evidence_id": "evidence",
    "attribution_id": "attribution",
    "record_id": "thought_record",
    "writing_id": "writing",
    "response_id": "response",
    "screening_id": "screening",
    "suitability_id": "suitability",
    "rung_id": "rung",
    "attempt_id": "attempt",
    "activity_id": "activity",
    "plan_id": "pacing_plan",
    "bout_id": "pacing_bout",
    "experiment_id": "experiment",
    "date": "experiment_day",  # a day of the experiment
    "goal_id": "goal",
    "week": "goal_week",  # a week the goal was rated
}
# A body each collection's writes accept, so a refusal is about the object, not the body.
VALID_BODY = {
    "programme/pace": {"pace": "every_day"},
    "programme/maintenance-plan": {"keep_doing": "x"},
    "safety-messages": {"text": "x"},
    "evidence": {"kind": "delayed", "example": "x"},
    "thought-records": {"automatic_thought": "x"},
    "writing": {"kind": "unsent_letter", "text": "x"},
    "questionnaire-responses": {"instrument": "weekly_pain", "answers": {"average_pain": 3}},
    "practices": {
        "kind": "savouring",
        "started_at": "2026-01-01T10:00:00Z",
        "finished_at": "2026-01-01T10:05:00Z",
        "mood_before": 4,
    },
    "flare-plan": {"steps": ["Breathe out slowly."]},
    "suitability": {
        "answers": {
            "adult": "yes",
            "pain_duration": "3_months_or_more",
            "where": "back",
            "diagnosis": "no",
            "pregnant": "no",
        }  # fmt: skip
    },
    "suitability/{suitability_id}/clinician-agreed": {"clinician": "x"},
    "attributions": {"causes": [{"text": "Stress", "category": "mind"}]},
    "ladder": {"activity": "x", "fear": 40, "expected_pain": 4, "harm": 20},
    "ladder/rungs/{rung_id}": {"activity": "x", "mastered": True},
    "ladder/rungs/{rung_id}/ratings": {"fear": 40, "expected_pain": 4, "harm": 20},
    "exposure-attempts": {"rung": 1, "fear_before": 50, "predicted_pain": 5, "predicted_harm": 30},
    "exposure-attempts/{attempt_id}/after": {"actual_pain": 3, "outcome": "no", "fear_after": 20},
    "exposure-attempts/{attempt_id}/next-day": {"pain": 1},
    "activity-sessions": {"activity": "x", "minutes": 20},
    "pacing-plans": {"activity": "x", "activity_minutes": 15, "break_minutes": 5},
    "pacing-bouts": {"plan": 1, "minutes": 15, "breaks": 1},
    "experiments": {"intervention": "x", "outcome": "day_average", "days": 14},
    "experiments/{experiment_id}/days/{date}": {"done": True},
    "goals": {"title": "x"},
    "goals/{goal_id}": {"title": "x"},
    "goals/{goal_id}/weeks/{week}": {"done": 5},
}


def body_for(path: str) -> str:
    """The body for the operation's own path, else for its collection (the first part)."""
    route = path.removeprefix("/api/v1/")
    return json.dumps(VALID_BODY.get(route, VALID_BODY.get(route.split("/")[0], {"pain": 1})))


def web_patterns(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if str(entry.pattern).startswith("api/"):
                continue  # the API is walked through its OpenAPI document: api_operations
            yield from web_patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield entry.name, prefix + str(entry.pattern)


def api_operations():
    for path, methods in api.get_openapi_schema()["paths"].items():
        for method in methods:
            yield method.upper(), path


def fill(pattern: str, ids: dict, name: str) -> str:
    url = "/" + pattern
    for part, value in CONTENT_IDS.items():
        url = re.sub(rf"<slug:{part}>", value, url)
    if name in TOKEN_FOR:
        url = re.sub(r"<str:\w+>", ids[TOKEN_FOR[name]], url)
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
