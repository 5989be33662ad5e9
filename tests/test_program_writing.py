"""Expressive writing (topics/writing.md): the unsent letter and the life-stress timeline,
through the real pages, API, sharing and export. Private unless the person shares expressive
writing; a check-in on distress after writing, with the support route when it is high."""

import json
import logging

import pytest
from helpers import PASSWORD, open_programme, signed_in, token_client

from rewire.accounts.actions import create_user
from rewire.care import actions as care
from rewire.core.models import IdempotencyKey
from rewire.core.portability import erase_account, export_diary, import_diary
from rewire.measures import helplines
from rewire.program import actions
from rewire.program.models import TimelineEvent, Writing
from rewire.program.rules import WritingEntry, needs_support, writing_problems

LETTER_TEXT = "alice-private-letter: I never told you how angry I was."


@pytest.fixture(autouse=True)
def programme_open(request):
    for name in ("alice", "carol"):
        if name in request.fixturenames:
            open_programme(request.getfixturevalue(name))


@pytest.fixture
def bob(db):
    return create_user(email="bob@example.com", password=PASSWORD, role="clinician")


def html(response) -> str:
    return response.content.decode()


def submission_of(client, url) -> str:
    return html(client.get(url)).split('name="submission" value="')[1].split('"')[0]


def letter(user, *, text=LETTER_TEXT, before=None, after=None) -> Writing:
    return actions.record_writing(
        user=user,
        entry=WritingEntry(
            kind="unsent_letter", text=text, distress_before=before, distress_after=after
        ),
    )


# The rules


def test_the_rules_for_a_letter_and_a_timeline():
    assert writing_problems(WritingEntry(kind="unsent_letter", text="Dear pain")) == {}
    assert "text" in writing_problems(WritingEntry(kind="unsent_letter", text="  "))
    assert "events" in writing_problems(
        WritingEntry(kind="unsent_letter", text="x", events=[(3, "x", "hard")])
    )
    assert "events" in writing_problems(WritingEntry(kind="timeline"))
    assert writing_problems(WritingEntry(kind="timeline", events=[(0, "Born", "good")])) == {}
    for event, reason in (
        ((121, "x", "hard"), "age"),
        ((5, " ", "hard"), "what happened"),
        ((5, "x", "sad"), "hard, good or mixed"),
    ):
        problems = writing_problems(WritingEntry(kind="timeline", events=[event]))
        assert reason in problems["events"]
    assert "kind" in writing_problems(WritingEntry(kind="diary", text="x"))
    assert "distress_after" in writing_problems(
        WritingEntry(kind="unsent_letter", text="x", distress_after=11)
    )


@pytest.mark.parametrize(
    ("before", "after", "offered"),
    [
        (None, None, False),
        (None, 6, False),
        (None, 7, True),
        (2, 4, False),
        (2, 5, True),  # risen by 3
        (9, 8, True),  # high, even though it eased
        (5, 3, False),
    ],
)
def test_support_is_offered_when_upset_is_high_or_rose_sharply(before, after, offered):
    assert needs_support(before, after) is offered


# The pages


def test_the_lesson_shows_the_privacy_rule_and_the_persons_own_writing(alice, alice_client):
    page = html(alice_client.get("/programme/topics/writing"))
    assert "Writing about stress and feelings" in page
    assert "Private: only you see what you write here" in page
    assert "Nothing written yet." in page
    letter(alice)
    page = html(alice_client.get("/programme/topics/writing"))
    assert "alice-private-letter" in page
    assert "/programme/writing/letter/new" in page and "/programme/writing/timeline/new" in page


