"""The fear ladder, its tries and the movement log in the JSON API: every operation, its rules,
the programme's 409 and strangers' 404s."""

import datetime as dt
import json

import pytest
from django.utils import timezone
from helpers import open_programme, token_client

from rewire.exposure import actions as exposure
from rewire.exposure.models import ActivitySession, ExposureAttempt, Rung, RungRating
from rewire.exposure.rules import ActivityEntry, AttemptAfter, AttemptBefore, Rating, RungEntry
from rewire.measures import actions as measures


def answer_the_warning_signs_no(user):
    open_programme(user)


@pytest.fixture
def api(alice):
    # The warning signs come before the programme; alice answers them all no.
    answer_the_warning_signs_no(alice)
    return token_client(alice)


def send(client, method, url, body=None, **headers):
    data = "" if body is None else json.dumps(body)
    return client.generic(method, url, data, content_type="application/json", headers=headers)


def fields_named(response) -> list[str]:
    """Each error's place in the body, as a dotted path: "after.fear_after"."""
    return [
        ".".join(str(part) for part in item["loc"][1:])
        for item in response.json()["detail"]
        if item["loc"][0] == "body"
    ]


def add_rung(client, activity, fear, *, expected_pain=5, harm=30, **more):
    response = send(
        client,
        "POST",
        "/api/v1/ladder/rungs",
        {"activity": activity, "fear": fear, "expected_pain": expected_pain, "harm": harm, **more},
    )
    assert response.status_code == 201, response.content
    return response.json()


BEFORE = {"fear_before": 70, "predicted_pain": 8, "predicted_harm": 60, "prediction": "It locks."}
AFTER = {"actual_pain": 4, "outcome": "no", "fear_after": 30, "learned": " It did not lock. "}


def start_try(client, rung_id, **changes):
    response = send(
        client, "POST", "/api/v1/exposure-attempts", {"rung": rung_id, **BEFORE, **changes}
    )
    assert response.status_code == 201, response.content
    return response.json()


def ladder_order(client) -> list[str]:
    return [rung["activity"] for rung in client.get("/api/v1/ladder").json()["rungs"]]


# The starter library


def test_the_library_lists_its_groups_and_their_activities(api):
    groups = api.get("/api/v1/exposure/library").json()
    assert groups[0]["id"] == "bending"
    assert groups[0]["activities"][0] == {
        "id": "bend_pick_up",
        "label": "Bending to pick something up from the floor",
    }
    assert sum(len(group["activities"]) for group in groups) == len(exposure.library().activities)


# The ladder


def test_rungs_are_added_and_the_ladder_goes_easiest_first(api):
    assert api.get("/api/v1/ladder").json() == {
        "rungs": [],
        "next_step": None,
        "level": 1,
        "mastered": 0,
    }
    run = add_rung(api, "Running, even slowly", 80, library_id="run")
    walk = add_rung(api, "  Walking   for 30 minutes ", 20)
    bend = add_rung(api, "Bending to pick something up from the floor", 45, harm=50)
    assert walk["activity"] == "Walking for 30 minutes" and walk["library_id"] is None
    assert run["library_id"] == "run"
    assert (bend["fear"], bend["expected_pain"], bend["harm"]) == (45, 5, 50)
    assert bend["ratings"] == [
        {"fear": 45, "expected_pain": 5, "harm": 50, "rated_at": bend["rated_at"]}
    ]
    assert bend["attempts"] == [] and bend["tries"] == 0 and bend["last_try"] is None
    assert not bend["mastered"] and bend["mastered_at"] is None

    ladder = api.get("/api/v1/ladder").json()
    assert [rung["id"] for rung in ladder["rungs"]] == [walk["id"], bend["id"], run["id"]]
    assert ladder["next_step"] == walk["id"]
    assert [rung["is_next"] for rung in ladder["rungs"]] == [True, False, False]
    assert (ladder["level"], ladder["mastered"]) == (1, 0)
    first = ladder["rungs"][0]
    assert {name: first[name] for name in ("id", "activity", "fear", "created_at")} == {
        name: walk[name] for name in ("id", "activity", "fear", "created_at")
    }
    assert api.get(f"/api/v1/ladder/rungs/{walk['id']}").json() == walk | {"is_next": True}


