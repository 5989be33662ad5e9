"""Who the programme is for (issue 14): the questions as data, each answer's rule, the gate
they add, the page, the API, the export and what a clinician reads."""

import json
import re

import pytest
from helpers import FITS, FULL, PASSWORD, post, signed_in, suited, token_client

from rewire.accounts.actions import create_user
from rewire.care import actions as care
from rewire.core.content import ContentError
from rewire.core.errors import ImportRejected, InvalidEntry
from rewire.core.portability import export_diary, import_diary
from rewire.diary.models import CheckIn
from rewire.measures import actions, suitability
from rewire.measures.models import SafetyEvent, Suitability

ALL_NO = {flag.id: False for flag in actions.red_flags()}


def html(response) -> str:
    return response.content.decode()


def submission(client, url) -> str:
    return re.search(r'name="submission" value="(\w+)"', html(client.get(url))).group(1)


# The questions and their rules (plain Python)


@pytest.fixture
def questions():
    return actions.suitability_questions()


def test_the_questions_cover_who_the_trial_was_for(questions):
    assert [question.id for question in questions] == [
        "adult",
        "pain_duration",
        "where",
        "diagnosis",
        "pregnant",
    ]
    for question in questions:
        assert any(option.fits for option in question.options)
        for option in question.options:
            if not option.fits:
                assert option.why and option.instead, (question.id, option.value)


@pytest.mark.parametrize(
    "question, value, fits, advice",
    [
        ("adult", "yes", True, False),
        ("adult", "no", False, False),
        ("pain_duration", "3_months_or_more", True, False),
        ("pain_duration", "under_3_months", False, False),
        ("where", "back", True, False),
        ("where", "leg_worse", False, False),  # back worse than leg, or it may not suit
        ("where", "elsewhere", True, True),  # less certain evidence: said, not refused
        ("diagnosis", "no", True, False),
        ("diagnosis", "yes", False, False),
        ("diagnosis", "not_sure", False, False),
        ("pregnant", "no", True, False),
        ("pregnant", "yes", True, True),  # talk to the midwife or doctor
    ],
)
def test_each_answer_fits_or_not_as_the_rules_say(questions, question, value, fits, advice):
    judgement = suitability.judge(questions, {**FITS, question: value})
    assert judgement.fits is fits
    assert [q.id for q, _ in judgement.not_fitting] == ([] if fits else [question])
    assert [q.id for q, _ in judgement.advice] == ([question] if advice else [])


def test_every_answer_that_does_not_fit_is_listed(questions):
    answers = {**FITS, "adult": "no", "where": "leg_worse", "pregnant": "yes"}
    judgement = suitability.judge(questions, answers)
    assert [q.id for q, _ in judgement.not_fitting] == ["adult", "where"]
    assert [q.id for q, _ in judgement.advice] == ["pregnant"]


def test_missing_unknown_and_made_up_answers_are_named(questions):
    answers = {**FITS, "adult": "maybe", "colour": "blue"}
    del answers["where"]
    problems = suitability.answer_problems(questions, answers)
    assert problems == {
        "colour": "No such question.",
        "adult": "Choose one of: yes, no.",
        "where": "Choose an answer.",
    }
    assert suitability.answer_problems(questions, FITS) == {}


@pytest.mark.parametrize(
    "text, reason",
    [
        ("- id: a\n  label: A\n  question: Q?\n  options:\n    - {value: y, label: Y, fits: true}\n"
         "    - {value: n, label: N, fits: false}\n", "say why and instead"),
        ("- id: a\n  label: A\n  question: Q?\n  options:\n    - {value: y, label: Y, fits: false,"
         " why: w, instead: i}\n    - {value: n, label: N, fits: false, why: w, instead: i}\n",
         "no answer fits"),
        ("- id: a\n  label: A\n  question: Q?\n  options:\n    - {value: y, label: Y,"
         " fits: true}\n", "at least two options"),
        ("- id: a\n  label: A\n  question: Q?\n  colour: red\n  options: []\n", "unknown key"),
        ("- id: A b\n  label: A\n  question: Q?\n  options: []\n", "may hold only"),
        ("[unclosed", "not valid YAML"),
    ],
)  # fmt: skip
def test_a_broken_questions_file_is_caught(tmp_path, text, reason):
    path = tmp_path / "suitability.yaml"
    path.write_text(text)
    with pytest.raises(ContentError, match=reason):
        suitability.load_questions(path)


