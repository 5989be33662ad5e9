"""The insights page and personal experiments, through the real views, actions and database."""

import datetime as dt
import random

import pytest
from django.utils import timezone
from helpers import post, token_client

from rewire.diary.actions import ensure_tags, write_checkins
from rewire.diary.entry import CheckInEntry
from rewire.diary.models import Tag
from rewire.insights import actions
from rewire.insights.experiments import ExperimentEntry
from rewire.insights.models import Experiment, ExperimentDay


def html(response) -> str:
    return response.content.decode()


def diary(user, days=120, *, short_sleep_effect=2.0, seed=1):
    """A diary with one check-in a day: pain is higher after short nights."""
    rng = random.Random(seed)
    today = timezone.localdate()
    rows = []
    for back in range(days, 0, -1):
        day = today - dt.timedelta(days=back)
        sleep = rng.choice([5.0, 5.5, 7.0, 7.5, 8.0])
        pain = 4 + (short_sleep_effect if sleep < 6 else 0) + rng.gauss(0, 0.8)
        moment = dt.datetime.combine(day, dt.time(9), tzinfo=user.zone)
        entry = CheckInEntry(
            pain=max(0, min(10, round(pain))),
            recorded_at=moment,
            sleep_hours=sleep,
            tags=["rain"] if rng.random() < 0.5 else [],
        )
        rows.append((entry, day, moment, moment))
    tags, _ = ensure_tags(user=user, names=[(Tag.CONTEXT, "rain")])
    write_checkins(user, rows, tags=tags)


def plan(user, *, days=14, start=None, outcome="day_average", seed=4) -> Experiment:
    return actions.start_experiment(
        user=user,
        entry=ExperimentEntry(
            intervention="A 20-minute walk",
            outcome=outcome,
            days=days,
            start_date=start or user.today(),
            preset="walk_20_minutes",
        ),
        seed=seed,
    )


def test_the_empty_insights_page_says_what_it_needs(alice_client):
    page = html(alice_client.get("/insights"))
    assert "Not enough days yet" in page
    assert "Start an experiment" in page


def test_the_weekly_chart_waits_for_a_second_week(alice, alice_client):
    diary(alice, days=3)
    page = html(alice_client.get("/insights"))
    assert "appears once two weeks have check-ins" in page and 'class="chart"' not in page
    diary(alice, days=20, seed=2)
    page = html(alice_client.get("/insights"))
    assert 'class="chart"' in page and "appears once two weeks" not in page


def test_insights_find_the_planted_link_in_plain_words(alice, alice_client):
    diary(alice)
    response = alice_client.get("/insights")
    assert response.status_code == 200
    page = html(response)
    assert "On days after you slept under 6 hours, your pain averaged" in page
    assert "associations, not proof" in page
    found = response.context["found"]
    assert found and found[0][0].factor.id in ("short_sleep", "sleep_hours")


def test_an_experiment_is_planned_from_a_suggestion_or_own_words(alice, alice_client):
    form = alice_client.get("/insights/experiments/new").context["form"]
    response = alice_client.post(
        "/insights/experiments/new",
        {
            "preset": "own",
            "own": "  A warm   shower in the evening ",
            "outcome": "next_morning_pain",
            "days": 16,
            "start_date": alice.today().isoformat(),
            "submission": form["submission"].value(),
        },
    )
    experiment = Experiment.objects.for_user(alice).get()
    assert response.url == f"/insights/experiments/{experiment.pk}"
    assert experiment.intervention == "A warm shower in the evening"
    assert (experiment.days, len(experiment.schedule), sum(experiment.schedule)) == (16, 16, 8)
    page = html(alice_client.get(response.url))
    assert "Today, day 1:" in page


@pytest.mark.parametrize(
    "posted, field",
    [
        ({"preset": "own", "own": "", "outcome": "day_average", "days": 14}, "own"),
        ({"preset": "walk_20_minutes", "outcome": "day_average", "days": 15}, "days"),
        ({"preset": "walk_20_minutes", "outcome": "mood", "days": 14}, "outcome"),
        ({"outcome": "day_average", "days": 14}, "preset"),
    ],
)
def test_a_bad_experiment_is_refused_with_the_field(alice, alice_client, posted, field):
    today = alice.today().isoformat()
    response = alice_client.post("/insights/experiments/new", {"start_date": today, **posted})
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert not Experiment.objects.for_user(alice).exists()


