"""The demo account's programme: started three weeks before today (or on the diary's first day,
if it is shorter), so six of the nine sessions are done and the course is under way.
Plain Python, no Django.

Somatic tracking lowers pain and threat a little, more as the weeks go by; the causes given
for the pain shift from body to brain, mind and stress, as they did in the PRT trial.
"""

import datetime as dt
import random
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from rewire.program.content import Course
from rewire.program.rules import AttributionEntry, PracticeEntry, ThoughtRecordEntry

PROGRAMME_DAYS = 21
SESSION_EVERY_DAYS = 3.5  # nine sessions in about four weeks

BODY_CAUSES = ["A worn disc", "Bad posture at my desk", "An old lifting injury", "Weak core"]
MIND_CAUSES = ["Stress at work", "Fear of moving the wrong way", "Worry about the future"]


@dataclass
class DemoProgramme:
    completions: list[tuple[str, dt.datetime]] = field(default_factory=list)
    practices: list[PracticeEntry] = field(default_factory=list)
    attributions: list[AttributionEntry] = field(default_factory=list)
    thought_records: list[ThoughtRecordEntry] = field(default_factory=list)
    evidence: list[tuple[str, str]] = field(default_factory=list)
    safety_messages: list[str] = field(default_factory=list)
    flare_plan: list[str] = field(default_factory=list)


def _at(day: dt.date, hour: float, tz) -> dt.datetime:
    return (dt.datetime.combine(day, dt.time()) + dt.timedelta(hours=hour)).replace(tzinfo=tz)


def _clamp(value: float) -> int:
    return max(0, min(10, round(value)))


def demo_programme(
    *, course: Course, days: int, today: dt.date, zone: str, now: dt.datetime, seed: int = 7
) -> DemoProgramme:
    rng = random.Random(seed)
    tz = ZoneInfo(zone)
    start = today - dt.timedelta(days=min(days, PROGRAMME_DAYS) - 1)
    demo = DemoProgramme()
    done_on = {}
    for session in course.sessions:
        day = start + dt.timedelta(days=round(session.number * SESSION_EVERY_DAYS))
        moment = _at(day, 20.5, tz)
        if moment <= now:
            demo.completions.append((session.id, moment))
            done_on[session.practice] = day

    def started(practice: str, day: dt.date) -> bool:
        return practice in done_on and done_on[practice] <= day

    day = start
    while day <= today:
        weeks = (day - start).days / 7
        if started("somatic_tracking", day) and rng.random() < 0.7:
            moment = _at(day, 21 + rng.random(), tz)
            pain = _clamp(rng.gauss(5 - 0.3 * weeks, 1.2))
            threat = _clamp(rng.gauss(7 - 0.6 * weeks, 1.2))
            if moment + dt.timedelta(minutes=7) <= now:
                demo.practices.append(
                    PracticeEntry(
                        kind="somatic_tracking",
                        started_at=moment,
                        finished_at=moment + dt.timedelta(minutes=rng.randint(5, 9)),
                        ratings={
                            "pain": (pain, _clamp(pain - rng.choice([0, 1, 1, 2]))),
                            "threat": (threat, _clamp(threat - rng.choice([1, 2, 2, 3]))),
                        },
                    )
                )
        if started("savouring", day) and rng.random() < 0.4:
            moment = _at(day, 13 + rng.random(), tz)
            mood = _clamp(rng.gauss(5, 1.2))
            if moment + dt.timedelta(minutes=6) <= now:
                demo.practices.append(
                    PracticeEntry(
                        kind="savouring",
                        started_at=moment,
                        finished_at=moment + dt.timedelta(minutes=6),
                        ratings={"mood": (mood, _clamp(mood + rng.choice([1, 1, 2])))},
                    )
                )
        if started("thought_record", day) and rng.random() < 0.2:
            moment = _at(day, 18 + rng.random(), tz)
            if moment <= now:
                demo.thought_records.append(
                    ThoughtRecordEntry(
                        recorded_at=moment,
                        situation="Pain came on while sitting in a long meeting.",
                        automatic_thought="I must have damaged something again.",
                        emotions=[("afraid", 7, 4), ("frustrated", 6, 4)],
                        traps=["catastrophising", "fortune_telling"],
                        reappraisal="My back has been checked. This is my alarm being "
                        "over-protective after a tense day, and it has settled before.",
                    )
                )
        day += dt.timedelta(days=1)

    for week in range(0, (today - start).days + 1, 7):
        day = start + dt.timedelta(days=week)
        moment = _at(day, 20.75, tz)
        if "pain_attribution" not in done_on or moment > now:
            continue
        minds = min(3, week // 7)  # one more cause put down to brain, mind or stress each week
        causes = [(text, "mind") for text in MIND_CAUSES[:minds]]
        causes += [(text, "body") for text in BODY_CAUSES[: 3 - minds]]
        demo.attributions.append(AttributionEntry(recorded_at=moment, causes=causes))

    if "evidence_log" in done_on:
        demo.evidence = [
            ("began_without_injury", "It started on a normal morning; I had not lifted anything."),
            ("varies_with_stress", "Worse before deadlines, much better on holiday in May."),
            ("moves_or_spreads", "Some weeks it is my lower back, some weeks my neck."),
        ]
    if "safety_messages" in done_on:
        demo.safety_messages = list(course.starter_safety_messages[:3])
    if "flare_plan" in done_on:
        demo.flare_plan = list(course.starter_flare_plan)
    return demo
