"""Time-based pacing: the rules, the pages (the lesson's tool, the plans, the timer's form), the
API, and the plans and bouts in the export. Through the real views, actions and database."""

import datetime as dt
import json
import re

import pytest
from helpers import open_programme, token_client

from rewire.core.portability import erase_account, export_diary, import_diary
from rewire.exposure import actions
from rewire.exposure.models import PacedActivity, PacingBout
from rewire.exposure.rules import (
    MAX_PACING_MINUTES,
    PacingBoutEntry,
    PacingPlanEntry,
    pacing_bout_problems,
    pacing_plan_problems,
    step_up_suggested,
)

TODAY = dt.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def warning_signs_answered(request):
    for name in ("alice", "carol"):
        if name in request.fixturenames:
            open_programme(request.getfixturevalue(name))


def html(response) -> str:
    return response.content.decode()


def plan(user, activity="Gardening", minutes=15, rest=5) -> PacedActivity:
    return actions.add_pacing_plan(
        user=user,
        entry=PacingPlanEntry(activity=activity, activity_minutes=minutes, break_minutes=rest),
    )


def bout(user, on, *, minutes=30, breaks=1, days_ago=0, note="") -> PacingBout:
    return actions.log_pacing_bout(
        user=user,
        entry=PacingBoutEntry(
            plan=on.pk,
            minutes=minutes,
            breaks=breaks,
            local_date=user.today() - dt.timedelta(days=days_ago),
            note=note,
        ),
    )


def send(client, method, url, body=None, **headers):
    data = "" if body is None else json.dumps(body)
    return client.generic(method, url, data, content_type="application/json", headers=headers)


# The rules, in plain Python


@pytest.mark.parametrize(
    ("activity_minutes", "break_minutes", "problems"),
    [
        (15, 5, {}),
        (1, 1, {}),
        (240, 120, {}),
        (0, 5, {"activity_minutes": "Must be between 1 and 240."}),
        (241, 5, {"activity_minutes": "Must be between 1 and 240."}),
        (15, 0, {"break_minutes": "Must be between 1 and 120."}),
        (15, 121, {"break_minutes": "Must be between 1 and 120."}),
        (
            None,
            None,
            {
                "activity_minutes": (
                    "Say how many minutes you will do it before a break (1 to 240)."
                ),
                "break_minutes": "Say how many minutes the break lasts (1 to 120).",
            },
        ),
        (True, 5, {"activity_minutes": "Must be a whole number."}),
    ],
)
def test_a_plan_needs_minutes_of_activity_from_1_to_240_and_a_break_from_1_to_120(
    activity_minutes, break_minutes, problems
):
    entry = PacingPlanEntry("Gardening", activity_minutes, break_minutes)
    assert pacing_plan_problems(entry) == problems


def test_a_plan_needs_an_activity_of_at_most_200_characters():
    assert pacing_plan_problems(PacingPlanEntry("", 15, 5)) == {
        "activity": "Name the activity to pace, such as gardening."
    }
    assert pacing_plan_problems(PacingPlanEntry("x" * 201, 15, 5)) == {
        "activity": "At most 200 characters."
    }


def test_a_bout_is_checked_for_its_minutes_breaks_day_and_note():
    fine = PacingBoutEntry(plan=1, minutes=30, breaks=1, local_date=TODAY)
    assert pacing_bout_problems(fine, today=TODAY) == {}
    # A device a time zone ahead may be on tomorrow already.
    tomorrow = PacingBoutEntry(plan=1, minutes=30, breaks=0, local_date=TODAY + dt.timedelta(1))
    assert pacing_bout_problems(tomorrow, today=TODAY) == {}
    wrong = PacingBoutEntry(
        plan=1, minutes=0, breaks=-1, local_date=TODAY + dt.timedelta(2), note="x" * 5001
    )
    assert pacing_bout_problems(wrong, today=TODAY) == {
        "minutes": "Must be between 1 and 1440.",
        "breaks": "Must be between 0 and 100.",
        "note": "At most 5000 characters.",
        "local_date": "Cannot be in the future.",
    }


