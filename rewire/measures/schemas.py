"""The questionnaires' and the safety net's API shapes. Unknown fields are errors.

The fields a request shares with the export document (a questionnaire's answers, the warning-
sign answers) are defined once, here, and shared by the export section (portability.py).
"""

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictInt

from rewire.core.schemas import CalendarDate, ContentId, Moment, Plain, Quiet, Strict

# The questionnaires as data


# Questionnaires and the warning signs. The answers' shapes are shared by the API
# (rewire/measures/schemas.py) and the export; what they must hold is checked by
# rewire/measures/scoring.py (questionnaires) and rewire/measures/actions.py (warning signs).

MAX_ANSWERS = 50  # more than any questionnaire or the warning-sign list has
MAX_EVENT_DETAIL = 500  # SafetyEvent.detail
MAX_CLINICIAN = 200  # Suitability.clinician

Answers = Annotated[
    dict[ContentId, StrictInt | None],
    Field(
        max_length=MAX_ANSWERS,
        description="{item id: the option's value, or null when left unanswered}",
    ),
]
FlagAnswers = Annotated[
    dict[ContentId, StrictBool],
    Field(
        max_length=MAX_ANSWERS,
        description="{warning sign id: true (yes) or false (no)}, for every warning sign",
    ),
]


class ResponseFields(Strict):
    instrument: ContentId = Field(description="An id from GET /api/v1/instruments.")
    answers: Answers


class ExportedResponse(ResponseFields):
    answered_at: Moment
    local_date: CalendarDate
    # The score is worked out again on import, and must be this one.
    total: StrictInt | None
    band: str | None
    subscale: StrictInt | None
    prorated: StrictBool


class ExportedScreening(Strict):
    answered_at: Moment
    answers: FlagAnswers
    assessed_at: Moment | None = None


SuitabilityAnswers = Annotated[
    dict[ContentId, ContentId],
    Field(
        max_length=MAX_ANSWERS,
        description="{question id: the chosen option's value}, for every question "
        "(GET /api/v1/suitability/questions)",
    ),
]
ClinicianName = Annotated[
    str,
    Field(
        max_length=MAX_CLINICIAN,
        description="Who agreed, in the person's words (optional), e.g. 'Dr Shah, my GP'.",
    ),
    Plain,
]


class ExportedSuitability(Strict):
    answered_at: Moment
    answers: SuitabilityAnswers
    clinician_agreed_at: Moment | None = None
    clinician: ClinicianName = ""


class ExportedSafetyEvent(Strict):
    kind: Literal["phq9_item9", "red_flag", "worsening"]
    rule: ContentId | None = Field(
        None, description="A worsening event's rule (content/<lang>/worsening.yaml); else absent."
    )
    occurred_at: Moment
    detail: Annotated[str, Field(max_length=MAX_EVENT_DETAIL), Plain] = ""
    response_index: Annotated[StrictInt, Field(ge=0)] | None = Field(
        None, description="The questionnaire answers it came from: their place in `responses`."
    )
    screening_index: Annotated[StrictInt, Field(ge=0)] | None = Field(
        None, description="The warning-sign answers it came from: their place in `screenings`."
    )


class ExportedMeasures(Strict):
    responses: list[ExportedResponse] = Field(default_factory=list)
    screenings: list[ExportedScreening] = Field(default_factory=list)
    suitability: list[ExportedSuitability] = Field(
        default_factory=list, description="Who the programme is for: answers, oldest first."
    )
    safety_events: list[ExportedSafetyEvent] = Field(default_factory=list)


class OptionOut(Quiet):
    value: int
    label: str


class ItemOut(Quiet):
    id: str
    text: str = Field(description="Word for word as the questionnaire has it.")
    options: list[OptionOut]


class BandOut(Quiet):
    low: int
    high: int
    label: str


class McidOut(Quiet):
    points: int
    percent: int | None = Field(description="Or this share of the first score, if sooner.")


class LoincOut(Quiet):
    panel: str | None = None
    total: str | None = None
    items: dict[str, str] = Field(default_factory=dict, description="{item id: LOINC code}")


class InstrumentOut(Quiet):
    id: str
    name: str
    short_name: str
    purpose: str
    recall: str = Field(description="The time the questions ask about, shown before them.")
    scoring: Literal["sum", "single", "start_back"]
    validated: bool = Field(description="False for Rewire's own ratings, which are not validated.")
    higher_is_worse: bool
    attribution: str = Field(description="The licence or attribution line, shown with it.")
    items: list[ItemOut]
    max_missing: int = Field(description="How many items may be left unanswered (prorated).")
    required: list[str] = Field(description="Items that must be answered.")
    bands: list[BandOut] = Field(description="Empty for STarT Back, which has risk_levels.")
    risk_levels: list[str] = Field(description="STarT Back's low, medium and high risk.")
    band_source: str
    mcid: McidOut | None = Field(description="The smallest change that counts; null: none.")
    loinc: LoincOut


class DueOut(Quiet):
    instrument: str
    short_name: str
    reason: str


# Questionnaire answers


class QuestionnaireResponseIn(ResponseFields):
    answered_at: Moment | None = Field(None, description="ISO 8601 with offset; now when left out.")


class QuestionnaireResponseOut(Quiet):
    id: int
    instrument: str
    answered_at: dt.datetime
    local_date: dt.date
    answers: dict[str, int | None]
    total: int | None
    band: str | None
    subscale: int | None = Field(description="STarT Back's psychosocial subscore; else null.")
    prorated: bool = Field(description="Some items were unanswered; the total is scaled up.")
    crisis_support: bool = Field(description="PHQ-9 item 9 above 0: show crisis support.")


