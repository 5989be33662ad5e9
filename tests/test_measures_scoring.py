"""Questionnaire scoring against hand-computed cases: every instrument, every band boundary,
the missing-answer rules, the crisis item, the change since baseline. No database."""

import datetime as dt
import re

import pytest

from rewire.measures.instruments import (
    CONTENT_ROOT,
    InstrumentError,
    load_instruments,
    load_red_flags,
)
from rewire.measures.outcome import CAVEATS, TRIAL, weekly_outcome
from rewire.measures.schedule import due
from rewire.measures.scoring import answer_problems, change_since_baseline, needs_crisis_support
from rewire.measures.scoring import score as score_of

INSTRUMENTS = load_instruments(CONTENT_ROOT / "en" / "instruments.yaml")
PHQ9, GAD7, PHQ2 = INSTRUMENTS["phq9"], INSTRUMENTS["gad7"], INSTRUMENTS["phq2"]
PAIN, PGIC, START = INSTRUMENTS["weekly_pain"], INSTRUMENTS["pgic"], INSTRUMENTS["start_back"]


def answers(instrument, *values):
    return {item.id: value for item, value in zip(instrument.items, values, strict=True)}


def score(instrument, *values):
    return score_of(instrument, answers(instrument, *values))


# PHQ-9: sum of nine items 0-3; bands at 5, 10, 15, 20.
@pytest.mark.parametrize(
    ("values", "total", "band"),
    [
        ((0, 0, 0, 0, 0, 0, 0, 0, 0), 0, "Minimal"),
        ((1, 1, 1, 1, 0, 0, 0, 0, 0), 4, "Minimal"),
        ((1, 1, 1, 1, 1, 0, 0, 0, 0), 5, "Mild"),
        ((3, 3, 3, 0, 0, 0, 0, 0, 0), 9, "Mild"),
        ((3, 3, 3, 1, 0, 0, 0, 0, 0), 10, "Moderate"),
        ((2, 2, 2, 2, 2, 2, 2, 0, 0), 14, "Moderate"),
        ((3, 3, 3, 3, 3, 0, 0, 0, 0), 15, "Moderately severe"),
        ((3, 3, 3, 3, 3, 3, 1, 0, 0), 19, "Moderately severe"),
        ((3, 3, 3, 3, 3, 3, 2, 0, 0), 20, "Severe"),
        ((3, 3, 3, 3, 3, 3, 3, 3, 3), 27, "Severe"),
    ],
)
def test_phq9_totals_and_every_band_boundary(values, total, band):
    result = score(PHQ9, *values)
    assert (result.total, result.band, result.prorated) == (total, band, False)


def test_phq9_one_missing_answer_is_prorated_two_are_not_scored():
    # Eight answers summing 10: 10 / 8 * 9 = 11.25 -> 11.
    one_missing = score(PHQ9, 2, 2, 2, 1, 1, 1, 1, None, 0)
    assert (one_missing.total, one_missing.band, one_missing.prorated) == (11, "Moderate", True)
    # 4 / 8 * 9 = 4.5 -> 5 (half rounds up): the band moves with it.
    assert score(PHQ9, 1, 1, 1, 1, 0, 0, 0, None, 0).total == 5
    two_missing = answers(PHQ9, 1, 1, 1, 1, 1, 1, None, None, 0)
    assert score_of(PHQ9, two_missing).total is None
    assert "Answer at least 8 of the 9" in answer_problems(PHQ9, two_missing)["answers"]


def test_phq9_item_9_must_be_answered_and_above_0_needs_crisis_support():
    missing_nine = answers(PHQ9, 1, 1, 1, 1, 1, 1, 1, 1, None)
    assert answer_problems(PHQ9, missing_nine) == {"phq9_9": "This question needs an answer."}
    assert score_of(PHQ9, missing_nine).total is None
    for value, crisis in ((0, False), (1, True), (2, True), (3, True)):
        assert needs_crisis_support(PHQ9, answers(PHQ9, 0, 0, 0, 0, 0, 0, 0, 0, value)) is crisis
    # Only the PHQ-9's item 9: no other instrument raises it.
    assert not needs_crisis_support(GAD7, answers(GAD7, 3, 3, 3, 3, 3, 3, 3))


