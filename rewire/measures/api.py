"""Questionnaires and the safety net in the JSON API (/api/v1/). Thin: every write goes
through rewire/measures/actions.py.

rewire.api.api mounts this router (and authenticates its requests as it does the
check-ins'); the API is that module's.
"""

import dataclasses

from django.conf import settings
from ninja import Query, Router, Status
from pydantic import Field

from rewire.core.api import (
    ERRORS,
    DateFilter,
    create_once,
    dated_page,
    idempotency_key_header,
    unprocessable,
)
from rewire.core.errors import InvalidEntry
from rewire.core.schemas import ContentId, MessageOut
from rewire.measures import actions, scoring
from rewire.measures.helplines import DEFAULT_ADVICE, helplines_for
from rewire.measures.instruments import Instrument
from rewire.measures.models import Response, SafetyEvent, Screening, Suitability
from rewire.measures.schemas import (
    ClinicianAgreedIn,
    DueOut,
    InstrumentOut,
    QuestionnaireResponseCreated,
    QuestionnaireResponseIn,
    QuestionnaireResponseOut,
    QuestionnaireResponsePage,
    RedFlagOut,
    SafetyEventOut,
    SafetyOut,
    ScreeningIn,
    ScreeningOut,
    SuitabilityIn,
    SuitabilityOut,
    SuitabilityQuestionOut,
    WorseningRulesOut,
)

router = Router()


class Refused(Exception):
    """A create broke a rule: `problems` maps each place in the body (a tuple) to why."""

    def __init__(self, problems: dict[tuple, str]):
        super().__init__("; ".join(".".join(where) for where in problems))
        self.problems = problems


def _detail(problems: dict[tuple, str]) -> dict:
    """A 422's body from {place in the body: reason}."""
    return {
        "detail": [
            {"loc": ["body", *where], "msg": reason, "type": "value_error"}
            for where, reason in problems.items()
        ]
    }


# Problems placed as the actions name them, an answer's a level down (see _placed).
REFUSED = (Refused, lambda refused: _detail(refused.problems))


def _placed(problems: dict[str, str], fields: tuple[str, ...]) -> dict[tuple, str]:
    """The actions name a problem by its field (`fields`) or by the answer's id; an answer's
    problem belongs under `answers`. "answers" alone is about the answers as a whole."""
    return {
        (name,) if name in fields or name == "answers" else ("answers", name): reason
        for name, reason in problems.items()
    }


# The questionnaires as data


INSTRUMENT_FIELDS = (
    "id", "name", "short_name", "purpose", "recall", "scoring", "validated", "higher_is_worse",
    "attribution", "max_missing", "band_source",
)  # fmt: skip


def _instrument_data(instrument: Instrument) -> dict:
    loinc = instrument.loinc
    return {
        **{name: getattr(instrument, name) for name in INSTRUMENT_FIELDS},
        "items": [dataclasses.asdict(item) for item in instrument.items],
        "required": list(instrument.required),
        "bands": [dataclasses.asdict(band) for band in instrument.bands],
        "risk_levels": list(instrument.risk_levels),
        "mcid": None
        if instrument.mcid_points is None
        else {"points": instrument.mcid_points, "percent": instrument.mcid_percent},
        "loinc": {
            "panel": loinc.get("panel"),
            "total": loinc.get("total"),
            "items": loinc.get("items", {}),
        },
    }


@router.get("/instruments", response={200: list[InstrumentOut], **ERRORS}, tags=["questionnaires"])
def list_instruments(request):
    """Every questionnaire as data: its questions, options, scoring and what its scores mean."""
    return [_instrument_data(instrument) for instrument in actions.instruments().values()]


@router.get("/worsening-rules", response={200: WorseningRulesOut, **ERRORS}, tags=["safety"])
def list_worsening_rules(request):
    """When getting worse is acted on: each rule with its threshold, its source and how soon
    to act, and the advice for each urgency (content/<lang>/worsening.yaml)."""
    rules = actions.worsening_rules()
    return {
        "rules": [dataclasses.asdict(rule) for rule in rules.rules],
        "advice": rules.advice,
    }


