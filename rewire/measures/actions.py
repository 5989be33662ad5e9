"""Every write of questionnaires, warning-sign answers and safety events."""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max, Min
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from rewire.core.errors import InvalidEntry
from rewire.core.mail import sends_email
from rewire.core.validation import moment_problem
from rewire.diary.actions import local_date_of
from rewire.diary.models import BodyAreaRating, CheckIn
from rewire.measures import schedule, scoring, suitability, worsening
from rewire.measures.instruments import Instrument, RedFlag, instruments_for, red_flags_for
from rewire.measures.models import Response, SafetyEvent, Screening, Suitability
from rewire.measures.schemas import MAX_CLINICIAN
from rewire.measures.signals import safety_event_recorded


def instruments() -> dict[str, Instrument]:
    return instruments_for(settings.LANGUAGE_CODE)


def red_flags() -> tuple[RedFlag, ...]:
    return red_flags_for(settings.LANGUAGE_CODE)


def suitability_questions() -> tuple[suitability.Question, ...]:
    return suitability.questions_for(settings.LANGUAGE_CODE)


def instrument(instrument_id: str) -> Instrument:
    found = instruments().get(instrument_id)
    if found is None:
        raise Http404
    return found


def get_response_for(user, pk) -> Response:
    return get_object_or_404(Response.objects.for_user(user), pk=pk)


def get_screening_for(user, pk) -> Screening:
    return get_object_or_404(Screening.objects.for_user(user), pk=pk)


def record_response(
    *, user, instrument_id: str, answers: dict, answered_at: dt.datetime | None = None
) -> Response:
    """Score and keep a questionnaire's answers. PHQ-9 item 9 above 0 also records a safety
    event, in the same transaction as the answers; if the other answers are refused, the
    event is still recorded on its own."""
    definition = instrument(instrument_id)
    answered_at = answered_at or timezone.now()
    answers = {item.id: answers.get(item.id) for item in definition.items} | {
        key: value for key, value in answers.items() if key not in definition.item_ids
    }
    problems = scoring.answer_problems(definition, answers)
    if problem := moment_problem(answered_at, now=timezone.now()):
        problems["answered_at"] = problem
    if problems:
        if "phq9_9" not in problems and scoring.needs_crisis_support(definition, answers):
            # The rest of the form is refused, but this answer must not be lost: the event
            # is kept (on its own, outside the refused write) and the page shows the support.
            with transaction.atomic():
                # A refused time is not kept: the event is dated when it was received.
                moment = timezone.now() if "answered_at" in problems else answered_at
                _crisis_event(user, answers, moment, response=None)
        raise InvalidEntry(problems)
    return _save_response(user, definition, answers, answered_at)


def record_safety_event(*, user, kind: str, occurred_at, detail: str, **links) -> SafetyEvent:
    """Keep a safety event, and once it is committed tell whoever listens (a clinician the
    person shares with is emailed: rewire/care/alerts.py)."""
    event = SafetyEvent.objects.create(
        user=user, kind=kind, occurred_at=occurred_at, detail=detail, **links
    )
    # robust: a listener that fails (an email not sent) never fails the person's request.
    transaction.on_commit(
        lambda: safety_event_recorded.send_robust(sender=SafetyEvent, event=event), robust=True
    )
    return event


# The same crisis answer sent again this close to one whose other answers were refused (the
# form corrected and sent again, or a retry) is the same crisis: its event stands, and is
# linked to the answers once they are saved, so a clinician is told once. A different answer to
# question 9 is a new event (and a new email).
SAME_CRISIS = dt.timedelta(hours=1)
REFUSED_NOTE = " The other answers were not saved."


