"""What each session opens with, and what the home page suggests today, from the person's own
data. Plain Python, no Django: actions.py gathers the numbers, this turns them into words.

In the trial each session began with what the person had practised and noticed since the
last one. The review does that in plain words: the practices done, threat before and after,
predicted against actual on the fear ladder, the share of pain put down to the brain or mind
and its change, the pain and sleep trend, and the clearest finding of the insights page. It
never claims more than the numbers hold, and with little data it says so kindly.
"""

import datetime as dt
from dataclasses import dataclass, field

MIN_DAYS_FOR_TREND = 3  # days with a value on each side before a trend is put in words
MIN_ROUNDS_TO_RANK = 3  # rounds of a practice, rated before and after, before it is ranked
CLEAR_CHANGE = 1.0  # points of 0-10: a change this size or more is called a change
EXPERIMENT_PRACTICES = {  # experiment presets that are one of the programme's practices
    "somatic_tracking_before_bed": "somatic_tracking",
    "safety_messages_morning": "safety_messages",
}


# The programme's other practices, counted in the review: {key: (one, many)}.
OTHER_PRACTICES = {
    "evidence": ("example in your evidence log", "examples in your evidence log"),
    "thought_record": ("thought record", "thought records"),
}


@dataclass(frozen=True)
class Round:
    """One guided practice: its kind, day, and the ratings before and after (None: not asked,
    or stopped before the end)."""

    kind: str
    day: dt.date
    threat: tuple[int | None, int | None] = (None, None)
    pain: tuple[int | None, int | None] = (None, None)


@dataclass(frozen=True)
class LadderTry:
    activity: str
    predicted_pain: int
    actual_pain: int


@dataclass(frozen=True)
class ReviewData:
    since: dt.date  # the local day the last session was done
    today: dt.date
    rounds: list[Round] = field(default_factory=list)  # since `since`
    ladder: list[LadderTry] = field(default_factory=list)  # finished tries since `since`
    mind_shares: list[float] = field(default_factory=list)  # every answer, oldest first
    pain: dict[dt.date, float] = field(default_factory=dict)  # each day's mean pain
    sleep: dict[dt.date, float] = field(default_factory=dict)  # each day's hours of sleep
    finding: str | None = None  # the clearest finding of the insights page, in words
    other: dict[str, int] = field(default_factory=dict)  # OTHER_PRACTICES: how many since
    checkin_days: int = 0  # days with a check-in since


NOT_HELPED = "not_helped"  # the page with other options, and what to say to a doctor


@dataclass(frozen=True)
class Line:
    topic: str  # practices, threat, ladder, attribution, pain, sleep, finding
    text: str
    see: str | None = None  # a page to point to after the words: NOT_HELPED


@dataclass(frozen=True)
class Review:
    since: dt.date
    until: dt.date
    lines: list[Line]
    little_data: str | None  # a kind word when there is not much to look back on


