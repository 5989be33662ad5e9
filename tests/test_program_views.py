"""The guided programme's pages, through the real views, forms, actions and database."""

import datetime as dt
import re

import pytest
from django.core import signing
from django.utils import timezone
from django.utils.html import escape
from helpers import FITS, FULL, PASSWORD, finish_sessions, open_programme, post, token_client

from rewire.accounts.actions import create_user
from rewire.core.models import IdempotencyKey
from rewire.diary.models import CheckIn
from rewire.measures.actions import (
    record_response,
    record_screening,
    record_suitability,
    red_flags,
)
from rewire.program import actions
from rewire.program.forms import STARTED_SALT, sign_started
from rewire.program.models import (
    Attribution,
    Evidence,
    FlarePlanStep,
    Practice,
    SafetyMessage,
    SessionCompletion,
    ThoughtRecord,
)
from rewire.program.rules import AttributionEntry, PracticeEntry, ThoughtRecordEntry

SESSION_IDS = [session.id for session in actions.course().sessions]


@pytest.fixture(autouse=True)
def warning_signs_answered(request):
    """The programme opens once the warning signs are answered: alice and carol answer no."""
    for name in ("alice", "carol"):
        if name in request.fixturenames:
            user = request.getfixturevalue(name)
            open_programme(user)


def html(response) -> str:
    return response.content.decode()


def started_token(client, kind="somatic_tracking") -> str:
    return client.get(f"/programme/practice/{kind}").context["form"]["started"].value()


# Pages render


@pytest.mark.parametrize(
    "url",
    [
        "/programme",
        "/programme/sessions/intake",
        "/programme/practices",
        "/programme/practice/somatic_tracking",
        "/programme/practice/emotions",
        "/programme/practice/savouring",
        "/programme/practice/movement",
        "/programme/safety",
        "/programme/evidence",
        "/programme/evidence/summary",
        "/programme/causes",
        "/programme/thoughts",
        "/programme/thoughts/new",
        "/programme/flare-plan",
    ],
)
def test_programme_pages_render_for_alice(alice_client, url):
    response = alice_client.get(url)
    assert response.status_code == 200, url
    assert 'href="/programme" aria-current="page"' in html(response)


def test_the_overview_lists_the_sessions_in_order_with_their_states(alice, alice_client):
    finish_sessions(alice, 2)
    page = html(alice_client.get("/programme"))
    titles = [session.title for session in actions.course().sessions]
    positions = [page.index(title) for title in titles]
    assert positions == sorted(positions)
    assert "2 of 9" in page
    assert page.count("is-done") == 2
    next_item = re.search(r'class="session-item is-open is-next">.*?</li>', page, re.DOTALL)
    assert titles[2] in next_item.group(0) and "Up next" in next_item.group(0)
    # Locked sessions are not links.
    assert 'href="/programme/sessions/reappraisal"' not in page
    assert 'href="/programme/sessions/tracking"' in page


# Sessions


def test_a_session_shows_its_lesson_practice_and_references(alice, alice_client):
    finish_sessions(alice, 2)
    session = actions.course().session("tracking")
    page = html(alice_client.get("/programme/sessions/tracking"))
    assert session.title in page
    assert '<h2 id="your-practice">' in page  # the lesson's Markdown, rendered
    assert "Ashar YK" in page
    assert 'href="/programme/practice/somatic_tracking"' in page
    assert f"about {session.minutes} minutes" in page
    assert 'action="/programme/sessions/tracking/done"' in page


def test_sessions_open_in_order(alice, alice_client):
    locked = alice_client.get("/programme/sessions/evidence")
    assert locked.status_code == 200
    assert "opens once you have finished" in html(locked)
    assert 'href="/programme/sessions/intake"' in html(locked)
    assert 'action="/programme/sessions/evidence/done"' not in html(locked)

    refused = alice_client.post("/programme/sessions/evidence/done", follow=True)
    assert "Finish the sessions before this one first." in html(refused)
    assert not SessionCompletion.objects.exists()

    # The intake is done, then the causes question is asked.
    done = alice_client.post("/programme/sessions/intake/done")
    assert done.status_code == 302 and done.url == "/programme/causes"
    assert alice_client.post("/programme/sessions/evidence/done").status_code == 302
    assert set(actions.completed_sessions(alice)) == {"intake", "evidence"}
    # A repeated "done" changes nothing.
    alice_client.post("/programme/sessions/intake/done")
    assert SessionCompletion.objects.filter(user=alice).count() == 2
    after = html(alice_client.get("/programme/sessions/evidence"))
    assert "You marked this session done" in after
    assert 'href="/programme/sessions/tracking"' in after


def answer_causes(user):
    actions.record_attribution(user=user, entry=AttributionEntry(timezone.now(), [("x", "mind")]))