@router.get("/questionnaires/due", response={200: list[DueOut], **ERRORS}, tags=["questionnaires"])
def list_due(request):
    """The questionnaires due today, in the person's own timezone. Any can be taken any time."""
    return [
        {"instrument": instrument.id, "short_name": instrument.short_name, "reason": reason}
        for instrument, reason in actions.due_questionnaires(request.auth)
    ]


# Questionnaire answers


def _crisis_support(response: Response) -> bool:
    definition = actions.instruments().get(response.instrument)
    return definition is not None and scoring.needs_crisis_support(definition, response.answers)


def _in_item_order(response: Response) -> dict:
    # PostgreSQL keeps a JSON object's keys in an order of its own; show the questions' order.
    definition = actions.instruments().get(response.instrument)
    if definition is None:
        return response.answers
    ordered = {key: response.answers[key] for key in definition.item_ids if key in response.answers}
    return ordered | response.answers


def _response_data(response: Response) -> dict:
    return {
        "id": response.pk,
        "instrument": response.instrument,
        "answered_at": response.answered_at,
        "local_date": response.local_date,
        "answers": _in_item_order(response),
        "total": response.total,
        "band": response.band or None,
        "subscale": response.subscale,
        "prorated": response.prorated,
        "crisis_support": _crisis_support(response),
    }


def crisis_support() -> dict:
    """What to show at once when PHQ-9 item 9 is above 0: the advice, and the helplines the
    server is configured with for its language (never a number written into the code)."""
    return {
        "advice": DEFAULT_ADVICE,
        "helplines": [
            dataclasses.asdict(helpline) for helpline in helplines_for(settings.LANGUAGE_CODE)
        ],
    }


class ResponseFilter(DateFilter):
    instrument: ContentId | None = Field(None, description="Only this questionnaire's answers.")


@router.get(
    "/questionnaire-responses",
    response={200: QuestionnaireResponsePage, **ERRORS},
    tags=["questionnaires"],
)
def list_responses(request, filters: Query[ResponseFilter]):
    """The questionnaires answered, newest first, filtered by questionnaire and local date."""
    responses = Response.objects.for_user(request.auth)
    if filters.instrument is not None:
        if filters.instrument not in actions.instruments():
            return unprocessable({"instrument": "No such questionnaire."}, prefix=("query",))
        responses = responses.filter(instrument=filters.instrument)
    return dated_page(
        responses, filters, lambda page: [_response_data(response) for response in page]
    )


@router.post(
    "/questionnaire-responses",
    response={201: QuestionnaireResponseCreated, 410: MessageOut, **ERRORS},
    tags=["questionnaires"],
)
def create_response(
    request,
    payload: QuestionnaireResponseIn,
    idempotency_key: str | None = idempotency_key_header(),
):
    """Score and keep a questionnaire's answers. With PHQ-9 item 9 above 0 the answer carries
    `crisis`, to show at once, and a safety event is recorded; answers that set off a
    worsening rule carry `worsening` with its advice, and record a safety event too. Send an
    Idempotency-Key so a retry never records the answers twice."""

    def create(user):
        if payload.instrument not in actions.instruments():
            raise Refused({("instrument",): "No such questionnaire."})
        try:
            return actions.record_response(
                user=user,
                instrument_id=payload.instrument,
                answers=payload.answers,
                answered_at=payload.answered_at,
            )
        except InvalidEntry as invalid:
            raise Refused(_placed(invalid.problems, ("answered_at",))) from None

    def answer(user, pk):
        response = Response.objects.for_user(user).filter(pk=pk).first()
        if response is None:
            return None
        data = _response_data(response)
        worse = actions.worsening_advice(user, response)
        return {
            **data,
            "crisis": crisis_support() if data["crisis_support"] else None,
            "worsening": worse
            and {
                "rules": [dataclasses.asdict(rule) for rule in worse["rules"]],
                "urgency": worse["urgency"],
                "advice": worse["advice"],
            },
        }

    return create_once(
        request,
        payload,
        idempotency_key,
        kind="questionnaire_response",
        create=create,
        fetch=answer,
        refused=REFUSED,
    )


