"""Medicines: personal experiments refuse one that names a medicine (the form, the API and the
rules), an import keeps a past one as history, and the one statement about medicines is shown
in the intake, on the page that starts an experiment and on the flare plan."""

import dataclasses
import datetime as dt
import json
import re

import pytest
from django.urls import reverse
from helpers import PASSWORD, open_programme, token_client

from rewire.accounts.actions import create_user
from rewire.core.content import ContentError
from rewire.core.errors import InvalidEntry
from rewire.insights import actions
from rewire.insights.experiments import ExperimentEntry, experiment_problems
from rewire.insights.medicines import CONTENT_ROOT, load_medicines
from rewire.insights.models import Experiment
from rewire.insights.presets import presets_for
from rewire.program.actions import course

MEDICINES = load_medicines(CONTENT_ROOT / "en" / "medicines.yaml")
STATEMENT = MEDICINES.statement


def html(response) -> str:
    return response.content.decode()


def squeezed(text: str) -> str:
    return " ".join(text.split())


# The matcher: whole words, any case, plurals; nothing inside another word.


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("take ibuprofen before bed", "ibuprofen"),
        ("Take IBUPROFEN before bed", "IBUPROFEN"),
        ("Paracetamol in the morning", "Paracetamol"),
        ("acetaminophen at noon", "acetaminophen"),
        ("skip my tramadol", "tramadol"),
        ("half my usual gabapentin", "gabapentin"),
        ("a lower dose", "dose"),
        ("two doses a day", "doses"),
        ("no sleeping pills", "sleeping pills"),
        ("no sleeping   pill", "sleeping   pill"),
        ("stop my painkillers", "painkillers"),
        ("fewer pain-killers", "pain-killers"),
        ("an NSAID gel", "NSAID"),
        ("anti-inflammatories with food", "anti-inflammatories"),
        ("my meds at 8", "meds"),
        ("medication at 8", "medication"),
        ("pill-free weekends", "pill"),
        ("melatonin, 1 mg", "melatonin"),
        ("(codeine)", "codeine"),
        ("co-codamol at night", "co-codamol"),
        ("opioids only on bad days", "opioids"),
        ("the tablet after dinner", "tablet"),
    ],
)
def test_a_medicine_is_found_as_a_whole_word_in_any_case(text, found):
    assert MEDICINES.named_in(text) == found


@pytest.mark.parametrize(
    "text",
    [
        "a new pillow",
        "pillows under my knees",
        "dosed off in the afternoon",  # "dosed" is not "dose"
        "a caterpillar walk in the garden",
        "spilling nothing: carry a full cup",
        "a 20-minute walk",
        "a warm bath before bed",
        "somatic tracking before bed",
        "no screens after 10 pm",
        "drugstore-free shopping trip",  # "drugstore" is not "drug"
        "a steroidal-sounding word: steroidally",
        "Opioidal",
        "",
    ],
)
def test_no_medicine_is_found_inside_another_word_or_in_ordinary_plans(text):
    assert MEDICINES.named_in(text) is None


def test_the_longest_name_is_the_one_reported():
    assert MEDICINES.named_in("a sleeping tablet") == "sleeping tablet"


def test_the_list_holds_the_common_pain_sleep_and_mood_medicines_and_their_kinds():
    for name in (
        "paracetamol", "acetaminophen", "ibuprofen", "naproxen", "codeine", "tramadol",
        "morphine", "oxycodone", "gabapentin", "pregabalin", "amitriptyline", "duloxetine",
        "sertraline", "zopiclone", "melatonin", "diazepam", "painkiller", "opioid", "nsaid",
        "antidepressant", "sleeping pill", "medication", "medicine", "tablet", "pill", "dose",
    ):  # fmt: skip
        assert name in MEDICINES.names, name


def entry(intervention: str, today: dt.date) -> ExperimentEntry:
    return ExperimentEntry(
        intervention=intervention, outcome="next_morning_pain", days=14, start_date=today
    )


def test_the_rule_refuses_a_medicine_and_says_why_on_the_intervention():
    today = dt.date(2026, 3, 2)
    problems = experiment_problems(
        entry("take ibuprofen before bed", today), today=today, medicines=MEDICINES
    )
    assert set(problems) == {"intervention"}
    reason = problems["intervention"]
    assert reason.startswith("“ibuprofen” sounds like a medicine")
    for said in ("could harm you", "the person who prescribed it", "in other words"):
        assert said in reason, said
    assert experiment_problems(entry("a warm bath", today), today=today, medicines=MEDICINES) == {}
    # Without the list (an experiment read back from an export), the names are not checked.
    assert experiment_problems(entry("ibuprofen", today), today=today, medicines=None) == {}


def test_the_suggested_experiments_pass_the_rule():
    today = dt.date(2026, 3, 2)
    for preset in presets_for("en"):
        planned = dataclasses.replace(entry(preset.label, today), preset=preset.id)
        assert (
            experiment_problems(planned, today=today, presets={preset.id}, medicines=MEDICINES)
            == {}
        ), preset.id