def test_at_the_trials_pace_the_next_session_waits_and_the_person_is_told_when(alice, alice_client):
    answer_causes(alice)
    # The intake leads straight into session 1: "done" lands on it.
    done = alice_client.post("/programme/sessions/intake/done", follow=True)
    assert done.redirect_chain[-1][0] == "/programme/sessions/evidence"
    assert "Next: “" in html(done)

    # Session 1 done: session 2 opens in 3 days, and "done" lands on the home page, which
    # says when, and what to practise until then.
    opens = alice.today() + dt.timedelta(days=3)
    done = alice_client.post("/programme/sessions/evidence/done", follow=True)
    assert done.redirect_chain[-1][0] == "/"
    page = html(done)
    assert escape(f"The next session opens on {opens:%A %-d %B}; until then, today") in page
    assert "Today’s practice: Evidence log" in page  # the practice of the session just done
    assert escape(f"opens on {opens:%A %-d %B}") in page.split('id="programme-heading"')[1]

    # The session itself waits, and says what to do until its day.
    waiting = html(alice_client.get("/programme/sessions/tracking"))
    assert escape(f"This session opens on {opens:%A %-d %B}") in waiting
    assert 'action="/programme/sessions/tracking/done"' not in waiting
    assert '<h2 id="your-practice">' not in waiting  # the lesson waits too
    assert "Change your pace" in waiting
    refused = alice_client.post("/programme/sessions/tracking/done", follow=True)
    assert escape(f"This session opens on {opens:%A %-d %B}, at your pace.") in html(refused)
    assert not SessionCompletion.objects.filter(session="tracking").exists()

    # The overview says it too.
    overview = html(alice_client.get("/programme"))
    assert escape(f"Opens on {opens:%A %-d %B}") in overview


def test_a_faster_pace_opens_the_next_session_at_once(alice, alice_client):
    answer_causes(alice)
    finish_sessions(alice, 2)
    actions.set_pace(user=alice, pace="twice_a_week")
    assert 'name="pace" value="twice_a_week"' in html(alice_client.get("/programme"))
    assert "This session opens" in html(alice_client.get("/programme/sessions/tracking"))

    refused = alice_client.post("/programme/pace", {"pace": "hourly"}, follow=True)
    assert "Choose one of the paces." in html(refused)
    saved = alice_client.post("/programme/pace", {"pace": "every_day"}, follow=True)
    assert "Your pace is saved: One a day." in html(saved)
    assert actions.pace_of(alice) == "every_day"
    assert "opens tomorrow" in html(alice_client.get("/programme/sessions/tracking"))

    alice_client.post("/programme/pace", {"pace": "no_wait"})
    page = html(alice_client.get("/programme/sessions/tracking"))
    assert 'action="/programme/sessions/tracking/done"' in page
    done = alice_client.post("/programme/sessions/tracking/done")
    assert done.url == "/programme/sessions/fear_and_safety"


def test_a_session_opens_with_a_review_of_what_the_person_logged_since_the_last(
    alice, alice_client
):
    answer_causes(alice)
    finish_sessions(alice, 2)
    finished = timezone.now() - dt.timedelta(hours=1)
    SessionCompletion.objects.update(completed_at=finished)
    intake_page = html(alice_client.get("/programme/sessions/evidence"))
    assert "Since your last session" in intake_page  # session 1 looks back on the intake
    page = html(alice_client.get("/programme/sessions/tracking"))
    assert "Since your last session" in page
    assert "Nothing is logged since then." in page
    assert "There is not much to look back on this time" in page

    now = timezone.now()
    actions.record_practice(
        user=alice,
        entry=PracticeEntry(
            kind="somatic_tracking",
            started_at=now - dt.timedelta(minutes=10),
            finished_at=now - dt.timedelta(minutes=2),
            ratings={"pain": (6, 5), "threat": (8, 5)},
        ),
    )
    page = html(alice_client.get("/programme/sessions/tracking"))
    assert "You logged 1 round of somatic tracking." in page
    assert "How threatening the pain felt: 8 before and 5 after." in page
    # The look-back names the day the last session ended: "earlier today", unless the clock has
    # passed midnight since (the suite may run at 00:30).
    since = timezone.localtime(finished).date()
    if since == timezone.localdate():
        assert "From what you logged earlier today." in page
    else:
        assert f"From what you logged since {since:%A} {since.day} {since:%B}." in page
    SessionCompletion.objects.update(completed_at=finished - dt.timedelta(days=2))
    two_days_ago = timezone.localtime(finished - dt.timedelta(days=2)).date()
    page = html(alice_client.get("/programme/sessions/tracking"))
    assert f"since {two_days_ago:%A} {two_days_ago.day} {two_days_ago:%B}." in page
    assert html(alice_client.get("/programme/sessions/intake")).count("Since your last") == 0


def test_after_the_intake_the_session_page_asks_the_causes_question(alice, alice_client):
    finish_sessions(alice, 1)
    assert 'href="/programme/causes"' in html(alice_client.get("/programme/sessions/evidence"))
    # Answered: asked again a week later, not before.
    actions.record_attribution(
        user=alice, entry=AttributionEntry(timezone.now(), [("my discs", "body")])
    )
    page = html(alice_client.get("/programme/sessions/evidence"))
    assert "a short question is waiting" not in page


def test_unknown_session_and_practice_are_404(alice_client):
    assert alice_client.get("/programme/sessions/nope").status_code == 404
    assert alice_client.post("/programme/sessions/nope/done").status_code == 404
    assert alice_client.get("/programme/practice/nope").status_code == 404
    assert alice_client.post("/programme/practice/nope").status_code == 404


# Home page


def test_home_card_shows_progress_next_session_and_todays_practice(alice, alice_client):
    page = html(alice_client.get("/"))
    assert "0 of 9" in page
    assert 'href="/programme/sessions/intake"' in page
    assert "Why this one" not in page

    finish_sessions(alice, 3)
    page = html(alice_client.get("/"))
    assert "3 of 9" in page
    tracking = actions.course().session("tracking")
    # Nothing rated yet: today's practice is the latest session's, and it says so.
    assert "Today’s practice: Somatic tracking" in page
    assert f"It is the daily practice of your latest session, “{tracking.title}”" in page
    assert 'href="/programme/practice/somatic_tracking">Start somatic tracking</a>' in page
    assert 'href="/programme/sessions/fear_and_safety"' in page
    # The intake is done and the causes question not yet answered.
    assert 'href="/programme/causes">Causes of your pain</a>' in page
    actions.record_attribution(
        user=alice, entry=AttributionEntry(timezone.now(), [("stress", "mind")])
    )
    assert 'href="/programme/causes">Causes of your pain</a>' not in html(alice_client.get("/"))