def test_a_step_up_is_suggested_after_a_whole_round_on_three_different_days():
    day = TODAY
    # (day, minutes in all, breaks, the quota then, rounds the timer saw run to time)
    two_days = [(day, 15, 0, 15, None), (day, 30, 1, 15, 2), (day - dt.timedelta(1), 15, 1, 15, 1)]
    assert step_up_suggested(15, two_days) is None
    # A bout short of the quota, or done with another quota, does not count.
    assert step_up_suggested(15, [*two_days, (day - dt.timedelta(2), 14, 0, 15, None)]) is None
    assert step_up_suggested(15, [*two_days, (day - dt.timedelta(2), 20, 0, 20, 1)]) is None
    # Two rounds of 8 minutes, each cut short by an early break: 16 minutes in all, but no
    # round ran its quota (the timer says so; typed by hand, breaks leave it unknown).
    assert step_up_suggested(15, [*two_days, (day - dt.timedelta(2), 16, 1, 15, 0)]) is None
    assert step_up_suggested(15, [*two_days, (day - dt.timedelta(2), 16, 1, 15, None)]) is None
    three_days = [*two_days, (day - dt.timedelta(2), 15, 0, 15, None)]
    # About 10% more, at least one minute, never above the most a plan holds.
    assert step_up_suggested(15, three_days) == 16
    assert step_up_suggested(40, [(d, 40, 0, 40, 1) for d, *_ in three_days]) == 44
    top = MAX_PACING_MINUTES
    assert step_up_suggested(top - 1, [(d, top - 1, 0, top - 1, 1) for d, *_ in three_days]) == top
    assert step_up_suggested(top, [(d, top, 0, top, 1) for d, *_ in three_days]) is None


# The actions


def test_one_plan_per_activity_whatever_its_case_or_spacing(alice, carol):
    plan(alice, "Working at the desk")
    with pytest.raises(actions.InvalidEntry) as refused:
        plan(alice, "  working   at the DESK ")
    assert refused.value.problems == {"activity": actions.PLAN_TAKEN}
    plan(carol, "Working at the desk")  # another person's plans are their own
    other = plan(alice, "Housework")
    with pytest.raises(actions.InvalidEntry):
        actions.update_pacing_plan(
            user=alice, pk=other.pk, entry=PacingPlanEntry("WORKING at the desk", 10, 2)
        )


def test_a_bout_keeps_the_quota_it_was_done_with(alice):
    garden = plan(alice, minutes=15)
    first = bout(alice, garden, minutes=30, breaks=1)
    actions.update_pacing_plan(user=alice, pk=garden.pk, entry=PacingPlanEntry("Gardening", 20, 5))
    second = bout(alice, garden, minutes=20, breaks=0)
    assert (first.planned_minutes, second.planned_minutes) == (15, 20)
    garden.refresh_from_db()
    assert garden.updated_at >= garden.created_at


def test_a_bout_needs_a_plan_of_ones_own(alice, carol):
    carols = plan(carol)
    with pytest.raises(actions.InvalidEntry) as refused:
        bout(alice, carols)
    assert refused.value.problems == {"plan": "No such pacing plan of yours."}
    assert PacingBout.objects.count() == 0


def test_deleting_a_plan_deletes_its_bouts(alice):
    garden, desk = plan(alice), plan(alice, "Desk")
    bout(alice, garden)
    kept = bout(alice, desk)
    actions.delete_pacing_plan(user=alice, pk=garden.pk)
    assert list(PacingBout.objects.for_user(alice)) == [kept]


def test_the_plans_list_counts_bouts_and_suggests_a_step_up(alice):
    garden = plan(alice, minutes=10)
    for days_ago in (0, 1, 2):
        bout(alice, garden, minutes=10, breaks=0, days_ago=days_ago)
    desk = plan(alice, "Desk")
    rows = {row.plan.pk: row for row in actions.pacing_plans_for(alice)}
    assert (rows[garden.pk].bouts, rows[garden.pk].last_bout) == (3, alice.today())
    assert rows[garden.pk].step_up_to == 11
    assert (rows[desk.pk].bouts, rows[desk.pk].last_bout, rows[desk.pk].step_up_to) == (
        0,
        None,
        None,
    )


