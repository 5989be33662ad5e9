"""The fear ladder, the tries and the movement page: thin views over actions.py.

Like the programme, these wait for the warning-sign questions (`programme_open`): facing
feared movements comes after a clinician has seen any warning sign.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from rewire.core.errors import InvalidEntry
from rewire.core.forms import form_status
from rewire.core.idempotency import created_once_per_form
from rewire.core.views import confirm_delete
from rewire.exposure import actions, charts, ladder
from rewire.exposure.forms import (
    ActivityForm,
    AfterForm,
    BeforeForm,
    NewPacingPlanForm,
    NextDayForm,
    PacingBoutForm,
    PacingPlanForm,
    RatingForm,
    RenameForm,
    RungForm,
    nearest_step,
)
from rewire.exposure.models import ActivitySession, ExposureAttempt, PacingBout, Rung
from rewire.exposure.pacing import WEEK
from rewire.measures.gate import programme_open

RECENT_DAYS = 14  # the activities listed on the movement page
WEEKS_SHOWN = 8


# The session remembers, for one page, the try whose next-day question came back unanswered,
# so the form can say so where it is (a message at the top of a long phone page is missed).
NEXT_DAY_PROBLEM = "next_day_problem"
NEXT_DAY_MISSING = "Choose a number from 0 to 10 for today’s pain, or “Rather not say”."


def next_day_form(attempt, *, sent_back: int | None) -> NextDayForm:
    """The next-day question for `attempt`; with its problem when `sent_back` is its pk."""
    form = NextDayForm(auto_id=f"id_next_day_{attempt.pk}_%s")
    if sent_back == attempt.pk:
        form = NextDayForm(data={}, auto_id=form.auto_id)
        form.add_error(None, NEXT_DAY_MISSING)  # said first in the card, where focus goes
    return form


def home_card(request) -> dict:
    """The movement card on the home page: the next step up the ladder, and yesterday's tries
    whose next-day pain is still to be asked. Only while the programme is open."""
    user = request.user
    sent_back = request.session.pop(NEXT_DAY_PROBLEM, None)  # for this page only
    return {
        # Rung's ordering is the ladder's (easiest first): the first not mastered is next.
        "next_step": Rung.objects.for_user(user).filter(mastered_at__isnull=True).first(),
        "waiting": actions.unfinished_attempts(user, since=user.today() - dt.timedelta(days=1)),
        "questions": [
            (attempt, next_day_form(attempt, sent_back=sent_back))
            for attempt in actions.next_day_questions(user, today=user.today())
        ],
    }


# The movement page: graded activity (weekly goals), streak, level, milestones, and the
# activity log


def _week_days(user, plan, today):
    """The current week's days, for the row of dots: moved, a flare, or not (yet)."""
    week = plan.current
    if week is None:
        return []
    dates = [week.start + dt.timedelta(days=n) for n in range(WEEK)]
    days = actions.movement_days(user, first=dates[0], last=dates[-1])
    return [
        {
            "date": date,
            "minutes": days[date].minutes if date in days else 0,
            "flare": date in days and days[date].flare,
            "future": date > today,
        }
        for date in dates
    ]


@login_required
@programme_open
def movement(request):
    user = request.user
    today = user.today()
    form = ActivityForm(request.POST or None, initial={"local_date": today}, today=today)
    if request.method == "POST" and form.is_valid():
        saved = created_once_per_form(
            request,
            form,
            "activity",
            lambda: actions.log_activity(user=user, entry=form.to_entry()),
        )
        if saved is not None:
            entry = form.cleaned_data
            messages.success(
                request, f"Saved: {entry['activity']}, {entry['minutes']} minutes. Well done."
            )
            return redirect("movement")
    summary = actions.movement_for(user, today=today)
    plan = summary.plan
    reached = sorted((m for m in summary.milestones if m.reached_on), key=lambda m: m.reached_on)
    ahead = [m for m in summary.milestones if not m.reached_on]
    return render(
        request,
        "exposure/movement.html",
        {
            "form": form,
            "summary": summary,
            "plan": plan,
            "week": plan.current,
            "week_days": _week_days(user, plan, today),
            "past_weeks": list(reversed(plan.weeks[:-1]))[:WEEKS_SHOWN],
            "reached": reached,
            "ahead": ahead[:3],
            "ladder": actions.ladder_for(user),
            "activities": ActivitySession.objects.for_user(user).filter(
                local_date__gt=today - dt.timedelta(days=RECENT_DAYS)
            ),
            "today": today,
        },
        status=form_status(form),
    )


