"""The whole diary out as one JSON document, and back in. Documented in docs/api.md."""

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone
from pydantic import ValidationError

from rewire.api.schemas import ExportDocument
from rewire.diary.actions import InvalidEntry, ensure_tags, validated, write_checkins
from rewire.diary.entry import CheckInEntry, moment_problem
from rewire.diary.models import BodyAreaRating, CheckIn, EmotionRating, Tag
from rewire.diary.vocabulary import normalise_name
from rewire.exposure import portability as exposure_documents
from rewire.exposure.models import OWNED_MODELS as EXPOSURE_MODELS
from rewire.insights import portability as experiment_documents
from rewire.insights.models import OWNED_MODELS as INSIGHTS_MODELS
from rewire.measures import actions as measures_actions
from rewire.measures import scoring
from rewire.measures.models import OWNED_MODELS as MEASURES_MODELS
from rewire.measures.models import Response, SafetyEvent, Screening
from rewire.program.actions import course
from rewire.program.content import RATINGS
from rewire.program.models import (
    OWNED_MODELS,
    Attribution,
    Cause,
    Evidence,
    FlarePlanStep,
    Practice,
    SafetyMessage,
    SessionCompletion,
    ThoughtEmotion,
    ThoughtRecord,
)
from rewire.program.rules import (
    AttributionEntry,
    PracticeEntry,
    ThoughtRecordEntry,
    attribution_problems,
    evidence_problems,
    practice_problems,
    text_problem,
    thought_record_problems,
)

SCALARS = (
    "id", "pain", "recorded_at", "local_date", "is_flare", "stress", "thought",
    "movement_minutes", "sleep_hours", "sleep_quality", "note", "created_at", "updated_at",
)  # fmt: skip


# Ids per query: well under SQLite's smallest limit on query parameters.
ID_BATCH = 900


def _grouped(ids, queryset, *fields, parent="checkin_id") -> dict[int, list]:
    """{parent id: [field values...]} for the given parents (check-ins unless `parent` says
    otherwise), in the queryset's order."""
    groups: dict[int, list] = {}
    for start in range(0, len(ids), ID_BATCH):
        batch = queryset.filter(**{f"{parent}__in": ids[start : start + ID_BATCH]})
        for parent_id, *rest in batch.values_list(parent, *fields):
            groups.setdefault(parent_id, []).append(rest)
    return groups


def checkins_as_dicts(checkins) -> list[dict]:
    """Check-ins as the API shows them, in the queryset's order, in a few queries."""
    rows = list(checkins.values(*SCALARS))
    ids = [row["id"] for row in rows]
    areas = _grouped(ids, BodyAreaRating.objects.order_by("id"), "area", "intensity")
    emotions = _grouped(ids, EmotionRating.objects.order_by("id"), "name", "intensity")
    tags = _grouped(ids, CheckIn.tags.through.objects.all(), "tag__name")
    helped = _grouped(ids, CheckIn.helped.through.objects.all(), "tag__name")
    for row in rows:
        pk = row["id"]
        row["body_areas"] = [{"area": a, "intensity": i} for a, i in areas.get(pk, [])]
        row["emotions"] = [{"name": n, "intensity": i} for n, i in emotions.get(pk, [])]
        row["tags"] = sorted(name for (name,) in tags.get(pk, []))
        row["helped"] = sorted(name for (name,) in helped.get(pk, []))
        for moment in ("recorded_at", "created_at", "updated_at"):
            row[moment] = row[moment].isoformat()
        row["local_date"] = row["local_date"].isoformat()
        if row["sleep_hours"] is not None:
            row["sleep_hours"] = float(row["sleep_hours"])
    return rows


