"""The statistics of the diary and the personal experiments in the JSON API: every operation,
its rules, what a running experiment keeps to itself, and strangers' 404s."""

import datetime as dt
import json
import random

import pytest
from helpers import post, token_client

from rewire.diary.actions import write_checkins
from rewire.diary.entry import CheckInEntry
from rewire.diary.models import CheckIn
from rewire.insights import actions
from rewire.insights.models import Experiment, ExperimentDay
from rewire.measures.actions import OPEN, programme_state

SHORT_SLEEP_EFFECT = 2.0


@pytest.fixture
def api(alice):
    return token_client(alice)


def send(client, method, url, body=None, **headers):
    data = "" if body is None else json.dumps(body)
    return client.generic(method, url, data, content_type="application/json", headers=headers)


def problems(response) -> dict:
    """{dotted place: message} of a 422."""
    return {".".join(map(str, item["loc"])): item["msg"] for item in response.json()["detail"]}


def diary_with_short_sleep_effect(user, days=150, seed=3):
    """One check-in a day up to yesterday: pain is SHORT_SLEEP_EFFECT higher after a night
    under 6 hours, with noise; nothing else matters."""
    rng = random.Random(seed)
    today = user.today()
    rows = []
    for back in range(days, 0, -1):
        day = today - dt.timedelta(days=back)
        sleep = rng.choice([5.0, 5.5, 7.0, 7.5, 8.0])
        pain = 4 + (SHORT_SLEEP_EFFECT if sleep < 6 else 0) + rng.gauss(0, 0.8)
        moment = dt.datetime.combine(day, dt.time(9), tzinfo=user.zone)
        entry = CheckInEntry(
            pain=max(0, min(10, round(pain))), recorded_at=moment, sleep_hours=sleep
        )
        rows.append((entry, day, moment, moment))
    write_checkins(user, rows, tags={})


NEW = {"intervention": "A 20-minute walk", "outcome": "day_average", "days": 14}


def create(client, **changes):
    response = send(client, "POST", "/api/v1/experiments", {**NEW, **changes})
    assert response.status_code == 201, response.content
    return response.json()


def day_url(experiment, date) -> str:
    return f"/api/v1/experiments/{experiment['id']}/days/{date.isoformat()}"


# The statistics


def test_an_empty_diary_has_no_findings_and_no_trends(api):
    body = api.get("/api/v1/insights").json()
    assert body == {
        "findings": [],
        "not_enough": [],
        "tested": 0,
        "fdr": 0.05,
        "days": 0,
        "trends": {
            "average_7": None,
            "average_28": None,
            "first_week_average": None,
            "change_since_start": None,
            "weeks": [],
        },
    }


def test_the_planted_effect_is_found_with_its_interval(alice, api):
    diary_with_short_sleep_effect(alice)
    response = api.get("/api/v1/insights")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["days"] == 150 and body["tested"] == len(body["findings"]) > 0
    short = next(f for f in body["findings"] if f["factor"] == "short_sleep" and f["lag_days"] == 0)
    required = {"factor", "outcome", "lag_days", "effect", "ci_low", "ci_high", "p", "q", "n_days"}
    assert required <= set(short)
    assert short["outcome"] == "pain_mean" and short["kind"] == "yes_no"
    assert short["ci_low"] < SHORT_SLEEP_EFFECT < short["ci_high"]
    assert short["ci_low"] > 0 and short["significant"] and short["q"] < 0.05
    assert short["n_days"] == 150 and short["n_yes"] + short["n_no"] == 150
    assert short["words"].startswith("On days after you slept under 6 hours, your pain averaged")
    assert body["findings"][0]["significant"]
    assert {(f["factor"], f["lag_days"]) for f in body["findings"]} >= {
        ("sleep_hours", 0),
        ("sleep_hours", 1),
        ("short_sleep", 1),
    }
    trends = body["trends"]
    last_week = CheckIn.objects.filter(local_date__gte=alice.today() - dt.timedelta(6))
    assert trends["average_7"] == pytest.approx(
        sum(last_week.values_list("pain", flat=True)) / last_week.count()
    )
    assert len(trends["weeks"]) == 150 // 7 + 1
    week = trends["weeks"][0]
    assert set(week) == {"start", "average", "days", "pain_free_or_nearly"}
    assert week["days"] == 7 and week["pain_free_or_nearly"] is False


