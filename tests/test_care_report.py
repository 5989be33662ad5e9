"""The printable report: its numbers on hand-made data, the sections chosen, the page, the PDF,
the password asked again for the PDF, and only ever the signed-in person's own data."""

import datetime as dt
import io
import re
import time
import zlib

import pytest
from django.core.management import call_command
from django.test import Client
from helpers import open_programme

from rewire.accounts.models import User
from rewire.accounts.reauth import SESSION_KEY
from rewire.care import pdf, report
from rewire.care.report import build_report
from rewire.core.errors import InvalidEntry
from rewire.diary import actions as diary
from rewire.diary.entry import CheckInEntry
from rewire.exposure import actions as exposure
from rewire.exposure.rules import AttemptAfter, AttemptBefore, Rating, RungEntry
from rewire.measures import actions as measures
from rewire.measures import helplines
from rewire.program import actions as program
from rewire.program.models import SessionCompletion
from rewire.program.rules import PracticeEntry

ALL = set(report.SECTIONS)


def today(user) -> dt.date:
    return user.today()


def at(user, day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=user.zone)


def check_in(user, day, pain, *, hour=12, flare=False, areas=()):
    return diary.record_checkin(
        user=user,
        entry=CheckInEntry(
            pain=pain, recorded_at=at(user, day, hour), is_flare=flare, body_areas=list(areas)
        ),
    )


def answer(user, instrument_id, day, values: dict):
    return measures.record_response(
        user=user, instrument_id=instrument_id, answers=values, answered_at=at(user, day)
    )


def phq9(total: int, item9: int = 0) -> dict:
    """PHQ-9 answers adding up to `total`, item 9 as given."""
    answers, left = {"phq9_9": item9}, total - item9
    for n in range(1, 9):
        answers[f"phq9_{n}"] = min(3, left)
        left -= answers[f"phq9_{n}"]
    assert left == 0
    return answers


def gad7(total: int) -> dict:
    answers, left = {}, total
    for n in range(1, 8):
        answers[f"gad7_{n}"] = min(3, left)
        left -= answers[f"gad7_{n}"]
    return answers


@pytest.fixture
def period(alice):
    """Two weeks ending yesterday, so that no test writes a moment still to come."""
    last = today(alice) - dt.timedelta(days=1)
    return last - dt.timedelta(days=13), last


# --- The numbers ---------------------------------------------------------------------------


def test_pain_daily_averages_weeks_flares_and_the_rolling_line(alice, period):
    first, last = period
    check_in(alice, first - dt.timedelta(days=1), 9, flare=True)  # before: only the line
    check_in(alice, first, 4, hour=9)
    check_in(alice, first, 6, hour=18)
    check_in(alice, first + dt.timedelta(days=1), 3)
    check_in(alice, first + dt.timedelta(days=7), 4)
    check_in(alice, last, 1, hour=9)
    check_in(alice, last, 3, hour=18, flare=True)
    check_in(alice, last + dt.timedelta(days=1), 10, hour=0)  # after: left out

    pain = build_report(alice, first=first, last=last, sections={"pain"}).pain

    assert [(s.day, s.average, s.count) for s in pain.days] == [
        (first, 5, 2),
        (first + dt.timedelta(days=1), 3, 1),
        (first + dt.timedelta(days=7), 4, 1),
        (last, 2, 2),
    ]
    assert pain.checkins == 6 and pain.days_logged == 4 and pain.flares == 1
    assert pain.average == pytest.approx(3.5)  # (5 + 3 + 4 + 2) / 4: each day counts once
    assert pain.first_week == pytest.approx(4.0) and pain.last_week == pytest.approx(3.0)
    # 1 point and 25 % lower: under the pain scale's 2 points or 30 %.
    assert pain.change.points == pytest.approx(-1.0)
    assert pain.change.better is True and pain.change.meaningful is False
    assert "may be day-to-day variation" in pain.change.words
    # The line's first point averages the day before the period too: (9 + 5) / 2.
    assert pain.rolling[0] == (first, pytest.approx(7.0))
    assert pain.rolling[-1] == (last, pytest.approx(3.0))  # (4 + 2) / 2 over 7 days


