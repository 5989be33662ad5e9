"""The guided programme in the JSON API (/api/v1/). Thin: every write goes through an action.

rewire.api.api mounts this router (and authenticates its requests as it does the
check-ins'); the API is that module's.
"""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Status

from rewire.core.api import (
    ERRORS,
    DateFilter,
    create_once,
    dated_page,
    idempotency_key_header,
    unprocessable,
)
from rewire.core.errors import InvalidEntry
from rewire.core.schemas import MessageOut
from rewire.measures.actions import instruments as measures_instruments
from rewire.measures.actions import programme_state
from rewire.measures.gate import LOCKED_409, programme_open_api
from rewire.measures.scoring import change_since_baseline
from rewire.program import actions, after, guide
from rewire.program.content import PRACTICES, RATINGS
from rewire.program.models import (
    Attribution,
    Evidence,
    FlarePlanStep,
    Practice,
    SafetyMessage,
    ThoughtRecord,
    Writing,
)
from rewire.program.rules import (
    AttributionEntry,
    PracticeEntry,
    ThoughtRecordEntry,
    WritingEntry,
)
from rewire.program.schemas import (
    AttributionIn,
    AttributionOut,
    AttributionPage,
    CheckupOut,
    ChoiceOut,
    EvidenceIn,
    EvidenceKindOut,
    EvidenceOut,
    FlarePlanIn,
    FlarePlanOut,
    MaintenancePlanIn,
    MaintenancePlanOut,
    PaceIn,
    PaceOut,
    PracticeIn,
    PracticeOut,
    PracticePage,
    ProgrammeOut,
    ReviewOut,
    SafetyMessageIn,
    SafetyMessageOut,
    SessionOut,
    ThoughtRecordIn,
    ThoughtRecordOut,
    ThoughtRecordPage,
    WritingIn,
    WritingOut,
    WritingPage,
)

router = Router()


# The course


def _sessions(found: actions.Where) -> list[dict]:
    return [
        {
            "id": state.session.id,
            "number": state.session.number,
            "title": state.session.title,
            "minutes": state.session.minutes,
            "practice": state.session.practice,
            "daily_practice": state.session.daily_practice,
            "daily_text": state.session.daily_text,
            "done": state.done,
            "open": state.open,
            "opens_on": state.opens_on if state.waiting_for_its_day else None,
            "completed_at": getattr(found.completions.get(state.session.id), "completed_at", None),
        }
        for state in found.states
    ]


@router.get("/programme", response={200: ProgrammeOut, **ERRORS}, tags=["programme"])
def read_programme(request):
    """The sessions in order, where the person is, their pace, and today's suggested practice
    (chosen from their own data, with why)."""
    found = actions.where(request.auth)
    upcoming = found.next
    suggestion = guide.todays_suggestion(request.auth, found) if found.done_count else None
    return {
        "programme_state": programme_state(request.auth),
        "pace": found.pace,
        "sessions": _sessions(found),
        "next_session": upcoming.session.id if upcoming else None,
        "todays_practice": None
        if suggestion is None
        else {
            "practice": suggestion.practice,
            "label": PRACTICES[suggestion.practice],
            "why": suggestion.why,
        },
    }


@router.put(
    "/programme/pace", response={200: PaceOut, 409: MessageOut, **ERRORS}, tags=["programme"]
)
@programme_open_api
def set_pace(request, payload: PaceIn):
    """How fast sessions open: twice_a_week (the trial's rhythm, the default: the next
    session opens 3 or 4 days after the last was done), every_day, or no_wait."""
    return {"pace": actions.set_pace(user=request.auth, pace=payload.pace)}


@router.get(
    "/programme/sessions/{session_id}/review",
    response={200: ReviewOut, 404: MessageOut, **ERRORS},
    tags=["programme"],
)
def read_review(request, session_id: str):
    """The review a session opens with: the person's own data since the session before it
    was done (for a session done already, up to when it was done), in plain words. 404 for
    the intake, an unknown session, and one not open yet."""
    review = guide.review_for(request.auth, session_id)
    if review is None:
        return Status(
            404, {"detail": "No review: the intake has none, and a session has one once it opens."}
        )
    return {
        "since": review.since,
        "lines": [
            {"topic": line.topic, "text": line.text, "see": line.see} for line in review.lines
        ],
        "little_data": review.little_data,
    }