def _crisis_event(user, answers: dict, answered_at, *, response) -> SafetyEvent:
    """The crisis event of these answers (`response` None: the other answers were refused).
    Runs inside the caller's transaction."""
    # One at a time per person: two copies of a refused form at once find each other's event.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    detail = f"PHQ-9 item 9 answered {answers['phq9_9']} (of 3)."
    waiting = (
        SafetyEvent.objects.for_user(user)
        .filter(
            kind=SafetyEvent.CRISIS,
            response__isnull=True,
            detail=detail + REFUSED_NOTE,
            occurred_at__range=(answered_at - SAME_CRISIS, answered_at + SAME_CRISIS),
        )
        .order_by("-occurred_at", "-id")
        .first()
    )
    if waiting is not None:
        if response is not None:
            waiting.response, waiting.detail = response, detail
            waiting.save(update_fields=["response", "detail"])
        return waiting
    return record_safety_event(
        user=user,
        kind=SafetyEvent.CRISIS,
        occurred_at=answered_at,
        detail=detail if response is not None else detail + REFUSED_NOTE,
        response=response,
    )


def alert_words(event: SafetyEvent) -> str:
    """What a clinician reads of a safety event: the signs in words (never ids), and whether
    the person has since confirmed a clinician assessed them."""
    if event.kind != SafetyEvent.RED_FLAG or event.screening is None:
        return event.detail
    labels = {flag.id: flag.label for flag in red_flags()}
    flags = event.screening.flags
    emergency = any(flag.emergency for flag in red_flags() if flag.id in flags)
    words = ("Emergency sign. " if emergency else "") + "Yes to: "
    words += "; ".join(labels.get(flag, flag.replace("_", " ")) for flag in flags) + "."
    if event.screening.assessed_at is not None:
        on = f"{event.screening.assessed_at:%-d %B %Y}"
        return words + f" The person confirmed a clinician assessed this on {on}."
    return words + " Not yet assessed by a clinician, as far as Rewire knows."


def worsening_rules() -> worsening.Rules:
    return worsening.rules_for(settings.LANGUAGE_CODE, frozenset(instruments()))


def worsening_advice(user, response: Response) -> dict | None:
    """What the answers' worsening events say to the person: the rules set off, and the
    advice for the most urgent of them (None when they set off none)."""
    rules = worsening_rules()
    fired = [
        rule
        for rule_id in SafetyEvent.objects.for_user(user)
        .filter(response=response, kind=SafetyEvent.WORSENING)
        .values_list("rule", flat=True)
        if (rule := rules.by_id(rule_id)) is not None
    ]
    if not fired:
        return None
    today = any(rule.urgency == "today" for rule in fired)
    return {
        "rules": fired,
        "today": today,
        "urgency": "today" if today else "this_week",
        "advice": rules.advice["today" if today else "this_week"],
    }


def alerts_are_emailed() -> bool:
    """Whether this server sends email (a clinician's alert), rather than printing it."""
    return sends_email()


def _worsening_events(user, definition, response) -> list[SafetyEvent]:
    """A safety event for each worsening rule the new answers set off, judged against the
    answers before them (an answer dated in the past is not judged by later ones)."""
    earlier = list(
        Response.objects.for_user(user)
        .filter(instrument=definition.id, answered_at__lte=response.answered_at)
        .exclude(pk=response.pk)
        .order_by("answered_at", "id")
        .values_list("total", flat=True)
    )
    totals = [*earlier, response.total]
    return [
        record_safety_event(
            user=user,
            kind=SafetyEvent.WORSENING,
            rule=rule.id,
            occurred_at=response.answered_at,
            detail=rule.title,
            response=response,
        )
        for rule in worsening.fired(worsening_rules(), definition.id, totals)
    ]


@transaction.atomic
def _save_response(user, definition, answers: dict, answered_at) -> Response:
    result = scoring.score(definition, answers)
    response = response_row(
        user, definition.id, answers, answered_at, local_date_of(user, answered_at), result
    )
    response.save()
    if scoring.needs_crisis_support(definition, answers):
        _crisis_event(user, answers, answered_at, response=response)
    _worsening_events(user, definition, response)
    return response


def response_row(user, instrument_id: str, answers: dict, answered_at, local_date, result):
    """The row checked answers are stored as, with their score (one write, and the import's
    bulk write)."""
    return Response(
        user=user,
        instrument=instrument_id,
        answered_at=answered_at,
        local_date=local_date,
        answers=answers,
        total=result.total,
        band=result.band or "",
        subscale=result.subscale,
        prorated=result.prorated,
    )


