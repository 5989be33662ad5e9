"""What each programme record holds and the rules it must follow. Plain Python, no Django.

The web forms, the API and the import all build these entries and call the matching
`*_problems` function, so each rule exists once. Problems are {field name: reason}.
"""

import datetime as dt
from dataclasses import dataclass, field

from rewire.core.validation import (
    MAX_TEXT_LENGTH,
    emotion_names_problem,
    moment_problem,
    scale_problem,
)
from rewire.diary.vocabulary import normalise_name
from rewire.program.content import GUIDED_PRACTICES, RATINGS, Course

MAX_SHORT_TEXT = 500  # a safety message, a flare-plan step, a cause
MAX_CAUSES = 3
CAUSE_CATEGORIES = {"body": 0.0, "mind": 1.0, "both": 0.5}  # each one's part in mind_share
MAX_LIBRARY = 100  # safety messages; flare-plan steps
LONGEST_PRACTICE = dt.timedelta(hours=3)


@dataclass
class PracticeEntry:
    kind: str
    started_at: dt.datetime
    finished_at: dt.datetime
    # {"pain": (before, after), ...}: only the ratings the practice asks for.
    ratings: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)
    note: str = ""


def practice_problems(entry: PracticeEntry, *, course: Course, now: dt.datetime) -> dict:
    problems: dict[str, str] = {}
    if entry.kind not in GUIDED_PRACTICES:
        return {"kind": f"Must be one of: {', '.join(GUIDED_PRACTICES)}."}
    for name in ("started_at", "finished_at"):
        problem = moment_problem(getattr(entry, name), now=now)
        if problem:
            problems[name] = problem
    if not problems:
        if entry.finished_at < entry.started_at:
            problems["finished_at"] = "Must not be before started_at."
        elif entry.finished_at - entry.started_at > LONGEST_PRACTICE:
            problems["finished_at"] = "A practice lasts at most 3 hours."
    asked = course.practices[entry.kind].ratings
    optional = course.practices[entry.kind].optional_ratings
    for rating in RATINGS:
        before, after = entry.ratings.get(rating, (None, None))
        if rating not in asked:
            for moment, value in (("before", before), ("after", after)):
                if value is not None:
                    problems[f"{rating}_{moment}"] = f"Not asked in {entry.kind}; leave it out."
            continue
        # Before is asked at the start (unless optional); after may be missing when someone
        # stops early.
        needed = rating not in optional
        for moment, value, required in (("before", before, needed), ("after", after, False)):
            problem = scale_problem(value, required=required)
            if problem:
                problems[f"{rating}_{moment}"] = problem
    if len(entry.note) > MAX_TEXT_LENGTH:
        problems["note"] = f"At most {MAX_TEXT_LENGTH} characters."
    return problems


@dataclass
class AttributionEntry:
    recorded_at: dt.datetime
    causes: list[tuple[str, str]]  # (text, "body" | "mind" | "both")


def attribution_problems(entry: AttributionEntry, *, now: dt.datetime) -> dict:
    problems: dict[str, str] = {}
    problem = moment_problem(entry.recorded_at, now=now)
    if problem:
        problems["recorded_at"] = problem
    if not entry.causes:
        problems["causes"] = "Write at least one cause."
    elif len(entry.causes) > MAX_CAUSES:
        problems["causes"] = f"At most {MAX_CAUSES} causes."
    for number, (text, category) in enumerate(entry.causes[:MAX_CAUSES], 1):
        if not text.strip():
            problems["causes"] = f"Cause {number} needs some words."
        elif len(text) > MAX_SHORT_TEXT:
            problems["causes"] = f"Cause {number} is longer than {MAX_SHORT_TEXT} characters."
        elif category not in CAUSE_CATEGORIES:
            problems["causes"] = f"Mark cause {number} as body, mind or both."
        else:
            continue
        break
    return problems


def mind_share(categories: list[str]) -> float | None:
    """The share of causes put down to the brain, mind or stress (the trial's mediator); a
    cause put down to both counts half."""
    if not categories:
        return None
    return sum(CAUSE_CATEGORIES[category] for category in categories) / len(categories)


@dataclass
class ThoughtRecordEntry:
    recorded_at: dt.datetime
    automatic_thought: str
    situation: str = ""
    # (name, intensity before, intensity after re-rating or None)
    emotions: list[tuple[str, int, int | None]] = field(default_factory=list)
    traps: list[str] = field(default_factory=list)
    reappraisal: str = ""
    checkin: int | None = None  # the check-in whose thought it started from

    def normalised(self) -> "ThoughtRecordEntry":
        return ThoughtRecordEntry(
            recorded_at=self.recorded_at,
            automatic_thought=self.automatic_thought.strip(),
            situation=self.situation.strip(),
            emotions=[
                (normalise_name(name), before, after) for name, before, after in self.emotions
            ],
            traps=list(dict.fromkeys(self.traps)),
            reappraisal=self.reappraisal.strip(),
            checkin=self.checkin,
        )