@pytest.mark.parametrize(
    ("total", "band"),
    [(0, "Minimal"), (4, "Minimal"), (5, "Mild"), (9, "Mild"), (10, "Moderate"),
     (14, "Moderate"), (15, "Severe"), (21, "Severe")],
)  # fmt: skip
def test_gad7_every_band_boundary(total, band):
    values = [3] * (total // 3) + ([total % 3] if total % 3 else [])
    values += [0] * (7 - len(values))
    result = score(GAD7, *values)
    assert (result.total, result.band) == (total, band)


def test_gad7_prorates_one_missing_answer():
    # Six answers summing 8: 8 / 6 * 7 = 9.33 -> 9.
    assert score(GAD7, 2, 2, 2, 1, 1, 0, None).total == 9
    assert score(GAD7, 2, 2, 2, 1, 1, None, None).total is None


@pytest.mark.parametrize(
    ("values", "band_index"), [((1, 1), 0), ((2, 0), 0), ((2, 1), 1), ((3, 3), 1)]
)
def test_phq2_screening_cut_point_is_3(values, band_index):
    result = score(PHQ2, *values)
    assert result.total == sum(values) and result.band_index == band_index
    assert score_of(PHQ2, answers(PHQ2, 1, None)).total is None  # no missing answers allowed


@pytest.mark.parametrize(
    ("pain", "band"),
    [(0, "Pain-free or nearly pain-free"), (1, "Pain-free or nearly pain-free"), (2, "Mild"),
     (4, "Mild"), (5, "Moderate"), (6, "Moderate"), (7, "Severe"), (10, "Severe")],
)  # fmt: skip
def test_weekly_pain_bands(pain, band):
    assert score(PAIN, pain).band == band


@pytest.mark.parametrize(
    ("value", "band"),
    [(1, "No real change"), (2, "No real change"), (3, "Some improvement"),
     (5, "Some improvement"), (6, "Much improved"), (7, "Much improved")],
)  # fmt: skip
def test_pgic_bands(value, band):
    assert score(PGIC, value).band == band
    assert "Must be one of" in answer_problems(PGIC, {"pgic": 0})["pgic"]


# STarT Back: items 1-8 agree = 1; item 9 "very much" (3) or "extremely" (4) = 1.
# Total 0-3: low risk; else psychosocial subscore (items 5-9) 0-3: medium; 4-5: high.
@pytest.mark.parametrize(
    ("values", "total", "subscale", "band"),
    [
        ((0, 0, 0, 0, 0, 0, 0, 0, 0), 0, 0, "Low risk"),
        ((1, 1, 1, 0, 0, 0, 0, 0, 2), 3, 0, "Low risk"),  # "moderately" bothersome counts 0
        ((0, 0, 0, 0, 1, 1, 1, 0, 2), 3, 3, "Low risk"),  # total 3: low, whatever the subscore
        ((1, 1, 1, 1, 0, 0, 0, 0, 0), 4, 0, "Medium risk"),
        ((1, 1, 1, 0, 1, 1, 1, 0, 0), 6, 3, "Medium risk"),
        ((0, 0, 0, 0, 1, 1, 1, 0, 3), 4, 4, "High risk"),  # "very much" counts 1
        ((1, 1, 1, 1, 1, 1, 1, 1, 4), 9, 5, "High risk"),
    ],
)
def test_start_back_total_subscore_and_risk(values, total, subscale, band):
    result = score(START, *values)
    assert (result.total, result.subscale, result.band) == (total, subscale, band)


def test_start_back_needs_every_answer_and_its_own_options():
    incomplete = answers(START, 1, 1, 1, 1, 1, 1, 1, 1, None)
    assert "Answer all 9" in answer_problems(START, incomplete)["answers"]
    assert (
        "Must be one of 0, 1"
        in answer_problems(START, {**incomplete, "sb_1": 2, "sb_9": 0})["sb_1"]
    )
    assert answer_problems(START, {**incomplete, "sb_9": 4}) == {}


def test_own_ratings_are_labelled_not_validated_and_have_no_mcid():
    for name in ("fear_of_movement", "pain_means_damage"):
        own = INSTRUMENTS[name]
        assert not own.validated and "not validated" in own.name
        assert own.mcid_points is None
        change = change_since_baseline(own, 8, 3)
        assert change.meaningful is None and "clinicians" not in change.words


def test_unknown_items_and_booleans_are_refused():
    problems = answer_problems(PAIN, {"average_pain": True, "mood": 3})
    assert "Must be one of" in problems["average_pain"]
    assert "no question mood" in problems["mood"]


@pytest.mark.parametrize(
    ("instrument", "baseline", "latest", "meaningful", "better"),
    [
        (PHQ9, 14, 9, True, True),  # 5 points: the PHQ-9's MCID
        (PHQ9, 14, 10, False, True),
        (PHQ9, 5, 11, True, False),
        (GAD7, 12, 8, True, True),  # 4 points
        (GAD7, 12, 9, False, True),
        (PAIN, 6, 4, True, True),  # 2 points
        (PAIN, 3, 2, True, True),  # 1 point, but 33 % of 3: past 30 %
        (PAIN, 8, 7, False, True),  # 1 point, 12 %
        (PGIC, 3, 6, None, True),  # no MCID: not judged
    ],
)
def test_change_since_baseline_is_judged_against_the_mcid(
    instrument, baseline, latest, meaningful, better
):
    change = change_since_baseline(instrument, baseline, latest)
    assert (change.meaningful, change.better) == (meaningful, better)
    assert f"from {baseline} to {latest}" in change.words
    if meaningful is not None:
        assert ("at least" if meaningful else "less than") in change.words


def test_no_change_says_so():
    assert change_since_baseline(PHQ9, 7, 7).words == "Your PHQ-9 is where it started."


def test_the_definitions_carry_the_codes_and_lines_the_brief_names():
    assert PHQ9.loinc == {"panel": "44249-1", "total": "44261-6", "items": {"phq9_9": "44260-8"}}
    assert GAD7.loinc == {"panel": "69737-5", "total": "70274-6"}
    assert PHQ2.loinc["total"] == "55758-7" and PAIN.loinc["total"] == "72514-3"
    assert "Keele University" in START.attribution
    assert (PAIN.mcid_points, PAIN.mcid_percent) == (2, 30)


def test_no_licensed_instrument_is_embedded():
    text = (CONTENT_ROOT / "en" / "instruments.yaml").read_text().lower()
    for name in ("bpi", "promis", "oswestry", "roland", "insomnia severity", "catastrophizing",
                 "tampa", "self-efficacy", " peg"):  # fmt: skip
        assert name not in text, name


def test_a_broken_definition_is_caught_with_the_instrument_and_reason(tmp_path):
    text = (CONTENT_ROOT / "en" / "instruments.yaml").read_text()
    broken = tmp_path / "instruments.yaml"
    broken.write_text(text.replace('    - [15, 19, "Moderately severe"]\n', ""))
    with pytest.raises(InstrumentError, match="phq9: bands must cover 0-27"):
        load_instruments(broken)
    broken.write_text(text.replace("scoring: start_back", "scoring: vibes"))
    with pytest.raises(InstrumentError, match="start_back: scoring must be one of"):
        load_instruments(broken)


def test_the_warning_signs_include_the_emergency_one():
    flags = load_red_flags(CONTENT_ROOT / "en" / "red_flags.yaml")
    assert len(flags) == 15 and all(flag.label for flag in flags)
    emergency = {flag.id: flag for flag in flags if flag.emergency}
    assert "bladder" in emergency["bladder_bowel_saddle"].question
    # The early signs of cauda equina syndrome (NICE CKS "Sciatica") are emergencies too.
    assert set(emergency) == {
        "bladder_bowel_saddle", "passing_urine", "wiping_feeling", "sexual_function", "both_legs"
    }  # fmt: skip
    later = {flag.id for flag in flags if flag.added is not None}
    assert later == set(emergency) - {"bladder_bowel_saddle"} | {
        "inflammatory_back_pain", "long_term_steroids", "spinal_surgery", "osteoporosis"
    }  # fmt: skip


TODAY = dt.date(2026, 6, 30)


def days_ago(n):
    return TODAY - dt.timedelta(days=n)


def test_the_baseline_is_due_first_then_the_rhythm():
    first = [d.instrument for d in due(last_taken={}, today=TODAY, programme_done_on=None)]
    assert first == ["weekly_pain", "phq9", "gad7", "start_back"]
    taken = {"weekly_pain": days_ago(6), "phq9": days_ago(13), "gad7": days_ago(14),
             "start_back": days_ago(40)}  # fmt: skip
    assert [d.instrument for d in due(last_taken=taken, today=TODAY, programme_done_on=None)] == [
        "gad7"
    ]
    taken["weekly_pain"] = days_ago(7)
    assert "weekly_pain" in [
        d.instrument for d in due(last_taken=taken, today=TODAY, programme_done_on=None)
    ]


def test_pgic_is_due_once_the_programme_is_finished():
    taken = {"weekly_pain": TODAY, "phq9": TODAY, "gad7": TODAY, "start_back": TODAY}
    assert due(last_taken=taken, today=TODAY, programme_done_on=None) == []
    [pgic] = due(last_taken=taken, today=TODAY, programme_done_on=days_ago(2))
    assert pgic.instrument == "pgic"
    taken["pgic"] = days_ago(1)
    assert due(last_taken=taken, today=TODAY, programme_done_on=days_ago(2)) == []


def test_weekly_outcome_counts_weeks_from_the_first_answer():
    weeks = weekly_outcome([(days_ago(20), 6), (days_ago(14), 3), (days_ago(13), 1), (TODAY, 0)])
    assert [(w.number, w.pain, w.pain_free_or_nearly) for w in weeks] == [
        (0, 3, False),  # days 0-6: the later answer of the week counts
        (1, 1, True),
        (2, 0, True),
    ]
    assert weekly_outcome([]) == []


def test_the_trial_figures_and_caveats_are_those_of_the_brief():
    assert TRIAL["pain_free_or_nearly_after_4_weeks"] == {
        "PRT": 66, "Placebo injection": 20, "Usual care": 10}  # fmt: skip
    assert TRIAL["mean_pain_after_4_weeks"] == {
        "PRT": 1.18, "Placebo injection": 2.84, "Usual care": 3.13}  # fmt: skip
    joined = " ".join(CAVEATS).lower()
    for caveat in ("one trial", "white", "educated", "authors", "back pain", "cure"):
        assert caveat in joined


def test_helplines_come_only_from_configuration(tmp_path):
    from rewire.measures.helplines import DEFAULT_ADVICE, HelplineError, load_helplines

    assert "local emergency number" in DEFAULT_ADVICE
    assert not any(ch.isdigit() for ch in DEFAULT_ADVICE)  # no number that could be wrong
    good = tmp_path / "helplines.yaml"
    good.write_text('en-gb:\n  - {name: "Example line", phone: "000 000", hours: "24/7"}\n')
    assert load_helplines(good)["en-gb"][0].phone == "000 000"
    bad = tmp_path / "bad.yaml"
    bad.write_text('en:\n  - {name: "No way to reach it"}\n')
    with pytest.raises(HelplineError, match="needs a name and a phone, text or url"):
        load_helplines(bad)


def test_the_30_percent_rule_judges_pain_relief_only():
    worse = change_since_baseline(PAIN, 1, 2)  # 1 point up, 100 % of 1
    assert worse.meaningful is False and "30%" not in worse.words
    better = change_since_baseline(PAIN, 3, 2)
    assert better.meaningful is True and "1 point, 33% lower" in better.words


def test_of_two_answers_on_one_day_the_later_counts():
    weeks = weekly_outcome([(TODAY, 6), (TODAY, 5)])
    assert [w.pain for w in weeks] == [5]


def test_no_phone_number_is_written_into_the_app_or_its_docs():
    """Helplines are configuration: a number in the code could be wrong where Rewire runs."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    files = [
        *root.glob("rewire/**/*.html"),
        *root.glob("rewire/**/content/**/*.md"),
        *root.glob("rewire/**/content/**/*.yaml"),
        root / "rewire/measures/helplines.py",
        *root.glob("docs/**/*.md"),
    ]
    phone = re.compile(r"\b\d{2,5}[ -]\d{2,4}(?:[ -]\d{2,4})?\b|\btel:\+?\d")
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if re.search(r"phone|call|text|tel:|helpline|crisis", line, re.IGNORECASE):
                assert not phone.search(line), f"{path.relative_to(root)}: {line.strip()}"