def test_nav_has_the_programme(alice_client):
    page = html(alice_client.get("/history"))
    assert '<a href="/programme">Programme</a>' in page


# Guided practices


def test_practice_page_lists_every_step_and_asks_the_practices_ratings(alice_client):
    guided = actions.course().practices["somatic_tracking"]
    page = html(alice_client.get("/programme/practice/somatic_tracking"))
    for step in guided.steps:
        assert escape(step.text) in page
    for name in ("pain_before", "threat_before", "pain_after", "threat_after"):
        assert f'name="{name}"' in page
    assert 'name="mood_before"' not in page
    assert "/static/program/practice.js" in page
    assert 'role="timer"' in page


def test_practice_saves_ratings_and_times_then_shows_the_change(alice, alice_client):
    shown = timezone.now() - dt.timedelta(minutes=6)
    response = alice_client.post(
        "/programme/practice/somatic_tracking",
        {
            "started": sign_started(shown),
            "begun_after": "30",
            "pain_before": "6",
            "threat_before": "7",
            "pain_after": "4",
            "threat_after": "7",
            "note": "Warmth in the back",
        },
    )
    saved = Practice.objects.get(user=alice)
    assert response.status_code == 302 and response.url == f"/programme/practices/{saved.pk}"
    assert (saved.kind, saved.pain_before, saved.pain_after) == ("somatic_tracking", 6, 4)
    assert (saved.threat_before, saved.threat_after, saved.mood_before) == (7, 7, None)
    assert saved.note == "Warmth in the back"
    assert abs(saved.started_at - (shown + dt.timedelta(seconds=30))) < dt.timedelta(seconds=1)
    assert abs(saved.finished_at - timezone.now()) < dt.timedelta(seconds=5)
    page = html(alice_client.get(response.url))
    assert "Pain</strong>: 6 before, 4 after — went down by 2 points." in page
    assert "Sense of threat</strong>: 7 before, 7 after — stayed the same." in page


def test_practice_after_ratings_may_be_left_out(alice, alice_client):
    response = alice_client.post(
        "/programme/practice/savouring",
        {"started": started_token(alice_client), "mood_before": "3"},
    )
    assert response.status_code == 302
    saved = Practice.objects.get(user=alice)
    assert (saved.mood_before, saved.mood_after) == (3, None)
    assert "not rated after" in html(alice_client.get(response.url))


def test_practice_without_before_ratings_explains_and_keeps_what_was_typed(alice_client):
    response = alice_client.post(
        "/programme/practice/somatic_tracking",
        {"started": started_token(alice_client), "pain_before": "5", "note": "kept note"},
    )
    assert response.status_code == 422
    page = html(response)
    assert "Choose a number from 0 to 10 before you start." in page
    assert "kept note" in page
    assert 'id="id_pain_before_5" checked' in page  # optional here: noticed, not scored
    assert not Practice.objects.exists()


def test_somatic_tracking_saves_without_a_pain_number_and_says_it_is_optional(alice, alice_client):
    page = html(alice_client.get("/programme/practice/somatic_tracking"))
    assert "optional, only if you are curious: it is not a score to beat" in page
    assert "Why is the pain number optional?" in page
    assert re.search(r'data-rating="pain_before" data-optional', page)
    assert not re.search(r'data-rating="threat_before" data-optional', page)
    response = alice_client.post(
        "/programme/practice/somatic_tracking",
        {"started": started_token(alice_client), "threat_before": "6", "threat_after": "3"},
    )
    assert response.status_code == 302
    saved = Practice.objects.get(user=alice)
    assert (saved.pain_before, saved.threat_before, saved.threat_after) == (None, 6, 3)


def test_practice_with_a_tampered_or_stale_start_is_refused(alice_client):
    forged = "x" + started_token(alice_client)
    data = {"pain_before": "5", "threat_before": "5"}
    response = alice_client.post("/programme/practice/movement", {**data, "started": forged})
    assert response.status_code == 422
    assert "could not be read back" in html(response)
    stale = sign_started(timezone.now() - dt.timedelta(hours=4))
    response = alice_client.post("/programme/practice/movement", {**data, "started": stale})
    assert response.status_code == 422
    assert "at most 3 hours" in html(response)
    assert not Practice.objects.exists()
    # The token is the page's own: it is signed, not just any time.
    assert signing.loads(started_token(alice_client), salt=STARTED_SALT)


def test_a_practice_sent_twice_is_saved_once(alice, alice_client):
    data = {
        "started": started_token(alice_client),
        "submission": "abc123",
        "pain_before": "5",
        "threat_before": "4",
    }
    first = alice_client.post("/programme/practice/somatic_tracking", data)
    second = alice_client.post("/programme/practice/somatic_tracking", data)
    assert first.url == second.url
    assert Practice.objects.filter(user=alice).count() == 1
    assert IdempotencyKey.objects.filter(user=alice).count() == 1


def make_practice(user, **ratings):
    now = timezone.now()
    return actions.record_practice(
        user=user,
        entry=PracticeEntry(
            "somatic_tracking",
            now - dt.timedelta(minutes=5),
            now,
            ratings or {"pain": (5, 3), "threat": (6, 2)},
        ),
    )


