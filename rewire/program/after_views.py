"""The pages for after the four weeks: the maintenance plan (on the "keeping going" lesson's
page) and the check-ups at 8 and 12 weeks. Thin views over after.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from rewire.core.errors import InvalidEntry
from rewire.measures import actions as measures
from rewire.measures import helplines, scoring
from rewire.measures.gate import programme_open
from rewire.measures.views import crisis_helplines
from rewire.program import actions, after, boosters
from rewire.program.forms import MaintenancePlanForm
from rewire.program.views import TOPIC_CONTEXT

TOPIC = "keeping_going"


def checkup_slug(weeks: int) -> str:
    return f"{weeks}-weeks"


SLUGS = {checkup_slug(weeks): weeks for weeks in boosters.CHECKUP_WEEKS}


def _plan_form(user, data=None) -> MaintenancePlanForm:
    plan = after.plan_of(user)
    initial = (
        {
            "keep_doing": plan.keep_doing,
            "warning_signs": plan.warning_signs,
            "what_helped": plan.what_helped,
        }
        if plan
        else after.starter_plan(user)
    )
    return MaintenancePlanForm(data, initial=initial)


def _keeping_going(request, form=None) -> dict:
    found = after.checkups_for(request.user)
    return {
        "plan": after.plan_of(request.user),
        "plan_form": form or _plan_form(request.user),
        "helped": after.helped_lines(request.user),
        "checkups": [(checkup, checkup_slug(checkup.weeks)) for checkup in found],
        "finished": bool(found),
    }


TOPIC_CONTEXT[TOPIC] = _keeping_going


@login_required
@programme_open
@require_POST
def maintenance_plan(request):
    form = MaintenancePlanForm(request.POST)
    if form.is_valid():
        try:
            after.save_plan(user=request.user, **form.cleaned_data)
        except InvalidEntry as invalid:
            form.add_problems(invalid.problems)
        else:
            messages.success(request, "Your plan is saved. You can change it at any time.")
            return redirect(f"{reverse('programme_topic', args=[TOPIC])}#plan")
    topic = actions.course().topics[TOPIC]
    return render(
        request,
        "program/topics/keeping_going.html",
        {"topic": topic, **_keeping_going(request, form)},
        status=422,
    )


@login_required
@programme_open
def checkup(request, slug):
    if slug not in SLUGS:
        raise Http404
    found = after.checkup_for(request.user, SLUGS[slug])
    known = measures.instruments()
    rows = []
    for row in found.rows if found else ():
        instrument = known[row.instrument]
        change = (
            scoring.change_since_baseline(instrument, row.at_end.total, row.now.total)
            if row.at_end and row.now
            else None
        )
        rows.append({"row": row, "instrument": instrument, "change": change})
    return render(
        request,
        "program/checkup.html",
        {
            "weeks": SLUGS[slug],
            "slug": slug,
            "checkup": found,
            "rows": rows,
            "crisis": bool(found and found.crisis),
            "helplines": crisis_helplines() if found and found.crisis else [],
            "default_advice": helplines.DEFAULT_ADVICE,
            "alert_emails": measures.alerts_are_emailed(),
            "worse": any(item["change"] and item["change"].better is False for item in rows),
            "meaningfully_worse": any(
                item["change"] and item["change"].better is False and item["change"].meaningful
                for item in rows
            ),
        },
    )