@login_required
@programme_open(get_object=actions.get_activity_for)
def activity_delete(request, pk):
    activity = actions.get_activity_for(request.user, pk)
    return confirm_delete(
        request,
        delete=lambda: actions.delete_activity(user=request.user, pk=pk),
        title="Delete this activity?",
        description=(
            f"{activity.activity}, {activity.minutes} minutes on "
            f"{activity.local_date:%A %-d %B %Y}."
        ),
        cancel_url=reverse("movement"),
        done_url="movement",
        done="Activity deleted.",
    )


# The ladder


def _taken(user) -> set[str]:
    return set(Rung.objects.for_user(user).values_list("activity_key", flat=True))


@login_required
@programme_open
def ladder_page(request):
    user = request.user
    form = RungForm(request.POST or None, library=actions.library(), taken=_taken(user))
    if request.method == "POST" and form.is_valid():
        saved = created_once_per_form(
            request, form, "rung", lambda: actions.add_rung(user=user, entry=form.to_entry())
        )
        if saved is not None:
            messages.success(request, f"“{form.cleaned_data['activity']}” is on your ladder.")
            return redirect(f"{reverse('ladder')}#rung-{saved}")
    return render(
        request,
        "exposure/ladder.html",
        {"form": form, "ladder": actions.ladder_for(user)},
        status=form_status(form),
    )


@login_required
@programme_open(get_object=actions.get_rung_for)
def rung_page(request, pk):
    rung = actions.get_rung_for(request.user, pk)
    attempts = list(rung.attempts.all())  # newest first
    finished = [attempt for attempt in attempts if attempt.finished]
    return render(
        request,
        "exposure/rung.html",
        {
            "rung": rung,
            "attempts": [(attempt, ladder.violation(attempt)) for attempt in attempts],
            "chart": charts.predicted_against_actual(list(reversed(finished))),
            "ratings": list(rung.ratings.all()),
            "suggest_mastery": ladder.mastery_suggested(rung, attempts),
            "mastery_tries": ladder.MASTERY_TRIES,
            "low_fear": ladder.LOW_FEAR,
        },
    )


@login_required
@programme_open(get_object=actions.get_rung_for)
def rung_rate(request, pk):
    rung = actions.get_rung_for(request.user, pk)
    initial = {
        "fear": nearest_step(rung.fear),
        "expected_pain": rung.expected_pain,
        "harm": nearest_step(rung.harm),
    }
    form = RatingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.rate_rung(user=request.user, pk=pk, rating=form.rating())
        except InvalidEntry as invalid:
            form.add_problems(invalid.problems)
        else:
            messages.success(request, "New ratings saved. The ladder is in its new order.")
            return redirect(f"{reverse('ladder')}#rung-{pk}")
    return render(
        request, "exposure/rung_rate.html", {"form": form, "rung": rung}, status=form_status(form)
    )


@login_required
@programme_open(get_object=actions.get_rung_for)
def rung_edit(request, pk):
    rung = actions.get_rung_for(request.user, pk)
    form = RenameForm(request.POST or None, initial={"activity": rung.activity})
    if request.method == "POST" and form.is_valid():
        try:
            actions.rename_rung(user=request.user, pk=pk, activity=form.cleaned_data["activity"])
        except InvalidEntry as invalid:
            form.add_problems(invalid.problems)
        else:
            messages.success(request, "Saved.")
            return redirect("rung", pk=pk)
    return render(
        request, "exposure/rung_edit.html", {"form": form, "rung": rung}, status=form_status(form)
    )


@login_required
@programme_open(get_object=actions.get_rung_for)
@require_POST
def rung_mastered(request, pk):
    mastered = request.POST.get("mastered") == "1"
    rung = actions.set_mastered(user=request.user, pk=pk, mastered=mastered)
    if mastered:
        step = actions.ladder_for(request.user).next_step
        after = f" Next up: “{step.activity}”." if step else " That was the top of your ladder."
        messages.success(request, f"“{rung.activity}” is mastered. A level up!{after}")
    else:
        messages.info(request, f"“{rung.activity}” is back on the ladder to practise.")
    return redirect("rung", pk=pk)


@login_required
@programme_open(get_object=actions.get_rung_for)
def rung_delete(request, pk):
    rung = actions.get_rung_for(request.user, pk)
    tries = rung.attempts.count()
    return confirm_delete(
        request,
        delete=lambda: actions.delete_rung(user=request.user, pk=pk),
        title="Take this off your ladder?",
        description=(
            f"“{rung.activity}”, with its ratings"
            + (f" and its {tries} tr{'y' if tries == 1 else 'ies'}." if tries else ".")
        ),
        cancel_url=reverse("rung", args=[pk]),
        done_url="ladder",
        done="Taken off your ladder.",
    )