def test_a_factor_without_enough_days_says_what_it_needs(alice, api):
    today = alice.today()
    moment = dt.datetime.combine(today - dt.timedelta(days=1), dt.time(9), tzinfo=alice.zone)
    post(api, {"pain": 4, "recorded_at": moment.isoformat(), "sleep_hours": 7.0})
    body = api.get("/api/v1/insights").json()
    assert body["findings"] == []
    assert body["not_enough"][0] == {
        "factor": "sleep_hours",
        "label": "hours of sleep",
        "kind": "numeric",
        "n_days": 1,
        "n_yes": None,
        "n_no": None,
        "needed": "21 days",
        "lag_days": None,  # not testable at either lag
    }
    assert body["trends"]["average_7"] == 4.0


# Experiments


def test_the_presets_are_listed(api):
    presets = api.get("/api/v1/experiments/presets").json()
    assert {"id", "label", "outcome", "help"} == set(presets[0])
    assert "walk_20_minutes" in {preset["id"] for preset in presets}


def test_an_experiment_is_planned_in_balanced_pairs_and_keeps_the_days_to_come(alice, api):
    today = alice.today()
    created = create(api, preset="walk_20_minutes", days=16)
    stored = Experiment.objects.for_user(alice).get()
    assert stored.schedule == [stored.schedule[i] for i in range(16)]
    assert all(stored.schedule[i] != stored.schedule[i + 1] for i in range(0, 16, 2))
    assert created["id"] == stored.pk
    assert created["status"] == "running"
    assert created["start_date"] == today.isoformat()
    assert created["last_day"] == (today + dt.timedelta(days=15)).isoformat()
    assert created["preset"] == "walk_20_minutes"
    assert created["today_is_on"] is stored.schedule[0]
    schedule = created["schedule"]
    assert [day["date"] for day in schedule] == [
        (today + dt.timedelta(days=n)).isoformat() for n in range(16)
    ]
    assert schedule[0]["on"] is stored.schedule[0]
    assert [day["on"] for day in schedule[1:]] == [None] * 15  # not said ahead
    assert {day["done"] for day in schedule} == {None}
    result = created["result"]
    assert (result["pairs"], result["pairs_planned"], result["effect"]) == (0, 8, None)
    # While it runs: no effect, only the pairs so far (a look in the middle can fool you).
    assert result["verdict"].startswith("The answer comes at the end")
    assert api.get(f"/api/v1/experiments/{stored.pk}").json() == created
    assert api.get("/api/v1/experiments").json() == [created]


def test_a_planned_experiment_says_nothing_of_its_days(alice, api):
    tomorrow = alice.today() + dt.timedelta(days=1)
    created = create(api, start_date=tomorrow.isoformat())
    assert created["status"] == "scheduled" and created["today_is_on"] is None
    assert {day["on"] for day in created["schedule"]} == {None}


def test_a_day_is_answered_and_a_day_to_come_is_refused(alice, api):
    today = alice.today()
    created = create(api)
    answered = send(api, "POST", day_url(created, today), {"done": True})
    assert answered.status_code == 200, answered.content
    assert answered.json()["schedule"][0]["done"] is True
    changed = send(api, "POST", day_url(created, today), {"done": False}).json()
    assert changed["schedule"][0]["done"] is False
    assert ExperimentDay.objects.get(experiment_id=created["id"]).done is False

    tomorrow = send(api, "POST", day_url(created, today + dt.timedelta(days=1)), {"done": True})
    assert tomorrow.status_code == 422
    assert problems(tomorrow) == {"path.date": "That day has not come yet."}
    outside = send(api, "POST", day_url(created, today - dt.timedelta(days=1)), {"done": True})
    assert problems(outside) == {"path.date": "Not a day of this experiment."}
    for url, body, place in (
        (f"/api/v1/experiments/{created['id']}/days/2026-13-01", {"done": True}, "path.date"),
        (f"/api/v1/experiments/{created['id']}/days/0", {"done": True}, "path.date"),
        (day_url(created, today), {"done": "yes"}, "body.done"),
        (day_url(created, today), {}, "body.done"),
    ):
        response = send(api, "POST", url, body)
        assert response.status_code == 422 and place in problems(response), (url, body)
    assert ExperimentDay.objects.count() == 1