def test_a_missing_questions_file_is_caught(tmp_path):
    with pytest.raises(ContentError, match="missing"):
        suitability.load_questions(tmp_path / "suitability.yaml")


# The gate


def test_the_programme_asks_who_it_is_for_first_then_the_warning_signs(alice):
    assert actions.programme_state(alice) == actions.NOT_ASKED_SUITABILITY
    suited(alice)
    assert actions.programme_state(alice) == actions.NOT_SCREENED
    actions.record_screening(user=alice, answers=ALL_NO)
    assert actions.programme_state(alice) == actions.OPEN


def test_answers_that_do_not_fit_wait_for_a_clinicians_agreement_and_newer_answers_decide(
    alice,
):
    actions.record_screening(user=alice, answers=ALL_NO)
    answers = actions.record_suitability(user=alice, answers={**FITS, "where": "leg_worse"})
    assert actions.programme_state(alice) == actions.NOT_SUITED
    agreed = actions.confirm_clinician_agreed(
        user=alice, pk=answers.pk, clinician="  Dr   Shah, my GP "
    )
    assert agreed.clinician == "Dr Shah, my GP" and agreed.clinician_agreed_at is not None
    assert actions.programme_state(alice) == actions.OPEN
    # Recording it again keeps the first record.
    again = actions.confirm_clinician_agreed(user=alice, pk=answers.pk, clinician="someone")
    assert (again.clinician, again.clinician_agreed_at) == (
        "Dr Shah, my GP",
        agreed.clinician_agreed_at,
    )
    # New answers that do not fit close it again; answers that fit open it.
    actions.record_suitability(user=alice, answers={**FITS, "pain_duration": "under_3_months"})
    assert actions.programme_state(alice) == actions.NOT_SUITED
    suited(alice)
    assert actions.programme_state(alice) == actions.OPEN


def test_a_warning_sign_waiting_for_assessment_comes_before_suitability(alice):
    actions.record_screening(user=alice, answers={**ALL_NO, "night_pain": True})
    assert actions.programme_state(alice) == actions.LOCKED
    actions.record_suitability(user=alice, answers={**FITS, "where": "leg_worse"})
    assert actions.programme_state(alice) == actions.LOCKED


def test_answers_to_questions_since_changed_are_asked_again(alice, monkeypatch):
    answers = actions.record_suitability(user=alice, answers={**FITS, "adult": "no"})
    actions.confirm_clinician_agreed(user=alice, pk=answers.pk)
    actions.record_screening(user=alice, answers=ALL_NO)
    assert actions.programme_state(alice) == actions.OPEN
    questions = actions.suitability_questions()
    # A question added since: the answers are incomplete, and asked again.
    added = suitability.Question(
        "new_one",
        "A new question",
        "Is this new?",
        (suitability.Option("no", "No", True), suitability.Option("yes", "Yes", True)),
    )
    monkeypatch.setattr(actions, "suitability_questions", lambda: (*questions, added))
    assert actions.programme_state(alice) == actions.NOT_ASKED_SUITABILITY
    assert "Not all of the current questions" in actions.suitability_words(alice)
    page = html(signed_in(alice).get("/who-it-is-for"))
    assert "Please answer these questions again" in page
    assert '<details class="again" open>' in page
    # An answer renamed since: the same.
    renamed = tuple(
        q if q.id != "adult" else suitability.Question(q.id, q.label, q.question, (
            suitability.Option("over_18", "Yes", True),
            suitability.Option("under_18", "No", False, "why", "instead"),
        ))
        for q in questions
    )  # fmt: skip
    monkeypatch.setattr(actions, "suitability_questions", lambda: renamed)
    assert actions.programme_state(alice) == actions.NOT_ASKED_SUITABILITY


def test_answers_that_fit_need_no_agreement_and_bad_answers_write_nothing(alice):
    answers = suited(alice)
    with pytest.raises(InvalidEntry) as refused:
        actions.confirm_clinician_agreed(user=alice, pk=answers.pk)
    assert refused.value.problems == {
        "agreed": "These answers fit the programme: nothing to agree."
    }
    with pytest.raises(InvalidEntry):
        actions.record_suitability(user=alice, answers={"adult": "yes"})
    assert Suitability.objects.for_user(alice).count() == 1
    assert not SafetyEvent.objects.exists()  # a mismatch is not a safety event