def test_a_change_of_exactly_two_points_is_meaningful(alice, period):
    first, last = period
    for hour, pain in enumerate([4] * 9 + [5]):  # 4.1
        check_in(alice, first, pain, hour=hour + 8)
    for hour, pain in enumerate([2] * 9 + [3]):  # 2.1
        check_in(alice, last, pain, hour=hour + 8)
    pain = build_report(alice, first=first, last=last, sections={"pain"}).pain
    assert (pain.first_week, pain.last_week) == (pytest.approx(4.1), pytest.approx(2.1))
    assert pain.change.points == pytest.approx(-2.0)
    assert pain.change.meaningful is True and pain.change.percent == 49
    assert pain.change.words.endswith("a meaningful change.")


def test_weeks_are_compared_only_in_a_period_of_two_weeks_or_more(alice, period):
    first, last = period
    check_in(alice, last, 5)
    pain = build_report(
        alice, first=last - dt.timedelta(days=12), last=last, sections={"pain"}
    ).pain
    assert pain.first_week is None and pain.last_week is None and pain.change is None
    pain = build_report(alice, first=first, last=last, sections={"pain"}).pain
    assert pain.first_week is None and pain.last_week == 5 and pain.change is None


def test_body_areas_how_often_and_how_strong_most_often_first(alice, period):
    first, last = period
    check_in(alice, first, 6, areas=[("lower_back", 7), ("neck", 3)])
    check_in(alice, first + dt.timedelta(days=2), 5, areas=[("lower_back", 5)])
    check_in(alice, last, 2)
    check_in(alice, first - dt.timedelta(days=1), 8, areas=[("neck", 9), ("head", 9)])

    body = build_report(alice, first=first, last=last, sections={"body"}).body

    assert body.checkins == 3 and body.checkins_marked == 2
    assert [(r.area, r.label, r.times, r.average, r.highest) for r in body.rows] == [
        ("lower_back", "Lower back", 2, 6.0, 7),
        ("neck", "Neck", 1, 3.0, 3),
    ]
    assert body.rows[0].share == pytest.approx(2 / 3)


def test_questionnaires_bands_and_the_change_judged_by_the_mcid(alice, period):
    first, last = period
    answer(alice, "phq9", first - dt.timedelta(days=3), phq9(24))  # before: not the baseline
    answer(alice, "phq9", first, phq9(15, item9=1))
    answer(alice, "phq9", last, phq9(8))
    answer(alice, "gad7", first + dt.timedelta(days=1), gad7(9))
    answer(alice, "gad7", last, gad7(7))
    answer(alice, "pgic", last, {"pgic": 5})

    section = build_report(alice, first=first, last=last, sections={"questionnaires"})
    by_id = {s.instrument.id: s for s in section.questionnaires.instruments}

    assert list(by_id) == ["phq9", "gad7", "pgic"]  # the app's order of instruments
    phq = by_id["phq9"]
    assert [(s.day, s.total, s.band) for s in phq.scores] == [
        (first, 15, "Moderately severe"),
        (last, 8, "Mild"),
    ]
    assert phq.crisis_days == [first]
    # 15 -> 8: 7 points lower, at least the PHQ-9's 5.
    assert (phq.change.points, phq.change.better, phq.change.meaningful) == (-7, True, True)
    gad = by_id["gad7"]
    assert [s.band for s in gad.scores] == ["Mild", "Mild"]
    # 9 -> 7: 2 points, under the GAD-7's 4.
    assert (gad.change.points, gad.change.better, gad.change.meaningful) == (-2, True, False)
    assert by_id["pgic"].change is None  # itself a rating of change
    assert gad.crisis_days == []


