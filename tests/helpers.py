"""Shared test data and small helpers (imported as `helpers`; tests/ is on sys.path)."""

import json

from django.test import Client

from rewire.accounts.actions import create_api_token

PASSWORD = "a long pass phrase 42"

FULL = {
    "pain": 6,
    "recorded_at": "2026-03-02T08:30:00+00:00",
    "body_areas": [{"area": "lower_back", "intensity": 7}, {"area": "neck", "intensity": 3}],
    "emotions": [{"name": "Anxious", "intensity": 5}, {"name": "hopeful", "intensity": 2}],
    "stress": 6,
    "tags": ["work", "Long  sitting", "my own tag"],
    "thought": "What if this never gets better?",
    "helped": ["walk"],
    "movement_minutes": 25,
    "sleep_hours": 6.5,
    "sleep_quality": 4,
    "note": "Rough morning.",
}


def token_client(user) -> Client:
    _, secret = create_api_token(user=user, name="tests")
    return Client(headers={"Authorization": f"Bearer {secret}"})


def post(client, body, **headers):
    return client.post(
        "/api/v1/checkins", json.dumps(body), content_type="application/json", headers=headers
    )


def export_document(checkins: list[dict]) -> dict:
    """An export document around the given check-ins (each with its stored fields)."""
    return {
        "format": "rewire-export",
        "version": 1,
        "account": {"timezone": "Europe/London"},
        "tags": [],
        "checkins": checkins,
    }