def just_saved_as_dict(checkin: CheckIn) -> dict:
    """A check-in this request has just recorded, as the API answers with it when read back.

    Times stay datetimes: the JSON encoder writes them as it writes every API answer.
    """
    entry = checkin.saved_entry
    return {
        "id": checkin.pk,
        "pain": entry.pain,
        "recorded_at": entry.recorded_at.astimezone(dt.UTC),
        "local_date": checkin.local_date,
        "is_flare": entry.is_flare,
        "stress": entry.stress,
        "thought": entry.thought,
        "movement_minutes": entry.movement_minutes,
        "sleep_hours": None if entry.sleep_hours is None else float(entry.sleep_hours),
        "sleep_quality": entry.sleep_quality,
        "note": entry.note,
        "created_at": checkin.created_at,
        "updated_at": checkin.updated_at,
        "body_areas": [{"area": a, "intensity": i} for a, i in entry.body_areas],
        "emotions": [{"name": n, "intensity": i} for n, i in entry.emotions],
        "tags": sorted(entry.tags),
        "helped": sorted(entry.helped),
    }


def entry_from_data(data: dict) -> CheckInEntry:
    """A check-in as the API and the export write it (a dict) turned into an entry."""
    sleep = data.get("sleep_hours")
    return CheckInEntry(
        pain=data["pain"],
        recorded_at=data.get("recorded_at") or timezone.now(),
        is_flare=data.get("is_flare", False),
        body_areas=[(a["area"], a["intensity"]) for a in data.get("body_areas", [])],
        emotions=[(e["name"], e["intensity"]) for e in data.get("emotions", [])],
        stress=data.get("stress"),
        tags=data.get("tags", []),
        thought=data.get("thought", ""),
        helped=data.get("helped", []),
        movement_minutes=data.get("movement_minutes"),
        sleep_hours=None if sleep is None else Decimal(str(sleep)),
        sleep_quality=data.get("sleep_quality"),
        note=data.get("note", ""),
    )


def _iso(row: dict, *names) -> dict:
    for name in names:
        if row[name] is not None:
            row[name] = row[name].isoformat()
    return row


PRACTICE_FIELDS = (
    "kind", "started_at", "finished_at", "local_date", "pain_before", "pain_after",
    "threat_before", "threat_after", "mood_before", "mood_after", "note",
)  # fmt: skip
THOUGHT_RECORD_FIELDS = (
    "recorded_at", "local_date", "situation", "automatic_thought", "traps", "reappraisal",
    "created_at", "updated_at",
)  # fmt: skip


def export_programme(user, checkin_index: dict[int, int]) -> dict:
    """The programme's records, oldest first. A thought record names the check-in it
    started from by that check-in's place in the document's `checkins` (`checkin_index`
    maps check-in ids to those places)."""
    attributions = list(
        Attribution.objects.for_user(user)
        .order_by("recorded_at", "id")
        .values("id", "recorded_at", "local_date")
    )
    causes = _grouped(
        [row["id"] for row in attributions],
        Cause.objects.order_by("position"),
        "text",
        "category",
        parent="attribution_id",
    )
    records = list(
        ThoughtRecord.objects.for_user(user)
        .order_by("recorded_at", "id")
        .values("id", "checkin_id", *THOUGHT_RECORD_FIELDS)
    )
    emotions = _grouped(
        [row["id"] for row in records],
        ThoughtEmotion.objects.order_by("id"),
        "name",
        "before",
        "after",
        parent="record_id",
    )
    for row in attributions:
        row["causes"] = [{"text": t, "category": c} for t, c in causes.get(row.pop("id"), [])]
        _iso(row, "recorded_at", "local_date")
    for row in records:
        row["emotions"] = [
            {"name": n, "before": b, "after": a} for n, b, a in emotions.get(row.pop("id"), [])
        ]
        linked = row.pop("checkin_id")
        row["checkin_index"] = None if linked is None else checkin_index[linked]
        _iso(row, "recorded_at", "local_date", "created_at", "updated_at")
    return {
        "session_completions": [
            _iso(row, "completed_at")
            for row in SessionCompletion.objects.for_user(user)
            .order_by("completed_at", "id")
            .values("session", "completed_at")
        ],
        "practices": [
            _iso(row, "started_at", "finished_at", "local_date")
            for row in Practice.objects.for_user(user)
            .order_by("started_at", "id")
            .values(*PRACTICE_FIELDS)
        ],
        "safety_messages": list(
            SafetyMessage.objects.for_user(user).order_by("position", "id").values("text")
        ),
        "flare_plan": list(
            FlarePlanStep.objects.for_user(user).order_by("position", "id").values("text")
        ),
        "evidence": [
            _iso(row, "created_at")
            for row in Evidence.objects.for_user(user)
            .order_by("created_at", "id")
            .values("kind", "example", "created_at")
        ],
        "attributions": attributions,
        "thought_records": records,
    }


