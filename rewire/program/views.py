"""The guided programme's pages: thin views over actions.py (every write) and progress.py."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from rewire.core.errors import InvalidEntry
from rewire.core.forms import form_status
from rewire.core.idempotency import created_once_per_form
from rewire.core.views import confirm_delete
from rewire.diary import trends
from rewire.diary.actions import get_checkin_for
from rewire.diary.models import CheckIn
from rewire.exposure.views import pacing_tool
from rewire.goals import actions as goals
from rewire.insights import charts as insights_charts
from rewire.insights import data as insights_data
from rewire.insights.sleep import MIN_NIGHTS
from rewire.measures import actions as measures
from rewire.measures.gate import programme_open, waiting_for
from rewire.measures.views import crisis_helplines
from rewire.program import actions, after, boosters, guide, progress
from rewire.program.content import GUIDED_PRACTICES, PRACTICES, RATINGS
from rewire.program.forms import (
    AttributionForm,
    DistressForm,
    EvidenceForm,
    FlarePlanForm,
    PaceForm,
    PracticeForm,
    SafetyMessageForm,
    ThoughtRecordForm,
    WritingForm,
)
from rewire.program.models import (
    Attribution,
    Evidence,
    FlarePlanStep,
    Practice,
    SafetyMessage,
    ThoughtRecord,
    Writing,
)
from rewire.program.rules import mind_share, needs_support

PER_PAGE = 20

# Where each practice named by a session is done.
PRACTICE_URLS = {
    "checkin": ("home", None),
    "pain_attribution": ("causes", None),
    "evidence_log": ("evidence", None),
    "safety_messages": ("safety_messages", None),
    "thought_record": ("thought_create", None),
    "flare_plan": ("flare_plan", None),
    "fear_ladder": ("ladder", None),
    **{kind: ("practice", kind) for kind in GUIDED_PRACTICES},
}


def practice_url(practice_id: str) -> str:
    name, argument = PRACTICE_URLS[practice_id]
    return reverse(name, args=[argument] if argument else [])


def _attribution_due(user, done) -> bool:
    last = Attribution.objects.for_user(user).values_list("local_date", flat=True).first()
    intake = actions.course().sessions[0].id
    return progress.attribution_due(last=last, today=user.today(), intake_done=intake in done)


def home_card(user) -> dict:
    """The programme card on the home page: progress, what is next and when it opens, and
    today's practice, chosen from the person's own data."""
    course = actions.course()
    found = actions.where(user)
    state = measures.programme_state(user)
    upcoming = found.next
    suggestion = guide.todays_suggestion(user, found) if found.done_count else None
    return {
        "done_count": found.done_count,
        "total": len(course.sessions),
        "next_session": upcoming.session if upcoming else None,
        "next_opens": _opens(upcoming, found.today),
        "suggestion": suggestion,
        "suggestion_label": PRACTICES[suggestion.practice] if suggestion else "",
        "suggestion_url": practice_url(suggestion.practice) if suggestion else "",
        "attribution_due": _attribution_due(user, found.completions),
        "goals_waiting": goals.unrated_this_week(user),
        "checkup": boosters.due_checkup(after.checkups_for(user, found.completions)),
        "state": state,
        "waiting": waiting_for(state),
    }


def _opens(state, today) -> str:
    """ "on Thursday 10 December" for a session waiting for its day; "" for an open one."""
    if state is None or not state.waiting_for_its_day:
        return ""
    return actions.opens_in_words(state.opens_on, today=today)


# The course


@login_required
@programme_open
def overview(request):
    course = actions.course()
    found = actions.where(request.user)
    upcoming = found.next
    return render(
        request,
        "program/overview.html",
        {
            "states": [(state, _opens(state, found.today)) for state in found.states],
            "done_count": found.done_count,
            "total": len(course.sessions),
            "next_session": upcoming.session if upcoming else None,
            "next_opens": _opens(upcoming, found.today),
            "attribution_due": _attribution_due(request.user, found.completions),
            "guided": [course.practices[kind] for kind in GUIDED_PRACTICES],
            "topics": course.topics.values(),
            "goals": goals.goals_with_trends(request.user),
            "pace_form": PaceForm(initial={"pace": found.pace}),
        },
    )


@login_required
@programme_open
@require_POST
def pace(request):
    form = PaceForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the paces.")
        return redirect("programme")
    actions.set_pace(user=request.user, pace=form.cleaned_data["pace"])
    messages.success(request, f"Your pace is saved: {progress.PACES[form.cleaned_data['pace']]}.")
    return redirect("programme")  # the top, where the message and the next session are


@login_required
def not_helped(request):
    """Other options and what to say to a GP. Not behind the warning-sign gate: someone whose
    programme is paused or locked may need this page most."""
    return render(request, "program/not_helped.html", {"page": actions.course().not_helped})


def _session_or_404(session_id):
    session = actions.course().session(session_id)
    if session is None:
        raise Http404
    return session


@login_required
@programme_open
def session_page(request, session_id):
    course = actions.course()
    session = _session_or_404(session_id)
    found = actions.where(request.user)
    state = found.state(session.id)
    previous = course.sessions[session.number - 1] if session.number else None
    waiting_for = next(
        (s for s in course.sessions[: session.number] if s.id not in found.completions), None
    )
    following = course.sessions[session.number + 1 : session.number + 2]
    return render(
        request,
        "program/session.html",
        {
            "session": session,
            "done": found.completions.get(session.id),
            "waiting_for": waiting_for,
            "opens": _opens(state, found.today),
            "previous": previous,
            "previous_url": practice_url(previous.daily_practice) if previous else "",
            "previous_label": PRACTICES[previous.daily_practice] if previous else "",
            "pace": progress.PACES[found.pace],
            "review": guide.review_for(request.user, session.id, found),
            "following": following[0] if following else None,
            "practice_label": PRACTICES[session.practice],
            "practice_url": practice_url(session.practice),
            "daily_label": PRACTICES[session.daily_practice],
            "daily_url": practice_url(session.daily_practice),
            "attribution_due": _attribution_due(request.user, found.completions),
            "topic": SESSION_TOPICS.get(session.id) and course.topics[SESSION_TOPICS[session.id]],
        },
    )


# The lesson beside the sessions that each session leads on to.
SESSION_TOPICS = {
    "emotional_threats": "writing",
    "facing_movement": "pacing",
    "flares": "keeping_going",
}


@login_required
@programme_open
@require_POST
def session_complete(request, session_id):
    """Mark a session done, and land on what comes next: the causes question when it is due,
    the next session when it is open, else the home page, which says when it opens and what
    to practise until then."""
    session = _session_or_404(session_id)
    try:
        actions.complete_session(user=request.user, session_id=session.id)
    except InvalidEntry as invalid:
        messages.error(request, invalid.problems.get("session", "This session is not open yet."))
        return redirect("programme_session", session_id=session.id)
    found = actions.where(request.user)
    if _attribution_due(request.user, found.completions):
        messages.success(
            request, f"“{session.title}” is done. One short question before you go on."
        )
        return redirect("causes")
    upcoming = found.next
    if upcoming is None:
        messages.success(
            request,
            f"“{session.title}” is done, and with it the whole programme. The practices are "
            "yours to keep: here is how to keep going.",
        )
        return redirect("programme_topic", topic_id="keeping_going")
    if upcoming.open:
        messages.success(request, f"“{session.title}” is done. Next: “{upcoming.session.title}”.")
        return redirect("programme_session", session_id=upcoming.session.id)
    messages.success(
        request,
        f"“{session.title}” is done. The next session opens {_opens(upcoming, found.today)}; "
        "until then, today's practice is below.",
    )
    return redirect("home")


# Lessons beside the sessions (content/<language>/topics/): each may have a template of its
# own, program/topics/<id>.html extending program/topic.html, to put its tool beside the
# lesson, and a function here giving that template what it needs from the person's data.
TOPIC_CONTEXT: dict[str, Callable[[HttpRequest], dict]] = {
    "pacing": pacing_tool,  # the time-based pacing plans, with their timers
}


def _sleep_topic(request) -> dict:
    """The sleep lesson's chart: each night's sleep against the next day's pain, from the
    person's own check-ins up to today."""
    found = insights_data.sleep_and_pain(request.user, last=request.user.today())
    return {
        "sleep": found,
        "sleep_bars": insights_charts.sleep_bars(found.bands),
        "min_nights": MIN_NIGHTS,
    }