def test_writing_a_letter_then_a_low_upset_shows_kind_words_not_the_support_route(
    alice, alice_client
):
    url = "/programme/writing/letter/new"
    form = html(alice_client.get(url))
    assert "Stop at once if you feel overwhelmed, panicky or unsafe" in form  # the stop rule
    assert "10 to 20 minutes" in form  # titration
    data = {"title": "To my father", "text": LETTER_TEXT, "distress_before": "3"}
    response = alice_client.post(url, {**data, "submission": submission_of(alice_client, url)})
    piece = Writing.objects.get(user=alice)
    assert response.url == f"/after-writing/{piece.pk}"
    assert (piece.kind, piece.title, piece.text, piece.distress_before) == (
        "unsent_letter",
        "To my father",
        LETTER_TEXT,
        3,
    )
    assert piece.local_date == alice.today()
    checkin = alice_client.get(response.url)
    assert "How upset do you feel now?" in html(checkin)
    done = alice_client.post(response.url, {"distress_after": "4"})
    assert done.url == f"/after-writing/{piece.pk}/support"
    after = html(alice_client.get(done.url))
    assert "Take care of yourself now" not in after and "/urgent-help" in after  # the header's
    assert "Thank you for taking the time" in after
    piece.refresh_from_db()
    assert piece.distress_after == 4


@pytest.mark.parametrize(("before", "after"), [("", "8"), ("2", "6")])
def test_high_or_sharply_risen_upset_shows_the_support_route(alice, alice_client, before, after):
    piece = letter(alice, before=int(before) if before else None)
    response = alice_client.post(
        f"/after-writing/{piece.pk}", {"distress_after": after}, follow=True
    )
    page = html(response)
    assert "Take care of yourself now" in page
    assert "Stop writing for today." in page
    assert "/programme/practice/breathing" in page  # grounding and breathing
    assert "Talk to someone you trust" in page
    assert page.count('href="/urgent-help"') >= 2  # the header's, and the panel's own
    if before:
        assert "up from 2 before you started" in page


def test_the_support_route_lists_the_configured_helplines(alice, alice_client, settings, tmp_path):
    path = tmp_path / "helplines.yaml"
    path.write_text('en:\n  - {name: "Test Listening Line", phone: "0800 000 111"}\n')
    settings.REWIRE_HELPLINES_FILE = str(path)
    helplines.helplines_for.cache_clear()
    try:
        piece = letter(alice, after=9)
        page = html(alice_client.get(f"/after-writing/{piece.pk}/support"))
    finally:
        helplines.helplines_for.cache_clear()
    assert "Take care of yourself now" in page
    assert "Test Listening Line" in page


def test_the_after_page_asks_first_when_there_is_no_rating(alice, alice_client):
    piece = letter(alice)
    response = alice_client.get(f"/after-writing/{piece.pk}/support")
    assert response.url == f"/after-writing/{piece.pk}"


def test_the_check_in_needs_a_number_from_0_to_10(alice, alice_client):
    piece = letter(alice)
    for data in ({}, {"distress_after": "11"}, {"distress_after": "x"}):
        response = alice_client.post(f"/after-writing/{piece.pk}", data)
        assert response.status_code == 422
    piece.refresh_from_db()
    assert piece.distress_after is None


def test_a_timeline_keeps_its_events_in_order_and_skips_empty_rows(alice, alice_client):
    url = "/programme/writing/timeline/new"
    page = html(alice_client.get(url))
    assert page.count('name="event_age_') == 8
    data = {
        "text": "Pain began in a hard year.",
        "event_age_0": "7",
        "event_text_0": "We moved town",
        "event_felt_0": "hard",
        "event_age_1": "",
        "event_text_1": "",
        "event_felt_1": "",
        "event_age_2": "19",
        "event_text_2": "First job",
        "event_felt_2": "good",
    }
    response = alice_client.post(url, {**data, "submission": submission_of(alice_client, url)})
    assert response.status_code == 302
    piece = Writing.objects.get(user=alice)
    assert [(e.age, e.event, e.felt) for e in piece.events.all()] == [
        (7, "We moved town", "hard"),
        (19, "First job", "good"),
    ]
    shown = html(alice_client.get(f"/programme/writing/{piece.pk}"))
    assert "Age 7" in shown and "First job" in shown and "How pain fitted in" in shown
    # Editing shows the events and a few more empty rows; saving replaces them.
    edit = html(alice_client.get(f"/programme/writing/{piece.pk}/edit"))
    assert edit.count('name="event_age_') == 2 + 4
    assert "Before you start" not in edit  # asked before the first writing only
    changed = {
        "event_age_0": "8",
        "event_text_0": "We moved town",
        "event_felt_0": "mixed",
        "text": "",
    }
    assert alice_client.post(f"/programme/writing/{piece.pk}/edit", changed).status_code == 302
    assert [(e.age, e.felt) for e in piece.events.all()] == [(8, "mixed")]
    assert TimelineEvent.objects.count() == 1