def test_past_practices_are_listed_and_deleted_after_confirming(alice, alice_client):
    done = make_practice(alice)
    page = html(alice_client.get("/programme/practices"))
    assert f'href="/programme/practices/{done.pk}"' in page
    assert "5 → 3 (went down by 2 points)" in page
    confirm = alice_client.get(f"/programme/practices/{done.pk}/delete")
    assert confirm.status_code == 200 and "Delete this practice?" in html(confirm)
    assert Practice.objects.filter(pk=done.pk).exists()
    response = alice_client.post(f"/programme/practices/{done.pk}/delete")
    assert response.status_code == 302 and response.url == "/programme/practices"
    assert not Practice.objects.filter(pk=done.pk).exists()


# Safety messages


def test_safety_messages_add_edit_delete(alice, alice_client):
    response = alice_client.post("/programme/safety", {"text": "  My back is strong.  "})
    message = SafetyMessage.objects.get(user=alice)
    assert message.text == "My back is strong."
    assert response.url == f"/programme/safety#message-{message.pk}"
    page = html(alice_client.get("/programme/safety"))
    assert f'href="/programme/safety/{message.pk}/edit"' in page

    edit = alice_client.post(f"/programme/safety/{message.pk}/edit", {"text": "I am safe."})
    assert edit.status_code == 302
    message.refresh_from_db()
    assert message.text == "I am safe."
    bad = alice_client.post(f"/programme/safety/{message.pk}/edit", {"text": "   "})
    assert bad.status_code == 422 and "This is required." in html(bad)
    message.refresh_from_db()
    assert message.text == "I am safe."

    assert alice_client.get(f"/programme/safety/{message.pk}/delete").status_code == 200
    assert SafetyMessage.objects.filter(pk=message.pk).exists()
    alice_client.post(f"/programme/safety/{message.pk}/delete")
    assert not SafetyMessage.objects.filter(pk=message.pk).exists()


def test_bad_safety_message_shows_why_and_writes_nothing(alice_client):
    response = alice_client.post("/programme/safety", {"text": ""})
    assert response.status_code == 422
    assert "This is required." in html(response)
    too_long = "x" * 501
    response = alice_client.post("/programme/safety", {"text": too_long})
    assert response.status_code == 422
    assert "At most 500 characters." in html(response)
    assert too_long in html(response)
    assert not SafetyMessage.objects.exists()


def test_safety_suggestions_are_added_in_one_tap_and_then_hidden(alice, alice_client):
    starter = actions.course().starter_safety_messages[0]
    page = html(alice_client.get("/programme/safety"))
    assert page.count("Add to my messages") == len(actions.course().starter_safety_messages)
    response = alice_client.post("/programme/safety/suggestion", {"text": starter})
    added = SafetyMessage.objects.get(user=alice)
    assert added.text == starter
    assert response.url == f"/programme/safety#message-{added.pk}"
    page = html(alice_client.get("/programme/safety"))
    assert page.count("Add to my messages") == len(actions.course().starter_safety_messages) - 1
    assert f'href="/programme/safety/{added.pk}/edit"' in page
    # Tapped again (an old page): not added twice.
    alice_client.post("/programme/safety/suggestion", {"text": starter})
    assert SafetyMessage.objects.filter(user=alice).count() == 1
    # An empty one is refused.
    alice_client.post("/programme/safety/suggestion", {"text": ""})
    assert SafetyMessage.objects.filter(user=alice).count() == 1


# Evidence log


def test_evidence_log_lists_every_kind_and_saves_examples(alice, alice_client):
    kinds = actions.course().evidence_kinds
    page = html(alice_client.get("/programme/evidence"))
    for kind in kinds:
        assert escape(kind.label) in page and f'value="{kind.id}"' in page
    response = alice_client.post(
        "/programme/evidence", {"kind": kinds[2].id, "example": "Worse before the meeting"}
    )
    assert response.status_code == 302 and response.url.endswith(f"#kind-{kinds[2].id}")
    item = Evidence.objects.get(user=alice)
    assert (item.kind, item.example) == (kinds[2].id, "Worse before the meeting")
    assert "Worse before the meeting" in html(alice_client.get("/programme/evidence"))

    edit = alice_client.post(
        f"/programme/evidence/{item.pk}/edit", {"kind": kinds[3].id, "example": "Rain"}
    )
    assert edit.status_code == 302
    item.refresh_from_db()
    assert (item.kind, item.example) == (kinds[3].id, "Rain")
    bad = alice_client.post(f"/programme/evidence/{item.pk}/edit", {"kind": "nope", "example": ""})
    assert bad.status_code == 422
    item.refresh_from_db()
    assert item.example == "Rain"

    alice_client.post(f"/programme/evidence/{item.pk}/delete")
    assert not Evidence.objects.exists()


def test_bad_evidence_shows_why_and_writes_nothing(alice_client):
    kind = actions.course().evidence_kinds[0].id
    response = alice_client.post("/programme/evidence", {"kind": kind, "example": "  "})
    assert response.status_code == 422
    assert "This is required." in html(response)
    long_example = "y" * 5001
    response = alice_client.post("/programme/evidence", {"kind": kind, "example": long_example})
    assert response.status_code == 422
    assert "At most 5000 characters." in html(response) and long_example in html(response)
    response = alice_client.post("/programme/evidence", {"kind": "made_up", "example": "x"})
    assert response.status_code == 422
    assert not Evidence.objects.exists()


