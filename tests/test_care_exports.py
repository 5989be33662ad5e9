"""The person's data out: the FHIR R4 Bundle, the CSV files, the "Your data" page and its
downloads (rewire/care/exports.py, fhir.py, export_views.py, api.py)."""

import csv
import datetime as dt
import io
import json
import logging
import time
import zoneinfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from helpers import FULL, post, token_client
from pydantic import BaseModel

from rewire.accounts.models import User
from rewire.accounts.reauth import SESSION_KEY
from rewire.care import exports, fhir
from rewire.diary.models import CheckIn
from rewire.measures import actions as measures
from rewire.measures.models import Response

LONDON = zoneinfo.ZoneInfo("Europe/London")
SUMMER = dt.datetime(2026, 6, 2, 7, 45, 12, 345678, tzinfo=dt.UTC)  # 08:45 in London (+01:00)
WINTER = dt.datetime(2026, 1, 12, 20, 5, tzinfo=dt.UTC)  # 20:05 in London (+00:00)
PHQ9 = {"phq9_1": 2, "phq9_2": 1, "phq9_3": 3, "phq9_4": 2, "phq9_5": 0}
PHQ9 |= {"phq9_6": 1, "phq9_7": 1, "phq9_8": 0, "phq9_9": 1}  # total 11, item 9 above 0
GAD7 = {"gad7_1": 3, "gad7_2": 2, "gad7_3": None, "gad7_4": 1, "gad7_5": 0, "gad7_6": 1}
GAD7 |= {"gad7_7": 2}  # one missing: 9 from six answers, scaled to 10.5, rounded to 11


# --- checking a Bundle ------------------------------------------------------------------


def coded_value_problems(model: BaseModel, where: str = "Bundle") -> list[str]:
    """fhir.resources checks shapes, not codes: every field with a fixed list of codes
    (`enum_values`) must hold one of them. "+" in a list means FHIR has more codes than the
    library lists; Rewire uses only the listed ones, so only those pass."""
    problems = []
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        if value is None:
            continue
        allowed = (info.json_schema_extra or {}).get("enum_values")
        if allowed is not None:
            for code in value if isinstance(value, list) else [value]:
                if code not in allowed:
                    problems.append(f"{where}.{name}: {code!r} not in {allowed}")
        for index, child in enumerate(value if isinstance(value, list) else [value]):
            if isinstance(child, BaseModel):
                problems += coded_value_problems(child, f"{where}.{name}[{index}]")
    return problems


def references(node) -> list[str]:
    if isinstance(node, dict):
        found = [node["reference"]] if isinstance(node.get("reference"), str) else []
        return found + [ref for value in node.values() for ref in references(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in references(value)]
    return []


def checked(data: dict) -> dict:
    """The bundle, after checking it as a receiver would: valid R4 (R4B's models, the same
    for these resources), known codes, urn:uuid addresses, and every reference inside."""
    model = Bundle.model_validate(data)
    assert coded_value_problems(model) == []
    assert data["type"] == "collection"
    urls = [entry["fullUrl"] for entry in data["entry"]]
    assert all(url.startswith("urn:uuid:") for url in urls)
    assert len(set(urls)) == len(urls)
    assert set(references(data["entry"])) <= set(urls)
    canonical = {e["resource"]["url"] for e in data["entry"] if "url" in e["resource"]}
    for entry in data["entry"]:
        if entry["resource"]["resourceType"] == "QuestionnaireResponse":
            assert entry["resource"]["questionnaire"] in canonical
    return data


def resources(bundle: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def with_code(bundle: dict, code: str) -> list[dict]:
    return [
        o
        for o in resources(bundle, "Observation")
        if any(c["code"] == code for c in o["code"]["coding"])
    ]


def url_of(bundle: dict, resource: dict) -> str:
    return next(e["fullUrl"] for e in bundle["entry"] if e["resource"] is resource)


def test_the_checker_catches_a_wrong_code():
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {
                "fullUrl": "urn:uuid:0b8e2f86-3d43-4c1f-9d4e-1e5d3c7f9a10",
                "resource": {
                    "resourceType": "Observation",
                    "status": "finished",  # not a code: the library lets it through
                    "code": {"text": "x"},
                },
            }
        ],
    }
    problems = coded_value_problems(Bundle.model_validate(bundle))
    assert problems == [
        "Bundle.entry[0].resource[0].status: 'finished' not in "
        "['registered', 'preliminary', 'final', 'amended', '+']"
    ]