def test_each_problem_is_said_beside_its_field_and_nothing_is_written(alice, alice_client):
    url = "/programme/writing/timeline/new"
    data = {
        "event_age_0": "130",
        "event_text_0": "Too old",
        "event_felt_0": "hard",
        "event_age_1": "12",
        "event_text_1": "",
        "event_felt_1": "",
        "title": "x" * 501,
    }
    response = alice_client.post(url, {**data, "submission": submission_of(alice_client, url)})
    assert response.status_code == 422
    page = html(response)
    assert "An age from 0 to 120." in page
    assert "Say in a few words what happened." in page
    assert "Choose hard, good or mixed." in page
    assert "At most 500 characters." in page or "at most 500 characters" in page
    empty = alice_client.post(
        "/programme/writing/letter/new",
        {"text": "   ", "submission": submission_of(alice_client, "/programme/writing/letter/new")},
    )
    assert empty.status_code == 422
    assert "Write at least a few words of your letter." in html(empty)
    assert not Writing.objects.exists() and not TimelineEvent.objects.exists()


def test_a_form_sent_twice_saves_once(alice, alice_client):
    url = "/programme/writing/letter/new"
    submission = submission_of(alice_client, url)
    for _ in range(2):  # a double tap, or a resend after a dropped connection
        response = alice_client.post(url, {"text": LETTER_TEXT, "submission": submission})
        assert response.status_code == 302
    assert Writing.objects.for_user(alice).count() == 1


def test_editing_keeps_the_kind_and_asks_how_you_feel_again(alice, alice_client):
    piece = letter(alice, before=2, after=3)
    response = alice_client.post(
        f"/programme/writing/{piece.pk}/edit", {"title": "", "text": "Shorter now."}
    )
    assert response.url == f"/after-writing/{piece.pk}"
    piece.refresh_from_db()
    assert (piece.kind, piece.text, piece.distress_before, piece.distress_after) == (
        "unsent_letter",
        "Shorter now.",
        2,
        3,
    )


def test_deleting_asks_first(alice, alice_client):
    piece = letter(alice)
    page = html(alice_client.get(f"/programme/writing/{piece.pk}/delete"))
    assert "Delete this piece of writing?" in page
    assert alice_client.post(f"/programme/writing/{piece.pk}/delete").url == "/programme/writing"
    assert not Writing.objects.exists()


def test_another_persons_writing_is_404_on_every_page(alice, carol, carol_client):
    piece = letter(alice)
    for url in (
        *(f"/programme/writing/{piece.pk}{suffix}" for suffix in ("", "/edit", "/delete")),
        f"/after-writing/{piece.pk}",
        f"/after-writing/{piece.pk}/support",
    ):
        assert carol_client.get(url).status_code == 404
        assert carol_client.post(url, {"distress_after": "1", "text": "x"}).status_code == 404
    assert LETTER_TEXT not in html(carol_client.get("/programme/writing"))
    assert LETTER_TEXT not in html(carol_client.get("/programme/topics/writing"))
    piece.refresh_from_db()
    assert (piece.text, piece.distress_after) == (LETTER_TEXT, None)