# Tries


@login_required
@programme_open(get_object=actions.get_rung_for)
def attempt_start(request, pk):
    rung = actions.get_rung_for(request.user, pk)
    # Nothing is filled in: the prediction is made fresh each time.
    form = BeforeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = created_once_per_form(
            request,
            form,
            "attempt",
            lambda: actions.start_attempt(user=request.user, entry=form.to_entry(rung=rung.pk)),
        )
        if saved is not None:
            if ExposureAttempt.objects.for_user(request.user).filter(pk=saved).exists():
                return redirect("attempt", pk=saved)
            messages.info(request, "That try was saved, then deleted.")
            return redirect("rung", pk=pk)
    unfinished = rung.attempts.filter(finished_at__isnull=True)[:3]
    return render(
        request,
        "exposure/attempt_start.html",
        {"form": form, "rung": rung, "unfinished": unfinished},
        status=form_status(form),
    )


@login_required
@programme_open(get_object=actions.get_attempt_for)
def attempt_page(request, pk):
    """Before the after is recorded, the page asks how it went; afterwards it shows what the
    try taught, and the same form corrects it."""
    attempt = actions.get_attempt_for(request.user, pk)
    form = AfterForm(request.POST or None, initial=AfterForm.initial_from(attempt))
    if request.method == "POST" and form.is_valid():
        try:
            actions.finish_attempt(user=request.user, pk=pk, after=form.to_entry())
        except InvalidEntry as invalid:
            form.add_problems(invalid.problems)
        else:
            messages.success(request, "Saved. Here is what your try showed.")
            return redirect(f"{reverse('attempt', args=[pk])}#result")
    return render(
        request,
        "exposure/attempt.html",
        {
            "attempt": attempt,
            "rung": attempt.rung,
            "violation": ladder.violation(attempt),
            "form": form,
            "next_day_form": next_day_form(
                attempt, sent_back=request.session.pop(NEXT_DAY_PROBLEM, None)
            ),
            "today": request.user.today(),
        },
        status=form_status(form),
    )


def _back(request, fallback: str) -> str:
    wanted = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return wanted
    return fallback


@login_required
@programme_open(get_object=actions.get_attempt_for)
@require_POST
def attempt_next_day(request, pk):
    attempt = actions.get_attempt_for(request.user, pk)
    back = _back(request, reverse("attempt", args=[pk]))
    declined = "decline" in request.POST
    form = NextDayForm(request.POST)
    if not declined and (not form.is_valid() or form.cleaned_data["pain"] is None):
        request.session[NEXT_DAY_PROBLEM] = pk
        at_home = back == reverse("home")
        return redirect(f"{back}#next-day-{pk}" if at_home else f"{back}#next-day-heading")
    try:
        actions.record_next_day_pain(
            user=request.user, pk=pk, pain=None if declined else form.cleaned_data["pain"]
        )
    except InvalidEntry as invalid:
        messages.error(request, invalid.problems.get("pain", "Not saved; please try again."))
        return redirect(back)
    if declined:
        messages.info(request, "No problem. We will not ask about that try again.")
    else:
        messages.success(request, f"Thank you. Saved with your try at “{attempt.rung.activity}”.")
    return redirect(back)


@login_required
@programme_open(get_object=actions.get_attempt_for)
def attempt_delete(request, pk):
    attempt = actions.get_attempt_for(request.user, pk)
    return confirm_delete(
        request,
        delete=lambda: actions.delete_attempt(user=request.user, pk=pk),
        title="Delete this try?",
        description=(
            f"Your try at “{attempt.rung.activity}” on {attempt.local_date:%A %-d %B %Y}, "
            "with its prediction and what happened."
        ),
        cancel_url=reverse("attempt", args=[pk]),
        done_url=reverse("rung", args=[attempt.rung_id]),
        done="Try deleted.",
    )


# Time-based pacing: plans (a quota of time, then a break), a timer for each, the bouts done.

RECENT_BOUTS = 10


def pacing_tool(request) -> dict:
    """The pacing lesson's tool (programme topic "pacing"): the plans and a form to add one,
    which is sent to the pacing page."""
    return {
        "plans": actions.pacing_plans_for(request.user),
        "plan_form": NewPacingPlanForm(),
    }


