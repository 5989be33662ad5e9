"""The questionnaire and warning-sign pages, through the real views, forms, actions and
database: scores and bands, missing answers, crisis support, the programme's lock."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from django.utils.html import escape
from helpers import finish_sessions, suited

from rewire.core.models import IdempotencyKey
from rewire.diary.models import CheckIn
from rewire.measures import actions, helplines
from rewire.measures.models import Response, SafetyEvent, Screening
from rewire.measures.outcome import CAVEATS
from rewire.program import actions as programme

# A total of 10: "Moderate".
NORMAL_PHQ9 = {f"phq9_{n}": value for n, value in enumerate([2, 1, 2, 1, 1, 1, 1, 1, 0], 1)}
ALL_NO = {flag.id: False for flag in actions.red_flags()}


@pytest.fixture(autouse=True)
def alice_is_suited(alice):
    """alice's answers on who the programme is for fit: what waits here is the warning signs
    (the step before them: tests/test_measures_suitability.py)."""
    suited(alice)


def html(response) -> str:
    return response.content.decode()


def submission(client, url) -> str:
    return re.search(r'name="submission" value="(\w+)"', html(client.get(url))).group(1)


def yes_no(answers: dict[str, bool]) -> dict[str, str]:
    return {flag: "yes" if yes else "no" for flag, yes in answers.items()}


@pytest.fixture
def helpline_file(tmp_path, settings):
    path = tmp_path / "helplines.yaml"
    path.write_text(
        "en:\n"
        '  - {name: "Test Listening Line", phone: "0800 000 111", hours: "Every day, all day"}\n'
        '  - {name: "Test Text Line", text: "Text TALK to 00000", url: "https://help.invalid/"}\n'
    )
    settings.REWIRE_HELPLINES_FILE = str(path)
    helplines.helplines_for.cache_clear()
    yield path
    helplines.helplines_for.cache_clear()


@pytest.fixture
def no_helplines(settings):
    settings.REWIRE_HELPLINES_FILE = ""
    helplines.helplines_for.cache_clear()
    yield
    helplines.helplines_for.cache_clear()


# Pages render


@pytest.mark.parametrize(
    "url",
    [
        "/questionnaires",
        "/questionnaires/outcome",
        "/safety",
        *[f"/questionnaires/{key}" for key in actions.instruments()],
        *[f"/questionnaires/{key}/results" for key in actions.instruments()],
    ],
)
def test_every_page_renders(alice_client, url):
    response = alice_client.get(url)
    assert response.status_code == 200, url


def test_an_unknown_instrument_is_404(alice_client):
    assert alice_client.get("/questionnaires/bpi").status_code == 404
    assert alice_client.get("/questionnaires/bpi/results").status_code == 404
    assert alice_client.post("/questionnaires/bpi", {}).status_code == 404


def test_the_nav_has_questionnaires(alice_client):
    page = html(alice_client.get("/questionnaires/phq9"))
    assert 'href="/questionnaires" aria-current="page">Questionnaires</a>' in page
    assert 'href="/questionnaires" aria-current' not in html(alice_client.get("/history"))


def test_the_list_shows_every_instrument_with_purpose_and_due_reason(alice, alice_client):
    actions.record_response(user=alice, instrument_id="phq9", answers=NORMAL_PHQ9)
    page = html(alice_client.get("/questionnaires"))
    for definition in actions.instruments().values():
        assert escape(definition.name) in page
        assert escape(definition.purpose) in page
    own = [d for d in actions.instruments().values() if not d.validated]
    assert len(own) == 3 and page.count("Rewire's own, not validated.") == len(own)
    # PHQ-9 just taken is not due; the other baseline ones are, with the schedule's reason.
    assert "<strong>10</strong> · Moderate" in page
    assert page.count("Your starting point, to compare with later.") == 3


# Taking a questionnaire


def test_the_questionnaire_page_asks_every_item_with_its_options_and_attribution(alice_client):
    page = html(alice_client.get("/questionnaires/phq9"))
    phq9 = actions.instrument("phq9")
    assert escape(phq9.recall) in page
    assert page.count("<fieldset") == 9 and page.count("<legend>") == 9
    for item in phq9.items:
        assert escape(item.text) in page
    assert page.count('type="radio"') == 9 * 4
    assert page.count("checked") == 0  # no answer chosen for the person
    assert escape(phq9.attribution) in page
    assert "not validated" not in page
    assert "but not question 9" in page
    own = html(alice_client.get("/questionnaires/fear_of_movement"))
    assert "Rewire's own, not validated." in own


def test_a_full_phq9_saves_with_its_score_and_band(alice, alice_client):
    response = alice_client.post("/questionnaires/phq9", NORMAL_PHQ9)
    saved = Response.objects.for_user(alice).get()
    assert response.status_code == 302 and response.url == f"/questionnaires/responses/{saved.pk}"
    assert (saved.total, saved.band, saved.prorated) == (10, "Moderate", False)
    assert saved.answers == NORMAL_PHQ9
    page = html(alice_client.get(response.url))
    assert '<strong class="big-number">10</strong> out of 27' in page
    assert "<strong>Moderate</strong>" in page
    assert "This is your first PHQ-9 score" in page
    assert 'role="alert"' not in page and "emergency" not in page
    assert SafetyEvent.objects.count() == 0


def test_one_missing_answer_is_prorated_and_said_so(alice, alice_client):
    answers = {**NORMAL_PHQ9}
    del answers["phq9_1"]  # 8 answers summing 8: 8 / 8 * 9 = 9
    response = alice_client.post("/questionnaires/phq9", answers, follow=True)
    saved = Response.objects.for_user(alice).get()
    assert (saved.total, saved.band, saved.prorated) == (9, "Mild", True)
    assert "Prorated" in html(response)


def test_missing_answers_beyond_the_rule_say_which_and_write_nothing(alice_client):
    answers = {key: value for key, value in NORMAL_PHQ9.items() if key not in ("phq9_2", "phq9_5")}
    response = alice_client.post("/questionnaires/phq9", answers)
    assert response.status_code == 422
    page = html(response)
    assert "Answer at least 8 of the 9 questions. Questions 2, 5 have no answer yet." in page
    assert '<a href="#id_phq9_2_0">Question 2</a>: Not answered yet.' in page
    assert '<a href="#id_phq9_5_0">Question 5</a>: Not answered yet.' in page
    assert page.count('class="question has-error"') == 2
    # What was ticked is still ticked.
    assert re.search(r'name="phq9_1" value="2"[^>]*checked', page)
    assert Response.objects.count() == 0


def test_question_9_must_be_answered(alice_client):
    answers = {key: value for key, value in NORMAL_PHQ9.items() if key != "phq9_9"}
    response = alice_client.post("/questionnaires/phq9", answers)
    assert response.status_code == 422
    assert '<a href="#id_phq9_9_0">Question 9</a>: This question needs an answer.' in html(response)
    assert Response.objects.count() == 0


def test_an_answer_not_on_the_list_is_refused(alice_client):
    response = alice_client.post("/questionnaires/phq9", {**NORMAL_PHQ9, "phq9_3": "7"})
    assert response.status_code == 422
    assert "Question 3</a>: Choose one of the answers listed." in html(response)
    assert Response.objects.count() == 0


def test_a_questionnaire_sent_twice_is_saved_once(alice, alice_client):
    token = submission(alice_client, "/questionnaires/phq9")
    for _ in range(2):
        response = alice_client.post("/questionnaires/phq9", {**NORMAL_PHQ9, "submission": token})
        assert response.status_code == 302
    assert Response.objects.for_user(alice).count() == 1
    assert IdempotencyKey.objects.filter(user=alice).count() == 1


def test_start_back_shows_its_risk_level_and_subscore(alice, alice_client):
    answers = {f"sb_{n}": 1 for n in range(1, 9)} | {"sb_9": 4}
    response = alice_client.post("/questionnaires/start_back", answers, follow=True)
    assert "High risk (psychosocial subscore 5 of 5)" in html(response)


def test_rewire_own_rating_has_no_band_and_says_so(alice, alice_client):
    response = alice_client.post(
        "/questionnaires/pain_means_damage", {"pain_means_damage": "6"}, follow=True
    )
    page = html(response)
    assert "Rewire's own, not validated" in page
    assert "no bands" in page and "<strong>Rewire" not in page


def test_the_change_since_the_first_score_is_in_plain_words(alice, alice_client):
    earlier = timezone.now() - dt.timedelta(days=30)
    actions.record_response(
        user=alice, instrument_id="weekly_pain", answers={"average_pain": 7}, answered_at=earlier
    )
    response = alice_client.post("/questionnaires/weekly_pain", {"average_pain": "4"}, follow=True)
    page = html(response)
    assert "Your Weekly pain went from 7 to 4: 3 points, 43% lower (better)." in page
    assert "a real improvement" in page


# Crisis support


def test_phq9_item_9_above_0_shows_crisis_support_first_and_records_a_safety_event(
    alice, alice_client, helpline_file
):
    response = alice_client.post(
        "/questionnaires/phq9", {**NORMAL_PHQ9, "phq9_9": "1"}, follow=True
    )
    page = html(response)
    saved = Response.objects.for_user(alice).get()
    [event] = SafetyEvent.objects.for_user(alice)
    assert event.kind == SafetyEvent.CRISIS and event.response == saved
    crisis = page.index('class="crisis" role="alert"')
    assert crisis < page.index("Your PHQ-9,") < page.index("big-number")
    assert escape(helplines.DEFAULT_ADVICE) in page
    assert "Test Listening Line" in page
    assert '<a href="tel:0800000111">Call 0800 000 111</a>' in page  # one list, as Urgent help
    assert "Every day, all day" in page
    assert "Text TALK to 00000" in page
    assert '<a href="https://help.invalid/" rel="noreferrer">' in page
    assert "they see a safety alert when they next sign in" in page


def test_without_configured_helplines_the_default_advice_is_shown(
    alice, alice_client, no_helplines
):
    response = alice_client.post(
        "/questionnaires/phq9", {**NORMAL_PHQ9, "phq9_9": "3"}, follow=True
    )
    page = html(response)
    assert escape(helplines.DEFAULT_ADVICE) in page
    assert "tel:" not in page and "People you can talk to" not in page
    assert SafetyEvent.objects.for_user(alice).count() == 1


def test_deleting_a_response_asks_first_and_keeps_its_safety_event(alice, alice_client):
    saved = actions.record_response(
        user=alice, instrument_id="phq9", answers={**NORMAL_PHQ9, "phq9_9": 2}
    )
    url = f"/questionnaires/responses/{saved.pk}/delete"
    page = html(alice_client.get(url))
    assert "Delete these answers?" in page and "is kept" in page
    assert Response.objects.count() == 1
    response = alice_client.post(url)
    assert response.status_code == 302 and response.url == "/questionnaires/phq9/results"
    assert Response.objects.count() == 0
    assert SafetyEvent.objects.for_user(alice).get().response is None


# Results over time and the trial's outcome


def test_results_page_draws_the_trend_with_bands_and_lists_every_score(alice, alice_client):
    now = timezone.now()
    for days_ago, value in ((28, 3), (14, 2), (0, 1)):
        answers = {f"phq9_{n}": value for n in range(1, 9)} | {"phq9_9": 0}
        actions.record_response(
            user=alice,
            instrument_id="phq9",
            answers=answers,
            answered_at=now - dt.timedelta(days=days_ago),
        )
    page = html(alice_client.get("/questionnaires/phq9/results"))
    assert page.count('<rect class="stripe') == 5
    assert "Minimal: 0–4" in page and "Severe: 20–27" in page
    assert "<polyline" in page and 'class="dots"' in page
    assert "Your PHQ-9 went from 24 to 8: 16 points lower (better)." in page
    assert "clinicians count a change of at least 5 points as meaningful" in page
    table = page[page.index("<table") :]
    assert table.count("<tr>") == 4  # the header and three scores
    assert table.index(">8<") < table.index(">16<") < table.index(">24<")  # newest first


def test_start_back_results_shade_low_risk_and_leave_the_rest_to_the_subscore(alice, alice_client):
    answers = {f"sb_{n}": 1 for n in range(1, 5)} | {f"sb_{n}": 0 for n in range(5, 10)}
    actions.record_response(user=alice, instrument_id="start_back", answers=answers)
    page = html(alice_client.get("/questionnaires/start_back/results"))
    assert page.count('<rect class="stripe') == 2
    assert "Low risk: 0–3" in page
    assert "Medium risk or high risk (the subscore decides): 4–9" in page
    assert "Medium risk (psychosocial subscore 0 of 5)" in page


def test_rewire_own_rating_results_have_no_bands(alice, alice_client):
    actions.record_response(
        user=alice, instrument_id="fear_of_movement", answers={"fear_of_movement": 5}
    )
    page = html(alice_client.get("/questionnaires/fear_of_movement/results"))
    assert "<rect" not in page and "Band</th>" not in page
    assert "Rewire's own, not validated" in page


def test_the_outcome_page_shows_each_week_beside_the_trial_and_every_caveat(alice, alice_client):
    start = timezone.now() - dt.timedelta(days=15)
    for days, pain in ((0, 6), (7, 3), (14, 1)):
        actions.record_response(
            user=alice,
            instrument_id="weekly_pain",
            answers={"average_pain": pain},
            answered_at=start + dt.timedelta(days=days),
        )
    page = html(alice_client.get("/questionnaires/outcome"))
    assert "(0 or 1) in <strong>1 of the 3</strong> weeks you answered." in page
    assert re.search(r"Week 2 .*?</td>\s*<td>1</td>\s*<td><strong>Yes</strong>", page, re.DOTALL)
    for figure in ("66%", "20%", "10%", "1.18", "2.84", "3.13"):
        assert figure in page
    for caveat in CAVEATS:
        assert escape(caveat) in page


# The warning signs and the programme's lock


def test_the_warning_signs_are_yes_no_questions_with_no_default(alice_client):
    page = html(alice_client.get("/safety"))
    flags = actions.red_flags()
    assert page.count("<fieldset") == len(flags)
    for flag in flags:
        assert escape(flag.question) in page
    assert page.count('type="radio"') == 2 * len(flags) and "checked" not in page


def test_every_warning_sign_needs_an_answer(alice_client):
    answers = yes_no(ALL_NO)
    del answers["night_pain"]
    response = alice_client.post("/safety", answers)
    assert response.status_code == 422
    assert "Question 7</a>: Answer yes or no." in html(response)
    assert Screening.objects.count() == 0


def test_programme_pages_wait_for_the_warning_signs(alice, alice_client):
    response = alice_client.get("/programme", follow=True)
    assert response.redirect_chain == [("/safety", 302)]
    assert (
        "Before the programme: some yes-or-no questions about warning signs, about two minutes."
        in html(response)
    )
    home = html(alice_client.get("/"))
    assert "Answer the warning-sign questions" in home


def test_all_no_opens_the_programme(alice, alice_client):
    response = alice_client.post("/safety", yes_no(ALL_NO))
    assert response.status_code == 302 and response.url == "/programme"
    assert actions.programme_state(alice) == actions.OPEN
    assert alice_client.get("/programme").status_code == 200
    assert SafetyEvent.objects.count() == 0
    page = html(alice_client.get("/safety"))
    assert "No warning signs" in page and "Answer again" in page


def test_a_yes_locks_the_programme_and_gives_the_advice(alice, alice_client):
    response = alice_client.post("/safety", yes_no({**ALL_NO, "night_pain": True}), follow=True)
    page = html(response)
    assert "Please see a clinician before you start the programme" in page
    assert "A clinician has assessed these signs" in page
    assert "emergency department" not in page
    assert actions.programme_state(alice) == actions.LOCKED
    assert SafetyEvent.objects.for_user(alice).get().kind == SafetyEvent.RED_FLAG
    for url in ("/programme", "/programme/sessions/intake", "/programme/flare-plan"):
        locked = alice_client.get(url, follow=True)
        assert locked.redirect_chain == [("/safety", 302)], url
        assert "waits until a clinician has assessed" in html(locked)
    assert "waits until a clinician has assessed" in html(alice_client.get("/"))


def test_the_bladder_sign_puts_the_emergency_wording_first(alice, alice_client):
    alice_client.post("/safety", yes_no({**ALL_NO, "bladder_bowel_saddle": True}))
    page = html(alice_client.get("/safety"))
    alert = page.index('class="emergency" role="alert"')
    assert alert < page.index("<h1>")
    assert "Go to an emergency department or call your local emergency number now." in page[alert:]


def test_confirming_a_clinician_assessed_the_signs_opens_the_programme(alice, alice_client):
    screening = actions.record_screening(user=alice, answers={**ALL_NO, "night_pain": True})
    assert alice_client.get(f"/safety/{screening.pk}/assessed").url == "/safety"
    assert actions.programme_state(alice) == actions.LOCKED
    # Without the confirming tick, nothing changes.
    alice_client.post(f"/safety/{screening.pk}/assessed")
    assert actions.programme_state(alice) == actions.LOCKED
    response = alice_client.post(f"/safety/{screening.pk}/assessed", {"seen_clinician": "yes"})
    assert response.status_code == 302 and response.url == "/programme"
    assert actions.programme_state(alice) == actions.OPEN
    assert alice_client.get("/programme").status_code == 200
    page = html(alice_client.get("/safety"))
    assert "You confirmed on" in page and "Earlier answers" not in page
    # Answered again with a new yes: locked again; the earlier answers are listed.
    alice_client.post("/safety", yes_no({**ALL_NO, "fever_infection": True}))
    assert actions.programme_state(alice) == actions.LOCKED
    assert "Earlier answers" in html(alice_client.get("/safety"))


def test_logging_still_works_while_the_programme_is_locked(alice, alice_client):
    actions.record_screening(user=alice, answers={**ALL_NO, "weakness_numbness": True})
    assert alice_client.post("/checkins/new", {"pain": "8"}, follow=True).status_code == 200
    flare = alice_client.post("/flare", {"pain": "9"}, follow=True)
    page = html(flare)
    assert "Flare recorded: pain 9" in page
    assert CheckIn.objects.for_user(alice).count() == 2
    # The support panel does not say the pain is safe: it points to the warning signs.
    assert 'href="/safety">The warning signs</a>' in page
    assert "safety-quotes" not in page
    assert 'class="button-link" href="/programme/flare-plan"' not in page
    assert programme.course().starter_safety_messages[0] not in page
    assert "please see a clinician before the programme" in page
    assert alice_client.get("/history").status_code == 200


def test_the_support_panel_before_the_warning_signs_asks_for_them(alice, alice_client):
    page = html(alice_client.post("/checkins/new", {"pain": "7"}, follow=True))
    assert 'href="/safety">The warning signs</a>' in page
    assert "please answer a few questions about warning signs" in page
    assert programme.course().starter_safety_messages[0] not in page


# The home page


def test_the_home_page_lists_the_due_questionnaires(alice, alice_client):
    page = html(alice_client.get("/"))
    due = page[page.index('id="due-heading"') :]
    for name in ("Weekly pain", "PHQ-9", "GAD-7", "STarT Back"):
        assert name in due
    assert 'href="/questionnaires/phq9"' in due and "PGIC" not in due
    for instrument_id, answers in (
        ("weekly_pain", {"average_pain": 3}),
        ("phq9", NORMAL_PHQ9),
        ("gad7", {f"gad7_{n}": 0 for n in range(1, 8)}),
        ("start_back", {f"sb_{n}": 0 for n in range(1, 10)}),
    ):
        actions.record_response(user=alice, instrument_id=instrument_id, answers=answers)
    assert 'id="due-heading"' not in html(alice_client.get("/"))


def test_pgic_is_due_once_every_session_is_done(alice, alice_client):
    actions.record_screening(user=alice, answers=ALL_NO)
    finish_sessions(alice)
    page = html(alice_client.get("/"))
    assert "You have finished the programme: how has it changed things?" in page


# Strangers


@pytest.fixture
def alices_answers(alice):
    return {
        "response": actions.record_response(
            user=alice, instrument_id="phq9", answers={**NORMAL_PHQ9, "phq9_9": 1}
        ),
        "screening": actions.record_screening(user=alice, answers={**ALL_NO, "night_pain": True}),
    }


@pytest.mark.parametrize(
    "kind,url",
    [
        ("response", "/questionnaires/responses/{}"),
        ("response", "/questionnaires/responses/{}/delete"),
        ("screening", "/safety/{}/assessed"),
    ],
)
def test_carol_gets_404_for_alices_answers(alices_answers, carol_client, kind, url):
    target = url.format(alices_answers[kind].pk)
    assert carol_client.get(target).status_code == 404
    assert carol_client.post(target).status_code == 404
    assert Response.objects.count() == 1
    assert Screening.objects.get().assessed_at is None


def test_carol_sees_nothing_of_alices_answers(alice, alices_answers, carol_client):
    for url in ("/questionnaires", "/questionnaires/phq9/results", "/questionnaires/outcome"):
        page = html(carol_client.get(url))
        assert f"/questionnaires/responses/{alices_answers['response'].pk}" not in page, url
    page = html(carol_client.get("/safety"))
    assert "Answer again" not in page and "A clinician has assessed" not in page


def test_answering_all_no_after_a_yes_does_not_open_the_programme(alice, alice_client):
    """Only the confirmed assessment undoes a yes, not a second set of answers."""
    flags = [flag.id for flag in actions.red_flags()]
    first = actions.record_screening(
        user=alice, answers={f: f == "bladder_bowel_saddle" for f in flags}
    )
    actions.record_screening(user=alice, answers=dict.fromkeys(flags, False))
    assert actions.programme_state(alice) == actions.LOCKED
    assert alice_client.get("/programme").status_code == 302
    actions.confirm_assessed(user=alice, pk=first.pk)
    assert actions.programme_state(alice) == actions.OPEN


def test_a_refused_phq9_with_question_9_above_0_still_shows_crisis_support_and_keeps_it(
    alice, alice_client
):
    data = {f"phq9_{n}": "1" for n in range(3, 9)} | {"phq9_9": "2"}  # questions 1, 2 blank
    response = alice_client.post("/questionnaires/phq9", data)
    assert response.status_code == 422
    page = response.content.decode()
    assert "You do not have to carry this alone" in page
    assert "local emergency number" in page
    assert not Response.objects.for_user(alice).exists()
    [event] = SafetyEvent.objects.for_user(alice)
    assert event.kind == SafetyEvent.CRISIS and event.response is None


def test_pgic_and_start_back_are_not_compared_with_a_first_score(alice, alice_client):
    for value in (3, 6):
        actions.record_response(user=alice, instrument_id="pgic", answers={"pgic": value})
    page = html(alice_client.get("/questionnaires/pgic/results"))
    assert "went from" not in page
    latest = Response.objects.for_user(alice).first()
    assert "later ones will be compared" not in html(
        alice_client.get(f"/questionnaires/responses/{latest.pk}")
    )


def test_a_start_back_result_says_what_its_risk_level_means(alice, alice_client):
    answers = {f"sb_{n}": 1 for n in range(1, 9)} | {"sb_9": 4}
    response = actions.record_response(user=alice, instrument_id="start_back", answers=answers)
    page = html(alice_client.get(f"/questionnaires/responses/{response.pk}"))
    assert "High risk" in page
    assert "thoughts and feelings about pain" in page