def test_the_list_pages_through_the_persons_own_writing(alice, alice_client):
    for number in range(22):
        letter(alice, text=f"Letter number {number}")
    first = html(alice_client.get("/programme/writing"))
    assert "Letter number 21" in first and "Letter number 1 " not in first
    assert "Letter number 0" in html(alice_client.get("/programme/writing?page=2"))
    topic = html(alice_client.get("/programme/topics/writing"))
    assert "All your writing (22 pieces)" in topic


# Privacy


def shared_with(alice, bob, scopes):
    _, code = care.create_invitation(user=alice, scopes=scopes)
    return care.accept_invitation(clinician=bob, code=code)


def test_a_clinician_sees_writing_only_when_the_person_shares_it(alice, bob):
    actions.record_writing(
        user=alice,
        entry=WritingEntry(
            kind="timeline",
            title="alice-private-title",
            text="alice-private-reflection",
            events=[(30, "alice-private-event", "hard")],
            distress_before=2,
            distress_after=9,
        ),
    )
    letter(alice, after=8)
    secrets = ("alice-private-title", "alice-private-reflection", "alice-private-event")
    share = shared_with(alice, bob, ["diary", "questionnaires", "programme"])
    clinician = signed_in(bob)
    pages = [
        html(clinician.get(f"/care/patients/{share.pk}")),
        html(clinician.get("/care")),
        html(clinician.get(f"/care/patients/{share.pk}/report")),
    ]
    for page in pages:
        for secret in (*secrets, "alice-private-letter"):
            assert secret not in page
    # Written thoughts shared (as before expressive writing existed): still none of it.
    care.update_share(user=alice, pk=share.pk, scopes=["diary", "thoughts"])
    page = html(clinician.get(f"/care/patients/{share.pk}"))
    for secret in (*secrets, "alice-private-letter"):
        assert secret not in page
    own = html(signed_in(alice).get("/programme/topics/writing"))
    assert "Private: only you see what you write here." in own
    care.update_share(user=alice, pk=share.pk, scopes=["diary", "thoughts", "writing"])
    own = html(signed_in(alice).get("/programme/writing/letter/new"))
    assert "you share your expressive writing with bob@example.com" in own
    page = html(clinician.get(f"/care/patients/{share.pk}"))
    for secret in (*secrets, "alice-private-letter"):
        assert secret in page
    # How upset she felt stays in her own entry: not even a shared page shows it.
    assert "upset" not in page.lower() and "out of 10" not in page
    # The report is never a place for written thoughts, whatever is shared.
    report = html(clinician.get(f"/care/patients/{share.pk}/report"))
    assert all(secret not in report for secret in (*secrets, "alice-private-letter"))


def test_the_files_made_for_others_never_carry_writing(alice):
    letter(alice, after=9)
    api = token_client(alice)
    for url in (
        "/api/v1/export/fhir",
        "/api/v1/export/csv/checkins",
        "/api/v1/export/csv/questionnaires",
    ):
        response = api.get(url)
        assert response.status_code == 200, url
        assert b"alice-private-letter" not in response.content, url
    report = html(signed_in(alice).get("/report"))
    assert "alice-private-letter" not in report


def test_the_sharing_choice_names_the_letters_and_timelines_and_is_off_at_first(alice):
    page = html(signed_in(alice).get("/sharing"))
    assert "Expressive writing (unsent letters and life-stress timelines)" in page
    box = (
        page.split('value="writing"')[0].rsplit("<input", 1)[1]
        + page.split('value="writing"')[1].split(">")[0]
    )
    assert "checked" not in box


