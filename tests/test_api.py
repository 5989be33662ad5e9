import datetime as dt
import json

import pytest
from django.test import Client
from helpers import FULL, ApiClient, post, token_client

from rewire.core.models import IdempotencyKey
from rewire.diary.models import BodyAreaRating, CheckIn


@pytest.fixture
def api(alice):
    return token_client(alice)


def test_create_returns_everything_normalised(api, alice):
    response = post(api, FULL)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["pain"] == 6
    assert body["local_date"] == "2026-03-02"
    assert body["body_areas"] == FULL["body_areas"]
    assert body["emotions"] == [
        {"name": "anxious", "intensity": 5},
        {"name": "hopeful", "intensity": 2},
    ]
    assert body["tags"] == ["long sitting", "my own tag", "work"]
    assert body["helped"] == ["walk"]
    assert body["sleep_hours"] == 6.5
    assert body["thought"] == FULL["thought"]
    assert api.get(f"/api/v1/checkins/{body['id']}").json() == body
    # A tag made on the fly becomes one of alice's own tags.
    assert alice.tags.filter(name="my own tag", kind="context").exists()


def test_only_pain_is_required_and_time_defaults_to_now(api):
    before = dt.datetime.now(dt.UTC)
    body = post(api, {"pain": 3}).json()
    recorded = dt.datetime.fromisoformat(body["recorded_at"])
    assert before - dt.timedelta(seconds=1) <= recorded <= dt.datetime.now(dt.UTC)
    assert body["body_areas"] == [] and body["stress"] is None


def test_local_date_is_the_users_own_date(api):
    # 23:30 UTC on 1 July is already 2 July in London (BST).
    body = post(api, {"pain": 2, "recorded_at": "2026-07-01T23:30:00Z"}).json()
    assert body["local_date"] == "2026-07-02"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"pain": 11}, "pain"),
        ({"pain": -1}, "pain"),
        ({"pain": "5"}, "pain"),
        ({}, "pain"),
        ({"pain": 3, "surprise": 1}, "surprise"),
        ({"pain": 3, "recorded_at": "2026-01-01T10:00:00"}, "recorded_at"),
        ({"pain": 3, "recorded_at": "2999-01-01T10:00:00Z"}, "recorded_at"),
        ({"pain": 3, "body_areas": [{"area": "tail", "intensity": 3}]}, "body_areas"),
        ({"pain": 3, "body_areas": [{"area": "neck", "intensity": 3}] * 2}, "body_areas"),
        ({"pain": 3, "emotions": [{"name": "sad", "intensity": 12}]}, "emotions"),
        ({"pain": 3, "stress": 10.5}, "stress"),
        ({"pain": 3, "sleep_hours": 25}, "sleep_hours"),
        ({"pain": 3, "sleep_hours": 7.25}, "sleep_hours"),
        ({"pain": 3, "movement_minutes": -5}, "movement_minutes"),
        ({"pain": 3, "tags": ["x" * 41]}, "tags"),
    ],
)
def test_bad_input_is_a_422_naming_the_field_and_writes_nothing(api, body, field):
    response = post(api, body)
    assert response.status_code == 422, response.content
    detail = response.json()["detail"]
    assert any(field in map(str, item["loc"]) for item in detail), detail
    assert all(item["msg"] for item in detail)
    assert CheckIn.objects.count() == 0
    assert BodyAreaRating.objects.count() == 0


def test_malformed_json_is_rejected(api):
    response = api.post("/api/v1/checkins", "{pain: ", content_type="application/json")
    assert response.status_code in (400, 422)
    assert CheckIn.objects.count() == 0


def test_idempotency_key_replays_the_first_answer_and_creates_nothing(api):
    first = post(api, FULL, **{"Idempotency-Key": "abc-1"})
    again = post(api, FULL, **{"Idempotency-Key": "abc-1"})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert CheckIn.objects.count() == 1
    different = post(api, {**FULL, "pain": 2}, **{"Idempotency-Key": "abc-1"})
    assert different.status_code == 422
    assert "Idempotency-Key" in different.json()["detail"][0]["loc"]
    assert CheckIn.objects.count() == 1
    # Another key is another check-in.
    assert post(api, FULL, **{"Idempotency-Key": "abc-2"}).status_code == 201
    assert CheckIn.objects.count() == 2