def test_an_agreement_to_answers_given_again_since_is_refused(alice, alice_client):
    older = actions.record_suitability(user=alice, answers={**FITS, "adult": "no"})
    suited(alice)  # answered again since, in another tab
    with pytest.raises(InvalidEntry) as refused:
        actions.confirm_clinician_agreed(user=alice, pk=older.pk)
    assert refused.value.problems == {
        "agreed": "You have answered again since: the newest answers decide."
    }
    response = alice_client.post(
        f"/who-it-is-for/{older.pk}/clinician-agreed", {"clinician_agrees": "yes"}, follow=True
    )
    assert "You have answered again since" in html(response)
    older.refresh_from_db()
    assert older.clinician_agreed_at is None


def test_answers_that_do_not_fit_never_lock_logging(alice):
    actions.record_suitability(user=alice, answers={**FITS, "adult": "no"})
    assert post(token_client(alice), FULL).status_code == 201
    client = signed_in(alice)
    client.post("/checkins/new", {"pain": "4"})
    assert CheckIn.objects.for_user(alice).count() == 2


# The page


def test_the_programme_leads_a_new_person_to_the_questions_with_their_help(alice_client):
    response = alice_client.get("/programme", follow=True)
    assert response.redirect_chain[-1][0] == "/who-it-is-for"
    page = html(response)
    assert "Before the programme: five short questions on who it is for" in page
    assert "Are you 18 or older?" in page
    assert "often called sciatica" in page  # the question's help, tied to its fieldset
    assert re.search(r'aria-describedby="id_where_help"', page)
    assert "your check-ins, the flare button and your history work as always" in page.lower()


def test_missing_answers_are_named_and_nothing_is_written(alice, alice_client):
    response = alice_client.post(
        "/who-it-is-for",
        {"adult": "yes", "submission": submission(alice_client, "/who-it-is-for")},
    )
    assert response.status_code == 422
    page = html(response)
    assert page.count("Choose an answer.") >= 4
    assert 'href="#id_where_0">Question 3</a>' in page
    assert not Suitability.objects.exists()


def test_answers_that_fit_say_so_with_any_advice_and_lead_to_the_warning_signs(alice, alice_client):
    data = {**FITS, "pregnant": "yes", "submission": submission(alice_client, "/who-it-is-for")}
    response = alice_client.post("/who-it-is-for", data)
    assert response.status_code == 302 and response["Location"] == "/who-it-is-for#result"
    page = html(alice_client.get("/who-it-is-for"))
    assert "The programme is likely to suit you" in page
    assert "Talk to your midwife or doctor" in page
    assert 'href="/safety">Answer the warning-sign questions</a>' in page
    assert "I might be" in page  # the answers as given


