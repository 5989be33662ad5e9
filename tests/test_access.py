"""Walks every URL pattern and API operation as a stranger and as nobody, and fails on a leak.

New URL patterns with an object id must be added to OBJECT_FOR (in factories/walk.py), or this
test fails.
"""

import json

import pytest
from django.test import Client
from factories import SECRET_NOTE
from factories.walk import (
    OBJECT_FOR,
    PUBLIC,
    api_operations,
    body_for,
    fill,
    fill_api,
    web_patterns,
)
from helpers import FITS, PASSWORD, post, token_client

from rewire.accounts.actions import create_user
from rewire.core import portability
from rewire.measures import actions as measures

SECTIONS = portability.sections()


def rows_of(label: str, user) -> int:
    """How many rows of the model lead to the user (through its owner lookup)."""
    lookup = portability.owner_lookups()[label]
    model = portability.installed_models()[label]
    return model._default_manager.filter(**{lookup: user.pk if lookup == "pk" else user}).count()


def personal_labels(section) -> list[str]:
    """The models a section declares whose rows lead to a person. Django's admin rights
    (groups, permissions) are given by the server's administrator, never by the person's own
    actions, and have no page or operation to walk."""
    lookups = portability.owner_lookups()
    return [
        label
        for label in (*section.exported, *section.left_out)
        if label in lookups
        and lookups[label] != "pk"
        and section.left_out.get(label) != "server administration"
    ]


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.name)
def test_the_sweeps_data_holds_every_model_each_app_declares(section, alice, alices_things):
    """The sweeps below walk alice's things as strangers: the things must include a row of
    every personal model an app declares, or a model could leak unwalked. A new model fails
    here until tests/factories/things.py makes one."""
    for label in personal_labels(section):
        assert rows_of(label, alice) > 0, f"{label}: make one in factories/things.py"


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.name)
def test_each_section_erases_every_row_it_declares(section, alice, alices_things, carol):
    """Erasure walks the same declarations: each section's own erase leaves none of the
    person's rows in the models it declares (not left to the account's cascade), and nothing
    of anyone else's."""
    theirs = {label: rows_of(label, carol) for s in SECTIONS for label in personal_labels(s)}
    section.erase(alice)
    for label in personal_labels(section):
        assert rows_of(label, alice) == 0, label
    assert {label: rows_of(label, carol) for label in theirs} == theirs


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
    # The check-in, six programme records, a timeline's title, text and event, and the
    # rung's words, the try's prediction and what it taught, the activity's name and note,
    # what the experiment tries, the clinician who agreed the programme suits, a goal's title
    # and why, two parts of the maintenance plan, and the pacing plan's activity and a bout's
    # note.
    assert exported.count(SECRET_NOTE) == 23


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
        # password_reset_confirm and reminder_off: the URL is the secret (reminder_off also
        # takes RFC 8058's one-click POST from a mail client, which has no CSRF token).
        if name in ("logout", "password_reset_confirm", "reminder_off"):
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


@pytest.mark.parametrize(
    "state, waits_at",
    [
        ("suitability", "/who-it-is-for"),
        ("not_suited", "/who-it-is-for"),
        ("not_screened", "/safety"),
        ("locked", "/safety"),
    ],
)
def test_the_programme_waits_for_the_warning_signs_on_every_page_and_api_write(
    alice, alices_things, state, waits_at
):
    """Before the questions on who it is for and the warning signs are answered, after
    answers that do not fit and no clinician's agreement, or after a yes not yet assessed,
    no page of the programme opens and no API call adds to it; logging is never blocked."""
    dave = create_user(email="dave@example.com", password=PASSWORD)
    if state != "suitability":
        measures.record_suitability(
            user=dave, answers={**FITS, "adult": "no" if state == "not_suited" else "yes"}
        )
    if state == "locked":
        flags = [flag.id for flag in measures.red_flags()]
        measures.record_screening(user=dave, answers={f: f == "night_pain" for f in flags})
    assert measures.programme_state(dave) == state
    browser = Client()
    browser.force_login(dave, backend="django.contrib.auth.backends.ModelBackend")
    checked, movement_pages = 0, 0
    for name, pattern in web_patterns():
        if not pattern.startswith(("programme", "movement")) or "<int:" in pattern:
            continue  # pages about one object: a stranger's 404 comes first (swept above)
        url = fill(pattern, alices_things, name)
        for method in ("get", "post"):
            response = getattr(browser, method)(url)
            assert response.status_code == 302 and response.url == waits_at, (method, url)
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