def test_idempotency_keys_are_per_user(api, carol):
    carol_api = token_client(carol)
    post(api, FULL, **{"Idempotency-Key": "same"})
    response = post(carol_api, FULL, **{"Idempotency-Key": "same"})
    assert response.status_code == 201
    assert CheckIn.objects.filter(user=carol).count() == 1


def test_idempotency_keys_are_kept_30_days(api):
    from django.utils import timezone

    from rewire.core.models import forget_old_idempotency_keys

    post(api, FULL, **{"Idempotency-Key": "old"})
    forget_old_idempotency_keys(now=timezone.now() + dt.timedelta(days=29, hours=23))
    assert IdempotencyKey.objects.count() == 1
    forget_old_idempotency_keys(now=timezone.now() + dt.timedelta(days=31))
    assert IdempotencyKey.objects.count() == 0


def test_list_filters_by_local_date_and_paginates(api):
    for day in range(1, 6):
        post(api, {"pain": day, "recorded_at": f"2026-03-0{day}T12:00:00Z"})
    page = api.get("/api/v1/checkins", {"from": "2026-03-02", "to": "2026-03-04"}).json()
    assert page["count"] == 3
    assert [item["pain"] for item in page["items"]] == [4, 3, 2]
    second = api.get("/api/v1/checkins", {"limit": 2, "offset": 2}).json()
    assert second["count"] == 5 and [i["pain"] for i in second["items"]] == [3, 2]
    assert api.get("/api/v1/checkins", {"limit": 0}).status_code == 422
    assert api.get("/api/v1/checkins", {"from": "not-a-date"}).status_code == 422


def test_put_replaces_and_patch_changes_only_what_is_given(api):
    created = post(api, FULL).json()
    url = f"/api/v1/checkins/{created['id']}"
    patched = api.patch(url, {"pain": 2, "note": "Better"}, content_type="application/json")
    assert patched.status_code == 200, patched.content
    assert patched.json()["pain"] == 2 and patched.json()["note"] == "Better"
    assert patched.json()["body_areas"] == FULL["body_areas"]
    assert patched.json()["tags"] == created["tags"]
    replaced = api.put(
        url, {"pain": 1, "recorded_at": FULL["recorded_at"]}, content_type="application/json"
    )
    assert replaced.status_code == 200
    assert replaced.json()["body_areas"] == [] and replaced.json()["tags"] == []
    bad = api.patch(url, {"pain": None}, content_type="application/json")
    assert bad.status_code == 422
    assert api.get(url).json()["pain"] == 1


