"""Shared test data and small helpers (imported as `helpers`; tests/ is on sys.path)."""

import json
import os
import subprocess
import sys

from django.test import Client
from django.test.client import ClientHandler

from rewire.accounts.actions import create_api_token
from rewire.handlers import TokenApiChain, carries_a_token

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


class _TokenApiClientHandler(TokenApiChain, ClientHandler):
    pass


class _ChainChoosingHandler:
    """The test client's handler, choosing the middleware chain as rewire.handlers does."""

    def __init__(self, **options):
        self.full = ClientHandler(**options)
        self.token_api = _TokenApiClientHandler(**options)

    def __call__(self, environ):
        return (self.token_api if carries_a_token(environ) else self.full)(environ)


class ApiClient(Client):
    """A test client whose requests with a personal token take the short chain they take
    in production."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.handler = _ChainChoosingHandler(enforce_csrf_checks=self.handler.enforce_csrf_checks)


# Answers to who the programme is for that fit it (content/en/suitability.yaml).
FITS = {
    "adult": "yes",
    "pain_duration": "3_months_or_more",
    "where": "back",
    "diagnosis": "no",
    "pregnant": "no",
}


def suited(user):
    """`user` answers who the programme is for, and the answers fit."""
    from rewire.measures.actions import record_suitability

    return record_suitability(user=user, answers=FITS)


def open_programme(user):
    """`user` passes the programme's gate: answers that fit, and no to every warning sign."""
    from rewire.measures.actions import record_screening, red_flags

    suited(user)
    return record_screening(user=user, answers={flag.id: False for flag in red_flags()})


def finish_sessions(user, count: int | None = None):
    """Mark the first `count` sessions done (all by default) at once: the pace is set to
    "as soon as I finish one" first, as a person in a hurry would."""
    from rewire.program import actions

    actions.set_pace(user=user, pace="no_wait")
    for session in actions.course().sessions[:count]:
        actions.complete_session(user=user, session_id=session.id)


def serious_violations(page, also=()) -> list[tuple[str, str, int]]:
    """axe-core's serious and critical findings on a Playwright page, and those of the rules
    named in `also` whatever their impact: (rule, impact, nodes)."""
    from axe_playwright_python.sync_playwright import Axe

    return [
        (violation["id"], violation["impact"], len(violation["nodes"]))
        for violation in Axe().run(page).response["violations"]
        if violation["impact"] in ("serious", "critical") or violation["id"] in also
    ]


def signed_in(user) -> Client:
    """A browser-like test client signed in as `user`."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def token_client(user) -> Client:
    _, secret = create_api_token(user=user, name="tests")
    return ApiClient(headers={"Authorization": f"Bearer {secret}"})


def post(client, body, path="/api/v1/checkins", **headers):
    return client.post(path, json.dumps(body), content_type="application/json", headers=headers)


def export_document(checkins: list[dict]) -> dict:
    """An export document around the given check-ins (each with its stored fields)."""
    return {
        "format": "rewire-export",
        "version": 1,
        "account": {"timezone": "Europe/London"},
        "tags": [],
        "checkins": checkins,
    }


def production_environment(env=None) -> dict:
    """For a child process configured like production: no test-only variables, then `env`."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "REWIRE_PLAIN_STATIC")
    }
    return environment | (env or {})


def run_rewire(*args, env=None, input=None, timeout=60):
    return subprocess.run(
        [sys.executable, "-m", "rewire", *args],
        env=production_environment(env),
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