@transaction.atomic
def delete_response(*, user, pk) -> None:
    """Deleting the answers keeps a safety event they raised (it no longer links to them)."""
    get_response_for(user, pk).delete()


def screening_problems(answers: dict, *, asked_on: dt.date | None = None) -> dict[str, str]:
    """Every warning sign answered yes or no (true or false), and nothing else. With
    `asked_on` (answers from a document), only the signs on the list that day must be there."""
    known = {flag.id: flag for flag in red_flags()}
    problems = {key: "No such warning sign." for key in sorted(set(answers) - set(known))}
    for flag_id, flag in known.items():
        if asked_on is not None and flag.added is not None and flag.added > asked_on:
            if flag_id in answers and not isinstance(answers[flag_id], bool):
                problems[flag_id] = "Answer yes or no."
        elif not isinstance(answers.get(flag_id), bool):
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
        record_safety_event(
            user=user,
            kind=SafetyEvent.RED_FLAG,
            occurred_at=screening.answered_at,
            detail=("Emergency sign. " if emergency else "")
            + "Yes to: "
            + "; ".join(flag.label for flag in yes)
            + ".",
            screening=screening,
        )
    return screening


@transaction.atomic
def confirm_assessed(*, user, pk) -> Screening:
    """The person confirms a clinician has assessed the warning signs they answered yes to."""
    screening = get_screening_for(user, pk)
    if not screening.flags:
        raise InvalidEntry({"assessed": "No warning sign was answered yes."})
    now = timezone.now()
    # The assessment covers every yes still waiting, this one and any answered before it.
    for waiting in Screening.objects.for_user(user).filter(
        assessed_at__isnull=True, answered_at__lte=screening.answered_at
    ):
        if waiting.flags:
            waiting.assessed_at = now
            waiting.save(update_fields=["assessed_at"])
    screening.refresh_from_db()
    return screening


# Who the programme is for (issue 14): asked once, before it starts.


def get_suitability_for(user, pk) -> Suitability:
    return get_object_or_404(Suitability.objects.for_user(user), pk=pk)


def suitability_judgement(answers: Suitability) -> suitability.Judgement:
    return suitability.judge(suitability_questions(), answers.answers)


def suitability_words(user) -> str | None:
    """What a clinician reads of the newest answers on who the programme is for (None
    before any): whether they fit, each answer that does not and each that came with advice,
    in words, and any clinician's agreement the person recorded."""
    latest = Suitability.objects.for_user(user).first()
    if latest is None:
        return None
    judgement = suitability_judgement(latest)

    def said(rows) -> str:
        return "; ".join(f"{question.label}: “{option.label}”" for question, option in rows)

    noted = f" Noted: {said(judgement.advice)}." if judgement.advice else ""
    if not judgement.complete:
        return "Not all of the current questions answered yet: the programme asks them."
    if judgement.fits:
        return "Fits the programme." + noted
    words = f"May not suit: {said(judgement.not_fitting)}.{noted}"
    if latest.clinician_agreed_at is None:
        return words + " No clinician's agreement recorded: the programme waits."
    who = latest.clinician or "a clinician"
    on = f"{latest.clinician_agreed_at:%-d %B %Y}"
    return words + f" The person recorded on {on} that {who} agrees they go on."


@transaction.atomic
def record_suitability(*, user, answers: dict[str, str]) -> Suitability:
    """Keep the answers to who the programme is for: every question answered with one of its
    options. Answers that do not fit never lock logging; the programme waits for
    `confirm_clinician_agreed`."""
    questions = suitability_questions()
    if problems := suitability.answer_problems(questions, answers):
        raise InvalidEntry(problems)
    return Suitability.objects.create(
        user=user, answers={question.id: answers[question.id] for question in questions}
    )