RESPONSE_FIELDS = (
    "instrument", "answered_at", "local_date", "answers", "total", "band", "subscale", "prorated",
)  # fmt: skip


def export_measures(user) -> dict:
    """Questionnaire answers, warning-sign answers and safety events, oldest first. An event
    names the answers it came from by their place in the document's `responses` or
    `screenings` (null once those answers were deleted)."""
    responses = list(
        Response.objects.for_user(user).order_by("answered_at", "id").values("id", *RESPONSE_FIELDS)
    )
    response_index = {row.pop("id"): index for index, row in enumerate(responses)}
    for row in responses:
        row["band"] = row["band"] or None
        _iso(row, "answered_at", "local_date")
    screenings = list(
        Screening.objects.for_user(user)
        .order_by("answered_at", "id")
        .values("id", "answered_at", "answers", "assessed_at")
    )
    screening_index = {row.pop("id"): index for index, row in enumerate(screenings)}
    for row in screenings:
        _iso(row, "answered_at", "assessed_at")
    events = list(
        SafetyEvent.objects.for_user(user)
        .order_by("occurred_at", "id")
        .values("kind", "occurred_at", "detail", "response_id", "screening_id")
    )
    for row in events:
        response, screening = row.pop("response_id"), row.pop("screening_id")
        row["response_index"] = None if response is None else response_index[response]
        row["screening_index"] = None if screening is None else screening_index[screening]
        _iso(row, "occurred_at")
    return {"responses": responses, "screenings": screenings, "safety_events": events}


def export_diary(user) -> dict:
    exported = checkins_as_dicts(CheckIn.objects.for_user(user).order_by("recorded_at", "id"))
    checkin_index = {row.pop("id"): index for index, row in enumerate(exported)}
    return {
        "format": "rewire-export",
        "version": 1,
        "exported_at": timezone.now().isoformat(),
        "account": {"timezone": user.timezone},
        "tags": [
            {"kind": tag.kind, "name": tag.name}
            for tag in Tag.objects.for_user(user).order_by("kind", "name")
        ],
        "checkins": exported,
        "programme": export_programme(user, checkin_index),
        "measures": export_measures(user),
        "exposure": exposure_documents.export_exposure(user),
        "experiments": experiment_documents.export_experiments(user),
    }