@router.post(
    "/programme/sessions/{session_id}/complete",
    response={200: SessionOut, 409: MessageOut, **ERRORS},
    tags=["programme"],
)
@programme_open_api
def complete_session(request, session_id: str):
    """Mark a session done. Doing it again changes nothing; earlier sessions come first, and a
    session waits for its day at the person's pace (422 naming the day). 409 until the
    warning-sign questions are answered no, or the signs answered yes have been assessed by a
    clinician (see GET /api/v1/safety)."""
    try:
        actions.complete_session(user=request.auth, session_id=session_id)
    except InvalidEntry as invalid:
        # The action names the session "session"; here it is the path's session_id.
        return unprocessable(
            {
                "session_id" if name == "session" else name: reason
                for name, reason in invalid.problems.items()
            },
            prefix=("path",),
        )
    sessions = _sessions(actions.where(request.auth))
    return Status(200, next(s for s in sessions if s["id"] == session_id))


# After the four weeks


def _plan(user) -> dict:
    plan = after.plan_of(user)
    return {
        "keep_doing": plan.keep_doing if plan else "",
        "warning_signs": plan.warning_signs if plan else "",
        "what_helped": plan.what_helped if plan else "",
        "updated_at": plan.updated_at if plan else None,
        "from_your_records": after.helped_lines(user),
    }


@router.get(
    "/programme/maintenance-plan", response={200: MaintenancePlanOut, **ERRORS}, tags=["programme"]
)
def read_maintenance_plan(request):
    """The plan for after the four weeks (empty texts and no `updated_at` until written), and
    what the person's own records say helped most."""
    return _plan(request.auth)


@router.put(
    "/programme/maintenance-plan",
    response={200: MaintenancePlanOut, **LOCKED_409, **ERRORS},
    tags=["programme"],
)
@programme_open_api
def replace_maintenance_plan(request, payload: MaintenancePlanIn):
    """Write the whole plan (a retry writes the same)."""
    try:
        after.save_plan(user=request.auth, **payload.dict())
    except InvalidEntry as invalid:
        return unprocessable(invalid.problems)
    return Status(200, _plan(request.auth))


@router.get("/programme/check-ups", response={200: list[CheckupOut], **ERRORS}, tags=["programme"])
def list_checkups(request):
    """The check-ups at 8 and 12 weeks, once the programme is finished (an empty list
    before): when each opens, and each questionnaire's answer at the end of the course and
    in the check-up, with the change in words."""
    known = measures_instruments()
    found = []
    for checkup in after.checkups_for(request.auth):
        rows = []
        for row in checkup.rows:
            change = (
                change_since_baseline(known[row.instrument], row.at_end.total, row.now.total)
                if row.at_end and row.now
                else None
            )
            rows.append(
                {
                    "instrument": row.instrument,
                    "at_end": row.at_end and {"day": row.at_end.day, "total": row.at_end.total},
                    "now": row.now and {"day": row.now.day, "total": row.now.total},
                    "change": change and change.words,
                    "meaningful": change.meaningful if change else None,
                    "better": change.better if change else None,
                }
            )
        found.append(
            {
                "weeks": checkup.weeks,
                "opens_on": checkup.opens_on,
                "open": checkup.open,
                "answered": checkup.answered,
                "questionnaires": rows,
            }
        )
    return found


# Practices


def _practice_entry(payload: PracticeIn) -> PracticeEntry:
    return PracticeEntry(
        kind=payload.kind,
        started_at=payload.started_at,
        finished_at=payload.finished_at,
        ratings={
            rating: (getattr(payload, f"{rating}_before"), getattr(payload, f"{rating}_after"))
            for rating in RATINGS
        },
        note=payload.note,
    )


@router.get("/practices", response={200: PracticePage, **ERRORS}, tags=["practices"])
def list_practices(request, filters: Query[DateFilter]):
    """The practices done, newest first, filtered by local date."""
    return dated_page(Practice.objects.for_user(request.auth), filters)


@router.post(
    "/practices",
    response={201: PracticeOut, 410: MessageOut, **LOCKED_409, **ERRORS},
    tags=["practices"],
)
@programme_open_api
def create_practice(
    request, payload: PracticeIn, idempotency_key: str | None = idempotency_key_header()
):
    """Record a practice done. Send an Idempotency-Key so a retry never records it twice."""
    return create_once(
        request,
        payload,
        idempotency_key,
        kind="practice",
        create=lambda user: actions.record_practice(user=user, entry=_practice_entry(payload)),
        fetch=lambda user, pk: Practice.objects.for_user(user).filter(pk=pk).first(),
    )