@login_required
@programme_open
def pacing(request):
    user = request.user
    form = NewPacingPlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = created_once_per_form(
            request,
            form,
            "pacing_plan",
            lambda: actions.add_pacing_plan(user=user, entry=form.to_entry()),
        )
        if saved is not None:
            messages.success(
                request,
                f"Your plan for “{form.cleaned_data['activity']}” is ready. "
                "Start the timer when you begin.",
            )
            return redirect("pacing_plan", pk=saved)
    return render(
        request,
        "exposure/pacing.html",
        {
            "plan_form": form,
            "plans": actions.pacing_plans_for(user),
            "bouts": PacingBout.objects.for_user(user).select_related("plan")[:RECENT_BOUTS],
        },
        status=form_status(form),
    )


@login_required
@programme_open(get_object=actions.get_pacing_plan_for)
def pacing_plan(request, pk):
    """The timer for a plan, and the bout it logs: the timer fills the form in and sends it;
    without JavaScript the form is filled in by hand."""
    user = request.user
    row = actions.pacing_plan_row_for(user, pk)
    today = user.today()
    form = PacingBoutForm(
        request.POST or None, initial={"local_date": today, "breaks": 0}, today=today, plan=pk
    )
    if request.method == "POST" and form.is_valid():
        saved = created_once_per_form(
            request,
            form,
            "pacing_bout",
            lambda: actions.log_pacing_bout(user=user, entry=form.to_entry()),
        )
        if saved is not None:
            data = form.cleaned_data
            messages.success(
                request,
                f"Saved: {data['minutes']} minute{'s' if data['minutes'] != 1 else ''} of "
                f"{row.plan.activity}, with {data['breaks']} "
                f"break{'s' if data['breaks'] != 1 else ''}.",
            )
            return redirect(f"{reverse('pacing_plan', args=[pk])}#bouts-heading")
    return render(
        request,
        "exposure/pacing_plan.html",
        {
            "row": row,
            "plan": row.plan,
            "form": form,
            "bouts": row.plan.bouts.all()[:RECENT_BOUTS],
        },
        status=form_status(form),
    )


@login_required
@programme_open(get_object=actions.get_pacing_plan_for)
def pacing_plan_edit(request, pk):
    plan = actions.get_pacing_plan_for(request.user, pk)
    initial = {
        "activity": plan.activity,
        "activity_minutes": plan.activity_minutes,
        "break_minutes": plan.break_minutes,
    }
    step = request.GET.get("minutes", "")
    if request.method == "GET" and step.isascii() and step.isdigit() and len(step) <= 3:
        initial["activity_minutes"] = int(step)  # the step up suggested, to check and save
    form = PacingPlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_pacing_plan(user=request.user, pk=pk, entry=form.to_entry())
        except InvalidEntry as invalid:
            form.add_problems(invalid.problems)
        else:
            messages.success(request, "Plan saved.")
            return redirect("pacing_plan", pk=pk)
    return render(
        request,
        "exposure/pacing_plan_edit.html",
        {"form": form, "plan": plan},
        status=form_status(form),
    )


@login_required
@programme_open(get_object=actions.get_pacing_plan_for)
def pacing_plan_delete(request, pk):
    plan = actions.get_pacing_plan_for(request.user, pk)
    bouts = plan.bouts.count()
    return confirm_delete(
        request,
        delete=lambda: actions.delete_pacing_plan(user=request.user, pk=pk),
        title="Delete this pacing plan?",
        description=(
            f"Your plan for “{plan.activity}”"
            + (f", with the {bouts} bout{'s' if bouts != 1 else ''} logged." if bouts else ".")
        ),
        cancel_url=reverse("pacing_plan", args=[pk]),
        done_url="pacing",
        done="Pacing plan deleted.",
    )


@login_required
@programme_open(get_object=actions.get_pacing_bout_for)
def pacing_bout_delete(request, pk):
    bout = actions.get_pacing_bout_for(request.user, pk)
    return confirm_delete(
        request,
        delete=lambda: actions.delete_pacing_bout(user=request.user, pk=pk),
        title="Delete this bout?",
        description=(
            f"{bout.plan.activity}, {bout.minutes} minutes with {bout.breaks} "
            f"break{'s' if bout.breaks != 1 else ''} on {bout.local_date:%A %-d %B %Y}."
        ),
        cancel_url=reverse("pacing_plan", args=[bout.plan_id]),
        done_url=reverse("pacing_plan", args=[bout.plan_id]),
        done="Bout deleted.",
    )
