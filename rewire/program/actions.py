"""Every write to the programme's records. Views, the API and the import call these."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from rewire.core.errors import InvalidEntry
from rewire.core.validation import scale_problem
from rewire.diary.actions import get_checkin_for, local_date_of
from rewire.program import progress
from rewire.program.content import RATINGS, Course, course_for
from rewire.program.models import (
    Attribution,
    Cause,
    Evidence,
    FlarePlanStep,
    Practice,
    ProgrammeSettings,
    SafetyMessage,
    SessionCompletion,
    ThoughtEmotion,
    ThoughtRecord,
    TimelineEvent,
    Writing,
)
from rewire.program.rules import (
    MAX_LIBRARY,
    AttributionEntry,
    PracticeEntry,
    ThoughtRecordEntry,
    WritingEntry,
    attribution_problems,
    evidence_problems,
    practice_problems,
    text_problem,
    thought_record_problems,
    writing_problems,
)


def course() -> Course:
    return course_for(settings.LANGUAGE_CODE)


def _check(problems: dict) -> None:
    if problems:
        raise InvalidEntry(problems)


# One access helper per object type: the user's own, or 404.
def get_practice_for(user, pk) -> Practice:
    return get_object_or_404(Practice.objects.for_user(user), pk=pk)


def get_safety_message_for(user, pk) -> SafetyMessage:
    return get_object_or_404(SafetyMessage.objects.for_user(user), pk=pk)


def get_evidence_for(user, pk) -> Evidence:
    return get_object_or_404(Evidence.objects.for_user(user), pk=pk)


def get_attribution_for(user, pk) -> Attribution:
    return get_object_or_404(Attribution.objects.for_user(user), pk=pk)


def get_thought_record_for(user, pk) -> ThoughtRecord:
    return get_object_or_404(ThoughtRecord.objects.for_user(user), pk=pk)


def get_writing_for(user, pk) -> Writing:
    return get_object_or_404(Writing.objects.for_user(user), pk=pk)


def completed_sessions(user) -> dict[str, SessionCompletion]:
    return {done.session: done for done in SessionCompletion.objects.for_user(user)}


def pace_of(user) -> str:
    found = ProgrammeSettings.objects.for_user(user).values_list("pace", flat=True).first()
    return found or progress.DEFAULT_PACE


@transaction.atomic
def set_pace(*, user, pace: str) -> str:
    if pace not in progress.PACES:
        raise InvalidEntry({"pace": f"Must be one of: {', '.join(progress.PACES)}."})
    ProgrammeSettings.objects.update_or_create(
        user=user, defaults={"pace": pace, "updated_at": timezone.now()}
    )
    return pace


@dataclass(frozen=True)
class Where:
    """Where a person is in the course today: each session's state, and the pace."""

    states: list[progress.SessionState]
    completions: dict[str, SessionCompletion]
    pace: str
    today: dt.date

    @property
    def next(self) -> progress.SessionState | None:
        return progress.next_state(self.states)

    @property
    def done_count(self) -> int:
        return sum(state.done for state in self.states)

    @property
    def last_done(self) -> SessionCompletion | None:
        return max(self.completions.values(), key=lambda c: c.completed_at, default=None)

    def state(self, session_id: str) -> progress.SessionState:
        return next(state for state in self.states if state.session.id == session_id)


def where(user, *, today: dt.date | None = None) -> Where:
    done = completed_sessions(user)
    pace, today = pace_of(user), today or user.today()
    days = {session: local_date_of(user, c.completed_at) for session, c in done.items()}
    states = progress.session_states(course(), days, pace=pace, today=today)
    return Where(states, done, pace, today)


def opens_in_words(day: dt.date, *, today: dt.date) -> str:
    if day <= today:
        return "today"
    if day == today + dt.timedelta(days=1):
        return "tomorrow"
    return f"on {day:%A %-d %B}"


@transaction.atomic
def complete_session(*, user, session_id: str) -> SessionCompletion:
    """Mark a session read. Sessions open in order (every earlier one must be done), and at
    the person's pace (its day must have come)."""
    session = course().session(session_id)
    if session is None:
        raise Http404
    # One at a time per person: two taps cannot both pass the pace check.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    found = where(user)
    done = found.completions
    if session.id in done:
        return done[session.id]  # a repeated "done" changes nothing
    if any(earlier.id not in done for earlier in course().sessions[: session.number]):
        raise InvalidEntry({"session": "Finish the sessions before this one first."})
    state = found.state(session.id)
    if state.waiting_for_its_day:
        raise InvalidEntry(
            {
                "session": f"This session opens {opens_in_words(state.opens_on, today=found.today)}"
                ", at your pace. Until then, keep up the daily practice."
            }
        )
    try:
        with transaction.atomic():  # a savepoint: a second tap at the same moment may win
            return SessionCompletion.objects.create(user=user, session=session.id)
    except IntegrityError:
        return SessionCompletion.objects.for_user(user).get(session=session.id)


