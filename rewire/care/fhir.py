"""A person's pain diary and questionnaires as one FHIR R4 Bundle (a JSON-ready dict).

Plain Python, no Django: rewire/care/exports.py reads the account and passes plain records
in. The mapping (which resources, which codes, why) is written down in docs/fhir.md; a
change here is a change there.

Every entry's fullUrl is a `urn:uuid:` made from the person's export id (never the access
log's pseudonym) and the record's own key (uuid5), so the same record has the same address
in every export: a receiving system can recognise what it already has. Every reference
points at an entry of the bundle.
"""

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from rewire.measures.instruments import Instrument

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
# Rewire's own naming systems (URNs: they name, they are not addresses to fetch).
PSEUDONYM_SYSTEM = "urn:rewire:export-id"
BODY_AREA_SYSTEM = "urn:rewire:body-area"
QUESTIONNAIRE_PREFIX = "urn:rewire:questionnaire:"
# Rewire's own measures, which have no LOINC code: the weekly goal rating (not validated).
MEASURE_SYSTEM = "urn:rewire:measure"
GOAL_DONE = "goal-done-this-week"
GOAL_DONE_DISPLAY = "How much the person did a goal that matters to them in a week (0-10)"

PAIN_SEVERITY = "72514-3"
PAIN_SEVERITY_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
# The questionnaires whose LOINC panel and total codes are known (content/en/instruments.yaml):
# each becomes a QuestionnaireResponse with its total (and mapped items) as Observations.
FHIR_INSTRUMENTS = ("phq9", "gad7")

# Fixed, so that the same record gets the same urn:uuid in every export.
NAMESPACE = uuid.UUID("6f2b7c1e-8d4a-4f5e-9a37-2c1d0b6e5a48")

SURVEY = {
    "coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}],
}


@dataclass(frozen=True)
class PainRecord:
    """One check-in's pain: `key` is unique among the account's check-ins and never reused."""

    key: str
    recorded_at: dt.datetime  # aware
    pain: int
    body_areas: tuple[tuple[str, str, int], ...] = ()  # (slug, label, intensity)


@dataclass(frozen=True)
class AnswerRecord:
    """One questionnaire answered: `key` is unique among the account's answers."""

    key: str
    instrument: Instrument
    answered_at: dt.datetime  # aware
    answers: dict  # {item id: value or None}
    total: int | None
    band: str | None
    prorated: bool


@dataclass(frozen=True)
class GoalRecord:
    """One week's rating of a goal: `key` is unique among the account's goal ratings."""

    key: str
    title: str  # the person's own words for the goal
    week: dt.date  # its Monday
    done: int
    rated_at: dt.datetime  # aware
    note: str  # what the measure is: not validated


def full_url(pseudonym: str, kind: str, key: str) -> str:
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, f'{pseudonym}/{kind}/{key}')}"


def questionnaire_url(instrument_id: str) -> str:
    return QUESTIONNAIRE_PREFIX + instrument_id


def moment(value: dt.datetime, zone: ZoneInfo) -> str:
    """A FHIR dateTime: the instant, written in the person's own offset at that moment."""
    return value.astimezone(zone).isoformat()


def score(value: int) -> dict:
    return {"value": value, "unit": "{score}", "system": UCUM, "code": "{score}"}


def loinc(code: str, text: str, display: str | None = None) -> dict:
    # A display is given only where it is LOINC's own wording; otherwise `text` says it.
    coding = {"system": LOINC, "code": code}
    if display:
        coding["display"] = display
    return {"coding": [coding], "text": text}


def patient(pseudonym: str) -> dict:
    """The person, named only by the account's pseudonym: no name, email or birth date."""
    return {
        "resourceType": "Patient",
        "identifier": [{"system": PSEUDONYM_SYSTEM, "value": pseudonym}],
    }


def pain_observation(record: PainRecord, *, subject: str, zone: ZoneInfo) -> dict:
    observation = {
        "resourceType": "Observation",
        "status": "final",
        "category": [SURVEY],
        "code": loinc(PAIN_SEVERITY, "Pain, 0 to 10", PAIN_SEVERITY_DISPLAY),
        "subject": {"reference": subject},
        "effectiveDateTime": moment(record.recorded_at, zone),
        "valueQuantity": score(record.pain),
    }
    if record.body_areas:
        observation["component"] = [
            {
                "code": {
                    "coding": [{"system": BODY_AREA_SYSTEM, "code": slug, "display": label}],
                    "text": f"Pain in the {label.lower()}, 0 to 10",
                },
                "valueQuantity": score(intensity),
            }
            for slug, label, intensity in record.body_areas
        ]
    return observation


def questionnaire(instrument: Instrument) -> dict:
    """What the answers answer: Rewire's wording of the questionnaire, with the LOINC panel
    code (and item codes where LOINC has them) so a receiver knows which one it is."""
    codes = instrument.loinc
    items = []
    for item in instrument.items:
        entry = {"linkId": item.id, "text": item.text, "type": "integer"}
        if item.id in codes.get("items", {}):
            entry["code"] = [{"system": LOINC, "code": codes["items"][item.id]}]
        items.append(entry)
    resource = {
        "resourceType": "Questionnaire",
        "url": questionnaire_url(instrument.id),
        "title": instrument.name,
        "status": "active",
        "subjectType": ["Patient"],
        "copyright": instrument.attribution,
        "item": items,
    }
    if codes.get("panel"):
        resource["code"] = [{"system": LOINC, "code": codes["panel"]}]
    return resource


