"""Worsening is acted on: rules as data (rewire/measures/content/en/worsening.yaml), each
boundary tested; a rule set off records a safety event, shows graded advice, comes first for a
clinician and emails them through a real SMTP server (aiosmtpd, in this process) with no
health data in the email."""

import datetime as dt
import json
from pathlib import Path

import pytest
from django.test import override_settings
from helpers import PASSWORD, signed_in, token_client

from rewire.accounts.actions import create_user
from rewire.care import actions as care
from rewire.core.content import ContentError
from rewire.core.errors import ImportRejected, InvalidEntry
from rewire.core.portability import export_diary, import_diary
from rewire.measures import actions, worsening
from rewire.measures.models import SafetyEvent

RULES = worsening.load_rules(
    Path(worsening.__file__).parent / "content" / "en" / "worsening.yaml",
    instruments={"weekly_pain", "phq9", "gad7", "pain_change"},
)


def ids(instrument, totals):
    return [rule.id for rule in worsening.fired(RULES, instrument, totals)]


# The rules, boundary by boundary (plain Python).


def test_weekly_pain_two_points_up_two_weeks_in_a_row_fires_once_when_it_becomes_true():
    assert ids("weekly_pain", [4]) == []
    assert ids("weekly_pain", [4, 6]) == []  # one week up is not enough
    assert ids("weekly_pain", [4, 5, 6]) == []  # 1 point, then 2: not two in a row
    assert ids("weekly_pain", [4, 6, 6]) == ["weekly_pain_rising"]
    assert ids("weekly_pain", [4, 6, 6, 7]) == []  # still up: not again every week
    assert ids("weekly_pain", [4, 6, 6, 5]) == []  # back under
    assert ids("weekly_pain", [4, 6, 6, 5, 6, 6]) == ["weekly_pain_rising"]  # up again
    assert ids("weekly_pain", [4, 6, None]) == []  # an unscored answer sets off nothing


def test_phq9_15_or_more_and_5_up_from_the_start():
    assert ids("phq9", [14]) == []
    assert ids("phq9", [15]) == ["phq9_moderately_severe"]  # a level: the first answer too
    assert ids("phq9", [3, 7]) == []
    assert ids("phq9", [3, 8]) == ["phq9_up_five"]
    assert ids("phq9", [10, 15]) == ["phq9_moderately_severe", "phq9_up_five"]
    assert ids("phq9", [12, 16]) == ["phq9_moderately_severe"]  # 4 up


def test_gad7_15_or_more():
    assert ids("gad7", [14]) == [] and ids("gad7", [5, 14]) == []
    assert ids("gad7", [15]) == ["gad7_severe"]


def test_much_worse_on_rewires_own_change_question_but_not_the_pgic():
    assert ids("pain_change", [3]) == []
    assert ids("pain_change", [4]) == ["much_worse"]
    assert ids("pgic", [1]) == []  # the PGIC is kept as published, with no rule of ours


def test_every_rule_says_where_its_threshold_comes_from_and_how_soon_to_act():
    assert {rule.urgency for rule in RULES.rules} <= {"today", "this_week"}
    assert all(rule.source and rule.title for rule in RULES.rules)
    assert set(RULES.advice) == {"today", "this_week"}


@pytest.mark.parametrize(
    "broken, says",
    [
        ("kind: rising_in_a_row", "needs exactly"),  # its in_a_row is missing
        ("kind: someday", "unknown kind"),
        ("urgency: later", "unknown urgency"),
        ("instrument: bpi", "unknown questionnaire"),
        ("total: -1", "whole numbers"),
    ],
)
def test_a_broken_rules_file_stops_the_app_and_says_why(tmp_path, broken, says):
    key = broken.split(":")[0]
    rule = {"kind": "at_least", "urgency": "this_week", "instrument": "gad7", "total": 15}
    rule[key] = broken.split(": ")[1]
    lines = [f"    {name}: {value}" for name, value in rule.items()]
    (tmp_path / "worsening.yaml").write_text(
        "advice: {today: now, this_week: soon}\nrules:\n  - id: r\n"
        "    title: t\n    source: s\n" + "\n".join(lines) + "\n"
    )
    with pytest.raises(ContentError, match=says):
        worsening.load_rules(tmp_path / "worsening.yaml", instruments={"gad7"})


# Acted on: the event, the advice, the clinician.


@pytest.fixture
def bob(db):
    return create_user(email="bob@example.com", password=PASSWORD, role="clinician")


def share(patient, clinician, scopes):
    _, code = care.create_invitation(user=patient, scopes=scopes)
    return care.accept_invitation(clinician=clinician, code=code)


PHQ9_AT = {n: {f"phq9_{i}": v for i, v in enumerate(values, 1)} for n, values in {
    15: (2, 2, 2, 2, 2, 2, 2, 1, 0),
    14: (2, 2, 2, 2, 2, 2, 1, 1, 0),
}.items()}  # fmt: skip