def test_practice_counts_and_before_after_averages_and_sessions(alice, period):
    first, last = period
    open_programme(alice)

    def practise(kind, day, ratings, minutes=6):
        start = at(alice, day)
        program.record_practice(
            user=alice,
            entry=PracticeEntry(
                kind=kind,
                started_at=start,
                finished_at=start + dt.timedelta(minutes=minutes),
                ratings=ratings,
                note="a private note",
            ),
        )

    practise("somatic_tracking", first, {"pain": (6, 4), "threat": (7, 3)})
    practise("somatic_tracking", last, {"pain": (8, 5), "threat": (5, None)}, minutes=4)
    practise("savouring", last, {"mood": (3, 6)})
    practise("savouring", first - dt.timedelta(days=1), {"mood": (0, 10)})
    for session, day in (("intake", first - dt.timedelta(days=1)), ("evidence", last)):
        done = program.complete_session(user=alice, session_id=session)
        SessionCompletion.objects.filter(pk=done.pk).update(completed_at=at(alice, day))

    section = build_report(alice, first=first, last=last, sections={"practice"}).practice

    assert section.total == 3
    tracking, savouring = section.rows
    assert (tracking.kind, tracking.count, tracking.minutes) == ("somatic_tracking", 2, 10)
    pain, threat = tracking.ratings
    assert (pain.name, pain.pairs, pain.before, pain.after) == ("Pain", 2, 7.0, 4.5)
    # Only a practice with both ratings counts towards the averages.
    assert (threat.name, threat.pairs, threat.before, threat.after) == ("Threat", 1, 7.0, 3.0)
    assert (savouring.count, savouring.ratings[0].before, savouring.ratings[0].after) == (1, 3, 6)
    assert [(s.number, s.day) for s in section.sessions] == [(1, last)]
    assert section.sessions_done_by_end == 2 and section.sessions_in_course == 9


def test_exposure_rungs_tries_predicted_against_actual_and_mastered(alice, period):
    first, last = period
    bending = exposure.add_rung(
        user=alice,
        entry=RungEntry(activity="Bending to tie shoes", rating=Rating(60, 6, 40)),
        at=at(alice, first - dt.timedelta(days=5)),
    )
    walking = exposure.add_rung(
        user=alice,
        entry=RungEntry(activity="A short walk", rating=Rating(20, 3, 10)),
        at=at(alice, first + dt.timedelta(days=2)),
    )
    exposure.rate_rung(user=alice, pk=bending.pk, rating=Rating(30, 3, 10))  # now: after it

    def attempt(rung, day, predicted, actual, outcome, finished=True):
        exposure.start_attempt(
            user=alice,
            entry=AttemptBefore(
                rung=rung.pk,
                started_at=at(alice, day),
                fear_before=60,
                predicted_pain=predicted,
                predicted_harm=30,
                prediction="a private prediction",
            ),
            after=AttemptAfter(actual_pain=actual, outcome=outcome, fear_after=30)
            if finished
            else None,
        )

    attempt(bending, first + dt.timedelta(days=1), 7, 3, "no")
    attempt(bending, first + dt.timedelta(days=3), 5, 6, "partly")
    attempt(walking, last, 4, 2, "partly")
    attempt(walking, last, 4, 0, "no", finished=False)
    attempt(bending, first - dt.timedelta(days=1), 9, 0, "no")  # before the period
    exposure.set_mastered(user=alice, pk=walking.pk, mastered=True, at=at(alice, last, 20))

    section = build_report(alice, first=first, last=last, sections={"exposure"}).exposure

    assert (section.tries, section.unfinished, section.surprises) == (3, 1, 2)
    assert section.predicted_pain == pytest.approx(16 / 3)
    assert section.actual_pain == pytest.approx(11 / 3)
    assert section.mastered_in_period == 1
    walk, bend = section.rungs  # easiest first, by the fear rated by the period's end
    assert (bend.activity, bend.fear, bend.fear_at_start) == ("Bending to tie shoes", 60, 60)
    assert (bend.tries, bend.predicted_pain, bend.actual_pain, bend.surprises) == (2, 6, 4.5, 1)
    assert bend.mastered_on is None
    assert (walk.fear, walk.fear_at_start, walk.tries, walk.mastered_on) == (20, None, 1, last)