@transaction.atomic
def confirm_clinician_agreed(*, user, pk, clinician: str = "") -> Suitability:
    """The person records that a clinician agrees they can go on with the programme although
    the answers do not fit. Recording it again changes nothing."""
    answers = get_suitability_for(user, pk)
    if suitability_judgement(answers).fits:
        raise InvalidEntry({"agreed": "These answers fit the programme: nothing to agree."})
    newest = Suitability.objects.for_user(user).values_list("pk", flat=True).first()
    if newest != answers.pk:
        raise InvalidEntry({"agreed": "You have answered again since: the newest answers decide."})
    if problem := clinician_problem(clinician):
        raise InvalidEntry({"clinician": problem})
    clinician = " ".join(clinician.split())
    if answers.clinician_agreed_at is None:
        answers.clinician_agreed_at = timezone.now()
        answers.clinician = clinician
        answers.save(update_fields=["clinician_agreed_at", "clinician"])
    return answers


def clinician_problem(clinician: str) -> str | None:
    """Who agreed, as typed: at most 200 characters, and no control characters."""
    if len(" ".join(clinician.split())) > MAX_CLINICIAN:
        return f"At most {MAX_CLINICIAN} characters."
    if any(ord(character) < 32 and not character.isspace() for character in clinician):
        return "Remove the control characters."
    return None


# The programme's gate.

NOT_ASKED_SUITABILITY = "suitability"  # who the programme is for: not answered yet
NOT_SUITED = "not_suited"  # answers that do not fit, and no clinician's agreement recorded
NOT_SCREENED = "not_screened"
LOCKED = "locked"
RECHECK = "recheck"  # answered, but long ago or before an unusual flare: asked again
OPEN = "open"
# The warning signs are asked again this long after the last answers (issue 14), and after a
# flare at least this painful or in a body area never marked before.
RECHECK_AFTER = dt.timedelta(days=28)
UNUSUAL_FLARE_PAIN = 9


def programme_state(user) -> str:
    """The programme opens after the questions on who it is for (answers that do not fit:
    once the person records a clinician agrees) and the warning-sign questions (any yes:
    once the person confirms a clinician has assessed it). It pauses for the warning signs
    again every 4 weeks, and after an unusual flare (`RECHECK`). Logging is never blocked."""
    screenings = list(Screening.objects.for_user(user).filter(assessed_at__isnull=True))
    if any(screening.flags for screening in screenings):
        # A yes stays until a clinician's assessment is confirmed: answering again with all
        # no does not undo it. It comes first: it may need care today.
        return LOCKED
    fit = Suitability.objects.for_user(user).first()
    judgement = suitability_judgement(fit) if fit is not None else None
    if judgement is None or not judgement.complete:
        # Never answered, or a question added (or an answer renamed) since: asked again.
        return NOT_ASKED_SUITABILITY
    if fit.clinician_agreed_at is None and not judgement.fits:
        return NOT_SUITED
    latest = Screening.objects.for_user(user).order_by("-answered_at").first()
    if latest is None:
        return NOT_SCREENED
    if timezone.now() - latest.answered_at > RECHECK_AFTER or unusual_flare_since(
        user, latest.answered_at
    ):
        return RECHECK
    return OPEN


def unusual_flare_since(user, moment) -> bool:
    """A flare logged after `moment` with pain of UNUSUAL_FLARE_PAIN or more, or in a body
    area the person had never marked before it: the warning signs are asked again."""
    flares = list(
        CheckIn.objects.for_user(user)
        .filter(is_flare=True, created_at__gt=moment)
        .prefetch_related("body_areas")
    )
    for flare in flares:
        if flare.pain >= UNUSUAL_FLARE_PAIN:
            return True
        areas = {rating.area for rating in flare.body_areas.all()}
        if areas:
            earlier = set(
                BodyAreaRating.objects.filter(
                    checkin__user=user, checkin__recorded_at__lt=flare.recorded_at
                ).values_list("area", flat=True)
            )
            if areas - earlier:
                return True
    return False


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
    taken = list(
        Response.objects.for_user(user)
        .order_by()
        .values("instrument")
        .annotate(first=Min("local_date"), last=Max("local_date"))
    )
    known = instruments()
    return [
        (known[item.instrument], item.reason)
        for item in schedule.due(
            last_taken={row["instrument"]: row["last"] for row in taken},
            first_taken={row["instrument"]: row["first"] for row in taken},
            today=local_date_of(user, timezone.now()),
            programme_done_on=programme_done_on(user),
        )
        if item.instrument in known
    ]
