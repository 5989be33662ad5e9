"""Scoring every questionnaire from its definition (instruments.py). Plain Python, no Django.

Every rule here has hand-computed tests in tests/test_measures_scoring.py.
"""

from dataclasses import dataclass

from rewire.measures.instruments import Instrument

CRISIS_ITEM = ("phq9", "phq9_9")  # thoughts of being better off dead or of self-harm
START_BACK_PSYCHOSOCIAL = ("sb_5", "sb_6", "sb_7", "sb_8", "sb_9")
START_BACK_BOTHERSOME = 3  # item 9: "very much" (3) or "extremely" (4) counts 1


@dataclass(frozen=True)
class Score:
    total: int | None  # None: too many questions unanswered to score
    band: str | None = None
    band_index: int | None = None  # 0 = the first band (or low risk)
    prorated: bool = False  # some answers were missing; the total is scaled up
    subscale: int | None = None  # STarT Back: the psychosocial subscore (items 5-9)
    problem: str = ""  # why there is no score


def answer_problems(instrument: Instrument, answers: dict[str, int | None]) -> dict[str, str]:
    """What is wrong with a set of answers, as {item id or "answers": reason}."""
    problems = {}
    known = {item.id: item for item in instrument.items}
    for item_id in sorted(set(answers) - set(known)):
        problems[item_id] = f"{instrument.short_name} has no question {item_id}."
    for item in instrument.items:
        value = answers.get(item.id)
        if value is None:
            if item.id in instrument.required:
                problems[item.id] = "This question needs an answer."
        elif isinstance(value, bool) or value not in {o.value for o in item.options}:
            choices = ", ".join(str(o.value) for o in item.options)
            problems[item.id] = f"Must be one of {choices}."
    missing = [item.id for item in instrument.items if answers.get(item.id) is None]
    if not problems and len(missing) > instrument.max_missing:
        needed = len(instrument.items) - instrument.max_missing
        problems["answers"] = (
            (
                "Answer the question."
                if len(instrument.items) == 1
                else f"Answer all {len(instrument.items)} questions."
            )
            if instrument.max_missing == 0
            else f"Answer at least {needed} of the {len(instrument.items)} questions."
        )
    return problems


def _round_half_up(value: float) -> int:
    return int(value + 0.5)


def _band(instrument: Instrument, total: int) -> tuple[str, int]:
    for index, band in enumerate(instrument.bands):
        if band.low <= total <= band.high:
            return band.label, index
    raise ValueError(f"{instrument.id}: no band holds {total}")


def score(instrument: Instrument, answers: dict[str, int | None]) -> Score:
    """The total, its band and how it was reached. Answers must have passed answer_problems,
    except that too many missing answers give a Score without a total."""
    values = [answers.get(item.id) for item in instrument.items]
    answered = [value for value in values if value is not None]
    missing = len(values) - len(answered)
    if missing > instrument.max_missing or any(
        answers.get(item_id) is None for item_id in instrument.required
    ):
        return Score(total=None, problem="Too many questions unanswered to score.")
    if instrument.scoring == "start_back":
        counted = {
            item.id: int(value >= START_BACK_BOTHERSOME) if item.id == "sb_9" else value
            for item, value in zip(instrument.items, values, strict=True)
        }
        total = sum(counted.values())
        subscale = sum(counted[item_id] for item_id in START_BACK_PSYCHOSOCIAL)
        if total <= 3:
            level = 0
        elif subscale <= 3:
            level = 1
        else:
            level = 2
        return Score(
            total=total, band=instrument.risk_levels[level], band_index=level, subscale=subscale
        )
    total = sum(answered)
    prorated = missing > 0
    if prorated:
        total = _round_half_up(total / len(answered) * len(values))
    band, index = _band(instrument, total)
    return Score(total=total, band=band, band_index=index, prorated=prorated)


def needs_crisis_support(instrument: Instrument, answers: dict[str, int | None]) -> bool:
    """PHQ-9 item 9 above 0: show crisis support at once, and record a safety event."""
    return (instrument.id, "phq9_9") == CRISIS_ITEM and (answers.get("phq9_9") or 0) > 0


# Questions that themselves rate change since the start: comparing two answers says nothing.
RATES_CHANGE = ("pgic", "pain_change")


def tracks_change(instrument: Instrument) -> bool:
    """Whether comparing two scores says something: not for a rating of change (the PGIC,
    Rewire's own change question), nor for STarT Back, which sorts people into groups for
    treatment."""
    return (
        instrument.higher_is_worse
        and instrument.scoring != "start_back"
        and instrument.id not in RATES_CHANGE
    )


@dataclass(frozen=True)
class Change:
    points: int  # latest - baseline
    percent: int | None  # of the baseline, when it is above 0
    meaningful: bool | None  # None: the instrument has no MCID
    better: bool | None  # None: no change
    words: str


def change_since_baseline(instrument: Instrument, baseline: int, latest: int) -> Change:
    """The change from the first score to the latest, judged against the instrument's MCID
    (for pain: 2 points or 30 %, whichever is reached first)."""
    points = latest - baseline
    percent = round(abs(points) / baseline * 100) if baseline else None
    better = None if points == 0 else (points < 0) == instrument.higher_is_worse
    name = instrument.short_name
    if points == 0:
        return Change(0, 0 if baseline else None, False, None, f"Your {name} is where it started.")
    direction = "lower" if points < 0 else "higher"
    verdict = "better" if better else "worse"
    size = f"{abs(points)} point{'s' if abs(points) != 1 else ''}"
    if instrument.mcid_percent and better and percent is not None:
        size += f", {percent}%"
    words = f"Your {name} went from {baseline} to {latest}: {size} {direction} ({verdict})."
    if instrument.mcid_points is None:
        return Change(points, percent, None, better, words)
    # The percent rule comes from studies of pain relief: it judges reductions only.
    by_percent = bool(instrument.mcid_percent and better and percent is not None)
    meaningful = abs(points) >= instrument.mcid_points or (
        by_percent and percent >= instrument.mcid_percent
    )
    threshold = f"{instrument.mcid_points} points"
    if by_percent:
        threshold += f" or {instrument.mcid_percent}%"
    if meaningful:
        words += (
            f" That is at least {threshold}, the smallest change clinicians count as "
            f"meaningful, so it is a real {'improvement' if better else 'worsening'}."
        )
    else:
        words += (
            f" That is less than {threshold}, the smallest change clinicians count as "
            "meaningful, so it may be day-to-day variation."
        )
    return Change(points, percent, meaningful, better, words)
