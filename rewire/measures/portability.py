"""Questionnaires, warning-sign answers and safety events in the export document
(`measures`, docs/api.md). Every answer read from a document is scored and checked again as
the actions do; an answer that raised a safety event must come with it."""

import datetime as dt
import json
from dataclasses import dataclass, field

from django.utils import timezone

from rewire.core.portability import Section, date_problem, iso, problems_at, register
from rewire.core.validation import moment_problem
from rewire.measures import actions, scoring, suitability
from rewire.measures.models import Response, SafetyEvent, Screening, Suitability
from rewire.measures.schemas import ExportedMeasures

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
        iso(row, "answered_at", "local_date")
    screenings = list(
        Screening.objects.for_user(user)
        .order_by("answered_at", "id")
        .values("id", "answered_at", "answers", "assessed_at")
    )
    screening_index = {row.pop("id"): index for index, row in enumerate(screenings)}
    for row in screenings:
        iso(row, "answered_at", "assessed_at")
    fit = list(
        Suitability.objects.for_user(user)
        .order_by("answered_at", "id")
        .values("answered_at", "answers", "clinician_agreed_at", "clinician")
    )
    for row in fit:
        iso(row, "answered_at", "clinician_agreed_at")
    events = list(
        SafetyEvent.objects.for_user(user)
        .order_by("occurred_at", "id")
        .values("kind", "rule", "occurred_at", "detail", "response_id", "screening_id")
    )
    for row in events:
        response, screening = row.pop("response_id"), row.pop("screening_id")
        if not row["rule"]:
            del row["rule"]  # only a worsening event names its rule
        row["response_index"] = None if response is None else response_index[response]
        row["screening_index"] = None if screening is None else screening_index[screening]
        iso(row, "occurred_at")
    return {
        "responses": responses,
        "screenings": screenings,
        "suitability": fit,
        "safety_events": events,
    }


@dataclass
class ParsedMeasures:
    """The questionnaires' and warning signs' records from a document, checked."""

    # (instrument id, answers with every item, answered_at, local_date, scoring.Score)
    responses: list = field(default_factory=list)
    screenings: list = field(default_factory=list)  # (answers, answered_at, assessed_at)
    # (answers, answered_at, clinician_agreed_at, clinician)
    suitability: list = field(default_factory=list)
    # (kind, occurred_at, detail, response index or None, screening index or None)
    safety_events: list = field(default_factory=list)

    def count(self) -> int:
        return (
            len(self.responses)
            + len(self.screenings)
            + len(self.suitability)
            + len(self.safety_events)
        )


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
    if problem := date_problem(row.local_date, row.answered_at, "answered_at"):
        problems["local_date"] = problem
    return problems, answers, result