def test_answers_that_do_not_fit_explain_and_a_clinicians_agreement_opens_the_programme(
    alice, alice_client
):
    actions.record_screening(user=alice, answers=ALL_NO)
    data = {**FITS, "where": "leg_worse", "submission": submission(alice_client, "/who-it-is-for")}
    alice_client.post("/who-it-is-for", data)
    page = html(alice_client.get("/who-it-is-for"))
    assert "The programme may not suit you now" in page
    assert "can come from a nerve being pressed on" in page  # why
    assert "What to do instead:" in page and "assess the leg pain" in page
    assert 'href="/if-this-has-not-helped"' in page
    # The programme waits, and says why.
    response = alice_client.get("/programme/safety", follow=True)
    assert response.redirect_chain[-1][0] == "/who-it-is-for"
    assert "may not suit you now" in html(response)

    [answers] = Suitability.objects.for_user(alice)
    # Without the tick, nothing is recorded: the error is beside the box, what was typed kept.
    response = alice_client.post(
        f"/who-it-is-for/{answers.pk}/clinician-agreed", {"clinician": "Sam"}
    )
    assert response.status_code == 422
    page = html(response)
    assert 'aria-describedby="clinician-agrees-error"' in page
    assert 'id="clinician-agrees-error" role="alert">Tick the box' in page
    assert 'value="Sam"' in page
    assert actions.programme_state(alice) == actions.NOT_SUITED
    # A null character in the name: refused at the field, not a server error.
    response = alice_client.post(
        f"/who-it-is-for/{answers.pk}/clinician-agreed",
        {"clinician_agrees": "yes", "clinician": "Sam\x00"},
    )
    assert response.status_code == 422
    assert 'id="clinician-name-error" role="alert">Remove the control characters.' in html(response)
    assert actions.programme_state(alice) == actions.NOT_SUITED
    response = alice_client.post(
        f"/who-it-is-for/{answers.pk}/clinician-agreed",
        {"clinician_agrees": "yes", "clinician": "Sam, my physiotherapist"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/programme"
    assert "a clinician agrees you can use the programme" in html(response)
    page = html(alice_client.get("/who-it-is-for"))
    assert "A clinician agrees you can go on" in page
    assert "Sam, my physiotherapist agrees you can use it" in page


def test_the_form_sent_twice_saves_once(alice, alice_client):
    data = {**FITS, "submission": submission(alice_client, "/who-it-is-for")}
    alice_client.post("/who-it-is-for", data)
    alice_client.post("/who-it-is-for", data)
    assert Suitability.objects.for_user(alice).count() == 1


def test_a_stranger_cannot_record_agreement_to_someone_elses_answers(alice, carol):
    answers = actions.record_suitability(user=alice, answers={**FITS, "adult": "no"})
    response = signed_in(carol).post(
        f"/who-it-is-for/{answers.pk}/clinician-agreed", {"clinician_agrees": "yes"}
    )
    assert response.status_code == 404
    answers.refresh_from_db()
    assert answers.clinician_agreed_at is None


# The API


def test_the_api_gives_the_questions_takes_answers_once_and_records_agreement(alice):
    api = token_client(alice)
    questions = api.get("/api/v1/suitability/questions").json()
    assert [q["id"] for q in questions] == list(FITS)
    assert {"value": "leg_worse", "label": questions[2]["options"][1]["label"], "fits": False} in (
        questions[2]["options"]
    )
    assert api.get("/api/v1/safety").json() == {
        "programme_state": "suitability",
        "latest_suitability": None,
        "latest_screening": None,
    }
    body = {"answers": {**FITS, "diagnosis": "not_sure", "pregnant": "yes"}}
    created = post(api, body, **{"Idempotency-Key": "fit-1"}, path="/api/v1/suitability")
    assert created.status_code == 201
    data = created.json()
    assert data["fits"] is False
    assert [row["question"] for row in data["not_fitting"]] == ["diagnosis"]
    assert data["not_fitting"][0]["instead"].startswith("Ask your GP")
    assert [row["question"] for row in data["advice"]] == ["pregnant"]
    again = post(api, body, **{"Idempotency-Key": "fit-1"}, path="/api/v1/suitability")
    assert again.status_code == 201 and again.json()["id"] == data["id"]
    assert Suitability.objects.for_user(alice).count() == 1
    assert api.get("/api/v1/safety").json()["programme_state"] == "not_suited"
    assert api.get("/api/v1/safety").json()["latest_suitability"] == data["id"]
    # The programme's writes wait.
    refused = post(api, {"text": "My back is strong."}, path="/api/v1/safety-messages")
    assert refused.status_code == 409
    assert "GET /api/v1/safety says what it waits for" in refused.json()["detail"]

    agreed = post(
        api, {"clinician": "Dr Shah"}, path=f"/api/v1/suitability/{data['id']}/clinician-agreed"
    )
    assert agreed.status_code == 200
    assert agreed.json()["clinician"] == "Dr Shah" and agreed.json()["clinician_agreed_at"]
    assert api.get("/api/v1/safety").json()["programme_state"] == "not_screened"
    assert api.get(f"/api/v1/suitability/{data['id']}").json() == agreed.json()
    assert [row["id"] for row in api.get("/api/v1/suitability").json()] == [data["id"]]


def test_the_api_names_each_bad_answer_and_refuses_agreement_to_answers_that_fit(alice, carol):
    api = token_client(alice)
    refused = post(api, {"answers": {**FITS, "adult": "perhaps"}}, path="/api/v1/suitability")
    assert refused.status_code == 422
    assert refused.json()["detail"] == [
        {
            "loc": ["body", "answers", "adult"],
            "msg": "Choose one of: yes, no.",
            "type": "value_error",
        }
    ]
    fits = post(api, {"answers": FITS}, path="/api/v1/suitability").json()
    refused = post(api, {}, path=f"/api/v1/suitability/{fits['id']}/clinician-agreed")
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["path", "suitability_id"]
    too_long = post(
        api, {"clinician": "x" * 201}, path=f"/api/v1/suitability/{fits['id']}/clinician-agreed"
    )
    assert too_long.status_code == 422
    # A stranger: 404 for reading and for agreeing.
    stranger = token_client(carol)
    assert stranger.get(f"/api/v1/suitability/{fits['id']}").status_code == 404
    assert (
        post(stranger, {}, path=f"/api/v1/suitability/{fits['id']}/clinician-agreed").status_code
        == 404
    )


# The export, and what a clinician reads


def test_the_answers_and_any_agreement_round_trip_through_the_export(alice, carol):
    suited(alice)
    later = actions.record_suitability(user=alice, answers={**FITS, "adult": "no"})
    actions.confirm_clinician_agreed(user=alice, pk=later.pk, clinician="Dr Shah")
    document = export_diary(alice)
    rows = document["measures"]["suitability"]
    assert [row["answers"]["adult"] for row in rows] == ["yes", "no"]
    assert rows[1]["clinician"] == "Dr Shah" and rows[1]["clinician_agreed_at"]
    import_diary(carol, json.loads(json.dumps(document)))
    assert export_diary(carol)["measures"]["suitability"] == rows
    assert actions.programme_state(carol) == actions.programme_state(alice)


@pytest.mark.parametrize(
    "change, loc, reason",
    [
        ({"answers": {**FITS, "adult": "maybe"}}, ["answers", "adult"], "Choose one of"),
        ({"clinician_agreed_at": "2026-01-01T00:00:00Z"}, ["clinician_agreed_at"], "nothing to"),
        ({"clinician": "Dr Shah"}, ["clinician"], "Only with clinician_agreed_at"),
    ],
)
def test_an_import_checks_the_answers_as_the_page_does(alice, carol, change, loc, reason):
    suited(alice)
    document = export_diary(alice)
    document["measures"]["suitability"][0] |= change
    with pytest.raises(ImportRejected) as rejected:
        import_diary(carol, document)
    [error] = rejected.value.errors
    assert error["loc"] == ["measures", "suitability", 0, *loc]
    assert reason in error["msg"]
    assert not Suitability.objects.for_user(carol).exists()


def test_answers_from_before_a_question_was_added_import_and_it_is_asked(alice, carol):
    suited(alice)
    document = export_diary(alice)
    del document["measures"]["suitability"][0]["answers"]["pregnant"]
    import_diary(carol, document)
    assert Suitability.objects.for_user(carol).get().answers == {
        key: value for key, value in FITS.items() if key != "pregnant"
    }
    assert actions.programme_state(carol) == actions.NOT_ASKED_SUITABILITY


def test_a_document_from_before_the_questions_imports_and_asks_them(alice, carol):
    document = export_diary(alice)
    del document["measures"]["suitability"]
    import_diary(carol, document)
    assert actions.programme_state(carol) == actions.NOT_ASKED_SUITABILITY


def test_a_clinician_reads_the_answers_in_words_and_the_recorded_agreement(alice):
    bob = create_user(email="bob@example.com", password=PASSWORD, role="clinician")
    _, code = care.create_invitation(user=alice, scopes=["questionnaires"])
    share = care.accept_invitation(clinician=bob, code=code)
    answers = actions.record_suitability(
        user=alice, answers={**FITS, "where": "leg_worse", "pregnant": "yes"}
    )
    page = html(signed_in(bob).get(f"/care/patients/{share.pk}"))
    assert (
        "May not suit: Where the pain is (back worse than leg): “In my back, but the pain down "
        "my leg is worse”. Noted: Pregnancy: “Yes, or I might be”." in page
    )
    assert "No clinician&#x27;s agreement recorded" in page
    assert "leg_worse" not in page
    agreed = actions.confirm_clinician_agreed(user=alice, pk=answers.pk, clinician="Dr Shah")
    page = html(signed_in(bob).get(f"/care/patients/{share.pk}"))
    assert f"on {agreed.clinician_agreed_at:%-d %B %Y} that Dr Shah agrees they go on" in page
    # Answers that fit, with advice: said as fitting, the advice noted.
    actions.record_suitability(user=alice, answers={**FITS, "pregnant": "yes"})
    page = html(signed_in(bob).get(f"/care/patients/{share.pk}"))
    assert "Fits the programme. Noted: Pregnancy: “Yes, or I might be”." in page


def test_a_clinician_without_the_questionnaires_scope_reads_nothing_of_it(alice):
    bob = create_user(email="bob@example.com", password=PASSWORD, role="clinician")
    _, code = care.create_invitation(user=alice, scopes=["diary"])
    share = care.accept_invitation(clinician=bob, code=code)
    actions.record_suitability(user=alice, answers={**FITS, "adult": "no"})
    page = html(signed_in(bob).get(f"/care/patients/{share.pk}"))
    assert "Who the programme is for" not in page and "May not suit" not in page