# --- the FHIR export --------------------------------------------------------------------


@pytest.fixture
def alices_diary(alice):
    api = token_client(alice)
    summer = post(api, {**FULL, "recorded_at": SUMMER.isoformat()}).json()
    winter = post(api, {"pain": 2, "recorded_at": WINTER.isoformat()}).json()
    phq9 = measures.record_response(
        user=alice, instrument_id="phq9", answers=PHQ9, answered_at=SUMMER
    )
    gad7 = measures.record_response(
        user=alice, instrument_id="gad7", answers=GAD7, answered_at=WINTER
    )
    measures.record_response(
        user=alice, instrument_id="weekly_pain", answers={"average_pain": 4}, answered_at=WINTER
    )
    return {"api": api, "summer": summer, "winter": winter, "phq9": phq9, "gad7": gad7}


def test_the_fhir_export_holds_the_diary_with_its_codes_values_and_times(alice, alices_diary):
    answer = alices_diary["api"].get("/api/v1/export/fhir")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/fhir+json; charset=utf-8"
    assert answer["Content-Disposition"].startswith('attachment; filename="rewire-fhir-')
    bundle = checked(answer.json())

    (patient,) = resources(bundle, "Patient")
    assert patient == {
        "resourceType": "Patient",
        "identifier": [{"system": "urn:rewire:export-id", "value": alice.export_id}],
    }
    subject = url_of(bundle, patient)
    assert bundle["entry"][0]["resource"] is patient

    winter, summer = with_code(bundle, "72514-3")  # oldest first
    for observation in (winter, summer):
        assert observation["status"] == "final"
        assert observation["category"][0]["coding"][0]["code"] == "survey"
        assert observation["code"]["coding"][0] == {
            "system": "http://loinc.org",
            "code": "72514-3",
            "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
        }
        assert observation["subject"] == {"reference": subject}
    # The instant the diary holds, written in London's offset at that moment.
    assert summer["effectiveDateTime"] == "2026-06-02T08:45:12.345678+01:00"
    assert winter["effectiveDateTime"] == "2026-01-12T20:05:00+00:00"
    assert dt.datetime.fromisoformat(summer["effectiveDateTime"]) == SUMMER
    assert summer["valueQuantity"] == {
        "value": 6,
        "unit": "{score}",
        "system": "http://unitsofmeasure.org",
        "code": "{score}",
    }
    assert winter["valueQuantity"]["value"] == 2 and "component" not in winter
    assert [
        (
            c["code"]["coding"][0]["code"],
            c["code"]["coding"][0]["system"],
            c["valueQuantity"]["value"],
        )
        for c in summer["component"]
    ] == [("lower_back", "urn:rewire:body-area", 7), ("neck", "urn:rewire:body-area", 3)]
    assert summer["component"][0]["code"]["text"] == "Pain in the lower back, 0 to 10"

    # PHQ-9 and GAD-7: the answers, the total, and PHQ-9's item 9 on its own.
    responses = resources(bundle, "QuestionnaireResponse")
    assert [r["questionnaire"] for r in responses] == [
        "urn:rewire:questionnaire:gad7",
        "urn:rewire:questionnaire:phq9",
    ]
    gad7, phq9 = responses
    assert phq9["status"] == "completed" and phq9["subject"] == {"reference": subject}
    assert phq9["authored"] == "2026-06-02T08:45:12.345678+01:00"
    assert {i["linkId"]: i["answer"][0]["valueInteger"] for i in phq9["item"]} == PHQ9
    assert phq9["item"][0]["text"] == "Little interest or pleasure in doing things"
    assert "gad7_3" not in {i["linkId"] for i in gad7["item"]}  # unanswered: no item
    assert len(gad7["item"]) == 6

    (phq9_total,) = with_code(bundle, "44261-6")
    assert phq9_total["valueQuantity"]["value"] == 11 == alices_diary["phq9"].total
    assert phq9_total["effectiveDateTime"] == phq9["authored"]
    assert phq9_total["derivedFrom"] == [{"reference": url_of(bundle, phq9)}]
    assert phq9_total["interpretation"] == [{"text": "Moderate"}]
    (item9,) = with_code(bundle, "44260-8")
    assert item9["valueQuantity"]["value"] == 1
    assert item9["derivedFrom"] == [{"reference": url_of(bundle, phq9)}]
    (gad7_total,) = with_code(bundle, "70274-6")
    assert gad7_total["valueQuantity"]["value"] == 11 == alices_diary["gad7"].total
    assert gad7_total["effectiveDateTime"] == "2026-01-12T20:05:00+00:00"
    assert "Scaled up from the 6 of 7" in gad7_total["note"][0]["text"]

    # The questionnaires answered, with the panel codes; the weekly pain rating is not here.
    definitions = {q["url"]: q for q in resources(bundle, "Questionnaire")}
    assert definitions.keys() == {"urn:rewire:questionnaire:phq9", "urn:rewire:questionnaire:gad7"}
    assert definitions["urn:rewire:questionnaire:phq9"]["code"] == [
        {"system": "http://loinc.org", "code": "44249-1"}
    ]
    assert definitions["urn:rewire:questionnaire:gad7"]["code"][0]["code"] == "69737-5"
    assert [i["linkId"] for i in definitions["urn:rewire:questionnaire:phq9"]["item"]] == list(PHQ9)
    assert len(bundle["entry"]) == 1 + 2 + 2 + 2 + 3  # patient, questionnaires, pain, answers