def test_a_severe_phq9_records_an_event_shows_advice_and_emails_the_sharing_clinician(
    alice, bob, smtp, django_capture_on_commit_callbacks
):
    dora = create_user(email="dora@example.com", password=PASSWORD, role="clinician")
    share(alice, bob, ["diary", "questionnaires"])
    share(alice, dora, ["diary"])  # safety alerts are not shared with her
    with django_capture_on_commit_callbacks(execute=True):
        response = actions.record_response(user=alice, instrument_id="phq9", answers=PHQ9_AT[15])
    [event] = SafetyEvent.objects.for_user(alice)
    assert (event.kind, event.rule, event.response) == (
        "worsening",
        "phq9_moderately_severe",
        response,
    )
    # One email, to bob only, with no health data: no score, no name, no address of alice's.
    [(to, message)] = smtp.received
    assert to == ["bob@example.com"]
    text = message.get_payload()
    assert message["Subject"] == "Rewire: a patient you care for needs a look"
    assert "https://rewire.example.org/care" in text
    for secret in ("alice", "phq", "15", "mood", "score", "worse"):
        assert secret not in text.lower(), secret
    # The person sees the advice at once, and what the clinician receives.
    html = signed_in(alice).get(f"/questionnaires/responses/{response.pk}").content.decode()
    assert "Please see a clinician this week" in html
    assert "moderately severe or severe low mood" in html
    assert "they are sent an email saying that a patient they care for needs a look" in html
    # bob sees it first in his list, in words.
    bob_list = signed_in(bob).get("/care").content.decode()
    assert "Getting worse" in bob_list


def test_below_the_thresholds_nothing_happens(alice, bob, smtp, django_capture_on_commit_callbacks):
    share(alice, bob, ["questionnaires"])
    with django_capture_on_commit_callbacks(execute=True):
        actions.record_response(user=alice, instrument_id="phq9", answers=PHQ9_AT[14])
    assert not SafetyEvent.objects.for_user(alice).exists()
    assert smtp.received == []