# The pages


def test_the_lesson_page_teaches_pacing_and_holds_the_plans_and_a_form(alice, alice_client):
    garden = plan(alice)
    page = html(alice_client.get("/programme/topics/pacing"))
    assert "boom-and-bust" in page
    assert "Nielson WR" in page  # the references
    assert "Your pacing plans" in page
    assert f'href="/movement/pacing/{garden.pk}"' in page
    assert 'action="/movement/pacing"' in page
    assert 'for="id_activity_minutes"' in page
    # The programme page lists the lesson.
    assert "/programme/topics/pacing" in html(alice_client.get("/programme"))


def test_the_movement_page_names_the_weekly_plan_graded_activity(alice_client):
    page = html(alice_client.get("/movement"))
    assert "Graded activity" in page
    assert "Pacing, not pushing" not in page
    assert 'href="/movement/pacing"' in page


def test_a_plan_added_on_the_page_leads_to_its_timer(alice, alice_client):
    form = alice_client.get("/movement/pacing").context["plan_form"]
    body = {
        "activity": " Gardening ",
        "activity_minutes": "15",
        "break_minutes": "5",
        "submission": form["submission"].value(),
    }
    response = alice_client.post("/movement/pacing", body)
    saved = PacedActivity.objects.for_user(alice).get()
    assert response.status_code == 302
    assert response["Location"] == f"/movement/pacing/{saved.pk}"
    assert (saved.activity, saved.activity_minutes, saved.break_minutes) == ("Gardening", 15, 5)
    # The same form sent again (a double tap) adds nothing.
    assert alice_client.post("/movement/pacing", body).status_code == 302
    assert PacedActivity.objects.for_user(alice).count() == 1
    timer = html(alice_client.get(response["Location"]))
    assert 'data-activity-minutes="15"' in timer
    assert 'data-break-minutes="5"' in timer
    assert "pacing_timer.js" in timer


@pytest.mark.parametrize(
    ("body", "messages"),
    [
        (
            {"activity": "", "activity_minutes": "", "break_minutes": ""},
            {
                "activity": "Name the activity to pace, such as gardening.",
                "activity_minutes": (
                    "Say how many minutes you will do it before a break (1 to 240)."
                ),
            },
        ),
        (
            {"activity": "Desk", "activity_minutes": "300", "break_minutes": "0"},
            {
                "activity_minutes": "Must be between 1 and 240.",
                "break_minutes": "Must be between 1 and 120.",
            },
        ),
        (
            {"activity": "Desk", "activity_minutes": "ten", "break_minutes": "5"},
            {"activity_minutes": "Write a whole number of minutes."},
        ),
    ],
)
def test_a_plan_with_problems_says_which_field_and_why(alice, alice_client, body, messages):
    response = alice_client.post("/movement/pacing", body)
    assert response.status_code == 422
    errors = response.context["plan_form"].errors
    for field, message in messages.items():
        assert errors[field] == [message]
    assert "Please correct the fields marked below" in html(response)
    assert PacedActivity.objects.count() == 0


def test_the_same_activity_twice_is_refused_at_its_field(alice, alice_client):
    plan(alice, "Gardening")
    response = alice_client.post(
        "/movement/pacing", {"activity": "GARDENING", "activity_minutes": "5", "break_minutes": "2"}
    )
    assert response.status_code == 422
    assert response.context["plan_form"].errors["activity"] == [actions.PLAN_TAKEN]