def test_failed_update_leaves_the_checkin_as_it_was(api):
    created = post(api, FULL).json()
    url = f"/api/v1/checkins/{created['id']}"
    response = api.put(
        url,
        {
            "pain": 4,
            "body_areas": [{"area": "neck", "intensity": 2}, {"area": "neck", "intensity": 3}],
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert api.get(url).json() == created


def test_delete(api):
    created = post(api, FULL).json()
    assert api.delete(f"/api/v1/checkins/{created['id']}").status_code == 204
    assert api.get(f"/api/v1/checkins/{created['id']}").status_code == 404
    assert api.delete(f"/api/v1/checkins/{created['id']}").status_code == 404


def test_requests_without_credentials_are_401(db):
    anonymous = Client()
    assert anonymous.get("/api/v1/checkins").status_code == 401
    assert post(anonymous, {"pain": 3}).status_code == 401
    wrong = ApiClient(headers={"Authorization": "Bearer rw_not-a-real-token"})
    assert wrong.get("/api/v1/checkins").status_code == 401


def test_browser_session_works_but_writes_need_csrf(alice):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    assert browser.get("/api/v1/checkins").status_code == 200
    assert post(browser, {"pain": 3}).status_code == 403
    page = browser.get("/")
    token = page.cookies["csrftoken"].value
    assert post(browser, {"pain": 3}, **{"X-CSRFToken": token}).status_code == 201


def test_revoked_token_stops_working(api, alice):
    alice.api_tokens.all().delete()
    assert api.get("/api/v1/checkins").status_code == 401


def test_openapi_document_is_served_and_docs_only_with_debug(db):
    schema = Client().get("/api/v1/openapi.json")
    assert schema.status_code == 200
    assert schema.json()["openapi"].startswith("3.1")
    assert "/api/v1/checkins" in schema.json()["paths"]
    assert Client().get("/api/v1/docs").status_code == 404


def test_put_without_a_time_keeps_the_time_and_editing_keeps_the_date(api, alice):
    created = post(api, {"pain": 3, "recorded_at": "2026-07-01T23:30:00Z"}).json()
    assert created["local_date"] == "2026-07-02"  # London
    alice.timezone = "America/New_York"
    alice.save()
    url = f"/api/v1/checkins/{created['id']}"
    replaced = api.put(url, {"pain": 4}, content_type="application/json").json()
    assert replaced["recorded_at"] == created["recorded_at"]
    assert replaced["local_date"] == "2026-07-02"
    moved = api.patch(
        url, {"recorded_at": "2026-07-01T20:00:00Z"}, content_type="application/json"
    ).json()
    assert moved["local_date"] == "2026-07-01"  # worked out again, in New York


def test_the_stored_answer_holds_no_copy_and_a_late_retry_does_not_revive_a_deletion(api):
    created = post(api, FULL, **{"Idempotency-Key": "late"}).json()
    # The key holds the check-in's id, never a copy of what was written.
    assert FULL["thought"] not in json.dumps(list(IdempotencyKey.objects.values()), default=str)
    api.delete(f"/api/v1/checkins/{created['id']}")
    retry = post(api, FULL, **{"Idempotency-Key": "late"})
    assert retry.status_code == 410
    assert CheckIn.objects.count() == 0


def test_blank_tag_names_are_refused(api):
    response = post(api, {"pain": 3, "tags": ["   "]})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][:2] == ["body", "tags"]


def test_put_with_a_null_time_keeps_the_time(api):
    created = post(api, {"pain": 3, "recorded_at": "2024-01-01T10:00:00Z"}).json()
    url = f"/api/v1/checkins/{created['id']}"
    replaced = api.put(url, {"pain": 4, "recorded_at": None}, content_type="application/json")
    assert replaced.json()["recorded_at"] == created["recorded_at"]


@pytest.mark.parametrize("field", ["tags", "helped"])
def test_no_path_can_store_more_tags_than_the_export_allows(api, alice, alice_client, field):
    created = post(api, {"pain": 3}).json()
    many = [f"t{n}" for n in range(51)]
    patched = api.patch(
        f"/api/v1/checkins/{created['id']}", {field: many}, content_type="application/json"
    )
    assert patched.status_code == 422
    web = alice_client.post(
        "/checkins/new",
        {"pain": "3", ("new_tags" if field == "tags" else "new_helped"): ",".join(many)},
    )
    assert web.status_code == 422
    assert "At most 50 tags." in web.content.decode()
    assert api.get("/api/v1/export").status_code == 200


def test_a_retry_after_an_edit_shows_the_checkin_as_it_is_now(api):
    created = post(api, {**FULL, "note": "said too much"}, **{"Idempotency-Key": "e"}).json()
    api.patch(f"/api/v1/checkins/{created['id']}", {"note": ""}, content_type="application/json")
    retry = post(api, {**FULL, "note": "said too much"}, **{"Idempotency-Key": "e"})
    assert retry.status_code == 201
    assert retry.json()["id"] == created["id"] and retry.json()["note"] == ""
    assert CheckIn.objects.count() == 1


def test_the_create_answer_is_exactly_what_reading_it_back_gives(api):
    body = {**FULL, "recorded_at": "2026-03-02T09:30:05.250000+01:00", "tags": ["Zeta", "alpha"]}
    created = post(api, body).json()
    assert api.get(f"/api/v1/checkins/{created['id']}").json() == created


def test_a_token_records_when_it_was_last_used_at_most_hourly(api, alice):
    from django.utils import timezone

    token = alice.api_tokens.get()
    assert token.last_used_at is None
    api.get("/api/v1/checkins")
    token.refresh_from_db()
    first_use = token.last_used_at
    assert abs(first_use - timezone.now()) < dt.timedelta(seconds=5)
    api.get("/api/v1/checkins")
    token.refresh_from_db()
    assert token.last_used_at == first_use
    alice.api_tokens.update(last_used_at=first_use - dt.timedelta(hours=2))
    api.get("/api/v1/checkins")
    token.refresh_from_db()
    assert token.last_used_at > first_use - dt.timedelta(seconds=1)


def test_a_deactivated_accounts_token_is_refused(api, alice):
    alice.is_active = False
    alice.save()
    assert api.get("/api/v1/checkins").status_code == 401
