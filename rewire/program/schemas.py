"""The programme's API request and response shapes. Unknown fields are errors.

The fields a request shares with the export document (a practice, a cause, a thought record) are
defined once, here, and shared by the export section (portability.py).
"""

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, StrictInt

from rewire.core.schemas import (
    CalendarDate,
    ContentId,
    Moment,
    Name,
    Plain,
    Quiet,
    Scale,
    Strict,
    Text,
)
from rewire.core.validation import MAX_LIST_LENGTH
from rewire.measures.schemas import ProgrammeState
from rewire.program.content import GUIDED_PRACTICES, SESSION_COUNT
from rewire.program.progress import PACES
from rewire.program.rules import (
    MAX_CAUSES,
    MAX_LIBRARY,
    MAX_SHORT_TEXT,
    MAX_TIMELINE_EVENTS,
    MAX_WRITING_LENGTH,
    OLDEST_AGE,
    mind_share,
    needs_support,
)

Pace = Literal[tuple(PACES)]  # type: ignore[valid-type] - twice_a_week (the default), every_day, no_wait

# The course


# The programme's records. The fields the API takes are shared with the export document,
# as the check-in's are; the rules beyond their shapes are in rewire/program/rules.py.

ShortText = Annotated[str, Field(max_length=MAX_SHORT_TEXT), Plain]
PracticeKind = Literal[GUIDED_PRACTICES]  # type: ignore[valid-type]
CauseCategory = Literal["body", "mind", "both"]


class PracticeFields(Strict):
    kind: PracticeKind
    started_at: Moment
    finished_at: Moment
    pain_before: Scale | None = None
    pain_after: Scale | None = None
    threat_before: Scale | None = None
    threat_after: Scale | None = None
    mood_before: Scale | None = None
    mood_after: Scale | None = None
    tension_before: Scale | None = None
    tension_after: Scale | None = None
    note: Text = ""


class CauseFields(Strict):
    text: ShortText
    category: CauseCategory = Field(
        description="body (body or tissue), mind (brain, mind, stress) or both (counts half)"
    )


class ThoughtEmotionFields(Strict):
    name: Name
    before: Scale
    after: Scale | None = Field(None, description="Rated again after the reappraisal.")


class ThoughtRecordFields(Strict):
    situation: Text = ""
    automatic_thought: Text
    emotions: Annotated[list[ThoughtEmotionFields], Field(max_length=MAX_LIST_LENGTH)] = Field(
        default_factory=list
    )
    traps: Annotated[list[ContentId], Field(max_length=MAX_LIST_LENGTH)] = Field(
        default_factory=list, description="Ids from GET /api/v1/thinking-traps."
    )
    reappraisal: Text = ""


WritingKind = Literal["unsent_letter", "timeline"]
WritingText = Annotated[str, Field(max_length=MAX_WRITING_LENGTH), Plain]


class TimelineEventFields(Strict):
    age: Annotated[StrictInt, Field(ge=0, le=OLDEST_AGE)] = Field(
        description="How old the person was."
    )
    event: ShortText = Field(description="What happened, in a few words.")
    felt: Literal["hard", "good", "mixed"]


class WritingFields(Strict):
    kind: WritingKind = Field(description="unsent_letter or timeline; a piece keeps its kind.")
    title: ShortText = ""
    text: WritingText = Field(
        "", description="The letter (required for one); for a timeline, how pain fitted in."
    )
    events: Annotated[list[TimelineEventFields], Field(max_length=MAX_TIMELINE_EVENTS)] = Field(
        default_factory=list, description="A timeline's events, in order; none for a letter."
    )
    distress_before: Scale | None = Field(None, description="How upset, 0–10, before writing.")
    distress_after: Scale | None = Field(None, description="How upset, 0–10, after writing.")


class ExportedSessionCompletion(Strict):
    session: ContentId
    completed_at: Moment


class ExportedPractice(PracticeFields):
    local_date: CalendarDate


class ExportedText(Strict):
    text: ShortText


class ExportedEvidence(Strict):
    kind: ContentId
    example: Text
    created_at: Moment


class ExportedAttribution(Strict):
    recorded_at: Moment
    local_date: CalendarDate
    causes: Annotated[list[CauseFields], Field(max_length=MAX_CAUSES)]


