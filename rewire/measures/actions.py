"""Every write of questionnaires, warning-sign answers and safety events."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from rewire.diary.actions import InvalidEntry, local_date_of
from rewire.diary.entry import moment_problem
from rewire.measures import schedule, scoring
from rewire.measures.instruments import Instrument, RedFlag, instruments_for, red_flags_for
from rewire.measures.models import Response, SafetyEvent, Screening


def instruments() -> dict[str, Instrument]:
    return instruments_for(settings.LANGUAGE_CODE)


def red_flags() -> tuple[RedFlag, ...]:
    return red_flags_for(settings.LANGUAGE_CODE)


def instrument(instrument_id: str) -> Instrument:
    found = instruments().get(instrument_id)
    if found is None:
        raise Http404
    return found


def get_response_for(user, pk) -> Response:
    return get_object_or_404(Response.objects.for_user(user), pk=pk)


def get_screening_for(user, pk) -> Screening:
    return get_object_or_404(Screening.objects.for_user(user), pk=pk)


@transaction.atomic
def record_response(
    *, user, instrument_id: str, answers: dict, answered_at: dt.datetime | None = None
) -> Response:
    """Score and keep a questionnaire's answers. PHQ-9 item 9 above 0 also records a safety
    event, in the same transaction: the answer and the alert exist together or not at all."""
    definition = instrument(instrument_id)
    answered_at = answered_at or timezone.now()
    answers = {item.id: answers.get(item.id) for item in definition.items} | {
        key: value for key, value in answers.items() if key not in definition.item_ids
    }
    problems = scoring.answer_problems(definition, answers)
    if problem := moment_problem(answered_at, now=timezone.now()):
        problems["answered_at"] = problem
    if problems:
        raise InvalidEntry(problems)
    result = scoring.score(definition, answers)
    response = Response.objects.create(
        user=user,
        instrument=definition.id,
        answered_at=answered_at,
        local_date=local_date_of(user, answered_at),
        answers=answers,
        total=result.total,
        band=result.band or "",
        subscale=result.subscale,
        prorated=result.prorated,
    )
    if scoring.needs_crisis_support(definition, answers):
        SafetyEvent.objects.create(
            user=user,
            kind=SafetyEvent.CRISIS,
            occurred_at=answered_at,
            detail=f"PHQ-9 item 9 answered {answers['phq9_9']} (of 3).",
            response=response,
        )
    return response


@transaction.atomic
def delete_response(*, user, pk) -> None:
    """Deleting the answers keeps a safety event they raised (it no longer links to them)."""
    get_response_for(user, pk).delete()


def screening_problems(answers: dict) -> dict[str, str]:
    """Every warning sign answered yes or no (true or false), and nothing else."""
    known = [flag.id for flag in red_flags()]
    problems = {key: "No such warning sign." for key in sorted(set(answers) - set(known))}
    for flag_id in known:
        if not isinstance(answers.get(flag_id), bool):
            problems[flag_id] = "Answer yes or no."
    return problems


@transaction.atomic
def record_screening(*, user, answers: dict[str, bool]) -> Screening:
    """The warning-sign answers: every sign answered yes or no. Any yes: a safety event."""
    flags = red_flags()
    if problems := screening_problems(answers):
        raise InvalidEntry(problems)
    screening = Screening.objects.create(
        user=user, answers={flag.id: answers[flag.id] for flag in flags}
    )
    yes = [flag for flag in flags if answers[flag.id]]
    if yes:
        emergency = any(flag.emergency for flag in yes)
        SafetyEvent.objects.create(
            user=user,
            kind=SafetyEvent.RED_FLAG,
            occurred_at=screening.answered_at,
            detail=("Emergency sign. " if emergency else "")
            + "Yes to: "
            + ", ".join(flag.id for flag in yes),
            screening=screening,
        )
    return screening


@transaction.atomic
def confirm_assessed(*, user, pk) -> Screening:
    """The person confirms a clinician has assessed the warning signs they answered yes to."""
    screening = get_screening_for(user, pk)
    if not screening.flags:
        raise InvalidEntry({"assessed": "No warning sign was answered yes."})
    if screening.assessed_at is None:
        screening.assessed_at = timezone.now()
        screening.save(update_fields=["assessed_at"])
    return screening


NOT_SCREENED = "not_screened"
LOCKED = "locked"
OPEN = "open"


def programme_state(user) -> str:
    """The programme opens after the warning-sign questions, and after any yes only once the
    person confirms a clinician has assessed them. Logging is never blocked."""
    latest = Screening.objects.for_user(user).first()
    if latest is None:
        return NOT_SCREENED
    if latest.flags and latest.assessed_at is None:
        return LOCKED
    return OPEN


# Reads shared by the pages and the API.


def programme_done_on(user) -> dt.date | None:
    """The local date the last programme session was done, once every session is."""
    from rewire.program import actions as program

    done = program.completed_sessions(user)
    if not done or any(session.id not in done for session in program.course().sessions):
        return None
    return local_date_of(user, max(completion.completed_at for completion in done.values()))


def due_questionnaires(user) -> list[tuple[Instrument, str]]:
    """What to suggest today (the person's own date), each with the schedule's reason."""
    last_taken = dict(
        Response.objects.for_user(user)
        .order_by()
        .values("instrument")
        .annotate(last=Max("local_date"))
        .values_list("instrument", "last")
    )
    known = instruments()
    return [
        (known[item.instrument], item.reason)
        for item in schedule.due(
            last_taken=last_taken,
            today=local_date_of(user, timezone.now()),
            programme_done_on=programme_done_on(user),
        )
        if item.instrument in known
    ]