def test_a_screen_called_a_tablet_is_refused_too_and_the_reason_says_how_to_go_on():
    """Broad on purpose (medicines.yaml says why): the word is one people use for their
    medicines, so "tablet" as a screen costs a rewording, which the reason asks for."""
    reason = MEDICINES.problem("No tablet after 10 pm")
    assert reason and reason.endswith(
        "If you did not mean a medicine, say what you will try in other words."
    )
    assert MEDICINES.problem("No screens after 10 pm") is None


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("names:", "words:", "exactly statement, refusal and names"),
        ("“{word}” sounds", "It sounds", "{word}"),
        ("  - ibuprofen\n", "  - Ibuprofen!\n", "lower case"),
        ("  - naproxen\n", "  - ibuprofen\n", "each name once"),
        ("statement: >-", "statement: 3\nold: >-", "exactly statement"),
    ],
)
def test_a_broken_medicines_file_is_caught(tmp_path, old, new, message):
    text = (CONTENT_ROOT / "en" / "medicines.yaml").read_text(encoding="utf-8")
    assert old in text
    broken = tmp_path / "medicines.yaml"
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ContentError, match=re.escape(message)):
        load_medicines(broken)


# Starting one: the action, the page and the API.


def test_the_action_refuses_a_medicine_experiment(alice):
    with pytest.raises(InvalidEntry) as refused:
        actions.start_experiment(user=alice, entry=entry("Take  my tramadol later", alice.today()))
    assert "“tramadol” sounds like a medicine" in refused.value.problems["intervention"]
    assert not Experiment.objects.for_user(alice).exists()


def test_the_page_refuses_a_medicine_experiment_with_the_reason(alice, alice_client):
    form = alice_client.get("/insights/experiments/new").context["form"]
    posted = {
        "preset": "own",
        "own": "take ibuprofen before bed",
        "outcome": "next_morning_pain",
        "days": 14,
        "start_date": alice.today().isoformat(),
        "submission": form["submission"].value(),
    }
    response = alice_client.post("/insights/experiments/new", posted)
    assert response.status_code == 422
    reason = response.context["form"].errors["own"][0]
    assert reason == MEDICINES.refusal.format(word="ibuprofen")
    assert reason in html(response)
    assert not Experiment.objects.for_user(alice).exists()

    response = alice_client.post(
        "/insights/experiments/new", {**posted, "own": "a warm bath before bed"}
    )
    assert response.status_code == 302
    assert Experiment.objects.for_user(alice).get().intervention == "a warm bath before bed"


def test_the_api_refuses_a_medicine_experiment_at_body_intervention(alice):
    api = token_client(alice)
    response = api.post(
        "/api/v1/experiments",
        json.dumps(
            {"intervention": "Sleeping pills on odd days", "outcome": "day_average", "days": 14}
        ),
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    problems = {".".join(map(str, p["loc"])): p["msg"] for p in response.json()["detail"]}
    assert problems == {"body.intervention": MEDICINES.refusal.format(word="Sleeping pills")}
    assert not Experiment.objects.for_user(alice).exists()


def test_an_import_keeps_a_past_medicine_experiment_as_history(alice):
    """Planned before the rule (or in another Rewire): the person's own record comes back."""
    today = alice.today()
    Experiment.objects.create(
        user=alice,
        intervention="Ibuprofen before bed",
        outcome="next_morning_pain",
        start_date=today - dt.timedelta(days=30),
        days=14,
        schedule=[True, False] * 7,
        created_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=31),
    )
    exported = token_client(alice).get("/api/v1/export").json()
    assert [e["intervention"] for e in exported["experiments"]] == ["Ibuprofen before bed"]
    dave = create_user(email="dave@example.com", password=PASSWORD, timezone="Europe/London")
    response = token_client(dave).post(
        "/api/v1/import", json.dumps(exported), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["experiments_records"] == 1
    kept = Experiment.objects.for_user(dave).get()
    assert (kept.intervention, kept.schedule) == ("Ibuprofen before bed", [True, False] * 7)
    # A new one through the action is still refused, for dave as for anyone.
    with pytest.raises(InvalidEntry):
        actions.start_experiment(user=dave, entry=entry("Ibuprofen before bed", dave.today()))


# The statement, wherever experiments, the flare plan or the intake are offered.


def test_the_intake_gives_the_medicines_statement_in_the_same_words():
    assert STATEMENT in squeezed(course().sessions[0].body)
    assert 'id="your-medicines"' in course().sessions[0].html


def test_the_page_that_starts_an_experiment_gives_the_medicines_statement(alice_client):
    assert STATEMENT in squeezed(html(alice_client.get("/insights/experiments/new")))


def test_the_flare_plan_gives_the_medicines_statement(alice, alice_client):
    open_programme(alice)
    response = alice_client.get(reverse("flare_plan"))
    assert response.status_code == 200
    assert STATEMENT in squeezed(html(response))


def test_the_statement_advises_nothing_but_the_prescriber():
    said = STATEMENT.lower()
    for part in ("keep taking", "as prescribed", "doctor, nurse or pharmacist", "does not give"):
        assert part in said, part