def test_finishing_the_timer_logs_a_bout_once(alice, alice_client):
    garden = plan(alice)
    url = f"/movement/pacing/{garden.pk}"
    form = alice_client.get(url).context["form"]
    body = {
        "minutes": "31",
        "breaks": "2",
        "local_date": alice.today().isoformat(),
        "note": "Felt steady.",
        "submission": form["submission"].value(),
    }
    response = alice_client.post(url, body)
    assert response.status_code == 302
    assert response["Location"] == f"{url}#bouts-heading"
    # A retry of the same form (the connection dropped after it was sent) logs nothing more.
    assert alice_client.post(url, body).status_code == 302
    saved = PacingBout.objects.for_user(alice).get()
    assert (saved.minutes, saved.breaks, saved.planned_minutes, saved.note) == (
        31,
        2,
        15,
        "Felt steady.",
    )
    page = html(alice_client.get(url, follow=True))
    assert "31 minutes</strong> with 2 breaks" in page


def test_a_bout_with_problems_says_which_field_and_why(alice, alice_client):
    garden = plan(alice)
    far = (alice.today() + dt.timedelta(days=5)).isoformat()
    response = alice_client.post(
        f"/movement/pacing/{garden.pk}",
        {"minutes": "0", "breaks": "101", "local_date": far, "note": ""},
    )
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert errors["minutes"] == ["Must be between 1 and 1440."]
    assert errors["breaks"] == ["Must be between 0 and 100."]
    assert errors["local_date"] == ["Cannot be in the future."]
    assert PacingBout.objects.count() == 0


def test_a_plan_is_changed_on_its_page_and_a_step_up_fills_the_form(alice, alice_client):
    garden = plan(alice, minutes=10)
    for days_ago in (0, 1, 2):
        bout(alice, garden, minutes=10, breaks=0, days_ago=days_ago)
    timer = html(alice_client.get(f"/movement/pacing/{garden.pk}"))
    assert "you could try 11 minutes" in timer
    form = alice_client.get(f"/movement/pacing/{garden.pk}/edit?minutes=11").context["form"]
    assert form["activity_minutes"].value() == 11
    response = alice_client.post(
        f"/movement/pacing/{garden.pk}/edit",
        {"activity": "Gardening", "activity_minutes": "11", "break_minutes": "5"},
    )
    assert response.status_code == 302
    garden.refresh_from_db()
    assert garden.activity_minutes == 11
    refused = alice_client.post(
        f"/movement/pacing/{garden.pk}/edit",
        {"activity": "Gardening", "activity_minutes": "0", "break_minutes": "5"},
    )
    assert refused.status_code == 422
    assert refused.context["form"].errors["activity_minutes"] == ["Must be between 1 and 240."]


def test_deleting_a_plan_or_a_bout_asks_first(alice, alice_client):
    garden = plan(alice)
    done = bout(alice, garden)
    asked = html(alice_client.get(f"/movement/pacing/bouts/{done.pk}/delete"))
    assert "Delete this bout?" in asked
    assert PacingBout.objects.filter(pk=done.pk).exists()
    alice_client.post(f"/movement/pacing/bouts/{done.pk}/delete")
    assert not PacingBout.objects.filter(pk=done.pk).exists()
    bout(alice, garden)
    asked = html(alice_client.get(f"/movement/pacing/{garden.pk}/delete"))
    assert "Delete this pacing plan?" in asked and "with the 1 bout logged" in asked
    response = alice_client.post(f"/movement/pacing/{garden.pk}/delete")
    assert response["Location"] == "/movement/pacing"
    assert not PacedActivity.objects.exists() and not PacingBout.objects.exists()


def test_a_stranger_gets_404_for_every_pacing_page_and_changes_nothing(alice, carol, carol_client):
    garden = plan(alice)
    done = bout(alice, garden)
    for url in (
        f"/movement/pacing/{garden.pk}",
        f"/movement/pacing/{garden.pk}/edit",
        f"/movement/pacing/{garden.pk}/delete",
        f"/movement/pacing/bouts/{done.pk}/delete",
    ):
        assert carol_client.get(url).status_code == 404, url
        assert carol_client.post(url, {"minutes": "5", "breaks": "0"}).status_code == 404, url
    assert PacingBout.objects.filter(pk=done.pk).exists()
    assert PacedActivity.objects.filter(pk=garden.pk).exists()
    assert "Gardening" not in html(carol_client.get("/movement/pacing"))


# The API


@pytest.fixture
def api(alice):
    return token_client(alice)