def _screening_problems(row, flag_ids: list[str], *, now) -> dict:
    """Warning-sign answers from a document, checked as record_screening and
    confirm_assessed check them."""
    problems = {
        ("answers", key): reason
        for key, reason in actions.screening_problems(
            row.answers, asked_on=row.answered_at.astimezone(dt.UTC).date()
        ).items()
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


def _suitability_problems(row, questions, *, now) -> dict:
    """Answers on who the programme is for from a document, checked as record_suitability
    and confirm_clinician_agreed check them."""
    # A question missing (a document from before it was asked) is no problem: the programme
    # asks it again. An answer given must be one the question has.
    problems = {
        ("answers", key): reason
        for key, reason in suitability.answer_problems(questions, row.answers).items()
        if key in row.answers
    }
    if problem := moment_problem(row.answered_at, now=now):
        problems["answered_at"] = problem
    if row.clinician_agreed_at is not None:
        if suitability.judge(questions, row.answers).fits:
            problems["clinician_agreed_at"] = "These answers fit the programme: nothing to agree."
        elif problem := moment_problem(row.clinician_agreed_at, now=now):
            problems["clinician_agreed_at"] = problem
        elif row.clinician_agreed_at < row.answered_at:
            problems["clinician_agreed_at"] = "Before the questions were answered."
    elif row.clinician:
        problems["clinician"] = "Only with clinician_agreed_at."
    return problems


def _event_problems(row, measures, *, now, rules) -> dict:
    problems = {}
    if problem := moment_problem(row.occurred_at, now=now):
        problems["occurred_at"] = problem
    if row.kind == SafetyEvent.WORSENING:
        rule = rules.by_id(row.rule or "")
        if rule is None:
            problems["rule"] = "No such worsening rule."
        elif row.response_index is None:
            problems["response_index"] = "A worsening event names the answers it came from."
        elif (
            row.response_index < len(measures.responses)
            and measures.responses[row.response_index].instrument != rule.instrument
        ):
            problems["response_index"] = f"Must name {rule.instrument} answers, as its rule does."
    elif row.rule is not None:
        problems["rule"] = f"Only a {SafetyEvent.WORSENING} event names a rule."
    if row.response_index is not None:
        if row.response_index >= len(measures.responses):
            problems["response_index"] = (
                f"The document has {len(measures.responses)} responses, numbered from 0."
            )
        elif row.kind == SafetyEvent.RED_FLAG:
            problems["response_index"] = f"A {SafetyEvent.RED_FLAG} event names no response."
        elif row.kind == SafetyEvent.CRISIS and (
            measures.responses[row.response_index].instrument != scoring.CRISIS_ITEM[0]
        ):
            problems["response_index"] = "Must name PHQ-9 answers."
    if row.screening_index is not None:
        if row.screening_index >= len(measures.screenings):
            problems["screening_index"] = (
                f"The document has {len(measures.screenings)} screenings, numbered from 0."
            )
        elif row.kind != SafetyEvent.RED_FLAG:
            problems["screening_index"] = f"Only a {SafetyEvent.RED_FLAG} event names a screening."
    return problems


def parse_measures(document, *, prefix=()) -> tuple[ParsedMeasures, list]:
    """Check every questionnaire answer, warning-sign answer and safety event against the
    rules the actions apply. Returns the parsed records and the problems found, each loc
    under `measures`.

    An answer that raised a safety event (PHQ-9 item 9 above 0, a warning sign answered yes)
    must come with it: an import never drops what a clinician must see."""
    measures, parsed, errors = document.measures, ParsedMeasures(), []
    where = [*prefix, "measures"]
    known, now = actions.instruments(), timezone.now()
    flag_ids = [flag.id for flag in actions.red_flags()]
    rules = actions.worsening_rules()
    needs_event = []  # (list name, index, kind, why)

    for index, row in enumerate(measures.responses):
        definition = known.get(row.instrument)
        if definition is None:
            errors += problems_at(
                [*where, "responses", index], {"instrument": "No such questionnaire."}
            )
            continue
        problems, answers, result = _response_problems(row, definition, now=now)
        errors += problems_at([*where, "responses", index], problems)
        if scoring.needs_crisis_support(definition, answers):
            needs_event.append(("responses", index, SafetyEvent.CRISIS, "PHQ-9 item 9 above 0"))
        parsed.responses.append((definition.id, answers, row.answered_at, row.local_date, result))

    for index, row in enumerate(measures.screenings):
        errors += problems_at(
            [*where, "screenings", index], _screening_problems(row, flag_ids, now=now)
        )
        # Older answers were asked fewer signs: keep what was answered.
        answers = {flag: row.answers[flag] for flag in flag_ids if flag in row.answers}
        if any(answers.values()):
            needs_event.append(("screenings", index, SafetyEvent.RED_FLAG, "a warning sign"))
        parsed.screenings.append((answers, row.answered_at, row.assessed_at))

    questions = actions.suitability_questions()
    for index, row in enumerate(measures.suitability):
        errors += problems_at(
            [*where, "suitability", index], _suitability_problems(row, questions, now=now)
        )
        parsed.suitability.append(
            (row.answers, row.answered_at, row.clinician_agreed_at, " ".join(row.clinician.split()))
        )

    named = set()
    for index, row in enumerate(measures.safety_events):
        errors += problems_at(
            [*where, "safety_events", index],
            _event_problems(row, measures, now=now, rules=rules),
        )
        named |= {
            ("responses", row.response_index, row.kind),
            ("screenings", row.screening_index, row.kind),
        }
        parsed.safety_events.append(
            (
                row.kind,
                row.rule or "",
                row.occurred_at,
                row.detail,
                row.response_index,
                row.screening_index,
            )
        )
    for name, index, kind, why in needs_event:
        if (name, index, kind) not in named:
            link = "response_index" if name == "responses" else "screening_index"
            errors += problems_at(
                where,
                {
                    "safety_events": f"No safety event names {name} {index} ({why}): add one "
                    f"with kind {kind} and {link} {index}."
                },
            )
    return parsed, errors


def write_measures(user, measures: ParsedMeasures) -> None:
    """Bulk-write checked questionnaire and warning-sign records with their own times (the
    import), each safety event linked to the new copy of the answers it names."""
    responses = Response.objects.bulk_create(
        (
            actions.response_row(user, instrument, answers, answered_at, local_date, result)
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
    Suitability.objects.bulk_create(
        (
            Suitability(
                user=user,
                answered_at=answered_at,
                answers=answers,
                clinician_agreed_at=agreed_at,
                clinician=clinician,
            )
            for answers, answered_at, agreed_at, clinician in measures.suitability
        ),
        batch_size=2000,
    )
    SafetyEvent.objects.bulk_create(
        (
            SafetyEvent(
                user=user,
                kind=kind,
                rule=rule,
                occurred_at=occurred_at,
                detail=detail,
                response=None if response is None else responses[response],
                screening=None if screening is None else screenings[screening],
            )
            for kind, rule, occurred_at, detail, response, screening in measures.safety_events
        ),
        batch_size=2000,
    )


@register
class MeasuresSection(Section):
    name = "measures"
    order = 30
    fields = {"measures": (ExportedMeasures, ExportedMeasures)}
    exported = {
        "measures.Response": ("measures", "responses"),
        "measures.Screening": ("measures", "screenings"),
        "measures.Suitability": ("measures", "suitability"),
        "measures.SafetyEvent": ("measures", "safety_events"),
    }
    counts = {
        "measures_records": (
            "Questionnaire answers, warning-sign and suitability answers, and safety events "
            "written.",
            "{} questionnaire and safety records",
        )
    }
    conflict = (
        "This account has questionnaire, warning-sign or suitability answers already; import "
        "needs an empty account."
    )

    def export(self, user, links):
        return {"measures": export_measures(user)}

    def parse(self, document, *, prefix):
        return parse_measures(document, prefix=prefix)

    def write(self, user, parsed, links):
        write_measures(user, parsed)
        return {"measures_records": parsed.count()}
