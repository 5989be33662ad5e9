"""The fear ladder, the tries and the movement page, through the real views, forms, actions
and database."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from helpers import finish_sessions, open_programme, post, token_client

from rewire.exposure import actions
from rewire.exposure.models import ActivitySession, ExposureAttempt, Rung, RungRating
from rewire.exposure.rules import ActivityEntry, AttemptAfter, AttemptBefore, Rating, RungEntry


@pytest.fixture(autouse=True)
def warning_signs_answered(request):
    for name in ("alice", "carol"):
        if name in request.fixturenames:
            user = request.getfixturevalue(name)
            open_programme(user)


def html(response) -> str:
    return response.content.decode()


def rung(user, activity="Lifting a shopping bag", fear=40, pain=4, harm=30) -> Rung:
    return actions.add_rung(
        user=user,
        entry=RungEntry(activity=activity, rating=Rating(fear=fear, expected_pain=pain, harm=harm)),
    )


def tried(user, on, *, days_ago=0, predicted=8, actual=4, fear_after=20):
    """A finished try: today's starts now (always today, whatever the hour); an earlier one at
    noon of that day, in the person's own time zone."""
    if days_ago:
        day = user.today() - dt.timedelta(days=days_ago)
        started = dt.datetime.combine(day, dt.time(12), tzinfo=user.zone)
    else:
        started = timezone.now()
    return actions.start_attempt(
        user=user,
        entry=AttemptBefore(
            rung=on.pk,
            started_at=started,
            fear_before=70,
            predicted_pain=predicted,
            predicted_harm=60,
        ),
        after=AttemptAfter(actual_pain=actual, outcome="no", fear_after=fear_after),
    )


def rating_form(**values) -> dict:
    return {"fear": 50, "expected_pain": 5, "harm": 40, **values}


@pytest.mark.parametrize(
    "page, words", [("", "Nothing recorded yet"), ("/ladder", "Your ladder is empty")]
)
def test_the_empty_pages_say_what_to_do_first(alice_client, page, words):
    response = alice_client.get(f"/movement{page}")
    assert response.status_code == 200
    assert words in html(response)


def test_every_page_of_a_rung_and_a_try_opens(alice, alice_client):
    step = rung(alice)
    attempt = tried(alice, step)
    activity = actions.log_activity(
        user=alice,
        entry=ActivityEntry(activity="Walk", minutes=20, local_date=alice.today()),
    )
    for url in (
        f"/movement/ladder/{step.pk}",
        f"/movement/ladder/{step.pk}/rate",
        f"/movement/ladder/{step.pk}/edit",
        f"/movement/ladder/{step.pk}/try",
        f"/movement/ladder/{step.pk}/delete",
        f"/movement/tries/{attempt.pk}",
        f"/movement/tries/{attempt.pk}/delete",
        f"/movement/activities/{activity.pk}/delete",
    ):
        assert alice_client.get(url).status_code == 200, url


def test_an_activity_from_the_library_joins_the_ladder_in_order(alice, alice_client):
    rung(alice, "Running, even slowly", fear=90)
    response = alice_client.post(
        "/movement/ladder", {"library_id": "lift_shopping_bag", **rating_form(fear=20)}
    )
    assert response.status_code == 302
    added = Rung.objects.for_user(alice).get(library_id="lift_shopping_bag")
    assert added.activity == "Lifting a shopping bag" and added.fear == 20
    assert RungRating.objects.filter(rung=added).count() == 1
    page = html(alice_client.get("/movement/ladder"))
    drawn = page[page.index('<ol class="ladder"') :]
    # Drawn as a ladder: the hardest at the top, the easiest (number 1) at the bottom.
    assert drawn.index("Running, even slowly") < drawn.index("Lifting a shopping bag")
    # Already on the ladder: no longer offered in the list.
    assert 'value="lift_shopping_bag"' not in page


def test_own_words_win_over_the_list_and_the_library_id_is_dropped(alice, alice_client):
    alice_client.post(
        "/movement/ladder",
        {"library_id": "vacuum", "activity": " Vacuuming  the stairs ", **rating_form()},
    )
    added = Rung.objects.for_user(alice).get()
    assert (added.activity, added.library_id) == ("Vacuuming the stairs", "")