def test_rating_again_keeps_the_history_and_moves_the_rung(api):
    add_rung(api, "Walking downhill", 30)
    hard = add_rung(api, "Lifting a box from the floor", 90, expected_pain=8, harm=70)
    url = f"/api/v1/ladder/rungs/{hard['id']}"
    rated = send(api, "POST", f"{url}/ratings", {"fear": 10, "expected_pain": 3, "harm": 5})
    assert rated.status_code == 200, rated.content
    body = rated.json()
    assert (body["fear"], body["expected_pain"], body["harm"]) == (10, 3, 5)
    assert body["rated_at"] > hard["rated_at"] and body["created_at"] == hard["created_at"]
    assert [(r["fear"], r["expected_pain"], r["harm"]) for r in body["ratings"]] == [
        (90, 8, 70),
        (10, 3, 5),
    ]
    assert ladder_order(api) == ["Lifting a box from the floor", "Walking downhill"]
    assert api.get("/api/v1/ladder").json()["next_step"] == hard["id"]

    refused = send(api, "POST", f"{url}/ratings", {"fear": 101, "expected_pain": 3, "harm": 5})
    assert refused.status_code == 422 and fields_named(refused) == ["fear"]
    assert RungRating.objects.filter(rung_id=hard["id"]).count() == 2


def test_the_same_words_twice_are_refused_whatever_their_case(api):
    add_rung(api, "Sitting for an hour", 40)
    twice = send(
        api,
        "POST",
        "/api/v1/ladder/rungs",
        {"activity": "sitting  for an HOUR", "fear": 20, "expected_pain": 2, "harm": 10},
    )
    assert twice.status_code == 422
    assert twice.json()["detail"] == [
        {
            "loc": ["body", "activity"],
            "msg": "This activity is on your ladder already.",
            "type": "value_error",
        }
    ]
    assert Rung.objects.count() == 1


def test_renaming_to_words_already_on_the_ladder_changes_nothing_at_all(api):
    add_rung(api, "Jumping or hopping", 60)
    squat = add_rung(api, "Squatting", 50)
    url = f"/api/v1/ladder/rungs/{squat['id']}"
    refused = send(api, "PATCH", url, {"activity": "jumping or hopping", "mastered": True})
    assert refused.status_code == 422
    assert fields_named(refused) == ["activity"]
    assert api.get(url).json() == squat  # not renamed, and not mastered either

    renamed = send(api, "PATCH", url, {"activity": "  Squatting down and up  "})
    assert renamed.status_code == 200, renamed.content
    assert renamed.json()["activity"] == "Squatting down and up"
    assert renamed.json()["ratings"] == squat["ratings"]
    for bad, field in (
        ({"activity": "   "}, "activity"),
        ({"activity": "x" * 201}, "activity"),
        ({"mastered": "yes"}, "mastered"),
        ({"fear": 10}, "fear"),
    ):
        response = send(api, "PATCH", url, bad)
        assert response.status_code == 422 and field in fields_named(response), bad
    assert send(api, "PATCH", url, {}).json() == renamed.json()


def test_a_rung_is_marked_mastered_and_the_next_step_moves_up(api):
    walk = add_rung(api, "Walking for 30 minutes", 20)
    stairs = add_rung(api, "Climbing two flights of stairs", 35)
    run = add_rung(api, "Running, even slowly", 90)
    url = f"/api/v1/ladder/rungs/{walk['id']}"
    mastered = send(api, "PATCH", url, {"mastered": True})
    assert mastered.status_code == 200, mastered.content
    assert mastered.json()["mastered"] and mastered.json()["mastered_at"]
    ladder = api.get("/api/v1/ladder").json()
    assert (ladder["next_step"], ladder["level"], ladder["mastered"]) == (stairs["id"], 2, 1)
    assert not ladder["rungs"][1]["big_step"]

    send(api, "PATCH", f"/api/v1/ladder/rungs/{stairs['id']}", {"mastered": True})
    ladder = api.get("/api/v1/ladder").json()
    # From fear 35 to fear 90: a big step, so a step between may help.
    assert ladder["next_step"] == run["id"] and ladder["rungs"][2]["big_step"]
    assert ladder["level"] == 3
    assert api.get("/api/v1/movement").json()["mastered"] == 2

    again = send(api, "PATCH", url, {"mastered": True})
    assert again.json()["mastered_at"] == mastered.json()["mastered_at"]
    undone = send(api, "PATCH", url, {"mastered": False}).json()
    assert not undone["mastered"] and undone["mastered_at"] is None
    assert api.get("/api/v1/ladder").json()["next_step"] == walk["id"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"fear": 101}, "fear"),
        ({"fear": -1}, "fear"),
        ({"fear": 50.5}, "fear"),
        ({"expected_pain": 11}, "expected_pain"),
        ({"harm": 101}, "harm"),
        ({"harm": None}, "harm"),
        ({"activity": ""}, "activity"),
        ({"activity": "   "}, "activity"),
        ({"activity": "x" * 201}, "activity"),
        ({"activity": "a\u0000b"}, "activity"),
        ({"library_id": "moonwalk"}, "library_id"),
        ({"ladder": 1}, "ladder"),
    ],
)
def test_a_bad_rung_is_a_422_naming_the_field_and_writes_nothing(api, changes, field):
    body = {"activity": "Carrying a child", "fear": 50, "expected_pain": 4, "harm": 20}
    response = send(api, "POST", "/api/v1/ladder/rungs", {**body, **changes})
    assert response.status_code == 422, response.content
    assert field in fields_named(response)
    assert Rung.objects.count() == 0 and RungRating.objects.count() == 0