class ExportedThoughtRecord(ThoughtRecordFields):
    recorded_at: Moment
    local_date: CalendarDate
    checkin_index: Annotated[StrictInt, Field(ge=0)] | None = Field(
        None, description="The check-in it started from: its place in `checkins`, from 0."
    )
    created_at: Moment
    updated_at: Moment


class MaintenancePlanIn(Strict):
    keep_doing: Text = Field("", description="What to keep doing after the four weeks.")
    warning_signs: Text = Field("", description="Signs of slipping back, in the person's words.")
    what_helped: Text = Field("", description="What helped most.")


class ExportedMaintenancePlan(MaintenancePlanIn):
    updated_at: Moment


class MaintenancePlanOut(Quiet):
    keep_doing: str
    warning_signs: str
    what_helped: str
    updated_at: Moment | None = Field(description="null: not written yet.")
    from_your_records: list[str] = Field(
        description="What the person's own records say helped most, in words."
    )


class CheckupAnswerOut(Quiet):
    day: CalendarDate
    total: int


class CheckupRowOut(Quiet):
    instrument: str = Field(description="weekly_pain, phq9 or gad7")
    at_end: CheckupAnswerOut | None = Field(description="The answer at the course's end.")
    now: CheckupAnswerOut | None = Field(description="The answer in this check-up.")
    change: str | None = Field(description="The change in words, judged by the MCID.")
    meaningful: bool | None
    better: bool | None


class CheckupOut(Quiet):
    weeks: int = Field(description="8 or 12")
    opens_on: CalendarDate
    open: bool
    answered: bool = Field(description="Every questionnaire answered for this check-up.")
    questionnaires: list[CheckupRowOut]


class ExportedWriting(WritingFields):
    local_date: CalendarDate
    created_at: Moment
    updated_at: Moment


class ExportedProgramme(Strict):
    # Written by every export; a document from before it leaves the pace as it is.
    pace: Pace | None = Field(
        default=None, description="How fast sessions open (see PUT /programme/pace)."
    )
    maintenance_plan: ExportedMaintenancePlan | None = Field(
        default=None, description="The plan for after the four weeks; null: none written."
    )
    # At most one per session (a longer list is refused before it is read row by row).
    session_completions: list[ExportedSessionCompletion] = Field(
        default_factory=list, max_length=SESSION_COUNT
    )
    practices: list[ExportedPractice] = Field(default_factory=list)
    safety_messages: Annotated[list[ExportedText], Field(max_length=MAX_LIBRARY)] = Field(
        default_factory=list
    )
    flare_plan: Annotated[list[ExportedText], Field(max_length=MAX_LIBRARY)] = Field(
        default_factory=list
    )
    evidence: list[ExportedEvidence] = Field(default_factory=list)
    attributions: list[ExportedAttribution] = Field(default_factory=list)
    thought_records: list[ExportedThoughtRecord] = Field(default_factory=list)
    writing: list[ExportedWriting] = Field(default_factory=list)


class SessionOut(Quiet):
    id: str
    number: int = Field(description="0 is the intake, then 1 to 8.")
    title: str
    minutes: int = Field(description="About how long the lesson takes to read.")
    practice: str = Field(description="The practice the session introduces.")
    daily_practice: str = Field(description="The practice it suggests for each day after.")
    daily_text: str
    done: bool
    open: bool = Field(
        description="Every earlier session is done and its day has come, so it can be done."
    )
    opens_on: dt.date | None = Field(
        description="The person's own date it opens, while it waits for its day at their pace."
    )
    completed_at: dt.datetime | None


class TodaysPracticeOut(Quiet):
    practice: str = Field(description="Where to do it: a practice id of the programme.")
    label: str
    why: str = Field(description="Why it was chosen, from the person's own data.")


class ProgrammeOut(Quiet):
    programme_state: ProgrammeState
    pace: Pace
    sessions: list[SessionOut]
    next_session: str | None = Field(description="The first session not done; null when all are.")
    todays_practice: TodaysPracticeOut | None = Field(
        description="One practice suggested for today; null before the intake is done."
    )


class PaceIn(Strict):
    pace: Pace


class PaceOut(Quiet):
    pace: Pace


class ReviewLineOut(Quiet):
    topic: Literal["practices", "threat", "ladder", "attribution", "pain", "sleep", "finding"]
    text: str
    see: Literal["not_helped"] | None = Field(
        description="A page the words point to: not_helped is /if-this-has-not-helped."
    )