class ImportRejected(Exception):
    """The document cannot be imported; `errors` lists [{loc, msg, type}] like a 422."""

    def __init__(self, errors: list[dict]):
        super().__init__("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors))
        self.errors = errors


# A place's offset from UTC is at most 14 hours, so its date is within a day of the UTC date.
DATE_SLACK = dt.timedelta(days=1)


def _date_problem(local_date: dt.date, moment: dt.datetime, moment_name: str) -> str | None:
    if abs(local_date - moment.astimezone(dt.UTC).date()) > DATE_SLACK:
        return f"More than a day away from the date of {moment_name}."
    return None


def _problems(location: list, problems: dict[str | tuple, str]) -> list[dict]:
    """Each problem at its place under `location`: a field's name, or a tuple for a place
    deeper down, such as ("answers", "phq9_9")."""
    return [
        {
            "loc": [*location, *(name if isinstance(name, tuple) else (name,))],
            "msg": reason,
            "type": "value_error",
        }
        for name, reason in problems.items()
    ]


@dataclass
class ParsedProgramme:
    """The programme's records from a document, checked and normalised as the actions do."""

    completions: list = field(default_factory=list)  # (session id, completed_at)
    practices: list = field(default_factory=list)  # (PracticeEntry, local_date)
    safety_messages: list = field(default_factory=list)  # texts, in order
    flare_plan: list = field(default_factory=list)  # texts, in order
    evidence: list = field(default_factory=list)  # (kind, example, created_at)
    attributions: list = field(default_factory=list)  # (AttributionEntry, local_date)
    # (ThoughtRecordEntry, local_date, created_at, updated_at, check-in index or None)
    thought_records: list = field(default_factory=list)

    def count(self) -> int:
        """How many records: sessions done, practices, messages, steps, examples, answers."""
        return sum(len(records) for records in vars(self).values())


def parse_programme(document: ExportDocument, *, prefix=()) -> tuple[ParsedProgramme, list]:
    """Check every programme record against the rules the actions apply. Returns the parsed
    records and the problems found, [{loc, msg, type}], each loc under `programme`."""
    programme, parsed, errors = document.programme, ParsedProgramme(), []
    where = [*prefix, "programme"]
    the_course, now = course(), timezone.now()

    # Sessions open in order: the sessions done are always the first few.
    known = [session.id for session in the_course.sessions]
    done = {row.session for row in programme.session_completions}
    seen = set()
    for index, row in enumerate(programme.session_completions):
        here = [*where, "session_completions", index]
        if row.session not in known:
            errors += _problems(here, {"session": "No such session in this course."})
        elif any(earlier not in done for earlier in known[: known.index(row.session)]):
            errors += _problems(here, {"session": "A session before this one is not done."})
        elif row.session in seen:
            errors += _problems(here, {"session": "Each session can be done only once."})
        elif problem := moment_problem(row.completed_at, now=now):
            errors += _problems(here, {"completed_at": problem})
        else:
            parsed.completions.append((row.session, row.completed_at))
        seen.add(row.session)

    for index, row in enumerate(programme.practices):
        entry = PracticeEntry(
            kind=row.kind,
            started_at=row.started_at,
            finished_at=row.finished_at,
            ratings={r: (getattr(row, f"{r}_before"), getattr(row, f"{r}_after")) for r in RATINGS},
            note=row.note.strip(),
        )
        problems = practice_problems(entry, course=the_course, now=now)
        if date_problem := _date_problem(row.local_date, row.started_at, "started_at"):
            problems["local_date"] = date_problem
        errors += _problems([*where, "practices", index], problems)
        parsed.practices.append((entry, row.local_date))

    for name in ("safety_messages", "flare_plan"):
        for index, row in enumerate(getattr(programme, name)):
            text = row.text.strip()
            if problem := text_problem(text):
                errors += _problems([*where, name, index], {"text": problem})
            getattr(parsed, name).append(text)

    for index, row in enumerate(programme.evidence):
        example = row.example.strip()
        problems = evidence_problems(row.kind, example, course=the_course)
        if problem := moment_problem(row.created_at, now=now):
            problems["created_at"] = problem
        errors += _problems([*where, "evidence", index], problems)
        parsed.evidence.append((row.kind, example, row.created_at))

    for index, row in enumerate(programme.attributions):
        entry = AttributionEntry(
            recorded_at=row.recorded_at,
            causes=[(cause.text.strip(), cause.category) for cause in row.causes],
        )
        problems = attribution_problems(entry, now=now)
        if date_problem := _date_problem(row.local_date, row.recorded_at, "recorded_at"):
            problems["local_date"] = date_problem
        errors += _problems([*where, "attributions", index], problems)
        parsed.attributions.append((entry, row.local_date))

    for index, row in enumerate(programme.thought_records):
        entry = ThoughtRecordEntry(
            recorded_at=row.recorded_at,
            automatic_thought=row.automatic_thought,
            situation=row.situation,
            emotions=[(e.name, e.before, e.after) for e in row.emotions],
            traps=row.traps,
            reappraisal=row.reappraisal,
        ).normalised()
        problems = thought_record_problems(entry, course=the_course, now=now)
        if date_problem := _date_problem(row.local_date, row.recorded_at, "recorded_at"):
            problems["local_date"] = date_problem
        for name in ("created_at", "updated_at"):
            if problem := moment_problem(getattr(row, name), now=now):
                problems[name] = problem
        if row.checkin_index is not None and row.checkin_index >= len(document.checkins):
            problems["checkin_index"] = (
                f"The document has {len(document.checkins)} check-ins, numbered from 0."
            )
        errors += _problems([*where, "thought_records", index], problems)
        parsed.thought_records.append(
            (entry, row.local_date, row.created_at, row.updated_at, row.checkin_index)
        )
    return parsed, errors


@dataclass
class ParsedMeasures:
    """The questionnaires' and warning signs' records from a document, checked."""

    # (instrument id, answers with every item, answered_at, local_date, scoring.Score)
    responses: list = field(default_factory=list)
    screenings: list = field(default_factory=list)  # (answers, answered_at, assessed_at)
    # (kind, occurred_at, detail, response index or None, screening index or None)
    safety_events: list = field(default_factory=list)

    def count(self) -> int:
        return len(self.responses) + len(self.screenings) + len(self.safety_events)


def _response_problems(row, definition, *, now) -> tuple[dict, dict, scoring.Score | None]:
    """A questionnaire's answers from a document, checked as record_response checks them, and
    its score worked out again: it must be the one the document gives."""
    answers = {item.id: row.answers.get(item.id) for item in definition.items} | {
        key: value for key, value in row.answers.items() if key not in definition.item_ids
    }
    problems = {
        ("answers",) if name == "answers" else ("answers", name): reason
        for name, reason in scoring.answer_problems(definition, answers).items()
    }
    result = None
    if not problems:
        result = scoring.score(definition, answers)
        for name in ("total", "band", "subscale", "prorated"):
            if getattr(row, name) != getattr(result, name):
                worked_out = json.dumps(getattr(result, name))
                problems[name] = f"Does not match the answers, which give {worked_out}."
    if problem := moment_problem(row.answered_at, now=now):
        problems["answered_at"] = problem
    if date_problem := _date_problem(row.local_date, row.answered_at, "answered_at"):
        problems["local_date"] = date_problem
    return problems, answers, result


def _screening_problems(row, flag_ids: list[str], *, now) -> dict:
    """Warning-sign answers from a document, checked as record_screening and
    confirm_assessed check them."""
    problems = {
        ("answers", key): reason
        for key, reason in measures_actions.screening_problems(row.answers).items()
    }
    if problem := moment_problem(row.answered_at, now=now):
        problems["answered_at"] = problem
    if row.assessed_at is not None:
        if not any(row.answers.get(flag) for flag in flag_ids):
            problems["assessed_at"] = "No warning sign was answered yes."
        elif problem := moment_problem(row.assessed_at, now=now):
            problems["assessed_at"] = problem
        elif row.assessed_at < row.answered_at:
            problems["assessed_at"] = "Before the warning signs were answered."
    return problems


def _event_problems(row, measures, *, now) -> dict:
    problems = {}
    if problem := moment_problem(row.occurred_at, now=now):
        problems["occurred_at"] = problem
    if row.response_index is not None:
        if row.response_index >= len(measures.responses):
            problems["response_index"] = (
                f"The document has {len(measures.responses)} responses, numbered from 0."
            )
        elif row.kind != SafetyEvent.CRISIS:
            problems["response_index"] = f"Only a {SafetyEvent.CRISIS} event names a response."
        elif measures.responses[row.response_index].instrument != scoring.CRISIS_ITEM[0]:
            problems["response_index"] = "Must name PHQ-9 answers."
    if row.screening_index is not None:
        if row.screening_index >= len(measures.screenings):
            problems["screening_index"] = (
                f"The document has {len(measures.screenings)} screenings, numbered from 0."
            )
        elif row.kind != SafetyEvent.RED_FLAG:
            problems["screening_index"] = f"Only a {SafetyEvent.RED_FLAG} event names a screening."
    return problems


def parse_measures(document: ExportDocument, *, prefix=()) -> tuple[ParsedMeasures, list]:
    """Check every questionnaire answer, warning-sign answer and safety event against the
    rules the actions apply. Returns the parsed records and the problems found, each loc
    under `measures`.

    An answer that raised a safety event (PHQ-9 item 9 above 0, a warning sign answered yes)
    must come with it: an import never drops what a clinician must see."""
    measures, parsed, errors = document.measures, ParsedMeasures(), []
    where = [*prefix, "measures"]
    known, now = measures_actions.instruments(), timezone.now()
    flag_ids = [flag.id for flag in measures_actions.red_flags()]
    needs_event = []  # (list name, index, kind, why)

    for index, row in enumerate(measures.responses):
        definition = known.get(row.instrument)
        if definition is None:
            errors += _problems(
                [*where, "responses", index], {"instrument": "No such questionnaire."}
            )
            continue
        problems, answers, result = _response_problems(row, definition, now=now)
        errors += _problems([*where, "responses", index], problems)
        if scoring.needs_crisis_support(definition, answers):
            needs_event.append(("responses", index, SafetyEvent.CRISIS, "PHQ-9 item 9 above 0"))
        parsed.responses.append((definition.id, answers, row.answered_at, row.local_date, result))

    for index, row in enumerate(measures.screenings):
        errors += _problems(
            [*where, "screenings", index], _screening_problems(row, flag_ids, now=now)
        )
        answers = {flag: row.answers.get(flag) for flag in flag_ids}
        if any(answers.values()):
            needs_event.append(("screenings", index, SafetyEvent.RED_FLAG, "a warning sign"))
        parsed.screenings.append((answers, row.answered_at, row.assessed_at))

    named = set()
    for index, row in enumerate(measures.safety_events):
        errors += _problems(
            [*where, "safety_events", index], _event_problems(row, measures, now=now)
        )
        named |= {("responses", row.response_index), ("screenings", row.screening_index)}
        parsed.safety_events.append(
            (row.kind, row.occurred_at, row.detail, row.response_index, row.screening_index)
        )
    for name, index, kind, why in needs_event:
        if (name, index) not in named:
            link = "response_index" if name == "responses" else "screening_index"
            errors += _problems(
                where,
                {
                    "safety_events": f"No safety event names {name} {index} ({why}): add one "
                    f"with kind {kind} and {link} {index}."
                },
            )
    return parsed, errors


class Parsed(NamedTuple):
    document: ExportDocument
    checkins: list  # (CheckInEntry, the document's row)
    programme: ParsedProgramme
    measures: ParsedMeasures
    exposure: "exposure_documents.ParsedExposure"
    experiments: "list[experiment_documents.ParsedExperiment]"


def parse_export(data, *, prefix=()) -> Parsed:
    """Validate the whole document before anything is written. `prefix` starts each error's loc."""
    try:
        document = data if isinstance(data, ExportDocument) else ExportDocument.model_validate(data)
    except ValidationError as error:
        raise ImportRejected(
            [
                {"loc": [*prefix, *e["loc"]], "msg": e["msg"], "type": e["type"]}
                for e in error.errors()
            ]
        ) from None
    parsed, errors = [], []
    for index, row in enumerate(document.checkins):
        try:
            parsed.append((validated(entry_from_data(row.model_dump())), row))
        except InvalidEntry as invalid:
            errors += _problems([*prefix, "checkins", index], invalid.problems)
        if date_problem := _date_problem(row.local_date, row.recorded_at, "recorded_at"):
            errors += _problems([*prefix, "checkins", index], {"local_date": date_problem})
    programme, programme_errors = parse_programme(document, prefix=prefix)
    errors += programme_errors
    measures, measures_errors = parse_measures(document, prefix=prefix)
    errors += measures_errors
    exposure, exposure_errors = exposure_documents.parse_exposure(document, prefix=prefix)
    errors += exposure_errors
    experiments, experiment_errors = experiment_documents.parse_experiments(document, prefix=prefix)
    errors += experiment_errors
    if errors:
        raise ImportRejected(errors)
    return Parsed(document, parsed, programme, measures, exposure, experiments)


def write_programme(user, programme: ParsedProgramme, checkins: list[CheckIn]) -> None:
    """Bulk-write checked programme records with their own times and dates (the import).

    `checkins` are the document's check-ins as written, for the thought records' links.
    """
    SessionCompletion.objects.bulk_create(
        SessionCompletion(user=user, session=session, completed_at=completed_at)
        for session, completed_at in programme.completions
    )
    Practice.objects.bulk_create(
        (
            Practice(
                user=user,
                kind=entry.kind,
                started_at=entry.started_at,
                finished_at=entry.finished_at,
                local_date=local_date,
                note=entry.note,
                **{
                    f"{rating}_{moment}": value
                    for rating, pair in entry.ratings.items()
                    for moment, value in zip(("before", "after"), pair, strict=True)
                },
            )
            for entry, local_date in programme.practices
        ),
        batch_size=2000,
    )
    for model, texts in (
        (SafetyMessage, programme.safety_messages),
        (FlarePlanStep, programme.flare_plan),
    ):
        model.objects.bulk_create(
            model(user=user, text=text, position=position) for position, text in enumerate(texts)
        )
    Evidence.objects.bulk_create(
        (
            Evidence(user=user, kind=kind, example=example, created_at=created_at)
            for kind, example, created_at in programme.evidence
        ),
        batch_size=2000,
    )
    attributions = Attribution.objects.bulk_create(
        (
            Attribution(user=user, recorded_at=entry.recorded_at, local_date=local_date)
            for entry, local_date in programme.attributions
        ),
        batch_size=2000,
    )
    Cause.objects.bulk_create(
        (
            Cause(attribution=attribution, position=position, text=text, category=category)
            for attribution, (entry, _) in zip(attributions, programme.attributions, strict=True)
            for position, (text, category) in enumerate(entry.causes)
        ),
        batch_size=2000,
    )
    records = ThoughtRecord.objects.bulk_create(
        (
            ThoughtRecord(
                user=user,
                checkin=None if index is None else checkins[index],
                recorded_at=entry.recorded_at,
                local_date=local_date,
                situation=entry.situation,
                automatic_thought=entry.automatic_thought,
                traps=entry.traps,
                reappraisal=entry.reappraisal,
                created_at=created_at,
                updated_at=updated_at,
            )
            for entry, local_date, created_at, updated_at, index in programme.thought_records
        ),
        batch_size=2000,
    )
    ThoughtEmotion.objects.bulk_create(
        (
            ThoughtEmotion(record=record, name=name, before=before, after=after)
            for record, (entry, *_) in zip(records, programme.thought_records, strict=True)
            for name, before, after in entry.emotions
        ),
        batch_size=2000,
    )


def write_measures(user, measures: ParsedMeasures) -> None:
    """Bulk-write checked questionnaire and warning-sign records with their own times (the
    import), each safety event linked to the new copy of the answers it names."""
    responses = Response.objects.bulk_create(
        (
            Response(
                user=user,
                instrument=instrument,
                answered_at=answered_at,
                local_date=local_date,
                answers=answers,
                total=result.total,
                band=result.band or "",
                subscale=result.subscale,
                prorated=result.prorated,
            )
            for instrument, answers, answered_at, local_date, result in measures.responses
        ),
        batch_size=2000,
    )
    screenings = Screening.objects.bulk_create(
        (
            Screening(user=user, answered_at=answered_at, answers=answers, assessed_at=assessed_at)
            for answers, answered_at, assessed_at in measures.screenings
        ),
        batch_size=2000,
    )
    SafetyEvent.objects.bulk_create(
        (
            SafetyEvent(
                user=user,
                kind=kind,
                occurred_at=occurred_at,
                detail=detail,
                response=None if response is None else responses[response],
                screening=None if screening is None else screenings[screening],
            )
            for kind, occurred_at, detail, response, screening in measures.safety_events
        ),
        batch_size=2000,
    )


def _conflict(location: list, message: str) -> ImportRejected:
    return ImportRejected([{"loc": location, "msg": message, "type": "conflict"}])


class Imported(NamedTuple):
    """How many records an import created (ImportResult in the API)."""

    checkins: int
    tags: int
    programme_records: int
    measures_records: int
    exposure_records: int
    experiments_records: int


def import_diary(user, data, *, prefix=()) -> Imported:
    """Load an export into an empty account: no check-ins, no programme records, no
    questionnaire or warning-sign records, no fear ladder or movement log and no personal
    experiments. Returns how many of each (and tags) were created.

    The document is checked first, outside the transaction, so the write lock is held only
    for the writes.
    """
    document, parsed, programme, measures, exposure, experiments = parse_export(data, prefix=prefix)
    wanted = [(t.kind, normalise_name(t.name)) for t in document.tags]
    for entry, _ in parsed:
        wanted += [(Tag.CONTEXT, n) for n in entry.tags] + [(Tag.HELPED, n) for n in entry.helped]
    with transaction.atomic():
        # Two imports at once: the second waits here, then finds the diary no longer empty.
        type(user).objects.select_for_update().filter(pk=user.pk).first()
        if CheckIn.objects.for_user(user).exists():
            raise _conflict(
                [*prefix, "checkins"],
                "This diary has check-ins already; import needs an empty diary.",
            )
        if any(model.objects.for_user(user).exists() for model in OWNED_MODELS):
            raise _conflict(
                [*prefix, "programme"],
                "This account has programme records already; import needs an empty account.",
            )
        if any(model.objects.for_user(user).exists() for model in MEASURES_MODELS):
            raise _conflict(
                [*prefix, "measures"],
                "This account has questionnaire or warning-sign answers already; import needs "
                "an empty account.",
            )
        if any(model.objects.for_user(user).exists() for model in EXPOSURE_MODELS):
            raise _conflict(
                [*prefix, "exposure"],
                "This account has a fear ladder, tries or activities already; import needs an "
                "empty account.",
            )
        if any(model.objects.for_user(user).exists() for model in INSIGHTS_MODELS):
            raise _conflict(
                [*prefix, "experiments"],
                "This account has personal experiments already; import needs an empty account.",
            )
        user.timezone = document.account.timezone
        user.save(update_fields=["timezone"])
        tags, created = ensure_tags(user=user, names=wanted)
        checkins = write_checkins(
            user,
            [(entry, row.local_date, row.created_at, row.updated_at) for entry, row in parsed],
            tags=tags,
        )
        write_programme(user, programme, checkins)
        write_measures(user, measures)
        exposure_documents.write_exposure(user, exposure)
        experiment_documents.write_experiments(user, experiments)
    return Imported(
        len(parsed),
        created,
        programme.count(),
        measures.count(),
        exposure.count(),
        len(experiments),
    )