def thought_record_problems(entry: ThoughtRecordEntry, *, course: Course, now: dt.datetime) -> dict:
    problems: dict[str, str] = {}
    problem = moment_problem(entry.recorded_at, now=now)
    if problem:
        problems["recorded_at"] = problem
    if not entry.automatic_thought.strip():
        problems["automatic_thought"] = "This is required."
    for name in ("automatic_thought", "situation", "reappraisal"):
        if len(getattr(entry, name)) > MAX_TEXT_LENGTH:
            problems[name] = f"At most {MAX_TEXT_LENGTH} characters."
    names_problem = emotion_names_problem([name for name, _, _ in entry.emotions])
    if names_problem:
        problems["emotions"] = names_problem
    else:
        for _, before, after in entry.emotions:
            problem = scale_problem(before, required=True) or scale_problem(after)
            if problem:
                problems["emotions"] = problem
    known = {trap.id for trap in course.thinking_traps}
    unknown = sorted(set(entry.traps) - known)
    if unknown:
        problems["traps"] = f"Unknown thinking trap: {', '.join(unknown)}."
    return problems


def text_problem(text: str, *, limit: int = MAX_SHORT_TEXT) -> str | None:
    """A safety message, a flare-plan step, an evidence example."""
    if not text.strip():
        return "This is required."
    if len(text) > limit:
        return f"At most {limit} characters."
    return None


def evidence_problems(kind: str, example: str, *, course: Course) -> dict:
    problems = {}
    if kind not in {item.id for item in course.all_evidence_kinds}:
        problems["kind"] = "Unknown kind of evidence."
    problem = text_problem(example, limit=MAX_TEXT_LENGTH)
    if problem:
        problems["example"] = problem
    return problems


def plan_problems(keep_doing: str, warning_signs: str, what_helped: str) -> dict[str, str]:
    """The maintenance plan: three texts, each up to MAX_TEXT_LENGTH; some words in one."""
    texts = {"keep_doing": keep_doing, "warning_signs": warning_signs, "what_helped": what_helped}
    problems = {
        name: f"Keep it to {MAX_TEXT_LENGTH} characters (this has {len(text)})."
        for name, text in texts.items()
        if len(text) > MAX_TEXT_LENGTH
    }
    if not any(text.strip() for text in texts.values()):
        problems["keep_doing"] = "Write at least what you will keep doing."
    return problems


# Expressive writing (topics/writing.md): the unsent letter and the life-stress timeline.

WRITING_KINDS = ("unsent_letter", "timeline")
MAX_WRITING_LENGTH = 20_000  # about twenty minutes of fast writing, with room to spare
MAX_TIMELINE_EVENTS = 60
OLDEST_AGE = 120
FEELINGS = ("hard", "good", "mixed")
# After writing, support is offered when the person feels this upset (0–10) or more, or
# when their upset rose this much since they began: the lesson's stop rules, made visible.
SUPPORT_DISTRESS = 7
SUPPORT_RISE = 3


@dataclass
class WritingEntry:
    kind: str
    text: str = ""
    title: str = ""
    # (age, what happened, "hard" | "good" | "mixed"): a timeline's events, in order
    events: list[tuple[int, str, str]] = field(default_factory=list)
    distress_before: int | None = None
    distress_after: int | None = None

    def normalised(self) -> "WritingEntry":
        return WritingEntry(
            kind=self.kind,
            text=self.text.strip(),
            title=self.title.strip(),
            events=[(age, event.strip(), felt) for age, event, felt in self.events],
            distress_before=self.distress_before,
            distress_after=self.distress_after,
        )


def writing_problems(entry: WritingEntry) -> dict:
    problems: dict[str, str] = {}
    if entry.kind not in WRITING_KINDS:
        return {"kind": f"Must be one of: {', '.join(WRITING_KINDS)}."}
    if len(entry.title) > MAX_SHORT_TEXT:
        problems["title"] = f"At most {MAX_SHORT_TEXT} characters."
    if len(entry.text) > MAX_WRITING_LENGTH:
        problems["text"] = f"At most {MAX_WRITING_LENGTH} characters."
    if entry.kind == "unsent_letter":
        if not entry.text.strip():
            problems["text"] = "Write at least a few words of your letter."
        if entry.events:
            problems["events"] = "A letter has no timeline events; leave them out."
    else:
        if not entry.events and not entry.text.strip():
            problems["events"] = "Add at least one event, or write a few words below."
        elif len(entry.events) > MAX_TIMELINE_EVENTS:
            problems["events"] = f"At most {MAX_TIMELINE_EVENTS} events."
        for number, (age, event, felt) in enumerate(entry.events, 1):
            if isinstance(age, bool) or not isinstance(age, int) or not 0 <= age <= OLDEST_AGE:
                problems["events"] = f"Event {number}: the age must be from 0 to {OLDEST_AGE}."
            elif not event.strip():
                problems["events"] = f"Event {number}: say in a few words what happened."
            elif len(event) > MAX_SHORT_TEXT:
                problems["events"] = f"Event {number}: at most {MAX_SHORT_TEXT} characters."
            elif felt not in FEELINGS:
                problems["events"] = f"Event {number}: mark it as hard, good or mixed."
            else:
                continue
            break
    for name in ("distress_before", "distress_after"):
        if problem := scale_problem(getattr(entry, name)):
            problems[name] = problem
    return problems


def needs_support(before: int | None, after: int | None) -> bool:
    """Whether to offer the support route after writing: high upset, or a sharp rise."""
    if after is None:
        return False
    return after >= SUPPORT_DISTRESS or (before is not None and after - before >= SUPPORT_RISE)
