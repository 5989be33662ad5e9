"""Values and goals: up to three things that matter, each rated once a week (issue 16)."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from helpers import open_programme, post, signed_in, token_client

from rewire.core.errors import InvalidEntry
from rewire.goals import actions, rules
from rewire.goals.models import Goal, GoalRating

MONDAY = dt.date(2026, 11, 30)


# The rules, plain Python


def test_a_week_is_kept_under_its_monday():
    assert [rules.week_of(MONDAY + dt.timedelta(days=n)) for n in range(7)] == [MONDAY] * 7
    assert rules.week_of(MONDAY - dt.timedelta(days=1)) == MONDAY - dt.timedelta(weeks=1)


def test_the_trend_shows_the_last_weeks_and_compares_the_latest_with_the_first():
    ratings = {MONDAY - dt.timedelta(weeks=2): 2, MONDAY: 6}
    found = rules.trend(ratings, today=MONDAY + dt.timedelta(days=3), weeks=4)
    assert [(w.monday, w.done) for w in found.weeks] == [
        (MONDAY - dt.timedelta(weeks=3), None),
        (MONDAY - dt.timedelta(weeks=2), 2),
        (MONDAY - dt.timedelta(weeks=1), None),
        (MONDAY, 6),
    ]
    assert (found.first.done, found.latest.done, found.rated) == (2, 6, 2)
    assert found.words == (
        "6 of 10 in the week of 30 November: up by 4 since the first week you rated it "
        "(2 in the week of 16 November)."
    )
    assert rules.trend({}, today=MONDAY).words == "Not rated yet."
    assert rules.trend({MONDAY: 3}, today=MONDAY).words == "3 of 10 in the week of 30 November."


def test_the_trend_starts_at_the_week_the_goal_was_added():
    found = rules.trend({}, today=MONDAY, since=MONDAY - dt.timedelta(days=3))
    assert [w.monday for w in found.weeks] == [MONDAY - dt.timedelta(weeks=1), MONDAY]


@pytest.mark.parametrize(
    ("title", "why", "field", "words"),
    [
        ("", "", "title", "Name something"),
        ("x" * 81, "", "title", "80 characters"),
        ("gardening", "", "title", "already"),
        ("Work", "y" * 501, "why", "500 characters"),
    ],
)
def test_a_goals_words_are_checked(title, why, field, words):
    problems = rules.goal_problems(title=title, why=why, others=["Gardening"])
    assert words in problems[field]


# The actions


def test_at_most_three_goals(alice):
    for title in ("Work", "Gardening", "A walk with Sam"):
        actions.add_goal(user=alice, title=f"  {title} ")
    with pytest.raises(InvalidEntry) as refused:
        actions.add_goal(user=alice, title="Swimming")
    assert "3 already" in refused.value.problems["title"]
    assert list(Goal.objects.for_user(alice).values_list("title", flat=True)) == [
        "Work",
        "Gardening",
        "A walk with Sam",
    ]


def test_rating_a_week_again_replaces_it_and_a_future_week_is_refused(alice):
    goal = actions.add_goal(user=alice, title="Gardening")
    today = alice.today()
    actions.rate_goal(user=alice, pk=goal.pk, week=today, done=3)
    actions.rate_goal(user=alice, pk=goal.pk, week=today, done=5)
    assert list(GoalRating.objects.for_user(alice).values_list("week", "done")) == [
        (rules.week_of(today), 5)
    ]
    with pytest.raises(InvalidEntry) as refused:
        actions.rate_goal(user=alice, pk=goal.pk, week=today + dt.timedelta(weeks=1), done=4)
    assert "not started" in refused.value.problems["week"]
    with pytest.raises(InvalidEntry) as refused:
        actions.rate_goal(user=alice, pk=goal.pk, week=today, done=11)
    assert "between 0 and 10" in refused.value.problems["done"]


# The page


@pytest.fixture
def page(alice):
    open_programme(alice)
    return signed_in(alice)


def test_the_page_adds_a_goal_once_and_rates_it_this_week_and_last(page, alice):
    empty = page.get(reverse("goals"))
    assert "No goals yet" in empty.content.decode()
    assert "not a validated questionnaire" in empty.content.decode()
    form = {"title": "A walk with Sam", "why": "I miss it", "submission": "abc"}
    first = page.post(reverse("goals"), form)
    again = page.post(reverse("goals"), form)  # a double tap
    assert first.status_code == again.status_code == 302
    goal = Goal.objects.for_user(alice).get()
    rated = page.post(
        reverse("goal_rate", args=[goal.pk]),
        {f"goal-{goal.pk}-week": "last", f"goal-{goal.pk}-done": "2"},
    )
    assert rated.status_code == 302
    page.post(
        reverse("goal_rate", args=[goal.pk]),
        {f"goal-{goal.pk}-week": "this", f"goal-{goal.pk}-done": "6"},
    )
    this_week = rules.week_of(alice.today())
    assert dict(goal.ratings.values_list("week", "done")) == {
        this_week - dt.timedelta(weeks=1): 2,
        this_week: 6,
    }
    shown = page.get(reverse("goals")).content.decode()
    assert "up by 4 since the first week you rated it" in shown


def test_a_rating_without_a_number_says_so_and_saves_nothing(page, alice):
    goal = actions.add_goal(user=alice, title="Gardening")
    refused = page.post(reverse("goal_rate", args=[goal.pk]), {f"goal-{goal.pk}-week": "this"})
    assert refused.status_code == 422
    assert "Choose a number from 0 to 10." in refused.content.decode()
    assert not GoalRating.objects.exists()


def test_a_fourth_goal_is_refused_on_the_page_with_the_reason(page, alice):
    for title in ("Work", "Gardening", "Reading"):
        actions.add_goal(user=alice, title=title)
    shown = page.get(reverse("goals")).content.decode()
    assert 'name="title"' not in shown and "change or delete one" in shown
    refused = page.post(reverse("goals"), {"title": "Swimming", "submission": "x"})
    assert refused.status_code == 422
    assert "change or delete one to add another" in refused.content.decode()
    assert Goal.objects.for_user(alice).count() == 3


def test_editing_and_deleting_a_goal(page, alice):
    goal = actions.add_goal(user=alice, title="Gardnening")
    actions.rate_goal(user=alice, pk=goal.pk, week=alice.today(), done=4)
    page.post(reverse("goal_edit", args=[goal.pk]), {"title": "Gardening", "why": ""})
    goal.refresh_from_db()
    assert goal.title == "Gardening" and goal.ratings.count() == 1
    asked = page.get(reverse("goal_delete", args=[goal.pk])).content.decode()
    assert "with its 1 weekly rating" in asked
    page.post(reverse("goal_delete", args=[goal.pk]))
    assert not Goal.objects.exists() and not GoalRating.objects.exists()


# The API


def test_the_api_adds_once_rates_reads_and_deletes(alice):
    open_programme(alice)
    api = token_client(alice)
    body = {"title": "Gardening", "why": "Growing things"}
    made = post(api, body, "/api/v1/goals", **{"Idempotency-Key": "goal-1"})
    again = post(api, body, "/api/v1/goals", **{"Idempotency-Key": "goal-1"})
    assert made.status_code == again.status_code == 201
    assert made.json()["id"] == again.json()["id"]
    assert Goal.objects.count() == 1
    goal_id = made.json()["id"]
    today = alice.today()
    rated = api.put(
        f"/api/v1/goals/{goal_id}/weeks/{today.isoformat()}",
        json.dumps({"done": 7}),
        content_type="application/json",
    )
    assert rated.status_code == 200
    assert rated.json()["week"] == rules.week_of(today).isoformat()
    listed = api.get("/api/v1/goals").json()
    assert listed[0]["latest_rated"] == {"week": rules.week_of(today).isoformat(), "done": 7}
    assert listed[0]["measure"] == rules.NOT_VALIDATED
    future = api.put(
        f"/api/v1/goals/{goal_id}/weeks/{(today + dt.timedelta(days=8)).isoformat()}",
        json.dumps({"done": 7}),
        content_type="application/json",
    )
    assert future.status_code == 422
    assert future.json()["detail"][0]["loc"] == ["body", "week"]
    assert api.delete(f"/api/v1/goals/{goal_id}/weeks/{today.isoformat()}").status_code == 204
    assert not GoalRating.objects.exists()
    assert api.delete(f"/api/v1/goals/{goal_id}").status_code == 204
    assert not Goal.objects.exists()


def test_api_writes_wait_for_the_programmes_gate(carol):
    refused = post(token_client(carol), {"title": "Gardening"}, "/api/v1/goals")
    assert refused.status_code == 409
    assert not Goal.objects.exists()


def test_the_home_page_asks_for_this_weeks_rating_until_it_is_given(page, alice):
    goal = actions.add_goal(user=alice, title="Gardening")
    assert "1 goal to rate for this week" in page.get(reverse("home")).content.decode()
    actions.rate_goal(user=alice, pk=goal.pk, week=alice.today(), done=3)
    assert "to rate for this week" not in page.get(reverse("home")).content.decode()
    overview = page.get(reverse("programme")).content.decode()
    assert "<strong>Gardening</strong>: 3 of 10 in the week of" in overview