def test_deleting_a_rung_takes_its_ratings_and_tries(api):
    rung = add_rung(api, "Sleeping on one side", 40)
    start_try(api, rung["id"], after=AFTER)
    url = f"/api/v1/ladder/rungs/{rung['id']}"
    assert send(api, "DELETE", url).status_code == 204
    assert api.get(url).status_code == 404
    assert send(api, "DELETE", url).status_code == 404
    assert not RungRating.objects.exists() and not ExposureAttempt.objects.exists()


# Tries


def test_a_try_before_then_after_shows_what_the_alarm_got_wrong(api):
    rung = add_rung(api, "Lifting a shopping bag", 60)
    before = start_try(api, rung["id"], started_at="2026-03-02T08:30:00+00:00")
    assert before["finished"] is False and before["after"] is None
    assert before["violation"] is None
    assert (before["rung"], before["activity"]) == (rung["id"], "Lifting a shopping bag")
    assert before["local_date"] == "2026-03-02" and before["prediction"] == "It locks."
    assert api.get("/api/v1/ladder").json()["rungs"][0]["tries"] == 0  # not finished yet

    url = f"/api/v1/exposure-attempts/{before['id']}"
    finished = send(api, "POST", f"{url}/after", AFTER)
    assert finished.status_code == 200, finished.content
    body = finished.json()
    assert body["finished"] is True
    assert body["after"]["learned"] == "It did not lock."
    assert body["after"]["finished_at"] >= "2026-03-02"
    violation = dict(body["violation"])
    pain_words, harm_words, fear_words = violation.pop("words")
    assert violation == {
        "predicted_pain": 8,
        "actual_pain": 4,
        "pain_gap": 4,
        "predicted_harm": 60,
        "outcome": "no",
        "fear_before": 70,
        "fear_after": 30,
        "surprised": True,
        "lesson": "What you feared did not happen: your alarm was wrong about this one.",
    }
    assert pain_words == "You expected pain of 8, it was 4: 4 points less than you feared."
    assert "60%" in harm_words and harm_words.endswith("what you feared did not happen.")
    assert fear_words == "Your fear went down from 70 to 30."
    assert api.get(url).json() == body
    detail = api.get(f"/api/v1/ladder/rungs/{rung['id']}").json()
    assert (detail["tries"], detail["last_try"]) == (1, "2026-03-02")
    assert detail["attempts"] == [body]

    # Sent again, it corrects what happened and keeps when it was done.
    corrected = send(api, "POST", f"{url}/after", {**AFTER, "actual_pain": 9, "outcome": "yes"})
    assert corrected.status_code == 200
    again = corrected.json()
    assert again["after"]["finished_at"] == body["after"]["finished_at"]
    assert again["violation"]["pain_gap"] == -1 and not again["violation"]["surprised"]
    assert again["violation"]["words"][0] == (
        "You expected pain of 8, it was 9: 1 point more than you predicted. Hurt is not the "
        "same as harm. A smaller step next time is fine."
    )
    assert again["prediction"] == "It locks."