@pytest.mark.parametrize(
    "posted, field, message",
    [
        (rating_form(), "activity", "Choose an activity from the list or write your own."),
        ({"activity": "Bending", "expected_pain": 5, "harm": 40}, "fear", "Choose a number"),
        (
            {"library_id": "flying", **rating_form()},
            "library_id",
            "Choose one of the options shown.",
        ),
        (
            {"activity": "Bending", **rating_form(fear=55)},
            "fear",
            "Choose one of the options shown.",
        ),
    ],
)
def test_a_rung_with_a_problem_is_refused_with_the_field_and_reason(
    alice, alice_client, posted, field, message
):
    response = alice_client.post("/movement/ladder", posted)
    assert response.status_code == 422
    assert message in " ".join(response.context["form"].errors[field])
    assert not Rung.objects.for_user(alice).exists()


def test_the_same_activity_twice_is_refused_whatever_its_case(alice, alice_client):
    rung(alice, "Bending down")
    response = alice_client.post("/movement/ladder", {"activity": "bending DOWN", **rating_form()})
    assert response.status_code == 422
    assert "on your ladder already" in html(response)
    assert Rung.objects.for_user(alice).count() == 1


def test_a_form_sent_twice_adds_one_rung(alice, alice_client):
    form = alice_client.get("/movement/ladder").context["form"]
    body = {"activity": "Sitting for an hour", "submission": form["submission"].value()}
    for _ in range(2):
        assert alice_client.post("/movement/ladder", {**body, **rating_form()}).status_code == 302
    assert Rung.objects.for_user(alice).count() == 1


def test_rating_again_keeps_the_history_and_reorders_the_ladder(alice, alice_client):
    first, second = rung(alice, "Bending", fear=20), rung(alice, "Twisting", fear=60)
    response = alice_client.post(f"/movement/ladder/{first.pk}/rate", rating_form(fear=80))
    assert response.status_code == 302
    assert [r.fear for r in RungRating.objects.filter(rung=first)] == [20, 80]
    page = html(alice_client.get("/movement/ladder"))
    drawn = page[page.index('<ol class="ladder"') :]
    assert drawn.index(">Bending<") < drawn.index("Twisting")
    history = html(alice_client.get(f"/movement/ladder/{first.pk}"))
    assert history.count("<tr><td>") == 2
    assert [r.fear for r in RungRating.objects.filter(rung=second)] == [60]  # untouched


def test_a_try_from_prediction_to_what_it_showed(alice, alice_client):
    step = rung(alice)
    start = alice_client.get(f"/movement/ladder/{step.pk}/try")
    assert start.context["form"]["predicted_pain"].value() is None  # predicted fresh each time
    response = alice_client.post(
        f"/movement/ladder/{step.pk}/try",
        {
            "fear_before": 70,
            "predicted_pain": 8,
            "predicted_harm": 60,
            "prediction": "My back will lock up",
            "submission": start.context["form"]["submission"].value(),
        },
    )
    attempt = ExposureAttempt.objects.for_user(alice).get()
    assert response.url == f"/movement/tries/{attempt.pk}"
    waiting = html(alice_client.get(response.url))
    assert "Afterwards: what happened?" in waiting
    assert "/programme/practice/movement" in waiting  # the guided movement, for the try itself
    assert "You wrote: “My back will lock up”" in waiting
    done = alice_client.post(
        response.url,
        {"actual_pain": 4, "outcome": "no", "fear_after": 30, "learned": "I could do it"},
        follow=True,
    )
    page = html(done)
    assert "You expected pain of 8, it was 4: 4 points less than you feared." in page
    assert (
        "You thought there was a 60% chance it would damage your body, and what you feared did "
        "not happen." in page
    )
    assert "Your fear went down from 70 to 30." in page
    assert "What you feared did not happen: your alarm was wrong about this one." in page
    assert "Try this step again" in page
    attempt.refresh_from_db()
    assert (attempt.actual_pain, attempt.outcome, attempt.learned) == (4, "no", "I could do it")