def test_my_evidence_summary_counts_kinds_and_examples(alice, alice_client):
    kinds = actions.course().evidence_kinds
    assert "No evidence yet" in html(alice_client.get("/programme/evidence/summary"))
    actions.add_evidence(user=alice, kind=kinds[0].id, example="Woke up with it")
    actions.add_evidence(user=alice, kind=kinds[0].id, example="Healed years ago")
    actions.add_evidence(user=alice, kind=kinds[4].id, example="Both knees")
    page = html(alice_client.get("/programme/evidence/summary"))
    assert f"<strong>2 of {len(kinds)}</strong>" in page
    assert "3 examples" in page
    for text in ("Woke up with it", "Healed years ago", "Both knees"):
        assert text in page
    assert kinds[1].label not in page
    assert "Clues that point elsewhere" not in page


def test_clues_that_point_elsewhere_are_kept_apart_with_the_advice_to_tell_a_clinician(
    alice, alice_client
):
    elsewhere = actions.course().elsewhere_kinds
    page = html(alice_client.get("/programme/evidence"))
    section = page[page.index('id="elsewhere-heading"') :]
    assert "tell a clinician about them" in section
    assert 'href="/urgent-help"' in section and 'href="/safety"' in section
    assert "numbness or weakness in both legs, get emergency help now" in section
    for kind in elsewhere:
        assert f'<h3 id="kind-{kind.id}-heading">' in section
    response = alice_client.post(
        "/programme/evidence", {"kind": elsewhere[0].id, "example": "Since my fall in May"}
    )
    # A clue that points elsewhere may be a warning sign: the questions are asked again.
    assert response.status_code == 302 and response.url == "/safety"
    page = html(alice_client.get("/safety"))
    assert "Please answer the warning-sign questions again now." in page
    summary = html(alice_client.get("/programme/evidence/summary"))
    assert "No evidence yet" not in summary
    told = summary[summary.index("Clues that point elsewhere: tell a clinician") :]
    assert escape(elsewhere[0].label) in told and "Since my fall in May" in told
    assert "kinds of evidence" not in summary  # not counted as a clue for the alarm


# Pain attribution


def test_causes_are_saved_with_their_categories_and_shown_over_time(alice, alice_client):
    page = html(alice_client.get("/programme/causes"))
    assert actions.course().attribution_question in page
    response = alice_client.post(
        "/programme/causes",
        {
            "cause_0": "Worn discs",
            "category_0": "body",
            "cause_1": "Stress at work",
            "category_1": "mind",
            "cause_2": "",
        },
    )
    assert response.status_code == 302
    attribution = Attribution.objects.get(user=alice)
    assert list(attribution.causes.values_list("text", "category")) == [
        ("Worn discs", "body"),
        ("Stress at work", "mind"),
    ]
    page = html(alice_client.get("/programme/causes"))
    assert "Stress at work" in page and "50%" in page
    assert "<polyline" not in page  # one answer is no line yet
    older = AttributionEntry(timezone.now() - dt.timedelta(days=8), [("injury", "body")])
    actions.record_attribution(user=alice, entry=older)
    page = html(alice_client.get("/programme/causes"))
    assert "<polyline" in page and "0%" in page


def test_a_cause_can_be_both_body_and_mind_and_counts_half(alice, alice_client):
    page = html(alice_client.get("/programme/causes"))
    assert 'name="category_0" value="both"' in page and "Both, about equally" in page
    response = alice_client.post(
        "/programme/causes",
        {"cause_0": "My back and my worries", "category_0": "both", "cause_1": ""},
    )
    assert response.status_code == 302
    cause = Attribution.objects.get(user=alice).causes.get()
    assert (cause.text, cause.category) == ("My back and my worries", "both")
    page = html(alice_client.get("/programme/causes"))
    assert '<span class="tag">both</span>' in page and "50%" in page


def test_bad_causes_show_why_and_write_nothing(alice_client):
    response = alice_client.post("/programme/causes", {"cause_0": "My posture"})
    assert response.status_code == 422
    assert "Choose body, brain and mind, or both, for this cause." in html(response)
    assert "My posture" in html(response)
    response = alice_client.post("/programme/causes", {"category_0": "mind"})
    assert response.status_code == 422
    assert "Write at least one cause." in html(response)
    response = alice_client.post("/programme/causes", {"cause_0": "x" * 501, "category_0": "body"})
    assert response.status_code == 422 and "Cause 1 is longer than 500 characters" in html(response)
    assert not Attribution.objects.exists()


def test_an_answer_can_be_deleted_after_confirming(alice, alice_client):
    entry = AttributionEntry(timezone.now(), [("discs", "body")])
    attribution = actions.record_attribution(user=alice, entry=entry)
    assert "discs" in html(alice_client.get(f"/programme/causes/{attribution.pk}/delete"))
    alice_client.post(f"/programme/causes/{attribution.pk}/delete")
    assert not Attribution.objects.exists()


# Thought records


def thought_data(**changes):
    data = {
        "situation": "At my desk",
        "automatic_thought": "I will never get better",
        "emotion_name_0": "Hopeless",
        "emotion_before_0": "8",
        "emotion_after_0": "4",
        "emotion_name_1": "",
        "emotion_before_1": "",
        "emotion_after_1": "",
        "traps": ["catastrophising", "fortune_telling"],
        "reappraisal": "I have had better days this month.",
    }
    data.update(changes)
    return data