def test_the_api_makes_lists_changes_and_deletes_plans(alice, api):
    plans = "/api/v1/pacing-plans"
    made = send(
        api, "POST", plans, {"activity": "Gardening", "activity_minutes": 15, "break_minutes": 5}
    )
    assert made.status_code == 201, made.content
    garden = made.json()
    assert garden | {"created_at": None, "updated_at": None} == {
        "id": garden["id"],
        "activity": "Gardening",
        "activity_minutes": 15,
        "break_minutes": 5,
        "created_at": None,
        "updated_at": None,
        "bouts": 0,
        "last_bout": None,
        "step_up_to": None,
    }
    twice = send(
        api, "POST", plans, {"activity": "gardening", "activity_minutes": 5, "break_minutes": 1}
    )
    assert twice.status_code == 422
    assert twice.json()["detail"][0]["loc"] == ["body", "activity"]
    wrong = send(
        api, "POST", plans, {"activity": "Desk", "activity_minutes": 241, "break_minutes": 5}
    )
    assert wrong.status_code == 422
    changed = send(api, "PATCH", f"{plans}/{garden['id']}", {"break_minutes": 3})
    assert changed.status_code == 200
    assert (changed.json()["activity_minutes"], changed.json()["break_minutes"]) == (15, 3)
    assert [p["activity"] for p in api.get(plans).json()] == ["Gardening"]
    assert api.get(f"{plans}/{garden['id']}").json()["break_minutes"] == 3
    assert send(api, "DELETE", f"{plans}/{garden['id']}").status_code == 204
    assert api.get(plans).json() == []


def test_the_api_logs_bouts_once_per_idempotency_key(alice, api):
    garden = plan(alice)
    body = {"plan": garden.pk, "minutes": 30, "breaks": 1, "note": "Fine."}
    first = send(api, "POST", "/api/v1/pacing-bouts", body, **{"Idempotency-Key": "bout-1"})
    again = send(api, "POST", "/api/v1/pacing-bouts", body, **{"Idempotency-Key": "bout-1"})
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert first.json() | {"id": 0, "created_at": None} == {
        "id": 0,
        "plan": garden.pk,
        "activity": "Gardening",
        "local_date": alice.today().isoformat(),
        "minutes": 30,
        "breaks": 1,
        "rounds_to_time": None,
        "planned_minutes": 15,
        "note": "Fine.",
        "created_at": None,
    }
    assert PacingBout.objects.count() == 1
    other = send(
        api, "POST", "/api/v1/pacing-bouts", {**body, "minutes": 5}, **{"Idempotency-Key": "bout-1"}
    )
    assert other.status_code == 422  # the same key with another body
    page = api.get(f"/api/v1/pacing-bouts?plan={garden.pk}").json()
    assert (page["count"], page["items"][0]["id"]) == (1, first.json()["id"])
    assert api.get(f"/api/v1/pacing-plans/{garden.pk}").json()["bouts"] == 1
    bout_url = f"/api/v1/pacing-bouts/{first.json()['id']}"
    assert api.get(bout_url).status_code == 200
    assert send(api, "DELETE", bout_url).status_code == 204
    # A retry after the bout was deleted says so, and makes nothing.
    gone = send(api, "POST", "/api/v1/pacing-bouts", body, **{"Idempotency-Key": "bout-1"})
    assert gone.status_code == 410
    assert PacingBout.objects.count() == 0


def test_the_api_refuses_a_bout_for_a_strangers_plan_and_hides_theirs(alice, carol, api):
    carols = plan(carol)
    carols_bout = bout(carol, carols)
    refused = send(
        api, "POST", "/api/v1/pacing-bouts", {"plan": carols.pk, "minutes": 5, "breaks": 0}
    )
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "plan"]
    assert api.get(f"/api/v1/pacing-plans/{carols.pk}").status_code == 404
    assert (
        send(api, "PATCH", f"/api/v1/pacing-plans/{carols.pk}", {"break_minutes": 2}).status_code
        == 404
    )
    assert send(api, "DELETE", f"/api/v1/pacing-plans/{carols.pk}").status_code == 404
    assert api.get(f"/api/v1/pacing-bouts/{carols_bout.pk}").status_code == 404
    assert send(api, "DELETE", f"/api/v1/pacing-bouts/{carols_bout.pk}").status_code == 404
    assert api.get("/api/v1/pacing-bouts").json()["count"] == 0