def test_the_api_carries_the_advice_and_a_failed_email_fails_nothing(
    alice, bob, django_capture_on_commit_callbacks
):
    share(alice, bob, ["questionnaires"])
    client = token_client(alice)
    # A mail server that is not there: the answers are kept and the advice shown anyway.
    with (
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=9,
            EMAIL_TIMEOUT=2,
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        answer = client.post(
            "/api/v1/questionnaire-responses",
            json.dumps({"instrument": "gad7", "answers": {f"gad7_{i}": 3 for i in range(1, 8)}}),
            content_type="application/json",
        )
    assert answer.status_code == 201, answer.content
    worse = answer.json()["worsening"]
    assert [rule["id"] for rule in worse["rules"]] == ["gad7_severe"]
    assert worse["urgency"] == "this_week" and "GP" in worse["advice"]
    assert SafetyEvent.objects.for_user(alice).get().rule == "gad7_severe"
    calm = client.post(
        "/api/v1/questionnaire-responses",
        json.dumps({"instrument": "gad7", "answers": {f"gad7_{i}": 0 for i in range(1, 8)}}),
        content_type="application/json",
    )
    assert calm.json()["worsening"] is None


def test_worsening_events_survive_export_and_import_and_bad_ones_are_refused(alice, carol):
    actions.record_response(user=alice, instrument_id="phq9", answers=PHQ9_AT[15])
    document = export_diary(alice)
    [event] = document["measures"]["safety_events"]
    assert event["kind"] == "worsening" and event["rule"] == "phq9_moderately_severe"
    import_diary(carol, document)
    assert export_diary(carol)["measures"] == document["measures"]
    for change, where in (
        ({"rule": "no_such_rule"}, "rule"),
        ({"response_index": None}, "response_index"),
        ({"kind": "red_flag", "response_index": None}, "rule"),
    ):
        bad = json.loads(json.dumps(document))
        bad["measures"]["safety_events"][0] |= change
        someone = create_user(email=f"{where}{len(change)}@example.com", password=PASSWORD)
        with pytest.raises(ImportRejected) as rejected:
            import_diary(someone, bad)
        assert any(e["loc"][-1] == where for e in rejected.value.errors), rejected.value.errors


def test_the_change_question_is_due_every_two_weeks_from_two_weeks_after_the_start(alice):
    import datetime as dt

    from rewire.measures import schedule

    start = dt.date(2026, 3, 1)

    def due_on(day, **taken):
        found = schedule.due(
            last_taken={"weekly_pain": start, **taken},
            first_taken={"weekly_pain": start},
            today=day,
            programme_done_on=None,
        )
        return "pain_change" in [item.instrument for item in found]

    assert not due_on(start + dt.timedelta(days=13))
    assert due_on(start + dt.timedelta(days=14))
    assert not due_on(start + dt.timedelta(days=20), pain_change=start + dt.timedelta(days=14))
    assert due_on(start + dt.timedelta(days=28), pain_change=start + dt.timedelta(days=14))


def test_an_answer_dated_in_the_past_is_judged_by_the_answers_before_it(alice):
    def phq9(total_answers, day):
        return actions.record_response(
            user=alice,
            instrument_id="phq9",
            answers=total_answers,
            answered_at=dt.datetime(2026, day, 1, 9, tzinfo=dt.UTC),
        )

    mild = {**PHQ9_AT[14], "phq9_1": 0, "phq9_2": 0, "phq9_3": 0, "phq9_4": 0}  # total 6
    phq9(mild, 1)
    severe_later = phq9(PHQ9_AT[15], 3)
    assert {e.rule for e in SafetyEvent.objects.for_user(alice)} == {
        "phq9_moderately_severe",
        "phq9_up_five",
    }
    # A mild answer dated between them sets off nothing, though a severe one came later.
    backdated = phq9(mild, 2)
    assert not SafetyEvent.objects.for_user(alice).filter(response=backdated).exists()
    # And a severe one dated between them is judged on its own: it is severe.
    severe_backdated = phq9(PHQ9_AT[15], 2)
    assert SafetyEvent.objects.for_user(alice).filter(response=severe_backdated).exists()
    assert severe_later.pk != severe_backdated.pk


def test_a_clinician_account_no_longer_active_is_not_emailed(
    alice, bob, smtp, django_capture_on_commit_callbacks
):
    share(alice, bob, ["questionnaires"])
    bob.is_active = False
    bob.save()
    with django_capture_on_commit_callbacks(execute=True):
        actions.record_response(user=alice, instrument_id="phq9", answers=PHQ9_AT[15])
    assert SafetyEvent.objects.for_user(alice).exists()
    assert smtp.received == []


def test_a_refused_crisis_answer_sent_again_and_then_saved_is_one_event_and_one_email(
    alice, bob, smtp, django_capture_on_commit_callbacks
):
    share(alice, bob, ["questionnaires"])
    client = signed_in(alice)
    refused = {f"phq9_{n}": "1" for n in range(3, 9)} | {"phq9_9": "2"}  # questions 1, 2 blank
    for _ in range(2):  # refused, then sent again unchanged
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/questionnaires/phq9", refused)
        assert response.status_code == 422
        assert "You do not have to carry this alone" in response.content.decode()
    [event] = SafetyEvent.objects.for_user(alice)
    assert event.response is None and event.detail.endswith("The other answers were not saved.")
    # Corrected and saved: the same event, now linked to the answers; still one email.
    with django_capture_on_commit_callbacks(execute=True):
        saved = client.post("/questionnaires/phq9", refused | {"phq9_1": "1", "phq9_2": "1"})
    assert saved.status_code == 302
    [event] = SafetyEvent.objects.for_user(alice)
    assert event.response is not None and event.detail == "PHQ-9 item 9 answered 2 (of 3)."
    assert len(smtp.received) == 1
    # Saved crisis answers are each their own event, and email.
    answers = {f"phq9_{n}": 1 for n in range(1, 10)}
    with django_capture_on_commit_callbacks(execute=True):
        actions.record_response(user=alice, instrument_id="phq9", answers=answers)
    assert SafetyEvent.objects.for_user(alice).filter(kind=SafetyEvent.CRISIS).count() == 2
    assert len(smtp.received) == 2


def test_an_event_of_deleted_answers_is_not_taken_for_a_refused_one(alice):
    answers = {f"phq9_{n}": 1 for n in range(1, 10)}
    response = actions.record_response(user=alice, instrument_id="phq9", answers=answers)
    actions.delete_response(user=alice, pk=response.pk)
    refused = {f"phq9_{n}": 1 for n in range(3, 10)}
    with pytest.raises(InvalidEntry):
        actions.record_response(user=alice, instrument_id="phq9", answers=refused)
    assert SafetyEvent.objects.for_user(alice).filter(kind=SafetyEvent.CRISIS).count() == 2


def test_a_refused_crisis_answer_sent_again_with_a_higher_answer_is_a_new_event_and_email(
    alice, bob, smtp, django_capture_on_commit_callbacks
):
    share(alice, bob, ["questionnaires"])
    client = signed_in(alice)
    refused = {f"phq9_{n}": "1" for n in range(3, 9)}  # questions 1, 2 blank
    for value in ("1", "3"):
        with django_capture_on_commit_callbacks(execute=True):
            assert (
                client.post("/questionnaires/phq9", refused | {"phq9_9": value}).status_code == 422
            )
    details = sorted(SafetyEvent.objects.for_user(alice).values_list("detail", flat=True))
    assert details == [
        "PHQ-9 item 9 answered 1 (of 3). The other answers were not saved.",
        "PHQ-9 item 9 answered 3 (of 3). The other answers were not saved.",
    ]
    assert len(smtp.received) == 2