@router.get(
    "/questionnaire-responses/{int:response_id}",
    response={200: QuestionnaireResponseOut, **ERRORS},
    tags=["questionnaires"],
)
def read_response(request, response_id: int):
    return _response_data(actions.get_response_for(request.auth, response_id))


@router.delete(
    "/questionnaire-responses/{int:response_id}",
    response={204: None, **ERRORS},
    tags=["questionnaires"],
)
def delete_response(request, response_id: int):
    """Delete the answers. A safety event they raised stays, without its link to them."""
    actions.delete_response(user=request.auth, pk=response_id)
    return Status(204, None)


# The warning signs


def _screening_data(screening: Screening) -> dict:
    # In the questions' order: PostgreSQL keeps a JSON object's keys in an order of its own.
    flags = actions.red_flags()
    answers = {
        flag.id: screening.answers[flag.id] for flag in flags if flag.id in screening.answers
    }
    return {
        "id": screening.pk,
        "answered_at": screening.answered_at,
        "answers": answers | screening.answers,
        "flags": [flag.id for flag in flags if screening.answers.get(flag.id)],
        "emergency": any(flag.emergency and screening.answers.get(flag.id) for flag in flags),
        "assessed_at": screening.assessed_at,
    }


@router.get("/safety", response={200: SafetyOut, **ERRORS}, tags=["safety"])
def read_safety(request):
    """Whether the programme is open, and if not what it waits for: the questions on who it
    is for (answers that do not fit: a clinician's agreement), then the warning signs (any
    yes: a clinician's assessment). Logging is never blocked."""
    latest = Screening.objects.for_user(request.auth).first()
    fit = Suitability.objects.for_user(request.auth).first()
    return {
        "programme_state": actions.programme_state(request.auth),
        "latest_screening": latest.pk if latest else None,
        "latest_suitability": fit.pk if fit else None,
    }


@router.get("/safety/red-flags", response={200: list[RedFlagOut], **ERRORS}, tags=["safety"])
def list_red_flags(request):
    """The warning-sign questions, in order. `emergency`: a yes needs emergency care."""
    return [dataclasses.asdict(flag) for flag in actions.red_flags()]


@router.get("/safety/screenings", response={200: list[ScreeningOut], **ERRORS}, tags=["safety"])
def list_screenings(request):
    """Every time the warning-sign questions were answered, newest first."""
    return [_screening_data(s) for s in Screening.objects.for_user(request.auth)]


@router.post(
    "/safety/screenings",
    response={201: ScreeningOut, 410: MessageOut, **ERRORS},
    tags=["safety"],
)
def create_screening(
    request, payload: ScreeningIn, idempotency_key: str | None = idempotency_key_header()
):
    """Answer every warning-sign question. Any yes records a safety event and locks the
    programme until POST .../assessed."""

    def create(user):
        try:
            return actions.record_screening(user=user, answers=payload.answers)
        except InvalidEntry as invalid:
            raise Refused(_placed(invalid.problems, ())) from None

    def answer(user, pk):
        screening = Screening.objects.for_user(user).filter(pk=pk).first()
        return None if screening is None else _screening_data(screening)

    return create_once(
        request,
        payload,
        idempotency_key,
        kind="screening",
        create=create,
        fetch=answer,
        refused=REFUSED,
    )


@router.get(
    "/safety/screenings/{int:screening_id}",
    response={200: ScreeningOut, **ERRORS},
    tags=["safety"],
)
def read_screening(request, screening_id: int):
    return _screening_data(actions.get_screening_for(request.auth, screening_id))


@router.post(
    "/safety/screenings/{int:screening_id}/assessed",
    response={200: ScreeningOut, **ERRORS},
    tags=["safety"],
)
def confirm_assessed(request, screening_id: int):
    """The person confirms a clinician has assessed the warning signs they answered yes to.
    Confirming again changes nothing."""
    try:
        screening = actions.confirm_assessed(user=request.auth, pk=screening_id)
    except InvalidEntry as invalid:
        # The action names the answers "assessed"; here they are the path's screening.
        [reason] = invalid.problems.values()
        return unprocessable({"screening_id": reason}, prefix=("path",))
    return Status(200, _screening_data(screening))