def test_the_api_waits_for_the_warning_signs_before_writes(db):
    from rewire.accounts.actions import create_user

    dora = create_user(email="dora@example.com", password="a long passphrase 42")
    client = token_client(dora)
    response = send(
        client,
        "POST",
        "/api/v1/pacing-plans",
        {"activity": "Desk", "activity_minutes": 5, "break_minutes": 1},
    )
    assert response.status_code == 409
    assert client.get("/api/v1/pacing-plans").status_code == 200


# The export, the import and erasure


def test_plans_and_bouts_round_trip_and_are_erased(alice, carol, db):
    garden, desk = plan(alice, "Gärdening ✓", minutes=15), plan(alice, "Desk", minutes=30)
    bout(alice, garden, minutes=30, breaks=1, days_ago=2, note="Steady ✓")
    actions.update_pacing_plan(
        user=alice, pk=garden.pk, entry=PacingPlanEntry("Gärdening ✓", 17, 5)
    )
    bout(alice, garden, minutes=17, breaks=0, days_ago=1)
    bout(alice, desk, minutes=60, breaks=2)
    exported = json.loads(json.dumps(export_diary(alice)))
    pacing = {key: exported["exposure"][key] for key in ("pacing_plans", "pacing_bouts")}
    assert [p["activity"] for p in pacing["pacing_plans"]] == ["Gärdening ✓", "Desk"]
    assert [(b["plan_index"], b["planned_minutes"]) for b in pacing["pacing_bouts"]] == [
        (0, 15),
        (0, 17),
        (1, 30),
    ]
    from rewire.accounts.actions import create_user

    dave = create_user(email="dave@example.com", password="a long passphrase 42")
    counts = import_diary(dave, exported)
    assert counts["exposure_records"] == 5
    again = json.loads(json.dumps(export_diary(dave)))
    assert {key: again["exposure"][key] for key in pacing} == pacing
    daves_plans = set(PacedActivity.objects.for_user(dave).values_list("pk", flat=True))
    assert set(PacingBout.objects.for_user(dave).values_list("plan_id", flat=True)) == daves_plans

    erase_account(alice)
    assert not PacedActivity.objects.filter(user_id=alice.pk).exists()
    assert not PacingBout.objects.filter(user_id=alice.pk).exists()
    assert PacingBout.objects.for_user(dave).count() == 3


def test_an_import_with_bad_pacing_records_is_refused_at_their_places(alice, carol):
    garden = plan(alice)
    bout(alice, garden)
    exported = json.loads(json.dumps(export_diary(alice)))
    pacing = exported["exposure"]
    pacing["pacing_plans"].append({**pacing["pacing_plans"][0], "activity": " GARDENING "})
    pacing["pacing_bouts"][0] |= {"plan_index": 5, "local_date": "2999-01-01"}
    response = token_client(carol).post(
        "/api/v1/import", json.dumps(exported), content_type="application/json"
    )
    assert response.status_code == 422, response.content
    places = {tuple(item["loc"]) for item in response.json()["detail"]}
    assert ("body", "exposure", "pacing_plans", 1, "activity") in places
    assert ("body", "exposure", "pacing_bouts", 0, "plan_index") in places
    assert ("body", "exposure", "pacing_bouts", 0, "local_date") in places
    assert not PacedActivity.objects.for_user(carol).exists()


def test_the_lesson_text_says_the_clock_decides_not_the_pain():
    from rewire.program.actions import course

    lesson = course().topics["pacing"]
    assert lesson.minutes in range(3, 6)
    body = lesson.body.lower()
    for idea in ("boom-and-bust", "bad day", "before the pain rises", "graded activity"):
        assert idea in body, idea
    assert re.search(r"not the pain", body)