def test_a_try_can_be_recorded_before_and_after_at_once(api):
    rung = add_rung(api, "Tying your shoes standing up", 30)
    started = "2026-03-02T08:30:00+00:00"
    finished = "2026-03-02T08:45:00Z"
    body = start_try(
        api,
        rung["id"],
        started_at=started,
        after={**AFTER, "outcome": "partly", "finished_at": finished},
    )
    assert body["finished"]
    assert body["after"]["finished_at"] in ("2026-03-02T08:45:00Z", "2026-03-02T08:45:00+00:00")
    assert body["violation"]["outcome"] == "partly"
    assert body["violation"]["words"][1].endswith("what you feared happened only in part.")
    assert ExposureAttempt.objects.count() == 1


def test_the_next_days_pain_comes_after_the_try(api):
    rung = add_rung(api, "Sitting on a low sofa and getting up", 40)
    attempt = start_try(api, rung["id"], started_at="2026-03-02T08:30:00+00:00")
    url = f"/api/v1/exposure-attempts/{attempt['id']}/next-day"
    unfinished = send(api, "POST", url, {"pain": 3})
    assert unfinished.status_code == 422
    assert unfinished.json()["detail"] == [
        {"loc": ["body", "pain"], "msg": "Say how the try went first.", "type": "value_error"}
    ]
    send(api, "POST", f"/api/v1/exposure-attempts/{attempt['id']}/after", AFTER)
    answered = send(api, "POST", url, {"pain": 3})
    assert answered.status_code == 200, answered.content
    assert (answered.json()["next_day_pain"], answered.json()["next_day_declined"]) == (3, False)
    declined = send(api, "POST", url, {"pain": None}).json()
    assert (declined["next_day_pain"], declined["next_day_declined"]) == (None, True)
    for bad in ({"pain": 11}, {"pain": "3"}, {}, {"pain": 3, "mood": 2}):
        response = send(api, "POST", url, bad)
        assert response.status_code == 422, bad
    assert api.get(f"/api/v1/exposure-attempts/{attempt['id']}").json() == declined

    todays = start_try(api, rung["id"], after=AFTER)
    too_soon = send(api, "POST", f"/api/v1/exposure-attempts/{todays['id']}/next-day", {"pain": 3})
    assert too_soon.status_code == 422
    assert too_soon.json()["detail"][0]["msg"] == (
        "The next day's pain can be given from the day after the try."
    )


def test_tries_are_listed_newest_first_by_date_and_rung(api):
    walk = add_rung(api, "Walking downhill", 30)
    lift = add_rung(api, "Lifting a box from the floor", 70)
    for day, rung in ((1, walk), (2, lift), (3, walk), (4, walk)):
        start_try(api, rung["id"], started_at=f"2026-03-0{day}T12:00:00Z")
    page = api.get("/api/v1/exposure-attempts").json()
    assert page["count"] == 4 and page["limit"] == 100 and page["offset"] == 0
    assert [a["local_date"] for a in page["items"]] == [f"2026-03-0{d}" for d in (4, 3, 2, 1)]
    walks = api.get("/api/v1/exposure-attempts", {"rung": walk["id"], "from": "2026-03-02"})
    assert [a["local_date"] for a in walks.json()["items"]] == ["2026-03-04", "2026-03-03"]
    assert api.get("/api/v1/exposure-attempts", {"limit": 1, "offset": 3}).json()["items"][0][
        "local_date"
    ] == ("2026-03-01")
    assert api.get("/api/v1/exposure-attempts", {"rung": "walk"}).status_code == 422


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"fear_before": 101}, "fear_before"),
        ({"predicted_pain": 11}, "predicted_pain"),
        ({"predicted_harm": None}, "predicted_harm"),
        ({"prediction": "x" * 1001}, "prediction"),
        ({"started_at": "2999-01-01T00:00:00Z"}, "started_at"),
        ({"started_at": "2026-03-02T08:30:00"}, "started_at"),
        ({"rung": 999999}, "rung"),
        ({"rung": "1"}, "rung"),
        ({"after": {**AFTER, "outcome": "maybe"}}, "after.outcome"),
        ({"after": {**AFTER, "fear_after": 101}}, "after.fear_after"),
        ({"after": {**AFTER, "mood": 3}}, "after.mood"),
        (
            {
                "started_at": "2026-03-02T08:30:00Z",
                "after": {**AFTER, "finished_at": "2026-03-01T08:30:00Z"},
            },
            "after.finished_at",
        ),
        ({"after": {**AFTER, "finished_at": "2999-01-01T00:00:00Z"}}, "after.finished_at"),
        ({"surprise": True}, "surprise"),
    ],
)
def test_a_bad_try_is_a_422_naming_the_field_and_writes_nothing(api, changes, field):
    rung = add_rung(api, "Reaching up to a high shelf", 40)
    body = {"rung": rung["id"], **BEFORE, **changes}
    response = send(api, "POST", "/api/v1/exposure-attempts", body)
    assert response.status_code == 422, response.content
    assert field in fields_named(response)
    assert ExposureAttempt.objects.count() == 0