@transaction.atomic
def record_practice(*, user, entry: PracticeEntry) -> Practice:
    entry.note = entry.note.strip()
    _check(practice_problems(entry, course=course(), now=timezone.now()))
    practice = practice_row(user, entry, local_date_of(user, entry.started_at))
    practice.save()
    return practice


def practice_row(user, entry: PracticeEntry, local_date) -> Practice:
    """The row a checked practice is stored as (one write, and the import's bulk write)."""
    ratings = {}
    for rating in RATINGS:
        before, after = entry.ratings.get(rating, (None, None))
        ratings[f"{rating}_before"], ratings[f"{rating}_after"] = before, after
    return Practice(
        user=user,
        kind=entry.kind,
        started_at=entry.started_at,
        finished_at=entry.finished_at,
        local_date=local_date,
        note=entry.note,
        **ratings,
    )


@transaction.atomic
def delete_practice(*, user, pk) -> None:
    get_practice_for(user, pk).delete()


def _next_position(model, user) -> int:
    highest = model.objects.for_user(user).aggregate(highest=Max("position"))["highest"]
    return 0 if highest is None else highest + 1


@transaction.atomic
def add_safety_message(*, user, text: str) -> SafetyMessage:
    text = text.strip()
    _check({"text": problem} if (problem := text_problem(text)) else {})
    if SafetyMessage.objects.for_user(user).count() >= MAX_LIBRARY:
        raise InvalidEntry({"text": f"The library holds at most {MAX_LIBRARY} messages."})
    return SafetyMessage.objects.create(
        user=user, text=text, position=_next_position(SafetyMessage, user)
    )


@transaction.atomic
def update_safety_message(*, user, pk, text: str) -> SafetyMessage:
    message = get_safety_message_for(user, pk)
    text = text.strip()
    _check({"text": problem} if (problem := text_problem(text)) else {})
    message.text = text
    message.save(update_fields=["text"])
    return message


@transaction.atomic
def delete_safety_message(*, user, pk) -> None:
    get_safety_message_for(user, pk).delete()


@transaction.atomic
def set_flare_plan(*, user, steps: list[str]) -> list[FlarePlanStep]:
    """Replace the whole plan: the steps, in order."""
    steps = [step.strip() for step in steps if step.strip()]
    if len(steps) > MAX_LIBRARY:
        raise InvalidEntry({"steps": f"At most {MAX_LIBRARY} steps."})
    for step in steps:
        _check({"steps": problem} if (problem := text_problem(step)) else {})
    # Two saves at once (PostgreSQL): the second waits here, then replaces the first's steps.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    FlarePlanStep.objects.for_user(user).delete()
    return FlarePlanStep.objects.bulk_create(
        FlarePlanStep(user=user, text=text, position=position)
        for position, text in enumerate(steps)
    )


@transaction.atomic
def add_evidence(*, user, kind: str, example: str) -> Evidence:
    example = example.strip()
    _check(evidence_problems(kind, example, course=course()))
    return Evidence.objects.create(user=user, kind=kind, example=example)


@transaction.atomic
def update_evidence(*, user, pk, kind: str, example: str) -> Evidence:
    evidence = get_evidence_for(user, pk)
    example = example.strip()
    _check(evidence_problems(kind, example, course=course()))
    evidence.kind, evidence.example = kind, example
    evidence.save(update_fields=["kind", "example"])
    return evidence


@transaction.atomic
def delete_evidence(*, user, pk) -> None:
    get_evidence_for(user, pk).delete()


@transaction.atomic
def record_attribution(*, user, entry: AttributionEntry) -> Attribution:
    entry.causes = [(text.strip(), category) for text, category in entry.causes if text.strip()]
    _check(attribution_problems(entry, now=timezone.now()))
    attribution = Attribution.objects.create(
        user=user,
        recorded_at=entry.recorded_at,
        local_date=local_date_of(user, entry.recorded_at),
    )
    Cause.objects.bulk_create(cause_rows(attribution, entry))
    return attribution


def cause_rows(attribution: Attribution, entry: AttributionEntry) -> list[Cause]:
    """The rows an attribution's causes are stored as, in their order."""
    return [
        Cause(attribution=attribution, position=position, text=text, category=category)
        for position, (text, category) in enumerate(entry.causes)
    ]


