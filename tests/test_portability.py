import json

import pytest
from django.core.management import call_command
from helpers import FULL, PASSWORD, export_document, post, token_client

from rewire.accounts.actions import create_user
from rewire.api.portability import export_diary
from rewire.diary.models import CheckIn, Tag


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
    from rewire.api import portability

    fill_diary(alice_api)
    whole = alice_api.get("/api/v1/export").json()
    monkeypatch.setattr(portability, "ID_BATCH", 2)
    batched = alice_api.get("/api/v1/export").json()
    assert without_time_of_export(batched) == without_time_of_export(whole)
    assert [row["emotions"] for row in batched["checkins"]][2] == [
        {"name": "relieved", "intensity": 6}
    ]