def test_thought_record_is_saved_listed_edited_and_deleted(alice, alice_client):
    page = html(alice_client.get("/programme/thoughts/new"))
    assert page.count('name="emotion_name_') == 3  # blank rows to fill without JavaScript
    for trap in actions.course().thinking_traps:
        assert f'value="{trap.id}"' in page
    assert "Jumping to the worst possible outcome" in page

    response = alice_client.post("/programme/thoughts/new", thought_data())
    record = ThoughtRecord.objects.get(user=alice)
    assert response.status_code == 302
    assert response.url == f"/programme/thoughts#record-{record.pk}"
    assert record.automatic_thought == "I will never get better"
    assert record.traps == ["catastrophising", "fortune_telling"]
    assert list(record.emotions.values_list("name", "before", "after")) == [("hopeless", 8, 4)]

    page = html(alice_client.get("/programme/thoughts"))
    assert "I will never get better" in page and "hopeless: 8 → 4 after" in page
    assert "Catastrophising, Fortune telling" in page

    form = html(alice_client.get(f"/programme/thoughts/{record.pk}/edit"))
    assert "I have had better days" in form
    assert re.search(r'value="catastrophising"[^>]*checked', form)
    assert not re.search(r'value="labelling"[^>]*checked', form)
    alice_client.post(
        f"/programme/thoughts/{record.pk}/edit",
        thought_data(reappraisal="A bad hour, not a bad life.", traps=["labelling"]),
    )
    record.refresh_from_db()
    assert record.reappraisal == "A bad hour, not a bad life." and record.traps == ["labelling"]

    alice_client.post(f"/programme/thoughts/{record.pk}/delete")
    assert not ThoughtRecord.objects.exists()


def test_bad_thought_record_shows_why_and_keeps_what_was_typed(alice_client):
    response = alice_client.post(
        "/programme/thoughts/new",
        thought_data(automatic_thought="", situation="On the bus", emotion_before_0=""),
    )
    assert response.status_code == 422
    page = html(response)
    assert "This is required." in page  # the empty automatic thought, with the other error
    assert "Rate how strong it was, 0 to 10." in page
    assert "On the bus" in page
    response = alice_client.post("/programme/thoughts/new", thought_data(automatic_thought=" "))
    assert response.status_code == 422 and "This is required." in html(response)
    response = alice_client.post(
        "/programme/thoughts/new", thought_data(emotion_name_1="hopeless", emotion_before_1="2")
    )
    assert response.status_code == 422
    assert "Each emotion can appear only once." in html(response)
    response = alice_client.post(
        "/programme/thoughts/new", thought_data(emotion_name_0="", emotion_before_0="3")
    )
    assert response.status_code == 422 and "Name the emotion" in html(response)
    assert not ThoughtRecord.objects.exists()


def test_thought_record_starts_from_a_checkins_thought_and_emotions(alice, alice_client):
    checkin = post(token_client(alice), FULL).json()
    page = alice_client.get(f"/programme/thoughts/new?checkin={checkin['id']}")
    assert page.status_code == 200
    form = page.context["form"]
    assert form["automatic_thought"].value() == FULL["thought"]
    assert form["checkin"].value() == checkin["id"]
    names = [form[f"emotion_name_{i}"].value() for i in range(form.emotion_count)]
    assert names[:2] == ["anxious", "hopeful"]
    assert form["emotion_before_0"].value() == 5
    assert form.emotion_count == 5  # two from the check-in, three blank

    data = thought_data(checkin=str(checkin["id"]), automatic_thought=FULL["thought"])
    alice_client.post("/programme/thoughts/new", data)
    assert ThoughtRecord.objects.get(user=alice).checkin_id == checkin["id"]


def test_checkins_with_a_thought_link_to_a_thought_record(alice, alice_client):
    with_thought = post(token_client(alice), {**FULL, "recorded_at": None}).json()
    without = post(token_client(alice), {"pain": 2}).json()
    for url in ("/", "/history"):
        page = html(alice_client.get(url))
        assert f'href="/programme/thoughts/new?checkin={with_thought["id"]}"' in page, url
        assert f"?checkin={without['id']}" not in page


def test_a_strangers_checkin_is_404_and_a_posted_one_is_dropped(alice, carol, carol_client):
    checkin = post(token_client(alice), FULL).json()
    assert carol_client.get(f"/programme/thoughts/new?checkin={checkin['id']}").status_code == 404
    assert carol_client.get("/programme/thoughts/new?checkin=abc").status_code == 404
    # A posted id that is not hers is dropped: her record saves, unlinked, alice's untouched.
    response = carol_client.post(
        "/programme/thoughts/new", thought_data(checkin=str(checkin["id"]))
    )
    assert response.status_code == 302
    [saved] = ThoughtRecord.objects.all()
    assert saved.user == carol and saved.checkin_id is None


def test_a_thought_record_whose_check_in_was_deleted_meanwhile_still_saves(alice, alice_client):
    checkin = post(token_client(alice), FULL).json()
    # The form was opened from the check-in, which is then deleted in another tab.
    CheckIn.objects.filter(pk=checkin["id"]).delete()
    response = alice_client.post(
        "/programme/thoughts/new", thought_data(checkin=str(checkin["id"])), follow=True
    )
    assert "saved without it" in response.content.decode()
    [saved] = ThoughtRecord.objects.for_user(alice)
    assert saved.checkin_id is None and saved.automatic_thought


# Flare plan


def test_flare_plan_offers_starter_steps_then_saves_the_persons_own(alice, alice_client):
    starters = actions.course().starter_flare_plan
    page = alice_client.get("/programme/flare-plan")
    assert "You have no plan yet" in html(page)
    assert page.context["form"]["steps"].value() == "\n".join(starters)
    assert 'href="/programme/practice/somatic_tracking"' in html(page)

    response = alice_client.post(
        "/programme/flare-plan", {"steps": "Breathe out slowly\n\n  Read my messages \nWalk"}
    )
    assert response.status_code == 302
    assert list(FlarePlanStep.objects.for_user(alice).values_list("text", flat=True)) == [
        "Breathe out slowly",
        "Read my messages",
        "Walk",
    ]
    actions.add_safety_message(user=alice, text="This will pass.")
    page = html(alice_client.get("/programme/flare-plan"))
    assert "You have no plan yet" not in page
    assert "<li>Read my messages</li>" in page and "This will pass." in page