TOPIC_CONTEXT["sleep"] = _sleep_topic


@login_required
@programme_open
def topic_page(request, topic_id):
    topic = actions.course().topics.get(topic_id)
    if topic is None:
        raise Http404
    context = TOPIC_CONTEXT.get(topic.id, lambda request: {})(request)
    return render(
        request,
        [f"program/topics/{topic.id}.html", "program/topic.html"],
        {"topic": topic, **context},
    )


# Guided practices


@login_required
@programme_open
def practice(request, kind):
    if kind not in GUIDED_PRACTICES:
        raise Http404
    guided = actions.course().practices[kind]
    form = PracticeForm(request.POST or None, practice=guided)
    if request.method == "POST" and form.is_valid():
        saved = created_once_per_form(
            request,
            form,
            "practice",
            lambda: actions.record_practice(
                user=request.user, entry=form.to_entry(now=timezone.now())
            ),
        )
        if saved is not None:
            if Practice.objects.for_user(request.user).filter(pk=saved).exists():
                return redirect("practice_result", pk=saved)
            messages.info(request, "That practice was saved, then deleted.")
            return redirect("practice_list")
    return render(
        request,
        "program/practice.html",
        {"guided": guided, "form": form},
        status=form_status(form),
    )


def _change_in_words(rating: str, before, after) -> str:
    if before is None or after is None:
        if before is not None:
            return "not rated after"
        return "rated after only" if after is not None else "not rated"
    difference = after - before
    if difference == 0:
        return "stayed the same"
    points = f"{abs(difference)} point{'s' if abs(difference) != 1 else ''}"
    return f"went {'down' if difference < 0 else 'up'} by {points}"


