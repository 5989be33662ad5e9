"""After the four weeks (issue 16): the maintenance plan, drafted from the person's own
records, and the check-ups at 8 and 12 weeks beside the end of the course."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from helpers import finish_sessions, open_programme, signed_in, token_client

from rewire.measures import actions as measures
from rewire.program import actions as program
from rewire.program import after, boosters
from rewire.program.models import MaintenancePlan, Practice, SessionCompletion
from rewire.program.rules import AttributionEntry

DAY = dt.date(2026, 1, 5)
A = boosters.Answer


# The rules, plain Python


def test_a_checkup_opens_8_and_12_weeks_after_the_start_or_later_for_a_longer_course():
    assert boosters.opens_on(8, started=DAY, finished=DAY + dt.timedelta(weeks=4)) == (
        DAY + dt.timedelta(weeks=8)
    )
    # Six weeks over the sessions: 4 and 8 weeks after the last one instead.
    finished = DAY + dt.timedelta(weeks=6)
    assert boosters.opens_on(8, started=DAY, finished=finished) == finished + dt.timedelta(weeks=4)
    assert boosters.opens_on(12, started=DAY, finished=finished) == finished + dt.timedelta(weeks=8)


def test_each_checkup_pairs_the_answer_at_the_end_with_its_own():
    finished = DAY + dt.timedelta(weeks=4)
    answers = {
        "weekly_pain": [
            A(DAY, 7),
            A(finished - dt.timedelta(days=1), 4),
            A(finished + dt.timedelta(days=10), 3),  # still the course's end (2 weeks' slack)
            A(DAY + dt.timedelta(weeks=8, days=2), 2),  # the 8-week check-up
            A(DAY + dt.timedelta(weeks=12, days=1), 5),  # the 12-week one
        ],
        "phq9": [A(finished, 6), A(DAY + dt.timedelta(weeks=9), 8)],
    }
    today = DAY + dt.timedelta(weeks=12, days=3)
    eight, twelve = boosters.checkups(answers, started=DAY, finished=finished, today=today)
    rows = {row.instrument: row for row in eight.rows}
    assert rows["weekly_pain"].at_end.total == 3 and rows["weekly_pain"].now.total == 2
    assert rows["phq9"].at_end.total == 6 and rows["phq9"].now.total == 8
    assert rows["gad7"].at_end is None and rows["gad7"].now is None
    assert eight.open and not eight.answered and eight.waiting == ["gad7"]
    assert [row.now.total if row.now else None for row in twelve.rows] == [5, None, None]
    assert boosters.due_checkup([eight, twelve]) is twelve
    assert boosters.checkups(answers, started=DAY, finished=None, today=today) == []


def test_before_its_day_a_checkup_is_not_open():
    found = boosters.checkups({}, started=DAY, finished=DAY + dt.timedelta(weeks=4), today=DAY)
    assert [c.open for c in found] == [False, False]
    assert boosters.due_checkup(found) is None


def test_what_helped_is_said_from_the_records():
    lines = boosters.helped_lines(
        [
            boosters.PracticeUse("somatic_tracking", "Somatic tracking", 5, 2.4, "sense of threat"),
            boosters.PracticeUse("savouring", "Savouring", 1, None, ""),
        ],
        [("A walk", 4)],
        ["Bending", "Lifting", "Stairs", "Running"],
    )
    assert lines == [
        "Somatic tracking: done 5 times; your sense of threat fell by 2.4 on average.",
        "Savouring: done 1 time.",
        "“A walk”: you noted it helped on 4 days.",
        "Facing feared movements: you mastered Bending, Lifting, Stairs and more.",
    ]
    assert boosters.helped_lines([], [], []) == []


# The plan


@pytest.fixture
def page(alice):
    open_programme(alice)
    return signed_in(alice)


def test_the_lesson_offers_a_draft_plan_from_the_persons_records(page, alice):
    now = dt.datetime.now(dt.UTC)
    for threat_before, threat_after in ((7, 4), (6, 4)):
        Practice.objects.create(
            user=alice,
            kind="somatic_tracking",
            started_at=now - dt.timedelta(minutes=10),
            finished_at=now,
            local_date=alice.today(),
            threat_before=threat_before,
            threat_after=threat_after,
        )
    html = page.get(reverse("programme_topic", args=["keeping_going"])).content.decode()
    assert "Somatic tracking: done 2 times; your sense of threat fell by 2.5 on average." in html
    assert "A first draft" in html
    assert after.STARTER_WARNING_SIGNS[0] in html
    assert not MaintenancePlan.objects.exists()


def test_saving_the_plan_and_an_empty_plan_refused(page, alice):
    url = reverse("maintenance_plan")
    empty = page.post(url, {"keep_doing": " ", "warning_signs": "", "what_helped": ""})
    assert empty.status_code == 422
    assert "Write at least what you will keep doing." in empty.content.decode()
    assert not MaintenancePlan.objects.exists()
    saved = page.post(
        url, {"keep_doing": "Tracking.", "warning_signs": "Stiff moving.", "what_helped": ""}
    )
    assert saved.status_code == 302
    page.post(url, {"keep_doing": "Tracking twice a week.", "warning_signs": "", "what_helped": ""})
    plan = MaintenancePlan.objects.get()  # one per person: saved again, replaced
    assert (plan.keep_doing, plan.warning_signs) == ("Tracking twice a week.", "")
    html = page.get(reverse("programme_topic", args=["keeping_going"])).content.decode()
    assert "Tracking twice a week." in html and "Last saved" in html


# The check-ups


def finished_weeks_ago(user, weeks: int):
    """Every session done, the intake `weeks` weeks ago and the last four weeks after it."""
    finish_sessions(user)
    start = dt.datetime.now(dt.UTC) - dt.timedelta(weeks=weeks)
    SessionCompletion.objects.filter(user=user, session="intake").update(completed_at=start)
    SessionCompletion.objects.filter(user=user).exclude(session="intake").update(
        completed_at=start + dt.timedelta(weeks=4)
    )
    return start


def answer(user, instrument, value, when):
    answers = {
        "weekly_pain": {"average_pain": value},
        "phq9": {f"phq9_{n}": 0 for n in range(1, 10)} | {"phq9_1": value},
        "gad7": {f"gad7_{n}": 0 for n in range(1, 8)} | {"gad7_1": value},
    }[instrument]
    measures.record_response(user=user, instrument_id=instrument, answers=answers, answered_at=when)


def test_a_checkup_page_before_the_course_is_done_and_before_its_day(page, alice):
    html = page.get(reverse("checkup", args=["8-weeks"])).content.decode()
    assert "finish the eight sessions first" in html
    finished_weeks_ago(alice, 6)
    html = page.get(reverse("checkup", args=["8-weeks"])).content.decode()
    assert "This check-up opens on" in html
    assert page.get(reverse("checkup", args=["9-weeks"])).status_code == 404


def test_the_8_week_checkup_compares_each_answer_with_the_courses_end(page, alice):
    start = finished_weeks_ago(alice, 9)
    end = start + dt.timedelta(weeks=4, days=1)
    for instrument, value in (("weekly_pain", 5), ("phq9", 1), ("gad7", 1)):
        answer(alice, instrument, value, end)
    home = page.get(reverse("home")).content.decode()
    assert "Your 8-week check-up</a> is ready: 3 short questionnaires to answer" in home
    waiting = page.get(reverse("checkup", args=["8-weeks"])).content.decode()
    assert 'href="/questionnaires/weekly_pain?checkup=8-weeks"' in waiting
    # Answering from the check-up leads back to it.
    form = page.get("/questionnaires/weekly_pain?checkup=8-weeks").content.decode()
    assert 'action="/questionnaires/weekly_pain?checkup=8-weeks"' in form
    now = dt.datetime.now(dt.UTC)
    answer(alice, "phq9", 1, now)
    answer(alice, "gad7", 3, now)
    answered = page.post(
        "/questionnaires/weekly_pain?checkup=8-weeks", {"average_pain": "9", "submission": "z"}
    )
    assert answered.status_code == 302 and answered.url.endswith("?checkup=8-weeks")
    result = page.get(answered.url).content.decode()
    assert 'href="/programme/check-ups/8-weeks">Back to your check-up' in result
    html = page.get(reverse("checkup", args=["8-weeks"])).content.decode()
    assert "pain went from 5 to 9: 4 points higher (worse)" in html
    assert "Some things have gone back" in html
    assert "Your 8-week check-up</a> is ready" not in page.get(reverse("home")).content.decode()


def test_the_api_gives_the_plan_and_the_checkups(alice):
    open_programme(alice)
    api = token_client(alice)
    assert api.get("/api/v1/programme/check-ups").json() == []
    empty = api.get("/api/v1/programme/maintenance-plan").json()
    assert (empty["keep_doing"], empty["updated_at"]) == ("", None)
    put = api.put(
        "/api/v1/programme/maintenance-plan",
        json.dumps({"keep_doing": "Tracking.", "warning_signs": "", "what_helped": ""}),
        content_type="application/json",
    )
    assert put.status_code == 200 and put.json()["keep_doing"] == "Tracking."
    refused = api.put(
        "/api/v1/programme/maintenance-plan",
        json.dumps({"keep_doing": "", "warning_signs": "", "what_helped": ""}),
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "keep_doing"]
    start = finished_weeks_ago(alice, 13)
    answer(alice, "weekly_pain", 6, start + dt.timedelta(weeks=4))
    answer(alice, "weekly_pain", 2, dt.datetime.now(dt.UTC))
    eight, twelve = api.get("/api/v1/programme/check-ups").json()
    assert (eight["weeks"], eight["open"], twelve["weeks"], twelve["open"]) == (8, True, 12, True)
    pain = twelve["questionnaires"][0]
    assert (pain["instrument"], pain["at_end"]["total"], pain["now"]["total"]) == (
        "weekly_pain",
        6,
        2,
    )
    assert pain["better"] is True and pain["meaningful"] is True


def test_the_last_session_leads_on_to_keeping_going(page, alice):
    finish_sessions(alice, 8)
    flares = page.get(reverse("programme_session", args=["flares"])).content.decode()
    assert '<a href="/programme/topics/keeping_going">Keeping going after the four weeks</a>' in (
        flares
    )
    # The causes question answered today, so it does not come first.
    program.record_attribution(
        user=alice,
        entry=AttributionEntry(recorded_at=dt.datetime.now(dt.UTC), causes=[("Stress", "mind")]),
    )
    done = page.post(reverse("session_complete", args=["flares"]))
    assert done.url == reverse("programme_topic", args=["keeping_going"])
    emotions = page.get(reverse("programme_session", args=["emotional_threats"])).content.decode()
    assert 'href="/programme/topics/writing"' in emotions


def test_a_checkup_phq9_with_thoughts_of_self_harm_shows_crisis_support_first(page, alice):
    start = finished_weeks_ago(alice, 9)
    end = start + dt.timedelta(weeks=4, days=1)
    for instrument in ("weekly_pain", "phq9", "gad7"):
        answer(alice, instrument, 1, end)
    now = dt.datetime.now(dt.UTC)
    answer(alice, "weekly_pain", 1, now)
    answer(alice, "gad7", 1, now)
    crisis = {f"phq9_{n}": 0 for n in range(1, 10)} | {"phq9_9": 1}
    measures.record_response(user=alice, instrument_id="phq9", answers=crisis, answered_at=now)
    html = page.get(reverse("checkup", args=["8-weeks"])).content.decode()
    assert "You do not have to carry this alone" in html
    assert html.index("You do not have to carry this alone") < html.index("<h2>Your 8-week")
    assert "What you built has held" not in html
    assert 'href="/urgent-help"' in html


def test_a_baseline_answered_before_the_intake_is_never_the_courses_end(page, alice):
    start = finished_weeks_ago(alice, 9)
    answer(alice, "phq9", 2, start - dt.timedelta(minutes=5))  # the starting point, same day
    (eight, _) = after.checkups_for(alice)
    assert next(row for row in eight.rows if row.instrument == "phq9").at_end is None