def test_a_try_at_someone_elses_rung_is_refused_as_if_it_did_not_exist(api, carol):
    carols = exposure.add_rung(
        user=carol,
        entry=RungEntry(activity="Mine", rating=Rating(fear=10, expected_pain=1, harm=1)),
    )
    answers = []
    for rung_id in (carols.pk, carols.pk + 1000):
        response = send(api, "POST", "/api/v1/exposure-attempts", {"rung": rung_id, **BEFORE})
        assert response.status_code == 422
        answers.append(response.json())
    assert (
        answers[0]
        == answers[1]
        == {
            "detail": [
                {
                    "loc": ["body", "rung"],
                    "msg": "No such rung on your ladder.",
                    "type": "value_error",
                }
            ]
        }
    )
    assert ExposureAttempt.objects.count() == 0


def test_a_bad_correction_leaves_the_try_as_it_was(api):
    rung = add_rung(api, "Carrying the shopping home", 50)
    attempt = start_try(api, rung["id"], after=AFTER)
    url = f"/api/v1/exposure-attempts/{attempt['id']}"
    for bad, field in (
        ({**AFTER, "actual_pain": 11}, "actual_pain"),
        ({**AFTER, "finished_at": "2000-01-01T00:00:00Z"}, "finished_at"),
        ({"actual_pain": 3}, "outcome"),
    ):
        response = send(api, "POST", f"{url}/after", bad)
        assert response.status_code == 422 and field in fields_named(response), bad
    assert api.get(url).json() == attempt
    assert send(api, "DELETE", url).status_code == 204
    assert api.get(url).status_code == 404
    assert api.get(f"/api/v1/ladder/rungs/{rung['id']}").json()["tries"] == 0


# Idempotency


@pytest.mark.parametrize("kind", ["rung", "attempt", "activity"])
def test_a_retried_create_with_an_idempotency_key_happens_once(api, alice, kind):
    rung = exposure.add_rung(
        user=alice,
        entry=RungEntry(activity="Walking downhill", rating=Rating(30, 3, 10)),
    )
    url, body, model = {
        "rung": (
            "/api/v1/ladder/rungs",
            {"activity": "Running", "fear": 80, "expected_pain": 6, "harm": 40},
            Rung,
        ),
        "attempt": (
            "/api/v1/exposure-attempts",
            {"rung": rung.pk, **BEFORE, "after": AFTER},
            ExposureAttempt,
        ),
        "activity": (
            "/api/v1/activity-sessions",
            {"activity": "A swim", "minutes": 30, "note": "Cold."},
            ActivitySession,
        ),
    }[kind]
    before = model.objects.count()
    first = send(api, "POST", url, body, **{"Idempotency-Key": f"once-{kind}"})
    again = send(api, "POST", url, body, **{"Idempotency-Key": f"once-{kind}"})
    assert first.status_code == again.status_code == 201, first.content
    assert again.json() == first.json()
    assert model.objects.count() == before + 1
    changed = {"rung": {"fear": 81}, "attempt": {"fear_before": 71}, "activity": {"minutes": 31}}
    other = send(api, "POST", url, body | changed[kind], **{"Idempotency-Key": f"once-{kind}"})
    assert other.status_code == 422
    assert other.json()["detail"][0]["loc"] == ["header", "Idempotency-Key"]
    assert model.objects.count() == before + 1
    assert send(api, "DELETE", f"{url}/{first.json()['id']}").status_code == 204
    gone = send(api, "POST", url, body, **{"Idempotency-Key": f"once-{kind}"})
    assert gone.status_code == 410
    assert model.objects.count() == before