def test_bad_flare_plan_shows_why_and_writes_nothing(alice, alice_client):
    actions.set_flare_plan(user=alice, steps=["Breathe"])
    typed = "Rest\n" + "z" * 501
    response = alice_client.post("/programme/flare-plan", {"steps": typed})
    assert response.status_code == 422
    assert "At most 500 characters." in html(response) and "z" * 501 in html(response)
    assert list(FlarePlanStep.objects.values_list("text", flat=True)) == ["Breathe"]


def test_the_flare_panel_and_its_confirmation_reach_the_flare_plan(alice, alice_client):
    for url in ("/", "/history", "/programme"):
        page = html(alice_client.get(url))
        assert 'href="/programme/flare-plan">Your flare plan' in page, url
    actions.add_safety_message(user=alice, text="My alarm is loud; I am safe.")
    response = alice_client.post("/flare", {"pain": "8"}, follow=True)
    page = html(response)
    assert "Flare recorded" in page
    assert "My alarm is loud; I am safe." in page
    assert 'class="button-link" href="/programme/flare-plan">Your flare plan' in page
    assert 'href="/programme/practice/somatic_tracking">Somatic tracking' in page


def test_a_high_pain_checkin_offers_the_safety_messages(alice, alice_client):
    calm = alice_client.post("/checkins/new", {"pain": "4"}, follow=True)
    assert "These may help right now" not in html(calm)
    high = alice_client.post("/checkins/new", {"pain": "7"}, follow=True)
    page = html(high)
    assert "That is a lot of pain. These may help right now." in page
    # No messages of their own yet: starter examples, with a way to make them theirs.
    assert actions.course().starter_safety_messages[0] in page
    assert 'href="/programme/safety">Make them your own' in page
    # Shown once, not on every later page.
    assert "These may help right now" not in html(alice_client.get("/"))


# Strangers


@pytest.fixture
def alices_programme(alice):
    checkin = CheckIn.objects.get(pk=post(token_client(alice), FULL).json()["id"])
    record = actions.record_thought_record(
        user=alice,
        entry=ThoughtRecordEntry(
            timezone.now(), "alice-only-thought", emotions=[("sad", 5, None)], checkin=checkin.pk
        ),
    )
    return {
        "practice": make_practice(alice),
        "safety": actions.add_safety_message(user=alice, text="alice-only-message"),
        "evidence": actions.add_evidence(
            user=alice, kind=actions.course().evidence_kinds[0].id, example="alice-only-example"
        ),
        "attribution": actions.record_attribution(
            user=alice, entry=AttributionEntry(timezone.now(), [("alice-only-cause", "mind")])
        ),
        "thought": record,
        "checkin": checkin,
    }


STRANGER_URLS = [
    ("practice", "/programme/practices/{}"),
    ("practice", "/programme/practices/{}/delete"),
    ("safety", "/programme/safety/{}/edit"),
    ("safety", "/programme/safety/{}/delete"),
    ("evidence", "/programme/evidence/{}/edit"),
    ("evidence", "/programme/evidence/{}/delete"),
    ("attribution", "/programme/causes/{}/delete"),
    ("thought", "/programme/thoughts/{}/edit"),
    ("thought", "/programme/thoughts/{}/delete"),
    ("checkin", "/programme/thoughts/new?checkin={}"),
]


@pytest.mark.parametrize("kind,url", STRANGER_URLS)
def test_carol_gets_404_for_alices_programme_objects(alices_programme, carol_client, kind, url):
    target = url.format(alices_programme[kind].pk)
    assert carol_client.get(target).status_code == 404
    if "?" not in target:
        response = carol_client.post(target, {"text": "carol", "example": "carol", "kind": "x"})
        assert response.status_code == 404


def test_carol_sees_nothing_of_alices_programme_and_changes_nothing(
    alice, alices_programme, carol_client
):
    for url in (
        "/programme",
        "/programme/practices",
        "/programme/safety",
        "/programme/evidence",
        "/programme/evidence/summary",
        "/programme/causes",
        "/programme/thoughts",
        "/programme/flare-plan",
        "/",
    ):
        page = html(carol_client.get(url))
        assert "alice-only" not in page, url
    assert Practice.objects.filter(user=alice).count() == 1
    assert SafetyMessage.objects.get(user=alice).text == "alice-only-message"
    assert Evidence.objects.get(user=alice).example == "alice-only-example"
    assert ThoughtRecord.objects.get(user=alice).automatic_thought == "alice-only-thought"
    assert Attribution.objects.filter(user=alice).count() == 1


@pytest.mark.parametrize(
    ("url", "data", "model"),
    [
        ("/programme/safety", {"text": "I am safe."}, SafetyMessage),
        ("/programme/evidence", {"example": "Hurt the next day", "kind": "delayed"}, Evidence),
        (
            "/programme/causes",
            {"cause_0": "Stress", "category_0": "mind", "cause_1": "", "cause_2": ""},
            Attribution,
        ),
        ("/programme/thoughts/new", thought_data(), ThoughtRecord),
    ],
)
def test_a_create_form_sent_twice_saves_once(alice, alice_client, url, data, model):
    page = html(alice_client.get(url))
    submission = page.split('name="submission" value="')[1].split('"')[0]
    for _ in range(2):  # a double tap, or a resend after a dropped connection
        assert alice_client.post(url, {**data, "submission": submission}).status_code == 302
    assert model.objects.for_user(alice).count() == 1
    # The same form changed and sent again is a new one.
    changed = {**data, "submission": submission}
    changed[next(k for k, v in data.items() if isinstance(v, str) and v)] += " again"
    assert alice_client.post(url, changed).status_code == 302
    assert model.objects.for_user(alice).count() == 2