def test_only_the_chosen_sections_are_gathered_in_the_reports_order(alice, period):
    first, last = period
    built = build_report(alice, first=first, last=last, sections={"exposure", "pain"})
    assert built.sections == ("pain", "exposure")
    assert built.pain is not None and built.exposure is not None
    assert built.body is None and built.questionnaires is None and built.practice is None
    assert [label for _, label in built.section_labels] == ["Pain trend", "Graded exposure"]
    assert report.sections_for_scopes(["diary", "thoughts"]) == {"pain", "body"}


@pytest.mark.parametrize(
    "first_offset, last_offset, sections, field, words",
    [
        (-5, -10, ALL, "last", "on or after the first day"),
        (-5, 1, ALL, "last", "cannot end after today"),
        (-731, 0, ALL, "first", "at most two years"),
        (-5, 0, {"pain", "diary"}, "sections", "No section called diary"),
        (-5, 0, set(), "sections", "at least one section"),
    ],
)
def test_build_report_refuses_what_the_form_refuses(
    alice, first_offset, last_offset, sections, field, words
):
    now = today(alice)
    with pytest.raises(InvalidEntry) as refused:
        build_report(
            alice,
            first=now + dt.timedelta(days=first_offset),
            last=now + dt.timedelta(days=last_offset),
            sections=sections,
        )
    assert words in refused.value.problems[field]
    # Exactly two years is allowed.
    build_report(alice, first=now - dt.timedelta(days=730), last=now, sections={"pain"})


# --- The page ------------------------------------------------------------------------------


@pytest.fixture
def alices_diary(alice, period):
    first, last = period
    open_programme(alice)
    check_in(alice, first, 6, areas=[("lower_back", 7)])
    check_in(alice, last, 3, flare=True, areas=[("left_knee", 2)])
    answer(alice, "phq9", first, phq9(12))
    answer(alice, "phq9", last, phq9(6))
    start = at(alice, last)
    program.record_practice(
        user=alice,
        entry=PracticeEntry(
            kind="somatic_tracking",
            started_at=start,
            finished_at=start + dt.timedelta(minutes=6),
            ratings={"pain": (6, 4), "threat": (7, 3)},
            note="alice-private-practice-note",
        ),
    )
    rung = exposure.add_rung(
        user=alice,
        entry=RungEntry(activity="Lifting the shopping bag", rating=Rating(55, 5, 30)),
        at=at(alice, first),
    )
    exposure.start_attempt(
        user=alice,
        entry=AttemptBefore(
            rung=rung.pk,
            started_at=at(alice, last),
            fear_before=55,
            predicted_pain=6,
            predicted_harm=30,
            prediction="alice-private-prediction",
        ),
        after=AttemptAfter(actual_pain=2, outcome="no", fear_after=20),
    )
    return period


def query(first, last, sections=ALL) -> dict:
    return {"first": first.isoformat(), "last": last.isoformat(), "sections": sorted(sections)}


def test_the_page_shows_each_section(alice_client, alices_diary):
    first, last = alices_diary
    page = alice_client.get("/report", query(first, last))
    assert page.status_code == 200
    html = page.content.decode()
    for words in (
        'id="report-pain"',
        "Average pain <strong>4.5</strong>",
        '<polyline class="line"',
        "Lower back",
        "Left knee",
        "Patient Health Questionnaire (PHQ-9)",
        "Moderate",
        "Mild",
        "Your PHQ-9 went from 12 to 6",
        "Somatic tracking",
        "Pain 6.0 → 4.0",
        "Lifting the shopping bag",
        "Pain predicted <strong>6.0</strong>, actual pain <strong>2.0</strong>",
        f"/report.pdf?first={first.isoformat()}",
    ):
        assert words in html, words
    # Thoughts and notes are never part of it.
    assert "alice-private" not in html
    assert "style=" not in html  # the CSP allows no inline styles