def test_a_start_in_the_past_is_refused(alice, alice_client):
    long_ago = (alice.today() - dt.timedelta(days=5)).isoformat()
    response = alice_client.post(
        "/insights/experiments/new",
        {"preset": "walk_20_minutes", "outcome": "day_average", "days": 14, "start_date": long_ago},
    )
    assert response.context["form"].errors["start_date"] == [
        "Start today or later: the days are chosen at random first."
    ]


def test_one_experiment_at_a_time(alice, alice_client):
    plan(alice)
    response = alice_client.post(
        "/insights/experiments/new",
        {
            "preset": "walk_20_minutes",
            "outcome": "day_average",
            "days": 14,
            "start_date": alice.today().isoformat(),
        },
    )
    assert response.status_code == 422
    assert "<p>One experiment at a time: finish or stop" in html(response)
    assert Experiment.objects.for_user(alice).count() == 1
    # While one runs, the page says so and offers no form that would only be refused.
    page = html(alice_client.get("/insights/experiments/new"))
    assert "“A 20-minute walk” is under way." in page and "<form" not in page.split("<main")[1]


def test_the_home_page_says_whether_today_is_on_and_records_the_answer(alice, alice_client):
    experiment = plan(alice)
    home = html(alice_client.get("/"))
    on = experiment.schedule[0]
    assert ("an on day" if on else "an off day") in home
    response = alice_client.post(
        f"/insights/experiments/{experiment.pk}/answer",
        {"date": alice.today().isoformat(), "done": "yes", "next": "home"},
    )
    assert response.url == "/"
    assert ExperimentDay.objects.get(experiment=experiment).done is True
    assert "Today’s answer is saved: done" in html(alice_client.get("/"))


def test_a_day_to_come_cannot_be_answered(alice, alice_client):
    experiment = plan(alice)
    tomorrow = (alice.today() + dt.timedelta(days=1)).isoformat()
    response = alice_client.post(
        f"/insights/experiments/{experiment.pk}/answer",
        {"date": tomorrow, "done": "yes"},
        follow=True,
    )
    assert "That day has not come yet." in html(response)
    assert not ExperimentDay.objects.filter(experiment=experiment).exists()


def test_a_finished_experiment_reports_the_effect_with_its_uncertainty(alice, alice_client):
    start = alice.today() - dt.timedelta(days=16)
    experiment = Experiment.objects.create(
        user=alice,
        intervention="A 20-minute walk",
        outcome="day_average",
        start_date=start,
        days=14,
        schedule=[True, False, False, True] * 3 + [True, False],
    )
    api = token_client(alice)
    for index, on in enumerate(experiment.schedule):
        day = start + dt.timedelta(days=index)
        moment = dt.datetime.combine(day, dt.time(10), tzinfo=alice.zone)
        pain = (3 if on else 5) + (index % 3 == 0)
        post(api, {"pain": pain, "recorded_at": moment.isoformat()})
    page = html(alice_client.get(f"/insights/experiments/{experiment.pk}"))
    assert "What it showed" in page
    pains = [(3 if on else 5) + (index % 3 == 0) for index, on in enumerate(experiment.schedule)]
    pairs = list(zip(experiment.schedule[::2], pains[::2], pains[1::2], strict=True))
    effect = sum((a - b) if first_on else (b - a) for first_on, a, b in pairs) / len(pairs)
    assert (
        f"On days with “A 20-minute walk”, the day&#x27;s average pain was {abs(effect):.1f} "
        "points lower than on days without (95% interval:" in page
    )
    assert "randomisation test" in page