def test_nothing_written_or_rated_reaches_the_logs(alice, alice_client, carol_client, caplog):
    loggers = [logging.getLogger(name) for name in ("", "django", "django.request", "rewire")]
    for logger in loggers:
        logger.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.DEBUG):
            url = "/programme/writing/letter/new"
            alice_client.post(url, {"text": LETTER_TEXT, "submission": "one"})
            piece = Writing.objects.get(user=alice)
            alice_client.post(f"/after-writing/{piece.pk}", {"distress_after": "9"})
            alice_client.get(f"/after-writing/{piece.pk}/support")
            carol_client.get(f"/programme/writing/{piece.pk}")  # a 404, which is logged
            token_client(alice).post(
                "/api/v1/writing",
                json.dumps({"kind": "unsent_letter", "text": "x" * 20_001}),
                content_type="application/json",
            )  # a 422
    finally:
        for logger in loggers:
            logger.removeHandler(caplog.handler)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "Not Found: /programme/writing/" in logged  # the logs were listened to
    assert "alice-private-letter" not in logged and "x" * 100 not in logged
    assert "distress" not in logged


# The API


@pytest.fixture
def api(alice):
    return token_client(alice)


def send(client, method, url, body=None, **headers):
    return client.generic(
        method, url, json.dumps(body) if body is not None else "", "application/json", **headers
    )


def test_the_api_creates_reads_replaces_and_deletes_writing(api, alice):
    body = {
        "kind": "timeline",
        "title": "My life so far",
        "events": [
            {"age": 7, "event": "We moved town", "felt": "hard"},
            {"age": 19, "event": "First job", "felt": "good"},
        ],
        "distress_before": 3,
    }
    created = send(api, "POST", "/api/v1/writing", body)
    assert created.status_code == 201, created.content
    piece = created.json()
    assert piece["events"] == body["events"] and piece["text"] == ""
    assert (piece["distress_after"], piece["support"]) == (None, False)
    replaced = send(
        api, "PUT", f"/api/v1/writing/{piece['id']}", {**body, "distress_after": 7}
    ).json()
    assert (replaced["distress_after"], replaced["support"]) == (7, True)
    assert send(api, "GET", f"/api/v1/writing/{piece['id']}").json() == replaced
    listed = send(api, "GET", "/api/v1/writing").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == piece["id"]
    kind_changed = send(api, "PUT", f"/api/v1/writing/{piece['id']}", {**body, "kind": "x"})
    assert kind_changed.status_code == 422
    to_letter = send(
        api, "PUT", f"/api/v1/writing/{piece['id']}", {"kind": "unsent_letter", "text": "x"}
    )
    assert to_letter.status_code == 422
    assert to_letter.json()["detail"][0]["loc"] == ["body", "kind"]
    assert send(api, "DELETE", f"/api/v1/writing/{piece['id']}").status_code == 204
    assert not Writing.objects.exists() and not TimelineEvent.objects.exists()


def test_the_api_refuses_what_the_rules_refuse(api):
    for body, where in (
        ({"kind": "unsent_letter", "text": "  "}, "text"),
        ({"kind": "timeline"}, "events"),
        ({"kind": "unsent_letter", "text": "x", "distress_after": 11}, "distress_after"),
        ({"kind": "timeline", "events": [{"age": 200, "event": "x", "felt": "hard"}]}, "events"),
        ({"kind": "unsent_letter", "text": "x" * 20_001}, "text"),
    ):
        response = send(api, "POST", "/api/v1/writing", body)
        assert response.status_code == 422, body
        assert where in json.dumps(response.json()["detail"]), body
    assert not Writing.objects.exists()