def _mean(values) -> float | None:
    values = [value for value in values if value is not None]
    return sum(values) / len(values) if values else None


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _listed(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _practices(data: ReviewData, labels: dict[str, str]) -> Line:
    """Everything the person did for the programme: guided rounds, the other practices
    (evidence, thought records, safety messages) and the days with a check-in."""
    counts: dict[str, int] = {}
    for done in data.rounds:
        counts[done.kind] = counts.get(done.kind, 0) + 1
    parts = [f"{_plural(n, 'round')} of {labels[kind].lower()}" for kind, n in counts.items()]
    parts += [
        f"{_plural(n, one, many)}"
        for key, (one, many) in OTHER_PRACTICES.items()
        if (n := data.other.get(key, 0))
    ]
    if data.checkin_days:
        parts.append(f"check-ins on {_plural(data.checkin_days, 'day')}")
    if not parts:
        return Line(
            "practices",
            "Nothing is logged since then. That is all right: one short practice today is a good "
            "place to start.",
        )
    return Line("practices", f"You logged {_listed(parts)}.")


def _threat(data: ReviewData) -> Line | None:
    rated = [r.threat for r in data.rounds if None not in r.threat]
    if not rated:
        return None
    before, after = _mean(b for b, _ in rated), _mean(a for _, a in rated)
    if len(rated) == 1:
        said = f"How threatening the pain felt: {before:.0f} before and {after:.0f} after."
    else:
        said = (
            f"How threatening the pain felt: {before:.1f} before and {after:.1f} after, on "
            f"average over {len(rated)} rounds."
        )
    if after - before >= CLEAR_CHANGE:
        return Line(
            "threat",
            said + " It rose during practice. That can happen; a shorter round at a calmer "
            "moment may help. If practice keeps making things worse, or something new appears, "
            "talk to a clinician, and see:",
            see=NOT_HELPED,
        )
    if len(rated) < MIN_ROUNDS_TO_RANK:
        return Line("threat", said)  # too few rounds to say what it means
    if before - after >= CLEAR_CHANGE:
        said += (
            " The alarm eased as you practised: a sign your brain is learning the feeling is safe."
        )
    else:
        said += " Little change yet, which is common early on: it often grows with practice."
    return Line("threat", said)


def _ladder(data: ReviewData) -> Line | None:
    if not data.ladder:
        return None
    predicted = _mean(t.predicted_pain for t in data.ladder)
    actual = _mean(t.actual_pain for t in data.ladder)
    better = sum(t.actual_pain < t.predicted_pain for t in data.ladder)
    said = (
        f"On your fear ladder you tried {_plural(len(data.ladder), 'activity', 'activities')}: "
        f"you predicted pain of {predicted:.1f} on average, and it was {actual:.1f}."
    )
    if better:
        said += " It was less than you predicted" + (
            "." if len(data.ladder) == 1 else f" in {better} of {len(data.ladder)} tries."
        )
    else:
        said += " Each try, whatever the pain did, teaches your brain something about movement."
    return Line("ladder", said)


def _attribution(data: ReviewData) -> Line | None:
    if not data.mind_shares:
        return None
    latest = data.mind_shares[-1]
    # A cause marked "both" counts half (rules.mind_share).
    said = (
        f"In your latest answer, you put {latest:.0%} of the causes of your pain down to the "
        "brain, mind or stress"
    )
    if len(data.mind_shares) == 1:
        return Line(
            "attribution", said + ". You are asked again each week, to see how it looks over time."
        )
    first = data.mind_shares[0]
    if latest > first:
        change = f", up from {first:.0%} in your first answer"
    elif latest < first:
        change = f", down from {first:.0%} in your first answer"
    else:
        change = ", the same as in your first answer"
    return Line("attribution", said + change + ".")


def _trend(values: dict[dt.date, float], since: dt.date, today: dt.date):
    """The mean since `since` and over as many days just before it, or None with too few."""
    length = max((today - since).days + 1, MIN_DAYS_FOR_TREND)
    recent = [v for day, v in values.items() if since <= day <= today]
    before_start = since - dt.timedelta(days=length)
    earlier = [v for day, v in values.items() if before_start <= day < since]
    if len(recent) < MIN_DAYS_FOR_TREND or len(earlier) < MIN_DAYS_FOR_TREND:
        return None
    return _mean(recent), _mean(earlier)


def _pain(data: ReviewData) -> Line | None:
    found = _trend(data.pain, data.since, data.today)
    if found is None:
        return None
    recent, earlier = found
    said = (
        f"Your average pain was {recent:.1f} since then, against {earlier:.1f} in the days before."
    )
    if earlier - recent >= CLEAR_CHANGE:
        said += " That is lower."
    elif recent - earlier >= CLEAR_CHANGE:
        return Line(
            "pain",
            said + " That is higher. Pain goes up and down during the programme, and your flare "
            "plan is there if you need it. If it stays higher, talk to a clinician, and see:",
            see=NOT_HELPED,
        )
    else:
        said += " About the same: change often comes in steps, not in a straight line."
    return Line("pain", said)


def _sleep(data: ReviewData) -> Line | None:
    found = _trend(data.sleep, data.since, data.today)
    if found is None:
        return None
    recent, earlier = found
    return Line(
        "sleep",
        f"You slept {recent:.1f} hours a night on average since then, against {earlier:.1f} "
        "before.",
    )


def review(data: ReviewData, labels: dict[str, str]) -> Review:
    """The review a session opens with. `labels` names each practice kind."""
    lines = [_practices(data, labels)]
    lines += [
        line
        for line in (_threat(data), _ladder(data), _attribution(data), _pain(data), _sleep(data))
        if line is not None
    ]
    if data.finding:
        lines.append(Line("finding", f"From your diary: {data.finding}"))
    telling = [line for line in lines if line.topic not in ("practices", "attribution")]
    little = None
    if len(telling) < 2:
        little = (
            "There is not much to look back on this time, and that is fine. The more you log, a "
            "check-in a day and a practice or two, the more the next review can tell you."
        )
    return Review(data.since, data.today, lines, little)


# Today's suggestion


@dataclass(frozen=True)
class HelpedExperiment:
    preset: str
    intervention: str
    verdict: str  # in words: what it found


@dataclass(frozen=True)
class Suggestion:
    practice: str  # an id of content.PRACTICES
    why: str


def suggest(
    *,
    rounds: list[Round],
    helped: list[HelpedExperiment],
    latest_session: tuple[str, str] | None,  # (its title, its daily practice)
    labels: dict[str, str],
) -> Suggestion | None:
    """One practice for today, chosen from the person's own data, and why.

    First a finished experiment of theirs that clearly helped, when it is one of the
    practices; then the practice that has eased the threat most across their rounds (each
    ranked practice rated before and after MIN_ROUNDS_TO_RANK times or more, eased by
    CLEAR_CHANGE or more, and never one after which the pain was higher on average); then
    the daily practice of their latest session. None before the first session is done."""
    for experiment in helped:
        practice = EXPERIMENT_PRACTICES.get(experiment.preset)
        if practice:
            return Suggestion(
                practice,
                f"Your experiment “{experiment.intervention}” found it helped: "
                f"{experiment.verdict}",
            )
    eased: dict[str, list[int]] = {}
    pain_rose: dict[str, list[int]] = {}
    for done in rounds:
        before, after = done.threat
        if before is not None and after is not None:
            eased.setdefault(done.kind, []).append(before - after)
        if None not in done.pain:
            pain_rose.setdefault(done.kind, []).append(done.pain[1] - done.pain[0])
    ranked = sorted(
        (
            (_mean(drops), len(drops), kind)
            for kind, drops in eased.items()
            if len(drops) >= MIN_ROUNDS_TO_RANK
            # Never a practice after which the pain was higher, on average.
            and (_mean(pain_rose.get(kind, [])) or 0) <= 0
        ),
        reverse=True,
    )
    if ranked and ranked[0][0] >= CLEAR_CHANGE:
        drop, count, kind = ranked[0]
        most = " It eased most with this one of your practices." if len(ranked) > 1 else ""
        return Suggestion(
            kind,
            f"Across your {count} rounds of {labels[kind].lower()}, how threatening the pain "
            f"felt eased by {drop:.1f} points on average from before to after.{most}",
        )
    if latest_session is None:
        return None
    title, practice = latest_session
    return Suggestion(
        practice,
        f"It is the daily practice of your latest session, “{title}”. Once you have done a few "
        "guided practices, rating them before and after, Rewire will suggest the one that calms "
        "the alarm most for you.",
    )