def test_stopping_early_keeps_the_days_and_says_so(alice, alice_client):
    experiment = plan(alice, start=alice.today())
    assert "Stop this experiment?" in html(
        alice_client.get(f"/insights/experiments/{experiment.pk}/stop")
    )
    alice_client.post(f"/insights/experiments/{experiment.pk}/stop")
    experiment.refresh_from_db()
    assert experiment.stopped_on == alice.today()
    response = alice_client.get(f"/insights/experiments/{experiment.pk}")
    page = html(response)
    assert "Stopped early" in page
    assert f"Planned for 14 days, {alice.today():%-d %b}" in page
    # The days after the stop are not listed as if still planned.
    assert [day["date"] for day in response.context["days"]] == [alice.today()]
    assert "The 13 planned days after the stop did not take place." in page
    assert "Days to come are not shown" not in page
    # Stopped: a new one can start.
    assert actions.running_experiment(alice, today=alice.today()) is None


def test_deleting_an_experiment_asks_first(alice, alice_client):
    experiment = plan(alice)
    assert "Delete this experiment?" in html(
        alice_client.get(f"/insights/experiments/{experiment.pk}/delete")
    )
    alice_client.post(f"/insights/experiments/{experiment.pk}/delete")
    assert not Experiment.objects.for_user(alice).exists()


def test_a_stranger_gets_404_and_changes_nothing(alice, carol_client):
    experiment = plan(alice)
    for url in ("", "/stop", "/delete"):
        assert carol_client.get(f"/insights/experiments/{experiment.pk}{url}").status_code == 404
    response = carol_client.post(
        f"/insights/experiments/{experiment.pk}/answer",
        {"date": alice.today().isoformat(), "done": "yes"},
    )
    assert response.status_code == 404
    assert not ExperimentDay.objects.exists()
    assert carol_client.post(f"/insights/experiments/{experiment.pk}/stop").status_code == 404
    experiment.refresh_from_db()
    assert experiment.stopped_on is None


def test_a_next_morning_experiment_cannot_be_stopped_once_its_days_are_over(alice, alice_client):
    last = alice.today() - dt.timedelta(days=1)
    experiment = Experiment.objects.create(
        user=alice,
        intervention="Reading before bed",
        outcome="next_morning_pain",
        start_date=last - dt.timedelta(days=13),
        days=14,
        schedule=[True, False] * 7,
    )
    page = alice_client.get(f"/insights/experiments/{experiment.pk}")
    assert page.context["report"].status == actions.RUNNING  # this morning's outcome is to come
    assert "Stop early" not in html(page)
    response = alice_client.post(f"/insights/experiments/{experiment.pk}/stop", follow=True)
    assert "All its days are over" in html(response)
    experiment.refresh_from_db()
    assert experiment.stopped_on is None


def test_the_next_morning_survives_a_change_of_time_zone(alice):
    from rewire.insights import data

    start = alice.today() - dt.timedelta(days=20)
    api = token_client(alice)
    for back in range(16):
        moment = dt.datetime.combine(start + dt.timedelta(days=back), dt.time(8), tzinfo=alice.zone)
        post(api, {"pain": 3, "recorded_at": moment.isoformat()})
    alice.timezone = "Asia/Tokyo"  # 08:00 in London is 17:00 in Tokyo
    alice.save()
    times = data.checkin_times(alice, first=start, last=start + dt.timedelta(days=15))
    experiment = Experiment(
        user=alice,
        intervention="x",
        outcome="next_morning_pain",
        start_date=start,
        days=14,
        schedule=[True, False] * 7,
    )
    report = actions.report(experiment, today=alice.today())
    assert all(day == [3] for day in times.values())
    assert report.result.pairs == 7  # every next morning is still found


def test_the_insights_page_reads_past_experiments_in_a_fixed_number_of_queries(
    alice, alice_client, django_assert_max_num_queries
):
    for weeks_ago in range(1, 9):
        Experiment.objects.create(
            user=alice,
            intervention=f"Idea {weeks_ago}",
            outcome="day_average",
            start_date=alice.today() - dt.timedelta(weeks=4 * weeks_ago),
            days=14,
            schedule=[True, False] * 7,
        )
    with django_assert_max_num_queries(30):
        assert alice_client.get("/insights").status_code == 200