def test_each_weekly_goal_rating_is_a_plain_observation_in_rewires_own_code_system(alice):
    from rewire.goals import actions as goals

    walk = goals.add_goal(user=alice, title="A walk with Sam", why="private words")
    monday = dt.date(2026, 11, 30)
    goals.rate_goal(user=alice, pk=walk.pk, week=monday + dt.timedelta(days=2), done=6)
    bundle = checked(token_client(alice).get("/api/v1/export/fhir").json())
    (rating,) = with_code(bundle, fhir.GOAL_DONE)
    assert rating["code"]["coding"][0]["system"] == "urn:rewire:measure"
    assert all("loinc" not in c["system"] for c in rating["code"]["coding"])
    assert rating["code"]["text"] == "How much: A walk with Sam"
    assert rating["effectivePeriod"] == {"start": "2026-11-30", "end": "2026-12-06"}
    assert rating["valueQuantity"]["value"] == 6
    assert "not a validated questionnaire" in rating["note"][0]["text"]
    assert rating["subject"]["reference"] == url_of(bundle, resources(bundle, "Patient")[0])
    assert "private words" not in json.dumps(bundle)


def test_each_record_keeps_its_address_from_one_export_to_the_next(alice, alices_diary):
    first = exports.fhir_bundle(alice)
    second = exports.fhir_bundle(alice)
    assert [e["fullUrl"] for e in first["entry"]] == [e["fullUrl"] for e in second["entry"]]


def test_an_empty_account_exports_only_the_patient(alice):
    bundle = checked(token_client(alice).get("/api/v1/export/fhir").json())
    assert [e["resource"]["resourceType"] for e in bundle["entry"]] == ["Patient"]


def test_a_stranger_exports_only_their_own(alices_diary, carol):
    bundle = checked(token_client(carol).get("/api/v1/export/fhir").json())
    assert [e["resource"]["resourceType"] for e in bundle["entry"]] == ["Patient"]
    assert resources(bundle, "Patient")[0]["identifier"][0]["value"] == carol.export_id
    assert carol.export_id != carol.pseudonym  # never the access log's key


@pytest.fixture
def demo_user(db):
    """A year of the demo diary (about 1,800 check-ins), and a PHQ-9 and a GAD-7 a week."""
    call_command("demo", "--days", "365", "--email", "many@example.com", stdout=io.StringIO())
    user = User.objects.get(email="many@example.com")
    start = timezone.now() - dt.timedelta(days=365)
    for week in range(52):
        when = start + dt.timedelta(weeks=week)
        answers = {f"phq9_{n}": (week + n) % 4 for n in range(1, 10)} | {"phq9_9": 0}
        measures.record_response(user=user, instrument_id="phq9", answers=answers, answered_at=when)
        answers = {f"gad7_{n}": (week * n) % 4 for n in range(1, 8)}
        measures.record_response(user=user, instrument_id="gad7", answers=answers, answered_at=when)
    return user