# The programme waits for the warning signs


@pytest.mark.parametrize("state", ["not_screened", "locked"])
def test_every_write_waits_for_the_warning_signs_but_reading_and_deleting_do_not(carol, state):
    if state == "locked":
        measures.record_screening(
            user=carol, answers={f.id: f.id == "night_pain" for f in measures.red_flags()}
        )
    rung = exposure.add_rung(
        user=carol, entry=RungEntry(activity="Sitting for an hour", rating=Rating(40, 4, 20))
    )
    attempt = exposure.start_attempt(
        user=carol,
        entry=AttemptBefore(rung=rung.pk, started_at=timezone.now(), **BEFORE),
        after=AttemptAfter(**AFTER),
    )
    activity = exposure.log_activity(
        user=carol,
        entry=ActivityEntry(activity="A walk", minutes=20, local_date=timezone.localdate()),
    )
    carol_api = token_client(carol)
    writes = [
        (
            "POST",
            "/api/v1/ladder/rungs",
            {"activity": "Running", "fear": 80, "expected_pain": 6, "harm": 40},
        ),
        ("PATCH", f"/api/v1/ladder/rungs/{rung.pk}", {"mastered": True}),
        (
            "POST",
            f"/api/v1/ladder/rungs/{rung.pk}/ratings",
            {"fear": 1, "expected_pain": 1, "harm": 1},
        ),
        ("POST", "/api/v1/exposure-attempts", {"rung": rung.pk, **BEFORE}),
        ("POST", f"/api/v1/exposure-attempts/{attempt.pk}/after", AFTER),
        ("POST", f"/api/v1/exposure-attempts/{attempt.pk}/next-day", {"pain": 2}),
        ("POST", "/api/v1/activity-sessions", {"activity": "A swim", "minutes": 30}),
    ]
    for method, url, body in writes:
        response = send(carol_api, method, url, body)
        assert response.status_code == 409, (method, url, response.content)
        assert "warning-sign questions" in response.json()["detail"]
    assert (Rung.objects.count(), RungRating.objects.count()) == (1, 1)
    assert ExposureAttempt.objects.get().next_day_pain is None
    assert ActivitySession.objects.count() == 1
    assert not Rung.objects.get().mastered

    for url in (
        "/api/v1/exposure/library",
        "/api/v1/ladder",
        f"/api/v1/ladder/rungs/{rung.pk}",
        "/api/v1/exposure-attempts",
        f"/api/v1/exposure-attempts/{attempt.pk}",
        "/api/v1/activity-sessions",
        f"/api/v1/activity-sessions/{activity.pk}",
        "/api/v1/movement",
    ):
        assert carol_api.get(url).status_code == 200, url
    for url in (
        f"/api/v1/exposure-attempts/{attempt.pk}",
        f"/api/v1/activity-sessions/{activity.pk}",
        f"/api/v1/ladder/rungs/{rung.pk}",
    ):
        assert send(carol_api, "DELETE", url).status_code == 204, url
    assert not Rung.objects.exists() and not ActivitySession.objects.exists()


# Strangers and nobody


def alices_exposure(user) -> dict[str, int]:
    rung = exposure.add_rung(
        user=user, entry=RungEntry(activity="Alice's rung", rating=Rating(40, 4, 20))
    )
    attempt = exposure.start_attempt(
        user=user,
        entry=AttemptBefore(rung=rung.pk, started_at=timezone.now(), **BEFORE),
        after=AttemptAfter(**AFTER),
    )
    activity = exposure.log_activity(
        user=user,
        entry=ActivityEntry(activity="Alice's walk", minutes=20, local_date=timezone.localdate()),
    )
    return {"rung_id": rung.pk, "attempt_id": attempt.pk, "activity_id": activity.pk}