def test_stopping_keeps_the_days_so_far_and_a_new_one_can_start(alice, api):
    today = alice.today()
    created = create(api)
    url = f"/api/v1/experiments/{created['id']}"
    stopped = send(api, "POST", f"{url}/stop")
    assert stopped.status_code == 200, stopped.content
    body = stopped.json()
    assert (body["status"], body["stopped_on"]) == ("stopped", today.isoformat())
    assert body["today_is_on"] is None
    assert body["result"]["stopped_early"] is True
    # Over: the whole schedule is the person's to see.
    stored = Experiment.objects.get(pk=created["id"])
    assert [day["on"] for day in body["schedule"]] == stored.schedule
    assert send(api, "POST", f"{url}/stop").json() == body  # stopping again changes nothing
    tomorrow = send(api, "POST", day_url(created, today + dt.timedelta(days=1)), {"done": True})
    assert tomorrow.status_code == 422
    create(api, intervention="No screens after 10 pm", outcome="next_morning_pain")


def past_experiment(user, *, days_ago=16, pains=lambda index, on: 3 if on else 5):
    """A 14-day experiment that ended before today, with one check-in a day."""
    start = user.today() - dt.timedelta(days=days_ago)
    experiment = Experiment.objects.create(
        user=user,
        intervention="A 20-minute walk",
        outcome="day_average",
        start_date=start,
        days=14,
        schedule=[True, False, False, True] * 3 + [True, False],
    )
    rows = []
    for index, on in enumerate(experiment.schedule):
        day = start + dt.timedelta(days=index)
        moment = dt.datetime.combine(day, dt.time(10), tzinfo=user.zone)
        rows.append((CheckInEntry(pain=pains(index, on), recorded_at=moment), day, moment, moment))
    write_checkins(user, rows, tags={})
    return experiment


def test_a_finished_experiment_shows_every_day_and_its_result(alice, api):
    experiment = past_experiment(alice, pains=lambda index, on: (3 if on else 5) + index % 3 % 2)
    for index in (0, 1, 2):
        actions.answer_day(
            user=alice,
            pk=experiment.pk,
            date=experiment.start_date + dt.timedelta(days=index),
            done=index != 2,
        )
    body = api.get(f"/api/v1/experiments/{experiment.pk}").json()
    assert body["status"] == "finished" and body["today_is_on"] is None
    assert [day["on"] for day in body["schedule"]] == experiment.schedule
    assert [day["done"] for day in body["schedule"][:4]] == [True, True, False, None]
    pains = [(3 if on else 5) + index % 3 % 2 for index, on in enumerate(experiment.schedule)]
    assert [day["outcome"] for day in body["schedule"]] == pains
    result = body["result"]
    differences = [
        (a - b) if first_on else (b - a)
        for first_on, a, b in zip(experiment.schedule[::2], pains[::2], pains[1::2], strict=True)
    ]
    assert result["pairs"] == result["pairs_planned"] == 7
    assert result["effect"] == pytest.approx(sum(differences) / 7)
    assert result["ci_low"] < result["effect"] < result["ci_high"] < 0
    assert result["p"] < 0.05 and result["adherence"] == pytest.approx(2 / 3)
    assert result["on_average"] < result["off_average"] and not result["stopped_early"]
    assert "points lower than on days without" in result["verdict"]

    stop = send(api, "POST", f"/api/v1/experiments/{experiment.pk}/stop")
    assert stop.status_code == 422
    assert problems(stop) == {"path.experiment_id": "It has finished already."}