@router.get(
    "/practices/{int:practice_id}", response={200: PracticeOut, **ERRORS}, tags=["practices"]
)
def read_practice(request, practice_id: int):
    return actions.get_practice_for(request.auth, practice_id)


@router.delete("/practices/{int:practice_id}", response={204: None, **ERRORS}, tags=["practices"])
def delete_practice(request, practice_id: int):
    actions.delete_practice(user=request.auth, pk=practice_id)
    return Status(204, None)


# Safety messages


@router.get(
    "/safety-messages", response={200: list[SafetyMessageOut], **ERRORS}, tags=["safety messages"]
)
def list_safety_messages(request):
    """The person's own library of safety messages, in their order."""
    return SafetyMessage.objects.for_user(request.auth)


@router.post(
    "/safety-messages",
    response={201: SafetyMessageOut, 410: MessageOut, **LOCKED_409, **ERRORS},
    tags=["safety messages"],
)
@programme_open_api
def create_safety_message(
    request, payload: SafetyMessageIn, idempotency_key: str | None = idempotency_key_header()
):
    """Add a message at the end of the library."""
    return create_once(
        request,
        payload,
        idempotency_key,
        kind="safety_message",
        create=lambda user: actions.add_safety_message(user=user, text=payload.text),
        fetch=lambda user, pk: SafetyMessage.objects.for_user(user).filter(pk=pk).first(),
    )


@router.put(
    "/safety-messages/{int:message_id}",
    response={200: SafetyMessageOut, **LOCKED_409, **ERRORS},
    tags=["safety messages"],
)
@programme_open_api(get_object=actions.get_safety_message_for, id_param="message_id")
def update_safety_message(request, message_id: int, payload: SafetyMessageIn):
    try:
        message = actions.update_safety_message(user=request.auth, pk=message_id, text=payload.text)
    except InvalidEntry as invalid:
        return unprocessable(invalid.problems)
    return Status(200, message)


@router.delete(
    "/safety-messages/{int:message_id}", response={204: None, **ERRORS}, tags=["safety messages"]
)
def delete_safety_message(request, message_id: int):
    actions.delete_safety_message(user=request.auth, pk=message_id)
    return Status(204, None)


# The flare plan


def _flare_plan(user) -> dict:
    return {"steps": list(FlarePlanStep.objects.for_user(user).values_list("text", flat=True))}


@router.get("/flare-plan", response={200: FlarePlanOut, **ERRORS}, tags=["flare plan"])
def read_flare_plan(request):
    """The person's own steps for a flare, in order."""
    return _flare_plan(request.auth)


@router.put(
    "/flare-plan", response={200: FlarePlanOut, **LOCKED_409, **ERRORS}, tags=["flare plan"]
)
@programme_open_api
def replace_flare_plan(request, payload: FlarePlanIn):
    """Replace the whole plan with the steps given, in that order."""
    try:
        actions.set_flare_plan(user=request.auth, steps=payload.steps)
    except InvalidEntry as invalid:
        return unprocessable(invalid.problems)
    return Status(200, _flare_plan(request.auth))


# Evidence


@router.get("/evidence", response={200: list[EvidenceOut], **ERRORS}, tags=["evidence"])
def list_evidence(request):
    """The person's examples, by kind, oldest first within a kind."""
    return Evidence.objects.for_user(request.auth)


@router.get("/evidence/kinds", response={200: list[EvidenceKindOut], **ERRORS}, tags=["evidence"])
def list_evidence_kinds(request):
    """The checklist of kinds of evidence, from the programme's content: clues for the
    over-protective alarm (`points`: alarm), then clues that point elsewhere, to something
    in the body a clinician should hear about (`points`: elsewhere)."""
    course = actions.course()
    return [
        {"id": kind.id, "label": kind.label, "help": kind.help, "points": points}
        for points, kinds in (
            ("alarm", course.evidence_kinds),
            ("elsewhere", course.elsewhere_kinds),
        )
        for kind in kinds
    ]