def questionnaire_response(record: AnswerRecord, *, subject: str, zone: ZoneInfo) -> dict:
    # An unanswered question has no item: FHIR's way of saying it was left out.
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": questionnaire_url(record.instrument.id),
        "status": "completed",
        "subject": {"reference": subject},
        "authored": moment(record.answered_at, zone),
        "item": [
            {"linkId": item.id, "text": item.text, "answer": [{"valueInteger": value}]}
            for item in record.instrument.items
            if (value := record.answers.get(item.id)) is not None
        ],
    }


def score_observation(
    code: str, text: str, value: int, *, subject: str, response: str, when: str
) -> dict:
    return {
        "resourceType": "Observation",
        "status": "final",
        "category": [SURVEY],
        "code": loinc(code, text),
        "subject": {"reference": subject},
        "effectiveDateTime": when,
        "valueQuantity": score(value),
        "derivedFrom": [{"reference": response}],
    }


def answer_entries(record: AnswerRecord, *, pseudonym: str, subject: str, zone: ZoneInfo):
    """The QuestionnaireResponse, its total as an Observation (when it has one), and an
    Observation for each item LOINC codes on its own (PHQ-9 item 9), as (fullUrl, resource)."""
    instrument, codes = record.instrument, record.instrument.loinc
    response_url = full_url(pseudonym, "questionnaire-response", record.key)
    yield response_url, questionnaire_response(record, subject=subject, zone=zone)
    when = moment(record.answered_at, zone)
    if record.total is not None and codes.get("total"):
        total = score_observation(
            codes["total"],
            f"{instrument.short_name} total score",
            record.total,
            subject=subject,
            response=response_url,
            when=when,
        )
        if record.band:
            total["interpretation"] = [{"text": record.band}]
        if record.prorated:
            answered = sum(record.answers.get(item) is not None for item in instrument.item_ids)
            total["note"] = [
                {
                    "text": f"Scaled up from the {answered} of {len(instrument.items)} "
                    "questions answered."
                }
            ]
        yield full_url(pseudonym, "questionnaire-total", record.key), total
    for item_id, code in codes.get("items", {}).items():
        value = record.answers.get(item_id)
        if value is None:
            continue
        text = f"{instrument.short_name} question {instrument.item_ids.index(item_id) + 1}"
        yield (
            full_url(pseudonym, f"questionnaire-item-{item_id}", record.key),
            score_observation(code, text, value, subject=subject, response=response_url, when=when),
        )


def goal_observation(record: GoalRecord, *, subject: str, zone: ZoneInfo) -> dict:
    """A plain Observation coded in Rewire's own system (no LOINC code fits, and it is not a
    validated measure): the goal's words in `code.text`, the week as the effective period."""
    return {
        "resourceType": "Observation",
        "status": "final",
        "category": [SURVEY],
        "code": {
            "coding": [{"system": MEASURE_SYSTEM, "code": GOAL_DONE, "display": GOAL_DONE_DISPLAY}],
            "text": f"How much: {record.title}",
        },
        "subject": {"reference": subject},
        "effectivePeriod": {
            "start": record.week.isoformat(),
            "end": (record.week + dt.timedelta(days=6)).isoformat(),
        },
        "issued": moment(record.rated_at, zone),
        "valueQuantity": score(record.done),
        "note": [{"text": record.note}],
    }


def build_bundle(
    *,
    pseudonym: str,
    zone: ZoneInfo,
    pain: Iterable[PainRecord],
    answers: Iterable[AnswerRecord],
    generated_at: dt.datetime,
    goals: Iterable[GoalRecord] = (),
) -> dict:
    """A `collection` Bundle: the Patient first, then the Questionnaires answered, every pain
    rating, every PHQ-9 and GAD-7 answered with its scores, and every weekly goal rating.
    Records of other questionnaires are left out (no LOINC codes are known for them here)."""
    subject = full_url(pseudonym, "patient", "account")
    entries = [(subject, patient(pseudonym))]
    entries += [
        (
            full_url(pseudonym, "checkin", record.key),
            pain_observation(record, subject=subject, zone=zone),
        )
        for record in pain
    ]
    entries += [
        (
            full_url(pseudonym, "goal-rating", record.key),
            goal_observation(record, subject=subject, zone=zone),
        )
        for record in goals
    ]
    answered, used = [], {}
    for record in answers:
        if record.instrument.id not in FHIR_INSTRUMENTS:
            continue
        used.setdefault(record.instrument.id, record.instrument)
        answered += answer_entries(record, pseudonym=pseudonym, subject=subject, zone=zone)
    definitions = [
        (full_url(pseudonym, "questionnaire", instrument_id), questionnaire(used[instrument_id]))
        for instrument_id in FHIR_INSTRUMENTS
        if instrument_id in used
    ]
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": generated_at.astimezone(dt.UTC).isoformat(),
        "entry": [
            {"fullUrl": url, "resource": resource}
            for url, resource in [entries[0], *definitions, *entries[1:], *answered]
        ],
    }