OPERATIONS_WITH_AN_ID = [
    ("GET", "/api/v1/ladder/rungs/{rung_id}", None),
    ("PATCH", "/api/v1/ladder/rungs/{rung_id}", {"activity": "Mine now.", "mastered": True}),
    ("POST", "/api/v1/ladder/rungs/{rung_id}/ratings", {"fear": 1, "expected_pain": 1, "harm": 1}),
    ("DELETE", "/api/v1/ladder/rungs/{rung_id}", None),
    ("GET", "/api/v1/exposure-attempts/{attempt_id}", None),
    ("POST", "/api/v1/exposure-attempts/{attempt_id}/after", AFTER),
    ("POST", "/api/v1/exposure-attempts/{attempt_id}/next-day", {"pain": 1}),
    ("DELETE", "/api/v1/exposure-attempts/{attempt_id}", None),
    ("GET", "/api/v1/activity-sessions/{activity_id}", None),
    ("DELETE", "/api/v1/activity-sessions/{activity_id}", None),
]


def test_a_stranger_gets_404_for_every_one_of_alices_records_and_changes_nothing(api, alice, carol):
    ids = alices_exposure(alice)
    before = {
        "rung": api.get(f"/api/v1/ladder/rungs/{ids['rung_id']}").json(),
        "activity": api.get(f"/api/v1/activity-sessions/{ids['activity_id']}").json(),
    }
    answer_the_warning_signs_no(carol)  # so a 404 is about the record, not the 409
    carol_api = token_client(carol)
    for method, path, body in OPERATIONS_WITH_AN_ID:
        response = send(carol_api, method, path.format(**ids), body)
        assert response.status_code == 404, (method, path, response.content)
        assert "Alice's" not in response.content.decode()
    for path in ("/api/v1/exposure-attempts", "/api/v1/activity-sessions"):
        assert carol_api.get(path).json()["count"] == 0
    assert carol_api.get("/api/v1/exposure-attempts", {"rung": ids["rung_id"]}).json()["count"] == 0
    assert carol_api.get("/api/v1/ladder").json()["rungs"] == []
    assert carol_api.get("/api/v1/movement").json()["start"] is None
    after = {
        "rung": api.get(f"/api/v1/ladder/rungs/{ids['rung_id']}").json(),
        "activity": api.get(f"/api/v1/activity-sessions/{ids['activity_id']}").json(),
    }
    assert after == before


def test_nobody_signed_in_gets_401_everywhere(alice, client):
    ids = alices_exposure(alice)
    for method, path, body in [
        ("GET", "/api/v1/exposure/library", None),
        ("GET", "/api/v1/ladder", None),
        (
            "POST",
            "/api/v1/ladder/rungs",
            {"activity": "x", "fear": 1, "expected_pain": 1, "harm": 1},
        ),
        ("GET", "/api/v1/exposure-attempts", None),
        ("GET", "/api/v1/activity-sessions", None),
        ("GET", "/api/v1/movement", None),
        *OPERATIONS_WITH_AN_ID,
    ]:
        response = send(client, method, path.format(**ids), body)
        assert response.status_code == 401, (method, path)
    assert Rung.objects.count() == 1 and ExposureAttempt.objects.count() == 1


# Movement


def test_activities_are_logged_listed_and_deleted(api, alice):
    today = alice.today()
    logged = send(
        api,
        "POST",
        "/api/v1/activity-sessions",
        {"activity": " A  swim ", "minutes": 30, "note": " Cold. "},
    )
    assert logged.status_code == 201, logged.content
    body = logged.json()
    assert (body["activity"], body["minutes"], body["note"]) == ("A swim", 30, "Cold.")
    assert body["local_date"] == today.isoformat()
    earlier = send(
        api,
        "POST",
        "/api/v1/activity-sessions",
        {"activity": "A walk", "minutes": 20, "local_date": "2026-03-01"},
    ).json()
    url = f"/api/v1/activity-sessions/{body['id']}"
    assert api.get(url).json() == body
    page = api.get("/api/v1/activity-sessions").json()
    assert (page["count"], [item["id"] for item in page["items"]]) == (
        2,
        [body["id"], earlier["id"]],
    )
    march = api.get("/api/v1/activity-sessions", {"to": "2026-03-31"}).json()
    assert march["items"] == [earlier]
    assert send(api, "DELETE", url).status_code == 204
    assert api.get(url).status_code == 404
    assert ActivitySession.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"minutes": 0}, "minutes"),
        ({"minutes": 1441}, "minutes"),
        ({"minutes": "30"}, "minutes"),
        ({"activity": "  "}, "activity"),
        ({"activity": "x" * 201}, "activity"),
        ({"local_date": "2999-01-01"}, "local_date"),
        ({"local_date": "1 March"}, "local_date"),
        ({"note": "x" * 5001}, "note"),
        ({"steps": 3000}, "steps"),
    ],
)
def test_a_bad_activity_is_a_422_naming_the_field_and_writes_nothing(api, changes, field):
    body = {"activity": "A walk", "minutes": 20, **changes}
    response = send(api, "POST", "/api/v1/activity-sessions", body)
    assert response.status_code == 422, response.content
    assert field in fields_named(response)
    assert ActivitySession.objects.count() == 0