def test_what_happened_is_refused_whole_when_a_field_is_missing(alice, alice_client):
    attempt = actions.start_attempt(
        user=alice,
        entry=AttemptBefore(
            rung=rung(alice).pk,
            started_at=timezone.now(),
            fear_before=50,
            predicted_pain=5,
            predicted_harm=50,
        ),
    )
    response = alice_client.post(f"/movement/tries/{attempt.pk}", {"actual_pain": 3})
    assert response.status_code == 422
    assert set(response.context["form"].errors) == {"outcome", "fear_after"}
    attempt.refresh_from_db()
    assert not attempt.finished and attempt.actual_pain is None


def test_the_rung_page_plots_predicted_against_actual_and_suggests_mastery(alice, alice_client):
    step = rung(alice)
    for days_ago, actual in ((3, 5), (2, 3), (1, 2)):
        tried(alice, step, days_ago=days_ago, actual=actual, fear_after=20)
    page = alice_client.get(f"/movement/ladder/{step.pk}")
    chart = page.context["chart"]
    assert [(m.predicted, m.actual) for m in chart.marks] == [(8, 5), (8, 3), (8, 2)]
    assert all(m.gap_class == "less" for m in chart.marks)
    assert page.context["suggest_mastery"]
    assert "This may be a rung you have mastered" in html(page)
    higher = rung(alice, "Running", fear=70)
    response = alice_client.post(
        f"/movement/ladder/{step.pk}/mastered", {"mastered": "1"}, follow=True
    )
    assert "A level up! Next up: “Running”." in html(response)
    assert actions.ladder_for(alice).next_step.pk == higher.pk
    assert actions.ladder_for(alice).level == 2
    alice_client.post(f"/movement/ladder/{step.pk}/mastered", {"mastered": "0"})
    assert actions.ladder_for(alice).level == 1


def test_taking_a_rung_off_the_ladder_asks_first_and_takes_its_tries(alice, alice_client):
    step = rung(alice)
    tried(alice, step)
    confirm = html(alice_client.get(f"/movement/ladder/{step.pk}/delete"))
    assert "with its ratings and its 1 try." in confirm
    assert Rung.objects.for_user(alice).exists()
    alice_client.post(f"/movement/ladder/{step.pk}/delete")
    assert not Rung.objects.for_user(alice).exists()
    assert not ExposureAttempt.objects.for_user(alice).exists()


def test_the_home_page_asks_the_next_day_about_yesterdays_try(alice, alice_client):
    yesterday = tried(alice, rung(alice), days_ago=1)
    today = tried(alice, rung(alice, "Twisting"))
    home = html(alice_client.get("/"))
    assert "Yesterday you tried: Lifting a shopping bag" in home
    assert "Yesterday you tried: Twisting" not in home
    response = alice_client.post(
        f"/movement/tries/{yesterday.pk}/next-day", {"pain": 3, "next": "/"}
    )
    assert response.url == "/"
    yesterday.refresh_from_db()
    assert yesterday.next_day_pain == 3
    assert "Yesterday you tried" not in html(alice_client.get("/"))
    assert today.next_day_pain is None


def test_the_next_day_question_can_be_declined_and_needs_a_number_otherwise(alice, alice_client):
    attempt = tried(alice, rung(alice), days_ago=1)
    response = alice_client.post(f"/movement/tries/{attempt.pk}/next-day", {"next": "/"})
    assert response.url == f"/#next-day-{attempt.pk}"  # back to the question, not the top
    attempt.refresh_from_db()
    assert attempt.next_day_pain is None and not attempt.next_day_declined
    # The problem is said in the question's own card (where the page goes), once.
    card = html(alice_client.get("/")).split(f'id="next-day-{attempt.pk}"')[1]
    assert '<div class="form-errors" role="alert">' in card.split("</section>")[0]
    assert "Choose a number from 0 to 10 for today’s pain" in card.split("</section>")[0]
    assert "form-errors" not in html(alice_client.get("/"))
    # The same from the try's own page.
    response = alice_client.post(f"/movement/tries/{attempt.pk}/next-day", {})
    assert response.url == f"/movement/tries/{attempt.pk}#next-day-heading"
    page = html(alice_client.get(response.url)).split('id="next-day-heading"')[1]
    assert "Choose a number from 0 to 10 for today’s pain" in page
    # Said on the next page only: another try's page neither shows it nor keeps it for later.
    other = tried(alice, rung(alice, "Twisting"), days_ago=2)
    alice_client.post(f"/movement/tries/{attempt.pk}/next-day", {})
    assert "Choose a number" not in html(alice_client.get(f"/movement/tries/{other.pk}"))
    assert "Choose a number" not in html(alice_client.get(f"/movement/tries/{attempt.pk}"))
    assert "Choose a number" not in html(alice_client.get("/"))
    alice_client.post(f"/movement/tries/{attempt.pk}/next-day", {"decline": "1"})
    attempt.refresh_from_db()
    assert attempt.next_day_declined
    assert "Yesterday you tried" not in html(alice_client.get("/"))