class ReviewOut(Quiet):
    since: dt.date = Field(description="The person's own date the session before was done.")
    lines: list[ReviewLineOut]
    little_data: str | None = Field(description="A kind word when there is little to review.")


class ChoiceOut(Quiet):
    """An item of a described list from the programme's content."""

    id: str
    label: str
    help: str


class EvidenceKindOut(ChoiceOut):
    points: Literal["alarm", "elsewhere"] = Field(
        description="alarm: a clue for the over-protective alarm; elsewhere: a clue that points "
        "to something in the body, to tell a clinician about."
    )


# Practices


class PracticeIn(PracticeFields):
    pass


class PracticeOut(Quiet):
    id: int
    kind: str
    started_at: dt.datetime
    finished_at: dt.datetime
    local_date: dt.date
    pain_before: int | None
    pain_after: int | None
    threat_before: int | None
    threat_after: int | None
    mood_before: int | None
    mood_after: int | None
    tension_before: int | None
    tension_after: int | None
    note: str


class PracticePage(Quiet):
    count: int = Field(description="How many practices match the filter in all.")
    limit: int
    offset: int
    items: list[PracticeOut]


# Safety messages and the flare plan


class SafetyMessageIn(Strict):
    text: ShortText


class SafetyMessageOut(Quiet):
    id: int
    text: str
    position: int


class FlarePlanIn(Strict):
    steps: Annotated[list[ShortText], Field(max_length=MAX_LIBRARY)]


class FlarePlanOut(Quiet):
    steps: list[str]


# Evidence


class EvidenceIn(Strict):
    kind: ContentId = Field(description="An id from GET /api/v1/evidence/kinds.")
    example: Text


class EvidenceOut(Quiet):
    id: int
    kind: str
    example: str
    created_at: dt.datetime


# Pain attribution


class AttributionIn(Strict):
    recorded_at: Moment | None = Field(None, description="ISO 8601 with offset; now when left out.")
    causes: Annotated[list[CauseFields], Field(max_length=MAX_CAUSES)]


class CauseOut(Quiet):
    text: str
    category: str


class AttributionOut(Quiet):
    id: int
    recorded_at: dt.datetime
    local_date: dt.date
    causes: list[CauseOut]
    mind_share: float | None = Field(
        description="The share of the causes put down to the brain, mind or stress, 0 to 1 (a "
        "cause marked both counts half)."
    )

    @staticmethod
    def resolve_mind_share(attribution) -> float | None:
        return mind_share([cause.category for cause in attribution.causes.all()])


class AttributionPage(Quiet):
    count: int
    limit: int
    offset: int
    items: list[AttributionOut]


# Thought records


class ThoughtRecordIn(ThoughtRecordFields):
    recorded_at: Moment | None = Field(
        None, description="ISO 8601 with offset; now when left out (PUT: the time it has)."
    )
    checkin: StrictInt | None = Field(None, description="The id of the check-in it starts from.")


class ThoughtEmotionOut(Quiet):
    name: str
    before: int
    after: int | None


class ThoughtRecordOut(Quiet):
    id: int
    recorded_at: dt.datetime
    local_date: dt.date
    situation: str
    automatic_thought: str
    emotions: list[ThoughtEmotionOut]
    traps: list[str]
    reappraisal: str
    checkin: int | None = Field(description="The check-in it started from, if it still exists.")
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_checkin(record) -> int | None:
        return record.checkin_id


class ThoughtRecordPage(Quiet):
    count: int
    limit: int
    offset: int
    items: list[ThoughtRecordOut]


# Expressive writing


class WritingIn(WritingFields):
    pass


class TimelineEventOut(Quiet):
    age: int
    event: str
    felt: str


class WritingOut(Quiet):
    id: int
    kind: str
    title: str
    text: str
    events: list[TimelineEventOut]
    local_date: dt.date
    distress_before: int | None
    distress_after: int | None
    support: bool = Field(
        description="Offer the support route now: upset 7 or more after writing, or risen by 3 "
        "or more since before."
    )
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_support(writing) -> bool:
        return needs_support(writing.distress_before, writing.distress_after)


class WritingPage(Quiet):
    count: int
    limit: int
    offset: int
    items: list[WritingOut]