def test_the_movement_plan_follows_the_activities_and_the_ladder(api, alice):
    empty = api.get("/api/v1/movement").json()
    assert empty["start"] is None and empty["weeks"] == [] and empty["current_week"] is None
    assert (empty["streak"], empty["level"], empty["mastered"]) == (0, 1, 0)
    assert all(m["reached_on"] is None for m in empty["milestones"])

    today = alice.today()
    start = today - dt.timedelta(days=8)
    # The baseline week: ten minutes every day, a walk and a short stretch on its first day.
    for offset in range(7):
        day = start + dt.timedelta(days=offset)
        minutes = [6, 4] if offset == 0 else [10]
        for n in minutes:
            send(
                api,
                "POST",
                "/api/v1/activity-sessions",
                {"activity": "A walk", "minutes": n, "local_date": day.isoformat()},
            )
    send(
        api,
        "POST",
        "/api/v1/activity-sessions",
        {"activity": "A swim", "minutes": 25, "local_date": today.isoformat()},
    )
    rung = add_rung(api, "Walking downhill", 40)
    start_try(api, rung["id"], after=AFTER)

    movement = api.get("/api/v1/movement").json()
    assert movement["start"] == start.isoformat()
    assert movement["baseline"] == 10.0
    baseline, week = movement["weeks"]
    assert baseline == {
        "number": 0,
        "start": start.isoformat(),
        "end": (start + dt.timedelta(days=6)).isoformat(),
        "minutes": 70,
        "flare_days": 0,
        "moved_days": 7,
        "goal": None,
        "needed": None,
        "complete": True,
        "met": None,
        "active": True,
    }
    assert movement["current_week"] == week
    assert (week["number"], week["minutes"], week["goal"], week["needed"]) == (1, 25, 70, 70)
    assert (week["complete"], week["met"], week["moved_days"]) == (False, None, 1)
    assert movement["streak"] == 1
    reached = {m["id"]: m for m in movement["milestones"]}
    for done in ("first_rung", "first_try", "first_surprise"):
        assert reached[done]["reached_on"] == today.isoformat(), done
    assert reached["five_tries"] == {
        "id": "five_tries",
        "label": "Five tries",
        "reached_on": None,
        "progress": [1, 5],
    }
    assert reached["first_mastered"]["reached_on"] is None


def later_than(rating: dict) -> dict:
    """A copy of the rating a second later: before it in the list, it breaks the time order."""
    moment = dt.datetime.fromisoformat(rating["rated_at"]) + dt.timedelta(seconds=1)
    return {**rating, "fear": 5, "rated_at": moment.isoformat()}


def test_a_rung_filter_too_big_for_the_database_is_a_422(api):
    response = api.get("/api/v1/exposure-attempts?rung=1180591620717411303424")
    assert response.status_code == 422


@pytest.mark.parametrize(
    "change, location",
    [
        (lambda rung: rung.update(ratings=[]), "ratings"),
        (lambda rung: rung.update(fear=90), "ratings"),
        (lambda rung: rung["ratings"].insert(0, later_than(rung["ratings"][0])), "ratings"),
        (lambda rung: rung.update(mastered_at="2000-01-01T00:00:00Z"), "mastered_at"),
    ],
)
def test_an_import_refuses_a_rung_the_actions_could_never_make(api, carol, change, location):
    rung = add_rung(api, "Bending down", 40)
    send(api, "PATCH", f"/api/v1/ladder/rungs/{rung['id']}", {"mastered": True})
    exported = api.get("/api/v1/export").json()
    change(exported["exposure"]["rungs"][0])
    response = send(token_client(carol), "POST", "/api/v1/import", exported)
    assert response.status_code == 422, response.content
    assert ["body", "exposure", "rungs", 0, location] in [
        e["loc"] for e in response.json()["detail"]
    ]
    assert not Rung.objects.for_user(carol).exists()