def test_the_next_day_answer_goes_back_only_to_this_site(alice, alice_client):
    attempt = tried(alice, rung(alice), days_ago=1)
    response = alice_client.post(
        f"/movement/tries/{attempt.pk}/next-day", {"pain": 2, "next": "https://elsewhere.example/"}
    )
    assert response.url == f"/movement/tries/{attempt.pk}"


def test_logging_an_activity_counts_towards_the_week(alice, alice_client):
    today = alice.today()
    form = alice_client.get("/movement").context["form"]
    body = {
        "activity": "Walk by the river",
        "minutes": 25,
        "local_date": today.isoformat(),
        "submission": form["submission"].value(),
    }
    for _ in range(2):  # sent twice: saved once
        assert alice_client.post("/movement", body).status_code == 302
    assert ActivitySession.objects.for_user(alice).count() == 1
    post(token_client(alice), {"pain": 3, "movement_minutes": 10})  # less than the walk
    page = alice_client.get("/movement")
    assert f'value="{today.isoformat()}"' in html(page)  # as the date input reads it
    assert page.context["week"].minutes == 25
    assert "Walk by the river" in html(page)
    assert "Your first week sets your starting point: <strong>25 minutes</strong>" in html(page)


def test_an_activity_with_problems_is_refused_with_each_field(alice, alice_client):
    response = alice_client.post(
        "/movement",
        {"activity": "", "minutes": 0, "local_date": "2999-01-01"},
    )
    assert response.status_code == 422
    # Every problem at once, in the rules' words.
    assert response.context["form"].errors == {
        "activity": ["This is required."],
        "minutes": ["Must be between 1 and 1440."],
        "local_date": ["Cannot be in the future."],
    }
    assert not ActivitySession.objects.for_user(alice).exists()


def test_the_movement_page_shows_goal_streak_level_and_milestones(alice, alice_client):
    today = alice.today()
    for days_ago in range(20, -1, -1):
        actions.log_activity(
            user=alice,
            entry=ActivityEntry(
                activity="Walk", minutes=20, local_date=today - dt.timedelta(days=days_ago)
            ),
        )
    tried(alice, rung(alice))
    page = alice_client.get("/movement")
    text = html(page)
    assert page.context["plan"].baseline == 20
    assert "3 weeks in a row</strong> of moving on most days." in text
    assert "Goal met: the next rises a little" in text
    assert re.search(r"Your first try <span class=\"help\">", text)
    assert "Level 1" in text


def test_session_seven_leads_to_the_fear_ladder(alice, alice_client):

    finish_sessions(alice, 8)
    page = html(alice_client.get("/programme/sessions/facing_movement"))
    assert 'href="/movement/ladder"' in page


def test_a_stranger_gets_404_and_nothing_changes(alice, carol_client):
    step = rung(alice)
    attempt = tried(alice, step)
    for url in (
        f"/movement/ladder/{step.pk}",
        f"/movement/ladder/{step.pk}/try",
        f"/movement/tries/{attempt.pk}",
    ):
        assert carol_client.get(url).status_code == 404
    assert carol_client.post(f"/movement/ladder/{step.pk}/delete").status_code == 404
    assert carol_client.post(f"/movement/tries/{attempt.pk}", {"actual_pain": 0}).status_code == (
        404
    )
    assert Rung.objects.filter(pk=step.pk).exists()