def test_question_9_above_0_is_named_with_the_crisis_advice_beside_it(alice_client, alice, period):
    first, last = period
    answer(alice, "phq9", last, phq9(14, item9=2))
    html = alice_client.get("/report", query(first, last, {"questionnaires"})).content.decode()
    assert "Question 9 (thoughts of being better off dead or of hurting yourself)" in html
    assert helplines.DEFAULT_ADVICE in html
    text = pdf_strings(alice_client.get("/report.pdf", query(first, last)).content)
    assert "Item 9 (thoughts of being better off dead or of self-harm)" in text


def test_the_page_opens_on_the_last_four_weeks_with_every_section(alice_client, alice):
    html = alice_client.get("/report").content.decode()
    now = today(alice)
    assert f'value="{(now - dt.timedelta(days=27)).isoformat()}"' in html
    assert f'value="{now.isoformat()}"' in html
    assert html.count('type="checkbox" name="sections"') == 6
    assert html.count("checked") == 6
    for empty in (
        "No goals named by the end of this period.",
        "No check-ins in this period.",
        "No questionnaires answered in this period.",
        "No guided practices in this period.",
        "No activities on the fear ladder",
    ):
        assert empty in html


def test_only_the_chosen_sections_are_on_the_page(alice_client, alices_diary):
    first, last = alices_diary
    html = alice_client.get("/report", query(first, last, {"body"})).content.decode()
    assert 'id="report-body"' in html and "Lower back" in html
    assert 'id="report-pain"' not in html and "Lifting the shopping bag" not in html


@pytest.mark.parametrize(
    "params, field, words",
    [
        ({"first": "2026-02-30", "last": "2026-03-01"}, "first", "Enter a date as"),
        ({"first": "yesterday", "last": "2026-03-01"}, "first", "Enter a date as"),
        ({"first": "2026-03-05", "last": "2026-03-01"}, "last", "on or after the first day"),
        ({"first": "2020-01-01", "last": "2026-03-01"}, "first", "at most two years"),
        ({"first": "2026-03-01", "last": "2999-01-01"}, "last", "cannot end after today"),
        (
            {"first": "2026-03-01", "last": "2026-03-02", "sections": ["pain", "thoughts"]},
            "sections",
            "There is no section “thoughts”",
        ),
        ({"first": "2026-03-01", "last": "2026-03-02", "sections": []}, "sections", "at least one"),
    ],
)
def test_a_bad_choice_is_a_422_naming_the_field_and_why(alice_client, params, field, words):
    params = {"sections": ["pain"], **params}
    page = alice_client.get("/report", params)
    assert page.status_code == 422
    html = page.content.decode()
    assert re.search(rf'id="id_{field}_error">[^<]*{re.escape(words)}', html), html
    assert 'href="#id_' in html  # the summary links to the field
    assert 'class="report"' not in html
    document = alice_client.get("/report.pdf", params)
    assert document.status_code == 422
    assert document["Content-Type"].startswith("text/plain")
    assert f"{field}: " in document.content.decode() and words in document.content.decode()


def test_the_pdf_url_guesses_nothing(alice_client):
    """The page opens on defaults; a download is of a report chosen there."""
    response = alice_client.get("/report.pdf")
    assert response.status_code == 422
    text = response.content.decode()
    assert "first: Enter a date." in text and "last: Enter a date." in text
    assert "sections: Choose at least one section." in text
    assert "Choose the period and the sections on /report." in text


def test_post_is_not_allowed(alice_client):
    assert alice_client.post("/report").status_code == 405
    assert alice_client.post("/report.pdf").status_code == 405


# --- The PDF -------------------------------------------------------------------------------


def pdf_strings(document: bytes) -> str:
    """The text shown by a PDF's content streams (fpdf2 writes each run as `(text) Tj`)."""
    shown = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", document, re.S):
        try:
            content = zlib.decompress(stream)
        except zlib.error:
            content = stream
        for text in re.findall(rb"\(((?:[^()\\]|\\.)*)\)\s*Tj", content):
            shown.append(re.sub(rb"\\(.)", rb"\1", text).decode("cp1252"))
    return "\n".join(shown)