@router.post(
    "/evidence",
    response={201: EvidenceOut, 410: MessageOut, **LOCKED_409, **ERRORS},
    tags=["evidence"],
)
@programme_open_api
def create_evidence(
    request, payload: EvidenceIn, idempotency_key: str | None = idempotency_key_header()
):
    return create_once(
        request,
        payload,
        idempotency_key,
        kind="evidence",
        create=lambda user: actions.add_evidence(
            user=user, kind=payload.kind, example=payload.example
        ),
        fetch=lambda user, pk: Evidence.objects.for_user(user).filter(pk=pk).first(),
    )


@router.put(
    "/evidence/{int:evidence_id}",
    response={200: EvidenceOut, **LOCKED_409, **ERRORS},
    tags=["evidence"],
)
@programme_open_api(get_object=actions.get_evidence_for, id_param="evidence_id")
def update_evidence(request, evidence_id: int, payload: EvidenceIn):
    try:
        evidence = actions.update_evidence(
            user=request.auth, pk=evidence_id, kind=payload.kind, example=payload.example
        )
    except InvalidEntry as invalid:
        return unprocessable(invalid.problems)
    return Status(200, evidence)


@router.delete("/evidence/{int:evidence_id}", response={204: None, **ERRORS}, tags=["evidence"])
def delete_evidence(request, evidence_id: int):
    actions.delete_evidence(user=request.auth, pk=evidence_id)
    return Status(204, None)


# Pain attribution


def _attributions(user):
    return Attribution.objects.for_user(user).prefetch_related("causes")


@router.get("/attributions", response={200: AttributionPage, **ERRORS}, tags=["attributions"])
def list_attributions(request, filters: Query[DateFilter]):
    """Answers to "What are the main causes of your pain?", newest first."""
    return dated_page(_attributions(request.auth), filters)


@router.post(
    "/attributions",
    response={201: AttributionOut, 410: MessageOut, **LOCKED_409, **ERRORS},
    tags=["attributions"],
)
@programme_open_api
def create_attribution(
    request, payload: AttributionIn, idempotency_key: str | None = idempotency_key_header()
):
    """Record up to three causes, each marked body, mind or both (both counts half in
    mind_share)."""
    entry = AttributionEntry(
        recorded_at=payload.recorded_at or timezone.now(),
        causes=[(cause.text, cause.category) for cause in payload.causes],
    )
    return create_once(
        request,
        payload,
        idempotency_key,
        kind="attribution",
        create=lambda user: actions.record_attribution(user=user, entry=entry),
        fetch=lambda user, pk: _attributions(user).filter(pk=pk).first(),
    )


@router.get(
    "/attributions/{int:attribution_id}",
    response={200: AttributionOut, **ERRORS},
    tags=["attributions"],
)
def read_attribution(request, attribution_id: int):
    return get_object_or_404(_attributions(request.auth), pk=attribution_id)


@router.delete(
    "/attributions/{int:attribution_id}", response={204: None, **ERRORS}, tags=["attributions"]
)
def delete_attribution(request, attribution_id: int):
    actions.delete_attribution(user=request.auth, pk=attribution_id)
    return Status(204, None)


# Thought records


def _thought_records(user):
    return ThoughtRecord.objects.for_user(user).prefetch_related("emotions")


def _thought_record_entry(payload: ThoughtRecordIn, recorded_at) -> ThoughtRecordEntry:
    return ThoughtRecordEntry(
        recorded_at=recorded_at,
        automatic_thought=payload.automatic_thought,
        situation=payload.situation,
        emotions=[(e.name, e.before, e.after) for e in payload.emotions],
        traps=payload.traps,
        reappraisal=payload.reappraisal,
        checkin=payload.checkin,
    )


@router.get(
    "/thought-records", response={200: ThoughtRecordPage, **ERRORS}, tags=["thought records"]
)
def list_thought_records(request, filters: Query[DateFilter]):
    """The person's thought records, newest first, filtered by local date."""
    return dated_page(_thought_records(request.auth), filters)


@router.post(
    "/thought-records",
    response={201: ThoughtRecordOut, 410: MessageOut, **LOCKED_409, **ERRORS},
    tags=["thought records"],
)
@programme_open_api
def create_thought_record(
    request, payload: ThoughtRecordIn, idempotency_key: str | None = idempotency_key_header()
):
    """Record a thought record, from a check-in's thought or on its own."""
    entry = _thought_record_entry(payload, payload.recorded_at or timezone.now())
    return create_once(
        request,
        payload,
        idempotency_key,
        kind="thought_record",
        create=lambda user: actions.record_thought_record(user=user, entry=entry),
        fetch=lambda user, pk: _thought_records(user).filter(pk=pk).first(),
    )