def test_a_bad_experiment_is_refused_at_its_field(alice, api):
    today = alice.today()
    for changes, place in (
        ({"days": 15}, "body.days"),
        ({"days": 30}, "body.days"),
        ({"days": "14"}, "body.days"),
        ({"outcome": "mood"}, "body.outcome"),
        ({"intervention": "   "}, "body.intervention"),
        ({"intervention": "x" * 201}, "body.intervention"),
        ({"preset": "moonwalk"}, "body.preset"),
        ({"start_date": (today - dt.timedelta(days=2)).isoformat()}, "body.start_date"),
        ({"start_date": (today + dt.timedelta(days=8)).isoformat()}, "body.start_date"),
        ({"start_date": "tomorrow"}, "body.start_date"),
        ({"colour": "red"}, "body.colour"),
    ):
        response = send(api, "POST", "/api/v1/experiments", {**NEW, **changes})
        assert response.status_code == 422, changes
        assert place in problems(response), (changes, problems(response))
    missing = send(api, "POST", "/api/v1/experiments", {"intervention": "A walk"})
    assert {"body.outcome", "body.days"} <= set(problems(missing))
    assert not Experiment.objects.exists()


def test_one_experiment_at_a_time(api):
    create(api)
    second = send(api, "POST", "/api/v1/experiments", {**NEW, "intervention": "Another"})
    assert second.status_code == 422
    assert problems(second) == {
        "body.experiment": "One experiment at a time: finish or stop the one under way first."
    }
    assert Experiment.objects.count() == 1


def test_a_retry_with_the_same_key_plans_one_experiment(alice, api):
    key = {"Idempotency-Key": "plan-1"}
    first = send(api, "POST", "/api/v1/experiments", NEW, **key)
    again = send(api, "POST", "/api/v1/experiments", NEW, **key)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert Experiment.objects.count() == 1
    other = send(api, "POST", "/api/v1/experiments", {**NEW, "days": 16}, **key)
    assert other.status_code == 422 and "header.Idempotency-Key" in problems(other)

    deleted = send(api, "DELETE", f"/api/v1/experiments/{first.json()['id']}")
    assert deleted.status_code == 204
    assert api.get(f"/api/v1/experiments/{first.json()['id']}").status_code == 404
    gone = send(api, "POST", "/api/v1/experiments", NEW, **key)
    assert gone.status_code == 410
    assert not Experiment.objects.exists() and not ExperimentDay.objects.exists()


def test_experiments_do_not_wait_for_the_warning_signs(alice, api):
    """They only read the diary and ask a question a day: not part of the programme's lock."""
    assert programme_state(alice) != OPEN
    created = create(api)
    today = alice.today()
    assert send(api, "POST", day_url(created, today), {"done": True}).status_code == 200
    assert send(api, "POST", f"/api/v1/experiments/{created['id']}/stop").status_code == 200
    assert api.get("/api/v1/insights").status_code == 200


def test_the_list_is_newest_first(alice, api):
    old = past_experiment(alice, days_ago=40)
    later = past_experiment(alice, days_ago=20)
    current = create(api)
    listed = api.get("/api/v1/experiments").json()
    assert [e["id"] for e in listed] == [current["id"], later.pk, old.pk]
    assert [e["status"] for e in listed] == ["running", "finished", "finished"]


def test_a_stranger_gets_404_and_changes_nothing(alice, carol, api):
    created = create(api)
    today = alice.today()
    carol_api = token_client(carol)
    url = f"/api/v1/experiments/{created['id']}"
    for method, path, body in (
        ("GET", url, None),
        ("POST", day_url(created, today), {"done": True}),
        ("POST", f"{url}/stop", None),
        ("DELETE", url, None),
    ):
        response = send(carol_api, method, path, body)
        assert response.status_code == 404, (method, path)
        assert "walk" not in response.content.decode()
    assert carol_api.get("/api/v1/experiments").json() == []
    assert api.get(url).json() == created
    assert not ExperimentDay.objects.exists()


def test_the_day_is_the_accounts_own(alice, api, settings):
    """Near midnight the server's date and the person's differ: today is theirs."""
    alice.timezone = "Pacific/Kiritimati"  # UTC+14
    alice.save(update_fields=["timezone"])
    created = create(api)
    assert created["start_date"] == alice.today().isoformat()