def test_the_pdf_has_the_same_content(alice_client, alices_diary):
    first, last = alices_diary
    response = alice_client.get("/report.pdf", query(first, last))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="rewire-report-{first.isoformat()}-{last.isoformat()}.pdf"'
    )
    assert response["Cache-Control"] == "no-store"
    assert response.content.startswith(b"%PDF")
    text = pdf_strings(response.content)
    for words in (
        "Rewire report",
        "alice@example.com",
        "Pain trend",
        "Average pain 4.5 out of 10",
        "Body areas",
        "Lower back",
        "Patient Health Questionnaire (PHQ-9)",
        "Moderate",
        "From 12 to 6 in this period: 6 points lower (better), at least 5 points",
        "Somatic tracking",
        "Pain 6.0 to 4.0 (1)",
        "Programme sessions",
        "Lifting the shopping bag",
        "Graded exposure",
    ):
        assert words in text, words
    assert "alice-private" not in text
    # The pain chart is drawn: a polyline (m ... l ... S) in the page's content.
    content = b"".join(
        zlib.decompress(s)
        for s in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", response.content, re.S)
        if s.startswith(b"x")
    )
    assert re.search(rb"m\n(?:[\d.]+ [\d.]+ l\n)+ ?S", content)


def test_the_pdf_with_only_some_sections_and_empty_ones(alice_client, alice, period):
    first, last = period
    response = alice_client.get("/report.pdf", query(first, last, {"pain", "exposure"}))
    text = pdf_strings(response.content)
    assert "No check-ins in this period." in text
    assert "No activities on the fear ladder by the end of this period." in text
    assert "Body areas" not in text and "Questionnaires" not in text


def test_the_pdf_shows_any_activity_name(alice):
    """The built-in font covers Western European letters; others lose accents or become ?."""
    assert pdf.pdf_text("Café – “quoted” …") == "Café – “quoted” …"
    assert pdf.pdf_text("Ćwiczenie, Łódź") == "Cwiczenie, ?ódz"  # Ł has no plain letter in it
    assert pdf.pdf_text("散歩 walk") == "?? walk"
    first = today(alice) - dt.timedelta(days=3)
    exposure.add_rung(
        user=alice,
        entry=RungEntry(activity="Spaziergang Ćmielów 散歩", rating=Rating(40, 4, 20)),
        at=at(alice, first),
    )
    built = build_report(alice, first=first, last=today(alice), sections=ALL)
    assert pdf_strings(pdf.render(built)).count("Spaziergang Cmielów ??") == 1


def test_the_pdf_asks_for_the_password_again_after_an_old_sign_in(
    alice_client, alices_diary, settings
):
    first, last = alices_diary
    session = alice_client.session
    session[SESSION_KEY] = int(time.time()) - settings.REAUTH_MINUTES * 60 - 1
    session.save()
    url = f"/report.pdf?first={first.isoformat()}&last={last.isoformat()}&sections=pain"
    response = alice_client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/confirm?next=")
    assert "%2Freport.pdf%3Ffirst%3D" in response.url
    # The page itself is not an export: it still opens.
    assert alice_client.get("/report").status_code == 200


def test_nobody_signed_in_is_sent_to_sign_in(client):
    for url in ("/report", "/report.pdf"):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login"), url


def test_a_stranger_sees_only_her_own_empty_report(carol_client, alice, alices_diary):
    first, last = alices_diary
    page = carol_client.get("/report", query(first, last)).content.decode()
    assert "Lifting the shopping bag" not in page and "Lower back" not in page
    assert "alice@example.com" not in page and "carol@example.com" in page
    assert "No check-ins in this period." in page
    document = carol_client.get("/report.pdf", query(first, last))
    text = pdf_strings(document.content)
    assert "carol@example.com" in text and "alice" not in text
    assert "Lifting the shopping bag" not in text
    # Any id-like parameter is ignored: there is no way to name another person.
    other = carol_client.get("/report", {**query(first, last), "user": alice.pk})
    assert "Lifting the shopping bag" not in other.content.decode()


# --- Ten years of demo diary ---------------------------------------------------------------