@transaction.atomic
def delete_attribution(*, user, pk) -> None:
    get_attribution_for(user, pk).delete()


def _validated_thought_record(user, entry: ThoughtRecordEntry) -> ThoughtRecordEntry:
    entry = entry.normalised()
    _check(thought_record_problems(entry, course=course(), now=timezone.now()))
    if entry.checkin is not None:
        try:
            get_checkin_for(user, entry.checkin)
        except Http404:
            raise InvalidEntry({"checkin": "No such check-in."}) from None
    return entry


def fill_thought_record(record: ThoughtRecord, entry: ThoughtRecordEntry) -> ThoughtRecord:
    """Set a thought record's fields from a checked entry (one write, and the import's bulk
    write, which links the check-in itself)."""
    record.checkin_id = entry.checkin
    record.situation = entry.situation
    record.automatic_thought = entry.automatic_thought
    record.traps = entry.traps
    record.reappraisal = entry.reappraisal
    return record


def thought_emotion_rows(record: ThoughtRecord, entry: ThoughtRecordEntry) -> list:
    return [
        ThoughtEmotion(record=record, name=name, before=before, after=after)
        for name, before, after in entry.emotions
    ]


def _write_thought_record(record: ThoughtRecord, entry: ThoughtRecordEntry) -> ThoughtRecord:
    fill_thought_record(record, entry).save()
    record.emotions.all().delete()
    ThoughtEmotion.objects.bulk_create(thought_emotion_rows(record, entry))
    return record


@transaction.atomic
def record_thought_record(*, user, entry: ThoughtRecordEntry) -> ThoughtRecord:
    entry = _validated_thought_record(user, entry)
    record = ThoughtRecord(
        user=user,
        recorded_at=entry.recorded_at,
        local_date=local_date_of(user, entry.recorded_at),
    )
    return _write_thought_record(record, entry)


@transaction.atomic
def update_thought_record(*, user, pk, entry: ThoughtRecordEntry) -> ThoughtRecord:
    record = get_thought_record_for(user, pk)
    entry = _validated_thought_record(user, entry)
    if entry.recorded_at != record.recorded_at:
        record.recorded_at = entry.recorded_at
        record.local_date = local_date_of(user, entry.recorded_at)
    record.updated_at = timezone.now()
    return _write_thought_record(record, entry)


@transaction.atomic
def delete_thought_record(*, user, pk) -> None:
    get_thought_record_for(user, pk).delete()


# Expressive writing: private to the person (care shares it only with "thoughts").


def _validated_writing(entry: WritingEntry) -> WritingEntry:
    entry = entry.normalised()
    _check(writing_problems(entry))
    return entry


def fill_writing(writing: Writing, entry: WritingEntry) -> Writing:
    """Set a piece's fields from a checked entry (one write, and the import's bulk write)."""
    writing.kind = entry.kind
    writing.title = entry.title
    writing.text = entry.text
    writing.distress_before = entry.distress_before
    writing.distress_after = entry.distress_after
    return writing


def timeline_event_rows(writing: Writing, entry: WritingEntry) -> list[TimelineEvent]:
    return [
        TimelineEvent(writing=writing, position=position, age=age, event=event, felt=felt)
        for position, (age, event, felt) in enumerate(entry.events)
    ]


def _write_writing(writing: Writing, entry: WritingEntry) -> Writing:
    fill_writing(writing, entry).save()
    writing.events.all().delete()
    TimelineEvent.objects.bulk_create(timeline_event_rows(writing, entry))
    return writing


@transaction.atomic
def record_writing(*, user, entry: WritingEntry) -> Writing:
    entry = _validated_writing(entry)
    now = timezone.now()
    writing = Writing(user=user, local_date=local_date_of(user, now), created_at=now)
    writing.updated_at = now
    return _write_writing(writing, entry)


@transaction.atomic
def update_writing(*, user, pk, entry: WritingEntry) -> Writing:
    writing = get_writing_for(user, pk)
    if entry.kind != writing.kind:
        raise InvalidEntry({"kind": "A piece keeps its kind; start a new one instead."})
    entry = _validated_writing(entry)
    writing.updated_at = timezone.now()
    return _write_writing(writing, entry)


@transaction.atomic
def rate_distress_after(*, user, pk, distress: int) -> Writing:
    """The check-in after writing: "How upset do you feel now?" (0–10)."""
    writing = get_writing_for(user, pk)
    _check(
        {"distress_after": problem} if (problem := scale_problem(distress, required=True)) else {}
    )
    writing.distress_after = distress
    writing.save(update_fields=["distress_after"])
    return writing


@transaction.atomic
def delete_writing(*, user, pk) -> None:
    get_writing_for(user, pk).delete()
