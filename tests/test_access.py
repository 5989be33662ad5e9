"""Walks every URL pattern and API operation as a stranger and as nobody, and fails on a leak.

New URL patterns with an object id must be added to OBJECT_FOR, or this test fails.
"""

import json
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from helpers import FULL, post, token_client

from rewire.accounts.actions import create_api_token
from rewire.api.api import api

PUBLIC = {
    "signup",
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}
OBJECT_FOR = {"checkin_edit": "checkin", "checkin_delete": "checkin", "token_revoke": "token"}
SECRET_NOTE = "alice-only-secret-note"


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
    checkin = post(token_client(alice), {**FULL, "note": SECRET_NOTE}).json()
    token, _ = create_api_token(user=alice, name="alice's script")
    return {"checkin": checkin["id"], "token": token.pk}


def fill(pattern: str, ids: dict, name: str) -> str:
    url = "/" + pattern
    if "<" in url:
        assert name in OBJECT_FOR, f"{name}: say which object its id names in OBJECT_FOR"
        url = re.sub(r"<int:\w+>", str(ids[OBJECT_FOR[name]]), url)
    return url


def test_the_walk_covers_the_app():
    names = {name for name, _ in web_patterns()}
    assert {"home", "history", "checkin_edit", "flare", "settings"} <= names
    assert len(list(api_operations())) >= 7


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
            assert SECRET_NOTE not in response.content.decode(), (method, url)
    carol_api = token_client(carol)
    for method, path in api_operations():
        url = path.replace("{checkin_id}", str(alices_things["checkin"]))
        response = carol_api.generic(method, url, json.dumps({"pain": 1}), "application/json")
        if "{" in path:
            assert response.status_code == 404, (method, path)
        assert SECRET_NOTE not in response.content.decode(), (method, path)
    # Alice's things are untouched by all of that.
    alice_api = token_client(alice)
    assert (
        alice_api.get(f"/api/v1/checkins/{alices_things['checkin']}").json()["note"] == SECRET_NOTE
    )


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
        url = path.replace("{checkin_id}", str(alices_things["checkin"]))
        response = anonymous.generic(method, url, json.dumps({"pain": 1}), "application/json")
        assert response.status_code == 401, (method, path)