def test_a_year_of_records_exports_whole_and_valid(demo_user):
    bundle = checked(exports.fhir_bundle(demo_user))
    checkins = CheckIn.objects.for_user(demo_user)
    pain = with_code(bundle, "72514-3")
    assert len(pain) == checkins.count() > 1000
    assert [o["valueQuantity"]["value"] for o in pain] == list(
        checkins.order_by("recorded_at", "id").values_list("pain", flat=True)
    )
    answered = Response.objects.for_user(demo_user)
    for instrument, total_code in (("phq9", "44261-6"), ("gad7", "70274-6")):
        rows = answered.filter(instrument=instrument).order_by("answered_at", "id")
        assert rows.count() >= 52
        assert [o["valueQuantity"]["value"] for o in with_code(bundle, total_code)] == [
            row.total for row in rows
        ]
    assert (
        len(resources(bundle, "QuestionnaireResponse"))
        == answered.filter(instrument__in=fhir.FHIR_INSTRUMENTS).count()
    )


# --- the CSV files ----------------------------------------------------------------------


def rows_of(answer) -> list[list[str]]:
    assert answer.status_code == 200
    assert answer["Content-Type"] == "text/csv; charset=utf-8"
    assert answer["Content-Disposition"].startswith('attachment; filename="rewire-')
    return list(csv.reader(io.StringIO(answer.content.decode())))


def test_the_checkins_csv_has_a_row_per_checkin_in_local_time(alice, alices_diary):
    header, winter, summer = rows_of(alices_diary["api"].get("/api/v1/export/csv/checkins"))
    assert header == exports.CHECKIN_COLUMNS
    assert dict(zip(header, summer, strict=True)) == {
        "recorded_at": "2026-06-02T08:45:12+01:00",
        "local_date": "2026-06-02",
        "pain": "6",
        "flare": "no",
        "stress": "6",
        "movement_minutes": "25",
        "sleep_hours": "6.5",
        "sleep_quality": "4",
        "body_areas": "lower_back 7; neck 3",
        "emotions": "anxious 5; hopeful 2",
        "tags": "long sitting; my own tag; work",
        "helped": "walk",
        "thought": "What if this never gets better?",
        "note": "Rough morning.",
    }
    assert winter[:4] == ["2026-01-12T20:05:00+00:00", "2026-01-12", "2", "no"]
    assert winter[4:] == [""] * 10


def test_a_cell_a_spreadsheet_would_run_is_kept_as_text(alice):
    api = token_client(alice)
    post(
        api,
        {
            "pain": 3,
            "note": '=HYPERLINK("http://x.example","click")',
            "thought": "+1 more day",
            "tags": ["@home"],
            "helped": ["-rest"],
            "emotions": [{"name": "=calm", "intensity": 2}],
        },
    )
    _, row = rows_of(api.get("/api/v1/export/csv/checkins"))
    cells = dict(zip(exports.CHECKIN_COLUMNS, row, strict=True))
    assert cells["note"] == '\'=HYPERLINK("http://x.example","click")'
    assert cells["thought"] == "'+1 more day"
    assert cells["tags"] == "'@home"
    assert cells["helped"] == "'-rest"
    assert cells["emotions"] == "'=calm 2"
    assert cells["pain"] == "3"  # numbers stay numbers
    assert exports.safe_cell("\tx") == "'\tx" and exports.safe_cell("a=b") == "a=b"


def test_the_questionnaires_csv_has_a_row_per_answer_and_a_column_per_question(alice, alices_diary):
    header, *rows = rows_of(alices_diary["api"].get("/api/v1/export/csv/questionnaires"))
    assert header[:7] == exports.QUESTIONNAIRE_COLUMNS
    definitions = measures.instruments()
    assert header[7:] == [i for d in definitions.values() for i in d.item_ids]
    table = [dict(zip(header, row, strict=True)) for row in rows]
    assert [(r["instrument"], r["answered_at"]) for r in table] == [
        ("gad7", "2026-01-12T20:05:00+00:00"),
        ("weekly_pain", "2026-01-12T20:05:00+00:00"),
        ("phq9", "2026-06-02T08:45:12+01:00"),
    ]
    gad7, weekly, phq9 = table
    assert (phq9["total"], phq9["band"], phq9["prorated"], phq9["local_date"]) == (
        "11",
        "Moderate",
        "no",
        "2026-06-02",
    )
    assert {key: phq9[key] for key in PHQ9} == {key: str(value) for key, value in PHQ9.items()}
    assert phq9["gad7_1"] == "" and phq9["average_pain"] == ""
    assert (gad7["total"], gad7["prorated"], gad7["gad7_3"]) == ("11", "yes", "")
    assert (weekly["average_pain"], weekly["total"]) == ("4", "4")