def test_a_thought_record_shows_every_problem_at_once_and_writes_nothing(alice, alice_client):
    data = thought_data(
        situation="x" * 5001, automatic_thought="  ", emotion_name_0="x" * 41, emotion_before_0="5"
    )
    response = alice_client.post("/programme/thoughts/new", data)
    assert response.status_code == 422
    page = html(response)
    assert "At most 40 characters." in page  # the emotion's name
    assert "At most 5000 characters." in page  # the situation, in the same answer
    assert "This is required." in page  # the automatic thought
    assert not ThoughtRecord.objects.exists()


# If this has not helped (issue 14): open to every signed-in person, linked from the outcome
# page, the last session and the worsening advice.

NOT_HELPED = "/if-this-has-not-helped"


def test_the_not_helped_page_gives_the_options_the_gp_script_and_the_medicines_statement(
    alice_client,
):
    response = alice_client.get(NOT_HELPED)
    assert response.status_code == 200
    page = html(response)
    assert "<h1>If this has not helped</h1>" in page
    assert "It is not your fault." in page
    for option in (
        "CBT for chronic pain",
        "Acceptance and commitment therapy (ACT)",
        "Emotional awareness and expression therapy (EAET)",
        "Exercise therapy with a physiotherapist",
        "A pain service or pain clinic",
    ):
        assert option in page, option
    assert "I have tried a pain reprocessing programme for (how many) weeks." in page
    assert '<a href="/report">printable report</a>' in page
    assert "talk to the person who prescribed it" in page
    assert "Ashar YK" in page  # its references


def test_signed_out_the_not_helped_page_sends_to_sign_in(db, client):
    response = client.get(NOT_HELPED)
    assert response.status_code == 302 and response.url.startswith("/accounts/login")


@pytest.mark.parametrize(
    "state, waits_at",
    [("not suited", "/who-it-is-for"), ("not screened", "/safety"), ("locked", "/safety")],
)
def test_the_not_helped_page_does_not_wait_for_the_warning_signs(db, client, state, waits_at):
    dave = create_user(email="dave@example.com", password=PASSWORD)
    record_suitability(
        user=dave, answers={**FITS, "adult": "no" if state == "not suited" else "yes"}
    )
    if state == "locked":
        record_screening(
            user=dave, answers={flag.id: flag.id == "night_pain" for flag in red_flags()}
        )
    client.force_login(dave, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/programme").url == waits_at  # the programme itself waits
    response = client.get(NOT_HELPED)
    assert response.status_code == 200
    assert "What to say to your GP" in html(response)


def test_the_outcome_page_speaks_to_partial_or_no_improvement_and_links_the_page(alice_client):
    page = html(alice_client.get("/questionnaires/outcome"))
    assert "If your pain has not come down, or only partly" in page
    assert "That is not your fault" in page
    assert "66 in 100 people who had PRT" in page and "about a third were not" in page
    assert f'<a href="{NOT_HELPED}">If this has not helped</a>' in page
    # The caveats stay.
    assert "This was one trial." in page


def test_the_last_session_links_the_not_helped_page(alice, alice_client):
    finish_sessions(alice, 8)
    page = html(alice_client.get("/programme/sessions/flares"))
    assert f'<a href="{NOT_HELPED}">If this has not helped</a>' in page


def test_the_worsening_advice_links_the_not_helped_page(alice, alice_client):
    answers = {f"phq9_{i}": v for i, v in enumerate((2, 2, 2, 2, 2, 2, 2, 1, 0), 1)}
    response = record_response(user=alice, instrument_id="phq9", answers=answers)
    page = html(alice_client.get(f"/questionnaires/responses/{response.pk}"))
    advice = page[page.index('class="card alert worsening"') :]
    advice = advice[: advice.index("</section>")]
    assert f'<a href="{NOT_HELPED}">If the programme has not helped you</a>' in advice


@pytest.mark.parametrize("kind", ["breathing", "muscle_relaxation", "imagery"])
def test_the_relaxation_practices_ask_the_tension_and_are_listed_as_tools(
    alice, alice_client, kind
):
    guided = actions.course().practices[kind]
    page = html(alice_client.get(f"/programme/practice/{kind}"))
    assert 'name="tension_before"' in page
    assert "optional, if you like (0 = fully relaxed, 10 = extremely tense)" in page
    assert f'href="/programme/practice/{kind}"' in html(alice_client.get("/programme"))
    response = alice_client.post(
        f"/programme/practice/{kind}",
        {
            "started": started_token(alice_client, kind),
            **{f"{rating}_before": "6" for rating in guided.ratings},
            **{f"{rating}_after": "3" for rating in guided.ratings},
        },
    )
    assert response.status_code == 302
    saved = Practice.objects.get(user=alice)
    assert (saved.kind, saved.tension_before, saved.tension_after) == (kind, 6, 3)
    assert "Tension</strong>: 6 before, 3 after — went down by 3 points." in html(
        alice_client.get(response.url)
    )


def test_tense_and_let_go_says_to_skip_a_part_that_hurts(alice_client):
    page = html(alice_client.get("/programme/practice/muscle_relaxation"))
    assert "Skip any part that hurts" in page and "about half your strength" in page