def test_the_next_day_pain_waits_for_the_next_day(alice, alice_client):
    attempt = tried(alice, rung(alice))
    assert "The next day" not in html(alice_client.get(f"/movement/tries/{attempt.pk}"))
    response = alice_client.post(f"/movement/tries/{attempt.pk}/next-day", {"pain": 2}, follow=True)
    assert "can be given from the day after the try" in html(response)
    attempt.refresh_from_db()
    assert attempt.next_day_pain is None


def test_a_try_waiting_for_its_outcome_is_easy_to_find_again(alice, alice_client):
    step = rung(alice)
    waiting = actions.start_attempt(
        user=alice,
        entry=AttemptBefore(
            rung=step.pk,
            started_at=timezone.now(),
            fear_before=50,
            predicted_pain=5,
            predicted_harm=50,
        ),
    )
    link = f'href="/movement/tries/{waiting.pk}#result"'
    assert link in html(alice_client.get("/"))
    assert link in html(alice_client.get("/movement/ladder"))
    assert link in html(alice_client.get(f"/movement/ladder/{step.pk}/try"))


def test_after_a_hard_try_the_page_offers_rest_before_another_go(alice, alice_client):
    attempt = actions.start_attempt(
        user=alice,
        entry=AttemptBefore(
            rung=rung(alice).pk,
            started_at=timezone.now(),
            fear_before=50,
            predicted_pain=4,
            predicted_harm=50,
        ),
        after=AttemptAfter(actual_pain=7, outcome="yes", fear_after=80),
    )
    page = html(alice_client.get(f"/movement/tries/{attempt.pk}"))
    assert "Rest is fine" in page and "/programme/flare-plan" in page
    assert "your alarm was wrong" not in page
    assert "Try this step again" not in page


def test_a_value_off_the_pages_scale_shows_as_its_nearest_step(alice, alice_client):
    step = rung(alice, fear=31, harm=77)
    form = alice_client.get(f"/movement/ladder/{step.pk}/rate").context["form"]
    assert (form["fear"].value(), form["harm"].value()) == (30, 80)


def test_the_same_activity_in_another_case_is_refused_in_any_alphabet(alice, alice_client):
    rung(alice, "Straße gehen")
    response = alice_client.post(
        "/movement/ladder", {"activity": "STRASSE  GEHEN", **rating_form()}
    )
    assert response.status_code == 422
    other = rung(alice, "Running")
    response = alice_client.post(f"/movement/ladder/{other.pk}/edit", {"activity": "straße gehen"})
    assert response.status_code == 422
    assert "on your ladder already" in html(response)


def test_the_pages_never_call_a_movement_safe(alice, alice_client):
    step = rung(alice)
    waiting = actions.start_attempt(
        user=alice,
        entry=AttemptBefore(
            rung=step.pk,
            started_at=timezone.now(),
            fear_before=50,
            predicted_pain=5,
            predicted_harm=50,
        ),
    )
    done = tried(alice, step)
    for url in (
        "/movement",
        "/movement/ladder",
        f"/movement/ladder/{step.pk}",
        f"/movement/ladder/{step.pk}/try",
        f"/movement/tries/{waiting.pk}",
        f"/movement/tries/{done.pk}",
    ):
        main = html(alice_client.get(url)).split('<main id="main"', 1)[1]
        assert "safe" not in main.lower().replace("safety", ""), url


def test_the_feared_thing_happening_is_a_hard_try_even_with_less_pain(alice, alice_client):
    attempt = actions.start_attempt(
        user=alice,
        entry=AttemptBefore(
            rung=rung(alice).pk,
            started_at=timezone.now(),
            fear_before=50,
            predicted_pain=8,
            predicted_harm=50,
        ),
        after=AttemptAfter(actual_pain=4, outcome="yes", fear_after=60),
    )
    page = html(alice_client.get(f"/movement/tries/{attempt.pk}"))
    assert "talk to a clinician before the next try" in page
    assert "Rest is fine" in page
    assert "Try this step again" not in page and "alarm" not in page.split("What your try")[1][:600]
