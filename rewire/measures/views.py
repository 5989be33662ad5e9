"""Questionnaires, their results, the trial's outcome and the warning signs: thin views over
actions.py (every write) and the plain-Python scoring, schedule and outcome modules."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format

from rewire.core.errors import InvalidEntry
from rewire.core.forms import form_status
from rewire.core.idempotency import created_once_per_form
from rewire.core.views import confirm
from rewire.measures import actions, helplines, outcome, scoring
from rewire.measures.charts import score_chart
from rewire.measures.forms import QuestionnaireForm, ScreeningForm, SuitabilityForm
from rewire.measures.gate import waiting_for
from rewire.measures.instruments import Instrument
from rewire.measures.models import Response, SafetyEvent, Screening, Suitability

logger = logging.getLogger(__name__)

SCREENINGS_SHOWN = 20


# What is due


def due_questionnaires(user) -> list[dict]:
    """What the home page and the questionnaires page suggest. Any can be taken any time."""
    return [
        {"instrument": instrument, "reason": reason}
        for instrument, reason in actions.due_questionnaires(user)
    ]


# Showing a score


def band_words(definition: Instrument, response: Response) -> str:
    """The band (or STarT Back's risk level) as shown; nothing for Rewire's own ratings."""
    if not definition.validated or response.total is None:
        return ""
    if definition.scoring == "start_back" and response.subscale is not None:
        return f"{response.band} (psychosocial subscore {response.subscale} of 5)"
    return response.band


def _baseline(user, definition: Instrument) -> Response | None:
    return (
        Response.objects.for_user(user)
        .filter(instrument=definition.id, total__isnull=False)
        .order_by("answered_at", "id")
        .first()
    )


def mcid_words(definition: Instrument) -> str:
    if not definition.validated:
        return (
            f"{definition.short_name} is Rewire's own rating, not validated: there is no agreed "
            "smallest change that matters."
        )
    if definition.mcid_points is None:
        return (
            f"There is no agreed smallest meaningful change for the {definition.short_name} "
            "here, so the change is shown as it is."
        )
    threshold = f"{definition.mcid_points} points"
    if definition.mcid_percent:
        threshold += f" or {definition.mcid_percent}% less, whichever is smaller"
    return (
        f"For the {definition.short_name}, clinicians count a change of at least {threshold} "
        "as meaningful: smaller changes can be ordinary ups and downs."
    )


def _safe_url(url: str) -> str:
    return url if url.startswith(("https://", "http://")) else ""


def crisis_helplines() -> list[dict]:
    """The configured helplines for the site's language (never a number written in the code)."""
    try:
        lines = helplines.helplines_for(settings.LANGUAGE_CODE)
    except helplines.HelplineError:
        logger.warning("REWIRE_HELPLINES_FILE cannot be read; showing the default advice only.")
        lines = ()
    return [
        {
            "name": line.name,
            "phone": line.phone,
            "tel": "".join(ch for ch in line.phone if ch.isdigit() or ch == "+"),
            "text": line.text,
            "url": _safe_url(line.url),
            "url_text": line.url,
            "hours": line.hours,
        }
        for line in lines
    ]


def _answer_rows(definition: Instrument, response: Response) -> list[dict]:
    rows = []
    for number, item in enumerate(definition.items, 1):
        value = response.answers.get(item.id)
        label = next((o.label for o in item.options if o.value == value), None)
        rows.append({"number": number, "text": item.text, "answer": label})
    return rows


# Pages


@login_required
def questionnaire_list(request):
    due = {item["instrument"].id: item["reason"] for item in due_questionnaires(request.user)}
    rows = []
    for definition in actions.instruments().values():
        latest = Response.objects.for_user(request.user).filter(instrument=definition.id).first()
        rows.append(
            {
                "instrument": definition,
                "latest": latest,
                "band": band_words(definition, latest) if latest else "",
                "due": due.get(definition.id, ""),
            }
        )
    return render(
        request,
        "measures/list.html",
        {"rows": rows, "due_count": len(due), "state": actions.programme_state(request.user)},
    )


def _checkup(request) -> str:
    """A check-up after the course ("8-weeks", program/after_views.py) that sent the person
    here: the result page leads back to it. Anything else is ignored."""
    from rewire.program.boosters import CHECKUP_WEEKS

    slug = request.GET.get("checkup", "")
    return slug if slug in {f"{weeks}-weeks" for weeks in CHECKUP_WEEKS} else ""


@login_required
def questionnaire(request, instrument_id):
    definition = actions.instrument(instrument_id)
    checkup = _checkup(request)
    form = QuestionnaireForm(request.POST or None, instrument=definition)
    if request.method == "POST" and form.is_valid():
        saved = created_once_per_form(
            request,
            form,
            "response",
            lambda: actions.record_response(
                user=request.user, instrument_id=definition.id, answers=form.answers()
            ),
        )
        if saved is not None:
            if Response.objects.for_user(request.user).filter(pk=saved).exists():
                result = reverse("response_result", args=[saved])
                return redirect(f"{result}?checkup={checkup}" if checkup else result)
            messages.info(request, "Those answers were saved, then deleted.")
            return redirect("questionnaire_results", instrument_id=definition.id)
    # Refused answers still show crisis support at once (the action kept a safety event).
    crisis = form.is_bound and scoring.needs_crisis_support(definition, form.posted_answers())
    return render(
        request,
        "measures/questionnaire.html",
        {
            "instrument": definition,
            "form": form,
            "crisis": crisis,
            "checkup": checkup,
            "helplines": crisis_helplines() if crisis else [],
            "default_advice": helplines.DEFAULT_ADVICE,
            "alert_emails": actions.alerts_are_emailed(),
            "required_numbers": [
                number
                for number, item_id in enumerate(definition.item_ids, 1)
                if item_id in definition.required
            ],
        },
        status=form_status(form),
    )


@login_required
def response_result(request, pk):
    response = actions.get_response_for(request.user, pk)
    definition = actions.instrument(response.instrument)
    baseline = _baseline(request.user, definition)
    change = None
    if (
        scoring.tracks_change(definition)
        and baseline is not None
        and response.total is not None
        and baseline.pk != response.pk
    ):
        change = scoring.change_since_baseline(definition, baseline.total, response.total)
    crisis = scoring.needs_crisis_support(definition, response.answers)
    return render(
        request,
        "measures/result.html",
        {
            "response": response,
            "instrument": definition,
            "band": band_words(definition, response),
            "band_help": definition.band_help(response.band),
            "baseline": baseline,
            "change": change,
            "is_baseline": baseline is not None and baseline.pk == response.pk,
            "crisis": crisis,
            "tracks_change": scoring.tracks_change(definition),
            "helplines": crisis_helplines() if crisis else [],
            "default_advice": helplines.DEFAULT_ADVICE,
            "answers": _answer_rows(definition, response),
            "worsening": actions.worsening_advice(request.user, response),
            "checkup": _checkup(request),
            "alert_emails": actions.alerts_are_emailed(),
        },
    )


@login_required
def response_delete(request, pk):
    response = actions.get_response_for(request.user, pk)
    definition = actions.instrument(response.instrument)
    warning = "This cannot be undone."
    if SafetyEvent.objects.for_user(request.user).filter(response=response).exists():
        warning += " The safety note these answers raised is kept in your records."
    score = "" if response.total is None else f", score {response.total}"
    return confirm(
        request,
        title="Delete these answers?",
        description=f"Your {definition.short_name} of "
        f"{date_format(response.local_date, 'l j F Y')}{score}.",
        warning=warning,
        cancel="Keep them",
        cancel_url=reverse("response_result", args=[pk]),
        act=lambda: actions.delete_response(user=request.user, pk=pk),
        done=f"Your {definition.short_name} answers were deleted.",
        done_url=reverse("questionnaire_results", args=[definition.id]),
    )


def _chart_bands(definition: Instrument) -> list[tuple[int, int, str]]:
    if not definition.validated:
        return []
    if definition.scoring == "start_back":
        # The risk level is not the total alone: above 3, the psychosocial subscore decides.
        low, medium, high = definition.risk_levels
        return [
            (0, 3, low),
            (4, definition.highest, f"{medium} or {high.lower()} (the subscore decides)"),
        ]
    return [(band.low, band.high, band.label) for band in definition.bands]


@login_required
def questionnaire_results(request, instrument_id):
    definition = actions.instrument(instrument_id)
    responses = list(
        Response.objects.for_user(request.user)
        .filter(instrument=definition.id)
        .order_by("answered_at", "id")
    )
    scored = [response for response in responses if response.total is not None]
    chart = None
    if scored:
        bands = _chart_bands(definition)
        chart = score_chart(
            [(response.local_date, response.total) for response in scored],
            lowest=definition.lowest,
            highest=definition.highest,
            bands=bands,
            higher_is_worse=definition.higher_is_worse,
            first_day=scored[0].local_date,
            last_day=max(request.user.today(), scored[-1].local_date),
        )
    change = None
    if len(scored) > 1 and scoring.tracks_change(definition):
        change = scoring.change_since_baseline(definition, scored[0].total, scored[-1].total)
    return render(
        request,
        "measures/results.html",
        {
            "instrument": definition,
            "chart": chart,
            "change": change,
            "mcid": mcid_words(definition),
            "rows": [
                {"response": response, "band": band_words(definition, response)}
                for response in reversed(responses)
            ],
        },
    )


@login_required
def trial_outcome(request):
    answers = list(
        Response.objects.for_user(request.user)
        .filter(instrument="weekly_pain", total__isnull=False)
        .order_by("answered_at", "id")
        .values_list("local_date", "total")
    )
    weeks = outcome.weekly_outcome(answers)
    answered = [week for week in weeks if week.pain is not None]
    trial = outcome.TRIAL
    arms = [
        {
            "name": arm,
            "pain_free": trial["pain_free_or_nearly_after_4_weeks"][arm],
            "mean_4_weeks": trial["mean_pain_after_4_weeks"][arm],
            "mean_1_year": trial["mean_pain_after_1_year"][arm],
        }
        for arm in trial["pain_free_or_nearly_after_4_weeks"]
    ]
    return render(
        request,
        "measures/outcome.html",
        {
            "weeks": list(reversed(weeks)),
            "answered": len(answered),
            "pain_free": sum(1 for week in answered if week.pain_free_or_nearly),
            "trial": trial,
            "trial_pain_free": trial["pain_free_or_nearly_after_4_weeks"]["PRT"],
            "arms": arms,
            "caveats": outcome.CAVEATS,
            "instrument": actions.instrument("weekly_pain"),
        },
    )


# Who the programme is for


@login_required
def suitability(request):
    """Five questions before the programme. Answers that do not fit say why and what to do
    instead, and let a person whose clinician agrees go on; logging is never locked."""
    form = SuitabilityForm(request.POST or None, questions=actions.suitability_questions())
    if request.method == "POST" and form.is_valid():
        saved = created_once_per_form(
            request,
            form,
            "suitability",
            lambda: actions.record_suitability(user=request.user, answers=form.answers()),
        )
        if saved is not None:
            return redirect(f"{reverse('suitability')}#result")
    return _suitability_page(request, form, status=form_status(form))


def _suitability_page(request, form, *, status: int = 200, agree: dict | None = None):
    """The page: the newest answers and what they mean, the agreement form (`agree`: what
    was sent to it and its problems, when refused), and the questions."""
    questions = actions.suitability_questions()
    latest = Suitability.objects.for_user(request.user).first()
    state = actions.programme_state(request.user)
    return render(
        request,
        "measures/suitability.html",
        {
            "form": form,
            "latest": latest,
            "judgement": actions.suitability_judgement(latest) if latest else None,
            "latest_answers": [
                {"question": question, "option": question.option(latest.answers.get(question.id))}
                for question in questions
            ]
            if latest
            else [],
            "state": state,
            "waiting": waiting_for(state),
            "agree": agree or {},
        },
        status=status,
    )


@login_required
def suitability_agreed(request, pk):
    answers = actions.get_suitability_for(request.user, pk)
    if request.method != "POST":
        return redirect("suitability")
    clinician = request.POST.get("clinician", "")
    if request.POST.get("clinician_agrees") != "yes":
        problems = {
            "clinician_agrees": "Tick the box to record that a clinician agrees you can use "
            "the programme."
        }
    else:
        try:
            actions.confirm_clinician_agreed(user=request.user, pk=answers.pk, clinician=clinician)
        except InvalidEntry as invalid:
            if "agreed" in invalid.problems:  # about the answers, not this form's fields
                messages.error(request, invalid.problems["agreed"])
                return redirect(f"{reverse('suitability')}#result")
            problems = invalid.problems
        else:
            messages.success(request, "Recorded: a clinician agrees you can use the programme.")
            return redirect("programme")
    form = SuitabilityForm(questions=actions.suitability_questions())
    agree = {"clinician": clinician, "problems": problems}
    return _suitability_page(request, form, status=422, agree=agree)


# The warning signs


@login_required
def warning_signs(request):
    flags = actions.red_flags()
    form = ScreeningForm(request.POST or None, flags=flags)
    if request.method == "POST" and form.is_valid():
        saved = created_once_per_form(
            request,
            form,
            "screening",
            lambda: actions.record_screening(user=request.user, answers=form.answers()),
        )
        if saved is not None:
            screening = Screening.objects.for_user(request.user).filter(pk=saved).first()
            if screening is not None and not screening.flags:
                if actions.programme_state(request.user) == actions.OPEN:
                    messages.success(
                        request,
                        "Thank you. You answered no to every warning sign: the programme is open.",
                    )
                else:
                    messages.success(request, "Thank you. You answered no to every warning sign.")
                return redirect("programme")
            emergency = screening is not None and any(
                flag.emergency for flag in flags if flag.id in screening.flags
            )
            # The emergency advice sits above the result: land on it, not past it.
            return redirect(f"{reverse('warning_signs')}#{'emergency' if emergency else 'result'}")
    screenings = list(Screening.objects.for_user(request.user)[:SCREENINGS_SHOWN])
    latest = screenings[0] if screenings else None
    by_id = {flag.id: flag for flag in flags}
    answered_yes = [by_id[flag] for flag in latest.flags if flag in by_id] if latest else []
    state = actions.programme_state(request.user)
    return render(
        request,
        "measures/safety.html",
        {
            "form": form,
            "latest": latest,
            "latest_answers": [{"flag": flag, "yes": latest.answers.get(flag.id)} for flag in flags]
            if latest
            else [],
            "answered_yes": answered_yes,
            "emergency": any(flag.emergency for flag in answered_yes),
            "state": state,
            "waiting": waiting_for(state),
            "earlier": [
                {
                    "screening": screening,
                    "yes": [by_id[f].question for f in screening.flags if f in by_id],
                }
                for screening in screenings[1:]
            ],
        },
        status=form_status(form),
    )


@login_required
def warning_signs_assessed(request, pk):
    screening = actions.get_screening_for(request.user, pk)
    if request.method != "POST":
        return redirect("warning_signs")
    if request.POST.get("seen_clinician") != "yes":
        messages.error(
            request, "Tick the box to confirm a clinician has seen you about these signs."
        )
        return redirect("warning_signs")
    try:
        actions.confirm_assessed(user=request.user, pk=screening.pk)
    except InvalidEntry as invalid:
        messages.error(request, invalid.problems.get("assessed", "Nothing to confirm."))
        return redirect("warning_signs")
    if actions.programme_state(request.user) == actions.OPEN:
        messages.success(
            request,
            "Thank you for getting these signs checked. The programme is open. If a sign comes "
            "back or gets worse, get it checked again.",
        )
        return redirect("programme")
    messages.info(request, "Noted. A newer answer to the warning signs is still waiting.")
    return redirect("warning_signs")