class HelplineOut(Quiet):
    name: str
    phone: str
    text: str
    url: str
    hours: str


class CrisisOut(Quiet):
    advice: str
    helplines: list[HelplineOut] = Field(
        description="From the server's helpline configuration for its language; may be empty."
    )


class WorseningRuleOut(Quiet):
    id: str = Field(description="The rule's id in content/<lang>/worsening.yaml.")
    title: str
    urgency: Literal["today", "this_week"]
    source: str = Field(description="Where the rule's threshold comes from.")


class WorseningRuleDefinitionOut(WorseningRuleOut):
    instrument: str = Field(description="The questionnaire it watches (GET /api/v1/instruments).")
    kind: Literal["rising_in_a_row", "at_least", "up_from_baseline", "answer_is"]
    points: int | None = Field(description="Points above the first answer, for two kinds.")
    in_a_row: int | None = Field(description="rising_in_a_row: how many answers in a row.")
    total: int | None = Field(description="at_least: the total that sets it off.")
    value: int | None = Field(description="answer_is: the answer that sets it off.")


class WorseningRulesOut(Quiet):
    rules: list[WorseningRuleDefinitionOut]
    advice: dict[str, str] = Field(description="{urgency: what to do}, for today and this_week.")


class WorseningOut(Quiet):
    rules: list[WorseningRuleOut]
    urgency: Literal["today", "this_week"] = Field(description="The most urgent rule's.")
    advice: str = Field(description="What to do, for that urgency: show it at once.")


class QuestionnaireResponseCreated(QuestionnaireResponseOut):
    crisis: CrisisOut | None = Field(
        description="Present (not null) exactly when crisis_support is true: show it at once."
    )
    worsening: WorseningOut | None = Field(
        None,
        description="Present when these answers set off a worsening rule (a safety event was "
        "recorded, and a clinician sharing questionnaires is emailed): show the advice.",
    )


class QuestionnaireResponsePage(Quiet):
    count: int = Field(description="How many answers match the filter in all.")
    limit: int
    offset: int
    items: list[QuestionnaireResponseOut]


# The warning signs and safety events


ProgrammeState = Annotated[
    Literal["suitability", "not_suited", "locked", "not_screened", "recheck", "open"],
    Field(
        description="Whether the programme is open, and if not what it waits for. "
        "suitability: the questions on who it is for come first (POST /api/v1/suitability); "
        "not_suited: those answers do not fit, and the person has not recorded that a "
        "clinician agrees they go on (POST /api/v1/suitability/{id}/clinician-agreed); "
        "locked: a warning sign was answered yes and no clinician's assessment is confirmed "
        "yet; not_screened: the warning-sign questions (POST /api/v1/safety/screenings); "
        "recheck: the warning signs again (4 weeks since the last answers, or an unusual "
        "flare since); open: sessions can be done. Logging is never blocked."
    ),
]


class RedFlagOut(Quiet):
    id: str
    question: str
    emergency: bool = Field(description="A yes needs emergency care, not just a clinician.")


class ScreeningIn(Strict):
    answers: FlagAnswers


class ScreeningOut(Quiet):
    id: int
    answered_at: dt.datetime
    answers: dict[str, bool]
    flags: list[str] = Field(description="The warning signs answered yes.")
    emergency: bool = Field(description="A warning sign that needs emergency care was yes.")
    assessed_at: dt.datetime | None = Field(
        description="When the person confirmed a clinician had assessed the yes answers."
    )


class SafetyOut(Quiet):
    programme_state: ProgrammeState
    latest_screening: int | None
    latest_suitability: int | None = Field(
        description="The newest answers on who the programme is for (GET "
        "/api/v1/suitability/{id}); null before any."
    )


# Who the programme is for


class SuitabilityOptionOut(Quiet):
    value: str
    label: str
    fits: bool = Field(description="false: the programme may not suit (the answers say why).")


class SuitabilityQuestionOut(Quiet):
    id: str
    label: str = Field(description="The question in a few words.")
    question: str
    help: str
    options: list[SuitabilityOptionOut]


class SuitabilityIn(Strict):
    answers: SuitabilityAnswers


class ClinicianAgreedIn(Strict):
    clinician: ClinicianName = ""


class NotFittingOut(Quiet):
    question: str = Field(description="The question's id.")
    why: str = Field(description="Why the programme may not suit.")
    instead: str = Field(description="What to do instead.")


class SuitabilityAdviceOut(Quiet):
    question: str = Field(description="The question's id.")
    advice: str


class SuitabilityOut(Quiet):
    id: int
    answered_at: dt.datetime
    answers: dict[str, str]
    fits: bool = Field(description="Every answer fits the programme.")
    not_fitting: list[NotFittingOut]
    advice: list[SuitabilityAdviceOut] = Field(
        description="Answers that fit, with a word of advice (e.g. pregnancy): show it."
    )
    clinician_agreed_at: dt.datetime | None = Field(
        description="When the person recorded that a clinician agrees they go on although "
        "the answers do not fit; the programme then opens."
    )
    clinician: str = Field(description="Who agreed, in the person's words ('' if not said).")


class SafetyEventOut(Quiet):
    id: int
    kind: Literal["phq9_item9", "red_flag", "worsening"]
    rule: str | None = Field(
        description="A worsening event's rule (GET /api/v1/worsening-rules); else null."
    )
    occurred_at: dt.datetime
    detail: str
    response: int | None = Field(description="The questionnaire answers it came from, if kept.")
    screening: int | None = Field(description="The warning-sign answers it came from, if kept.")