def test_the_files_take_a_few_queries_however_long_the_diary(demo_user):
    with CaptureQueriesContext(connection) as queries:
        text = exports.checkins_csv(demo_user)
        exports.questionnaires_csv(demo_user)
        exports.fhir_bundle(demo_user)
    assert text.count("\r\n") == CheckIn.objects.for_user(demo_user).count() + 1
    assert len(queries) <= 20


# --- the page and the downloads ---------------------------------------------------------

DOWNLOADS = {
    "/settings/data/json": "application/json; charset=utf-8",
    "/settings/data/fhir": "application/fhir+json; charset=utf-8",
    "/settings/data/csv/checkins": "text/csv; charset=utf-8",
    "/settings/data/csv/questionnaires": "text/csv; charset=utf-8",
}


def test_the_page_says_what_each_file_holds_and_links_them(alice_client, alices_diary):
    page = alice_client.get("/settings/data")
    assert page.status_code == 200
    text = page.content.decode()
    for url in DOWNLOADS:
        assert f'href="{url}"' in text
    assert "2 check-ins" in text and "FHIR R4" in text
    assert 'href="/settings/data"' in alice_client.get("/settings").content.decode()


def test_each_download_is_an_attachment_of_the_persons_own_data(alice_client, alices_diary):
    for url, content_type in DOWNLOADS.items():
        answer = alice_client.get(url)
        assert answer.status_code == 200, url
        assert answer["Content-Type"] == content_type
        assert answer["Content-Disposition"].startswith('attachment; filename="rewire-')
        assert "alice" not in answer["Content-Disposition"]
        assert answer["Cache-Control"] == "no-store"
    document = json.loads(alice_client.get("/settings/data/json").content)
    assert document["format"] == "rewire-export" and len(document["checkins"]) == 2
    checked(json.loads(alice_client.get("/settings/data/fhir").content))


def _sign_in_long_ago(client):
    session = client.session
    session[SESSION_KEY] = int(time.time()) - 3600
    session.save()


def test_a_download_asks_for_the_password_when_the_sign_in_is_old(alice_client, alices_diary):
    _sign_in_long_ago(alice_client)
    assert alice_client.get("/settings/data").status_code == 200  # the page itself is fine
    for url in DOWNLOADS:
        answer = alice_client.get(url)
        assert answer.status_code == 302
        assert answer.url.startswith("/accounts/confirm?next=")
    # The API asks a browser the same; a personal token is enough on its own.
    for url in ("/api/v1/export/fhir", "/api/v1/export/csv/checkins"):
        refused = alice_client.get(url)
        assert refused.status_code == 403
        assert "Confirm your password" in refused.json()["detail"]
        assert alices_diary["api"].get(url).status_code == 200


def test_downloads_need_a_sign_in_and_a_get(client, alice_client):
    for url in ["/settings/data", *DOWNLOADS]:
        answer = client.get(url)
        assert answer.status_code == 302 and answer.url.startswith("/accounts/login")
    for url in DOWNLOADS:
        assert alice_client.post(url).status_code == 405
    for url in ("/api/v1/export/fhir", "/api/v1/export/csv/questionnaires"):
        assert client.get(url).status_code == 401


def test_no_health_data_reaches_the_logs(alice_client, alices_diary, caplog):
    with caplog.at_level(logging.DEBUG):
        for url in [*DOWNLOADS, "/api/v1/export/csv/checkins"]:
            alice_client.get(url)
            alices_diary["api"].get("/api/v1/export/fhir")
    assert "Rough morning" not in caplog.text and "never gets better" not in caplog.text