@router.get(
    "/thought-records/{int:record_id}",
    response={200: ThoughtRecordOut, **ERRORS},
    tags=["thought records"],
)
def read_thought_record(request, record_id: int):
    return get_object_or_404(_thought_records(request.auth), pk=record_id)


@router.put(
    "/thought-records/{int:record_id}",
    response={200: ThoughtRecordOut, **LOCKED_409, **ERRORS},
    tags=["thought records"],
)
@programme_open_api(get_object=actions.get_thought_record_for, id_param="record_id")
def replace_thought_record(request, record_id: int, payload: ThoughtRecordIn):
    """Replace the whole record; fields left out take their empty values, but the time stays."""
    recorded_at = (
        payload.recorded_at or actions.get_thought_record_for(request.auth, record_id).recorded_at
    )
    try:
        actions.update_thought_record(
            user=request.auth, pk=record_id, entry=_thought_record_entry(payload, recorded_at)
        )
    except InvalidEntry as invalid:
        return unprocessable(invalid.problems)
    return Status(200, get_object_or_404(_thought_records(request.auth), pk=record_id))


@router.delete(
    "/thought-records/{int:record_id}", response={204: None, **ERRORS}, tags=["thought records"]
)
def delete_thought_record(request, record_id: int):
    actions.delete_thought_record(user=request.auth, pk=record_id)
    return Status(204, None)


@router.get("/thinking-traps", response={200: list[ChoiceOut], **ERRORS}, tags=["thought records"])
def list_thinking_traps(request):
    """The thinking traps a thought record can name, from the programme's content."""
    return actions.course().thinking_traps


# Expressive writing: private to the person (never in a clinician's view unless they share
# expressive writing, a scope of its own; docs/sharing.md).


def _writing(user):
    return Writing.objects.for_user(user).prefetch_related("events")


def _writing_entry(payload: WritingIn) -> WritingEntry:
    return WritingEntry(
        kind=payload.kind,
        title=payload.title,
        text=payload.text,
        events=[(e.age, e.event, e.felt) for e in payload.events],
        distress_before=payload.distress_before,
        distress_after=payload.distress_after,
    )


@router.get("/writing", response={200: WritingPage, **ERRORS}, tags=["writing"])
def list_writing(request, filters: Query[DateFilter]):
    """The person's unsent letters and life-stress timelines, newest first."""
    return dated_page(_writing(request.auth), filters)


@router.post(
    "/writing",
    response={201: WritingOut, 410: MessageOut, **LOCKED_409, **ERRORS},
    tags=["writing"],
)
@programme_open_api
def create_writing(
    request, payload: WritingIn, idempotency_key: str | None = idempotency_key_header()
):
    """Save an unsent letter or a life-stress timeline. Ask "How upset do you feel now?"
    after writing and send it as distress_after (here or with PUT); when `support` is true,
    offer the support route."""
    entry = _writing_entry(payload)
    return create_once(
        request,
        payload,
        idempotency_key,
        kind="writing",
        create=lambda user: actions.record_writing(user=user, entry=entry),
        fetch=lambda user, pk: _writing(user).filter(pk=pk).first(),
    )


@router.get("/writing/{int:writing_id}", response={200: WritingOut, **ERRORS}, tags=["writing"])
def read_writing(request, writing_id: int):
    return get_object_or_404(_writing(request.auth), pk=writing_id)


@router.put(
    "/writing/{int:writing_id}",
    response={200: WritingOut, **LOCKED_409, **ERRORS},
    tags=["writing"],
)
@programme_open_api(get_object=actions.get_writing_for, id_param="writing_id")
def replace_writing(request, writing_id: int, payload: WritingIn):
    """Replace the whole piece (its kind stays); fields left out take their empty values."""
    try:
        actions.update_writing(user=request.auth, pk=writing_id, entry=_writing_entry(payload))
    except InvalidEntry as invalid:
        return unprocessable(invalid.problems)
    return Status(200, get_object_or_404(_writing(request.auth), pk=writing_id))


@router.delete("/writing/{int:writing_id}", response={204: None, **ERRORS}, tags=["writing"])
def delete_writing(request, writing_id: int):
    actions.delete_writing(user=request.auth, pk=writing_id)
    return Status(204, None)