# Short names for a rating in a result line ("Threat: 7 before"), beside the questions.
RATING_NAMES = {"pain": "Pain", "threat": "Sense of threat", "mood": "Mood", "tension": "Tension"}


def _rating_rows(practice_done: Practice) -> list[dict]:
    guided = actions.course().practices.get(practice_done.kind)
    names = guided.ratings if guided else tuple(RATINGS)
    rows = []
    for name in names:
        before = getattr(practice_done, f"{name}_before")
        after = getattr(practice_done, f"{name}_after")
        if before is None and after is None:
            continue
        rows.append(
            {
                "label": RATING_NAMES[name],
                "before": before,
                "after": after,
                "words": _change_in_words(name, before, after),
            }
        )
    return rows


@login_required
@programme_open(get_object=actions.get_practice_for)
def practice_result(request, pk):
    done = actions.get_practice_for(request.user, pk)
    return render(
        request,
        "program/practice_result.html",
        {
            "practice": done,
            "rows": _rating_rows(done),
            "minutes": max(1, round((done.finished_at - done.started_at).total_seconds() / 60)),
        },
    )


@login_required
@programme_open
def practice_list(request):
    page = Paginator(Practice.objects.for_user(request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "program/practice_list.html",
        {
            "page": page,
            "items": [(done, _rating_rows(done)) for done in page],
            "guided": [actions.course().practices[kind] for kind in GUIDED_PRACTICES],
        },
    )


@login_required
@programme_open(get_object=actions.get_practice_for)
def practice_delete(request, pk):
    done = actions.get_practice_for(request.user, pk)
    return confirm_delete(
        request,
        delete=lambda: actions.delete_practice(user=request.user, pk=pk),
        title="Delete this practice?",
        description=(
            f"{done.get_kind_display()} on "
            f"{timezone.localtime(done.started_at):%A %-d %B %Y at %H:%M}, with its ratings."
        ),
        cancel_url=reverse("practice_result", args=[pk]),
        done_url="practice_list",
        done="Practice deleted.",
    )


# Safety messages


def _safety_page(request, form, status=200):
    library = list(SafetyMessage.objects.for_user(request.user))
    have = {message.text for message in library}
    return render(
        request,
        "program/safety.html",
        {
            "form": form,
            "library": library,
            "suggestions": [s for s in actions.course().starter_safety_messages if s not in have],
        },
        status=status,
    )


@login_required
@programme_open
def safety_messages(request):
    form = SafetyMessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        added = created_once_per_form(
            request,
            form,
            "safety_message",
            lambda: actions.add_safety_message(user=request.user, text=form.cleaned_data["text"]),
        )
        if added is not None:
            messages.success(request, "Added to your safety messages.")
            return redirect(f"{reverse('safety_messages')}#message-{added}")
    return _safety_page(request, form, status=form_status(form))


@login_required
@programme_open
@require_POST
def safety_suggestion_add(request):
    text = request.POST.get("text", "").strip()
    existing = SafetyMessage.objects.for_user(request.user).filter(text=text).first()
    if existing is not None:
        messages.info(request, "That one is already in your messages.")
        return redirect(f"{reverse('safety_messages')}#message-{existing.pk}")
    try:
        added = actions.add_safety_message(user=request.user, text=text)
    except InvalidEntry as invalid:
        messages.error(request, f"Not added: {invalid.problems.get('text', 'please try again.')}")
        return redirect("safety_messages")
    messages.success(request, "Added to your messages. You can change the words to fit you.")
    return redirect(f"{reverse('safety_messages')}#message-{added.pk}")


@login_required
@programme_open(get_object=actions.get_safety_message_for)
def safety_message_edit(request, pk):
    message = actions.get_safety_message_for(request.user, pk)
    form = SafetyMessageForm(request.POST or None, initial={"text": message.text})
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_safety_message(user=request.user, pk=pk, text=form.cleaned_data["text"])
        except InvalidEntry as invalid:
            form.add_problems(invalid.problems)
        else:
            messages.success(request, "Safety message saved.")
            return redirect(f"{reverse('safety_messages')}#message-{pk}")
    return render(
        request,
        "program/safety_edit.html",
        {"form": form, "message": message},
        status=form_status(form),
    )


@login_required
@programme_open(get_object=actions.get_safety_message_for)
def safety_message_delete(request, pk):
    message = actions.get_safety_message_for(request.user, pk)
    return confirm_delete(
        request,
        delete=lambda: actions.delete_safety_message(user=request.user, pk=pk),
        title="Delete this safety message?",
        description=f"“{message.text}”",
        cancel_url=reverse("safety_messages"),
        done_url="safety_messages",
        done="Safety message deleted.",
    )


# Evidence log


@login_required
@programme_open
def evidence(request):
    course = actions.course()
    posted = None
    if request.method == "POST":
        posted = EvidenceForm(request.POST, course=course, auto_id="id_new_%s")
        if posted.is_valid():
            added = created_once_per_form(
                request,
                posted,
                "evidence",
                lambda: actions.add_evidence(
                    user=request.user,
                    kind=posted.cleaned_data["kind"],
                    example=posted.cleaned_data["example"],
                ),
            )
            if added is not None:
                kind = posted.cleaned_data["kind"]
                if kind in {item.id for item in course.elsewhere_kinds}:
                    # A clue that points elsewhere may be a warning sign: ask them again now,
                    # so a yes is recorded and acted on as the first answers were.
                    messages.warning(
                        request,
                        "Your clue is saved. Clues like this are worth checking with a "
                        "clinician. Please answer the warning-sign questions again now.",
                    )
                    return redirect("warning_signs")
                messages.success(request, "Example added to your evidence log.")
                return redirect(f"{reverse('evidence')}#kind-{kind}")
    examples: dict[str, list[Evidence]] = {}
    for item in Evidence.objects.for_user(request.user):
        examples.setdefault(item.kind, []).append(item)

    def listed(kinds):
        found = []
        for kind in kinds:
            if posted is not None and posted.data.get("kind") == kind.id:
                form = posted
            else:
                form = EvidenceForm(
                    initial={"kind": kind.id}, course=course, auto_id=f"id_{kind.id}_%s"
                )
            found.append({"kind": kind, "examples": examples.get(kind.id, []), "form": form})
        return found

    if posted is not None and "kind" in posted.errors:
        messages.error(request, "Choose one of the kinds of evidence listed.")
    return render(
        request,
        "program/evidence.html",
        {
            "kinds": listed(course.evidence_kinds),
            "elsewhere": listed(course.elsewhere_kinds),
            "count": sum(len(v) for v in examples.values()),
        },
        status=422 if posted is not None and posted.errors else 200,
    )


@login_required
@programme_open
def evidence_summary(request):
    course = actions.course()
    examples: dict[str, list[Evidence]] = {}
    for item in Evidence.objects.for_user(request.user):
        examples.setdefault(item.kind, []).append(item)
    found = [(kind, examples[kind.id]) for kind in course.evidence_kinds if kind.id in examples]
    elsewhere = [
        (kind, examples[kind.id]) for kind in course.elsewhere_kinds if kind.id in examples
    ]
    return render(
        request,
        "program/evidence_summary.html",
        {
            "found": found,
            "elsewhere": elsewhere,
            "kinds_total": len(course.evidence_kinds),
            "examples_total": sum(len(examples) for _, examples in found),
        },
    )


@login_required
@programme_open(get_object=actions.get_evidence_for)
def evidence_edit(request, pk):
    item = actions.get_evidence_for(request.user, pk)
    course = actions.course()
    form = EvidenceForm(
        request.POST or None, course=course, initial={"kind": item.kind, "example": item.example}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_evidence(
                user=request.user,
                pk=pk,
                kind=form.cleaned_data["kind"],
                example=form.cleaned_data["example"],
            )
        except InvalidEntry as invalid:
            form.add_problems(invalid.problems)
        else:
            messages.success(request, "Example saved.")
            return redirect(f"{reverse('evidence')}#kind-{form.cleaned_data['kind']}")
    return render(
        request,
        "program/evidence_edit.html",
        {"form": form, "item": item},
        status=form_status(form),
    )


@login_required
@programme_open(get_object=actions.get_evidence_for)
def evidence_delete(request, pk):
    item = actions.get_evidence_for(request.user, pk)
    return confirm_delete(
        request,
        delete=lambda: actions.delete_evidence(user=request.user, pk=pk),
        title="Delete this example?",
        description=f"“{item.example}”",
        cancel_url=reverse("evidence"),
        done_url="evidence",
        done="Example deleted.",
    )


# Pain attribution


def _attribution_history(user):
    history = list(Attribution.objects.for_user(user).prefetch_related("causes"))
    rows = []
    for attribution in history:
        causes = list(attribution.causes.all())
        rows.append(
            {
                "attribution": attribution,
                "causes": causes,
                "share": mind_share([cause.category for cause in causes]),
            }
        )
    series = [(row["attribution"].local_date, row["share"] * 10) for row in reversed(rows)]
    chart = None
    if series:
        first_day = series[0][0]
        last_day = max(user.today(), series[-1][0])
        chart = trends.line_chart(series, first_day=first_day, last_day=last_day)
    return rows, chart


@login_required
@programme_open
def causes(request):
    course = actions.course()
    form = AttributionForm(request.POST or None, course=course)
    if request.method == "POST" and form.is_valid():
        saved = created_once_per_form(
            request,
            form,
            "attribution",
            lambda: actions.record_attribution(
                user=request.user, entry=form.to_entry(now=timezone.now())
            ),
        )
        if saved is not None:
            messages.success(request, "Thank you. Your answer is saved.")
            return redirect("causes")
    rows, chart = _attribution_history(request.user)
    return render(
        request,
        "program/causes.html",
        {
            "form": form,
            "question": course.attribution_question,
            "help": course.attribution_help,
            "rows": rows,
            "chart": chart,
            "next_session": progress.next_session(course, actions.completed_sessions(request.user)),
        },
        status=form_status(form),
    )


@login_required
@programme_open(get_object=actions.get_attribution_for)
def causes_delete(request, pk):
    attribution = actions.get_attribution_for(request.user, pk)
    return confirm_delete(
        request,
        delete=lambda: actions.delete_attribution(user=request.user, pk=pk),
        title="Delete this answer?",
        description=(
            f"Your causes of pain from {attribution.local_date:%A %-d %B %Y}: "
            + "; ".join(cause.text for cause in attribution.causes.all())
        ),
        cancel_url=reverse("causes"),
        done_url="causes",
        done="Answer deleted.",
    )


# Thought records


@login_required
@programme_open
def thought_list(request):
    course = actions.course()
    page = Paginator(
        ThoughtRecord.objects.for_user(request.user).prefetch_related("emotions"), PER_PAGE
    ).get_page(request.GET.get("page"))
    trap_labels = {trap.id: trap.label for trap in course.thinking_traps}
    return render(
        request,
        "program/thoughts.html",
        {
            "page": page,
            "items": [
                (record, [trap_labels.get(trap, trap) for trap in record.traps]) for record in page
            ],
        },
    )


def _thought_form_page(request, *, record=None, checkin=None):
    course = actions.course()
    if record is not None:
        initial = ThoughtRecordForm.initial_from(record)
    elif checkin is not None:
        initial = ThoughtRecordForm.initial_from(checkin=checkin)
    else:
        initial = {}
    form = ThoughtRecordForm(request.POST or None, course=course, initial=initial)
    if request.method == "POST" and form.is_valid():
        # The check-in it started from may have been deleted meanwhile (another tab): keep
        # what was written and drop the link. (A stranger's id is dropped the same way.)
        checkin_id = form.cleaned_data.get("checkin")
        if checkin_id is not None and not (
            CheckIn.objects.for_user(request.user).filter(pk=checkin_id).exists()
        ):
            form.cleaned_data["checkin"] = None
            messages.info(request, "The check-in this started from is gone; saved without it.")
        if record is None:
            saved = created_once_per_form(
                request,
                form,
                "thought_record",
                lambda: actions.record_thought_record(
                    user=request.user, entry=form.to_entry(recorded_at=timezone.now())
                ),
            )
        else:
            try:
                saved = actions.update_thought_record(
                    user=request.user,
                    pk=record.pk,
                    entry=form.to_entry(recorded_at=record.recorded_at),
                ).pk
            except InvalidEntry as invalid:
                form.add_problems(invalid.problems)
                saved = None
        if saved is not None:
            messages.success(request, "Thought record saved.")
            return redirect(f"{reverse('thought_list')}#record-{saved}")
    if checkin is None and form.is_bound and form.data.get("checkin"):
        try:
            checkin = get_checkin_for(request.user, int(form.data["checkin"]))
        except (ValueError, Http404):
            checkin = None
    if checkin is None and record is not None and record.checkin_id:
        checkin = record.checkin
    return render(
        request,
        "program/thought_form.html",
        {"form": form, "record": record, "checkin": checkin},
        status=form_status(form),
    )


@login_required
@programme_open
def thought_create(request):
    checkin = None
    if request.method == "GET" and "checkin" in request.GET:
        try:
            checkin_id = int(request.GET["checkin"])
        except ValueError:
            raise Http404 from None
        checkin = get_checkin_for(request.user, checkin_id)
    return _thought_form_page(request, checkin=checkin)


@login_required
@programme_open(get_object=actions.get_thought_record_for)
def thought_edit(request, pk):
    record = actions.get_thought_record_for(request.user, pk)
    return _thought_form_page(request, record=record)


@login_required
@programme_open(get_object=actions.get_thought_record_for)
def thought_delete(request, pk):
    record = actions.get_thought_record_for(request.user, pk)
    return confirm_delete(
        request,
        delete=lambda: actions.delete_thought_record(user=request.user, pk=pk),
        title="Delete this thought record?",
        description=f"From {record.local_date:%A %-d %B %Y}: “{record.automatic_thought}”",
        cancel_url=reverse("thought_list"),
        done_url="thought_list",
        done="Thought record deleted.",
    )


# Flare plan


@login_required
@programme_open
def flare_plan(request):
    course = actions.course()
    steps = list(FlarePlanStep.objects.for_user(request.user))
    initial = "\n".join(step.text for step in steps) or "\n".join(course.starter_flare_plan)
    form = FlarePlanForm(request.POST or None, initial={"steps": initial})
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_flare_plan(user=request.user, steps=form.step_list())
        except InvalidEntry as invalid:
            form.add_problems(invalid.problems)
        else:
            messages.success(request, "Your flare plan is saved.")
            return redirect("flare_plan")
    library = list(SafetyMessage.objects.for_user(request.user))
    return render(
        request,
        "program/flare_plan.html",
        {
            "form": form,
            "steps": steps,
            "starter_steps": course.starter_flare_plan,
            "safety": library,
            "safety_suggestions": course.starter_safety_messages[:3] if not library else (),
        },
        status=form_status(form),
    )


# Expressive writing (topics/writing.md): private to the person. Nothing here logs what was
# written or how upset the person felt; both stay in their own Writing row.

WRITING_KINDS = dict(Writing.KINDS)
WRITING_NEW_URLS = {"unsent_letter": "writing_new_letter", "timeline": "writing_new_timeline"}
WRITING_PREVIEW_WORDS = 30


def _writing_list_items(pieces):
    return [
        {
            "piece": piece,
            "preview": " ".join(piece.text.split()[:WRITING_PREVIEW_WORDS]),
            "more": len(piece.text.split()) > WRITING_PREVIEW_WORDS,
            "events": len(piece.events.all()),
        }
        for piece in pieces
    ]


def _writing_topic_context(request) -> dict:
    """The lesson's page shows the person's latest pieces and where to start one."""
    latest = Writing.objects.for_user(request.user).prefetch_related("events")[:5]
    return {
        "writing_items": _writing_list_items(latest),
        "writing_count": Writing.objects.for_user(request.user).count(),
    }


TOPIC_CONTEXT["writing"] = _writing_topic_context


@login_required
@programme_open
def writing_list(request):
    page = Paginator(
        Writing.objects.for_user(request.user).prefetch_related("events"), PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(
        request, "program/writing_list.html", {"page": page, "items": _writing_list_items(page)}
    )


def _writing_form_page(request, *, kind: str, piece: Writing | None = None):
    initial = WritingForm.initial_from(piece) if piece is not None else {}
    posted = request.POST if request.method == "POST" else None
    form = WritingForm(posted, kind=kind, editing=piece is not None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if piece is None:
            saved = created_once_per_form(
                request,
                form,
                "writing",
                lambda: actions.record_writing(user=request.user, entry=form.to_entry()),
            )
        else:
            try:
                saved = actions.update_writing(
                    user=request.user,
                    pk=piece.pk,
                    entry=form.to_entry(
                        distress_before=piece.distress_before,
                        distress_after=piece.distress_after,
                    ),
                ).pk
            except InvalidEntry as invalid:
                form.add_problems(invalid.problems)
                saved = None
        if saved is not None:
            if not Writing.objects.for_user(request.user).filter(pk=saved).exists():
                messages.info(request, "That piece was saved, then deleted.")
                return redirect("writing_list")
            return redirect("writing_checkin", pk=saved)
    return render(
        request,
        "program/writing_form.html",
        {"form": form, "piece": piece, "kind": kind, "kind_label": WRITING_KINDS[kind]},
        status=form_status(form),
    )


@login_required
@programme_open
def writing_new_letter(request):
    return _writing_form_page(request, kind="unsent_letter")


@login_required
@programme_open
def writing_new_timeline(request):
    return _writing_form_page(request, kind="timeline")


@login_required
@programme_open(get_object=actions.get_writing_for)
def writing_detail(request, pk):
    piece = actions.get_writing_for(request.user, pk)
    return render(request, "program/writing_detail.html", {"piece": piece})


@login_required
@programme_open(get_object=actions.get_writing_for)
def writing_edit(request, pk):
    piece = actions.get_writing_for(request.user, pk)
    return _writing_form_page(request, kind=piece.kind, piece=piece)


@login_required
def writing_checkin(request, pk):
    """After writing: how upset do you feel now? (0–10) Not behind the warning-sign gate: a
    person who is upset after writing must reach the support route whatever the gate says."""
    piece = actions.get_writing_for(request.user, pk)
    form = DistressForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.rate_distress_after(
                user=request.user, pk=pk, distress=form.cleaned_data["distress_after"]
            )
        except InvalidEntry as invalid:
            form.add_problems(invalid.problems)
        else:
            return redirect("writing_after", pk=pk)
    return render(
        request,
        "program/writing_checkin.html",
        {"form": form, "piece": piece},
        status=form_status(form),
    )


@login_required
def writing_after(request, pk):
    """What comes after the check-in: the support route when the person is very upset, or
    their upset rose sharply; else a few kind words on what to do next."""
    piece = actions.get_writing_for(request.user, pk)
    if piece.distress_after is None:
        return redirect("writing_checkin", pk=pk)
    support = needs_support(piece.distress_before, piece.distress_after)
    return render(
        request,
        "program/writing_after.html",
        {
            "piece": piece,
            "support": support,
            "helplines": crisis_helplines() if support else [],
            "rose": (
                piece.distress_before is not None and piece.distress_after > piece.distress_before
            ),
        },
    )


@login_required
@programme_open(get_object=actions.get_writing_for)
def writing_delete(request, pk):
    piece = actions.get_writing_for(request.user, pk)
    name = f"“{piece.title}”" if piece.title else piece.get_kind_display().lower()
    return confirm_delete(
        request,
        delete=lambda: actions.delete_writing(user=request.user, pk=pk),
        title="Delete this piece of writing?",
        description=f"Your {name} from {piece.local_date:%A %-d %B %Y}.",
        cancel_url=reverse("writing_detail", args=[pk]),
        done_url="writing_list",
        done="Your writing is deleted.",
    )