# Who the programme is for


def _suitability_data(answers: Suitability) -> dict:
    questions = actions.suitability_questions()
    judgement = actions.suitability_judgement(answers)
    return {
        "id": answers.pk,
        # In the questions' order (PostgreSQL keeps a JSON object's keys in its own).
        "answers": {q.id: answers.answers[q.id] for q in questions if q.id in answers.answers}
        | answers.answers,
        "answered_at": answers.answered_at,
        "fits": judgement.fits,
        "not_fitting": [
            {"question": question.id, "why": option.why, "instead": option.instead}
            for question, option in judgement.not_fitting
        ],
        "advice": [
            {"question": question.id, "advice": option.advice}
            for question, option in judgement.advice
        ],
        "clinician_agreed_at": answers.clinician_agreed_at,
        "clinician": answers.clinician,
    }


@router.get(
    "/suitability/questions",
    response={200: list[SuitabilityQuestionOut], **ERRORS},
    tags=["safety"],
)
def list_suitability_questions(request):
    """The questions on who the programme is for, in order, each option saying whether it
    fits."""
    return [dataclasses.asdict(question) for question in actions.suitability_questions()]


@router.get("/suitability", response={200: list[SuitabilityOut], **ERRORS}, tags=["safety"])
def list_suitability(request):
    """Every time the questions on who the programme is for were answered, newest first
    (the newest decide)."""
    return [_suitability_data(row) for row in Suitability.objects.for_user(request.auth)]


@router.post(
    "/suitability",
    response={201: SuitabilityOut, 410: MessageOut, **ERRORS},
    tags=["safety"],
)
def create_suitability(
    request, payload: SuitabilityIn, idempotency_key: str | None = idempotency_key_header()
):
    """Answer every question on who the programme is for. Answers that do not fit keep the
    programme closed (never logging) until POST .../clinician-agreed; the answer says why
    and what to do instead."""

    def create(user):
        try:
            return actions.record_suitability(user=user, answers=payload.answers)
        except InvalidEntry as invalid:
            raise Refused(_placed(invalid.problems, ())) from None

    def answer(user, pk):
        row = Suitability.objects.for_user(user).filter(pk=pk).first()
        return None if row is None else _suitability_data(row)

    return create_once(
        request,
        payload,
        idempotency_key,
        kind="suitability",
        create=create,
        fetch=answer,
        refused=REFUSED,
    )


@router.get(
    "/suitability/{int:suitability_id}",
    response={200: SuitabilityOut, **ERRORS},
    tags=["safety"],
)
def read_suitability(request, suitability_id: int):
    return _suitability_data(actions.get_suitability_for(request.auth, suitability_id))


@router.post(
    "/suitability/{int:suitability_id}/clinician-agreed",
    response={200: SuitabilityOut, **ERRORS},
    tags=["safety"],
)
def confirm_clinician_agreed(request, suitability_id: int, payload: ClinicianAgreedIn):
    """The person records that a clinician agrees they can use the programme although these
    answers do not fit. Recording it again changes nothing (the first record is kept)."""
    try:
        row = actions.confirm_clinician_agreed(
            user=request.auth, pk=suitability_id, clinician=payload.clinician
        )
    except InvalidEntry as invalid:
        if "agreed" in invalid.problems:
            return unprocessable({"suitability_id": invalid.problems["agreed"]}, prefix=("path",))
        return unprocessable(invalid.problems)
    return Status(200, _suitability_data(row))


@router.get("/safety-events", response={200: list[SafetyEventOut], **ERRORS}, tags=["safety"])
def list_safety_events(request):
    """PHQ-9 item 9 above 0, warning signs answered yes, and worsening rules set off: newest
    first."""
    return [
        {
            "id": event.pk,
            "kind": event.kind,
            "rule": event.rule or None,
            "occurred_at": event.occurred_at,
            "detail": event.detail,
            "response": event.response_id,
            "screening": event.screening_id,
        }
        for event in SafetyEvent.objects.for_user(request.auth)
    ]