def test_the_api_creates_once_per_idempotency_key(api, alice):
    body = {"kind": "unsent_letter", "text": LETTER_TEXT}
    first = send(api, "POST", "/api/v1/writing", body, HTTP_IDEMPOTENCY_KEY="letter-1")
    again = send(api, "POST", "/api/v1/writing", body, HTTP_IDEMPOTENCY_KEY="letter-1")
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert Writing.objects.for_user(alice).count() == 1
    # The key keeps only the id, never the words.
    assert LETTER_TEXT not in json.dumps(list(IdempotencyKey.objects.values()), default=str)
    other = send(
        api, "POST", "/api/v1/writing", {**body, "text": "y"}, HTTP_IDEMPOTENCY_KEY="letter-1"
    )
    assert other.status_code == 422
    send(api, "DELETE", f"/api/v1/writing/{first.json()['id']}")
    gone = send(api, "POST", "/api/v1/writing", body, HTTP_IDEMPOTENCY_KEY="letter-1")
    assert gone.status_code == 410


def test_the_api_is_owner_scoped(alice, carol):
    piece = letter(alice)
    stranger = token_client(carol)
    for method in ("GET", "PUT", "DELETE"):
        response = send(
            stranger, method, f"/api/v1/writing/{piece.pk}", {"kind": "unsent_letter", "text": "x"}
        )
        assert response.status_code == 404, method
    assert send(stranger, "GET", "/api/v1/writing").json()["count"] == 0
    piece.refresh_from_db()
    assert piece.text == LETTER_TEXT


def test_writing_waits_for_the_warning_signs_but_reading_and_deleting_do_not(db):
    dave = create_user(email="dave@example.com", password=PASSWORD)
    api = token_client(dave)
    body = {"kind": "unsent_letter", "text": "x"}
    assert send(api, "POST", "/api/v1/writing", body).status_code == 409
    assert send(api, "GET", "/api/v1/writing").status_code == 200
    assert signed_in(dave).get("/programme/writing/letter/new").status_code == 302


# Export, import and erasure


def test_writing_round_trips_and_is_erased_with_the_account(alice, carol):
    letter(alice, before=2, after=8)
    actions.record_writing(
        user=alice,
        entry=WritingEntry(kind="timeline", events=[(3, "A sister was born", "good")]),
    )
    document = export_diary(alice)
    written = document["programme"]["writing"]
    assert [w["kind"] for w in written] == ["unsent_letter", "timeline"]
    assert written[0]["distress_before"] == 2 and written[0]["distress_after"] == 8
    assert written[1]["events"] == [{"age": 3, "event": "A sister was born", "felt": "good"}]
    dave = create_user(email="dave@example.com", password=PASSWORD)
    import_diary(dave, json.loads(json.dumps(document)))
    copied = export_diary(dave)["programme"]["writing"]
    assert copied == written
    erase_account(alice)
    assert not Writing.objects.filter(text=LETTER_TEXT, user__email="alice@example.com").exists()
    assert Writing.objects.count() == 2 and TimelineEvent.objects.count() == 1  # dave's


def test_an_import_with_a_bad_piece_of_writing_is_refused_whole(alice, carol):
    letter(alice)
    document = json.loads(json.dumps(export_diary(alice)))
    document["programme"]["writing"][0]["text"] = " "
    response = token_client(carol).post(
        "/api/v1/import", json.dumps(document), content_type="application/json"
    )
    assert response.status_code == 422
    locations = [item["loc"] for item in response.json()["detail"]]
    assert ["body", "programme", "writing", 0, "text"] in locations
    assert not Writing.objects.filter(user=carol).exists()


def test_the_check_in_and_support_after_writing_never_wait_for_the_warning_signs(
    alice, alice_client
):
    """The warning signs come back after a strong flare or four weeks on; a person upset by
    what they wrote must still reach the support route."""
    from rewire.measures.models import Screening

    piece = letter(alice)
    Screening.objects.filter(user=alice).delete()  # the programme waits again
    assert alice_client.get("/programme/writing").status_code == 302
    rated = alice_client.post(f"/after-writing/{piece.pk}", {"distress_after": "9"})
    assert rated.url == f"/after-writing/{piece.pk}/support"
    support = html(alice_client.get(rated.url))
    assert 'href="/urgent-help"' in support
    piece.refresh_from_db()
    assert piece.distress_after == 9