def test_a_two_year_report_of_a_ten_year_demo_diary(db, capsys):
    call_command("demo", "--days", "3650", "--email", "report@rewire.invalid", stdout=io.StringIO())
    user = User.objects.get(email="report@rewire.invalid")
    last = today(user)
    first = last - dt.timedelta(days=730)
    started = time.perf_counter()
    built = build_report(user, first=first, last=last, sections=ALL)
    gathered = time.perf_counter() - started
    started = time.perf_counter()
    document = pdf.render(built)
    rendered = time.perf_counter() - started
    assert built.days == 731
    assert built.pain.days_logged > 600 and len(built.pain.rolling) == built.pain.days_logged
    assert built.body.rows and built.questionnaires.instruments
    assert document.startswith(b"%PDF")
    browser = Client()
    browser.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    served = []
    for _ in range(2):  # the first request also loads the templates and the URLs
        started = time.perf_counter()
        page = browser.get("/report", query(first, last))
        served.append(time.perf_counter() - started)
    assert page.status_code == 200 and page.content.count(b"<polyline") >= 2
    with capsys.disabled():
        print(
            f"\n2-year report of a 10-year demo diary ({built.pain.checkins} check-ins): "
            f"gathered in {gathered:.3f} s, PDF of {len(document) // 1024} KiB drawn in "
            f"{rendered:.3f} s, the page served in {served[1]:.3f} s ({served[0]:.3f} s cold)"
        )


def test_the_goals_section_gives_each_goals_first_and_latest_week_in_the_period(
    alice_client, alice
):
    from rewire.goals import actions as goals
    from rewire.goals.rules import week_of

    now = today(alice)
    walk = goals.add_goal(user=alice, title="A walk with Sam", why="private words")
    goals.add_goal(user=alice, title="Gardening")
    for weeks_back, done in ((3, 2), (2, 3), (0, 6)):
        goals.rate_goal(
            user=alice, pk=walk.pk, week=now - dt.timedelta(weeks=weeks_back), done=done
        )
    html = alice_client.get("/report", query(now - dt.timedelta(days=27), now, {"goals"}))
    html = html.content.decode()
    row = html.split("A walk with Sam</th>")[1].split("</tr>")[0]
    first_week = week_of(now - dt.timedelta(weeks=3))
    assert ">3<" in row  # weeks rated
    assert f'2 <span class="help">(week of {first_week.day} {first_week:%b})' in row
    assert "6 <span" in row
    assert "not a validated questionnaire" in html
    assert "private words" not in html  # why it matters stays with the person
    gardening = html.split("Gardening</th>")[1].split("</tr>")[0]
    assert ">0<" in gardening and "–" in gardening
    text = pdf_strings(
        alice_client.get("/report.pdf", query(now - dt.timedelta(days=27), now, {"goals"})).content
    )
    assert "A walk with Sam" in text and "not a validated questionnaire" in text


def test_the_exposure_section_sums_each_paced_activitys_bouts_in_the_period(alice_client, alice):
    from rewire.exposure import actions as exposure
    from rewire.exposure.rules import PacingBoutEntry, PacingPlanEntry

    now = today(alice)
    plan = exposure.add_pacing_plan(
        user=alice,
        entry=PacingPlanEntry(activity="Gardening", activity_minutes=15, break_minutes=5),
    )
    for back, minutes, breaks in ((1, 30, 1), (3, 15, 0), (40, 45, 2)):  # the last: before it
        exposure.log_pacing_bout(
            user=alice,
            entry=PacingBoutEntry(
                plan=plan.pk, minutes=minutes, breaks=breaks, local_date=now - dt.timedelta(back)
            ),
        )
    period = query(now - dt.timedelta(days=27), now, {"exposure"})
    html = alice_client.get("/report", period).content.decode()
    assert (
        "<strong>Gardening</strong> (15 minutes, then a 5-minute break): 2 bouts, 45 minutes of "
        "activity in all, 1 break." in html
    )
    assert "No activities on the fear ladder" in html  # pacing shows without a ladder
    text = pdf_strings(alice_client.get("/report.pdf", period).content)
    assert "Time-based pacing, Gardening" in text and "2 bouts, 45 minutes" in text
