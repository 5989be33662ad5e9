import datetime as dt

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from rewire.core.errors import InvalidEntry
from rewire.core.idempotency import created_once_per_form, once_per_form
from rewire.diary import actions, trends
from rewire.diary.forms import CheckInForm, FlareForm
from rewire.diary.models import CheckIn, Tag
from rewire.diary.vocabulary import BODY_AREA_LABELS, BODY_AREAS
from rewire.exposure.views import home_card as movement_card
from rewire.insights.views import home_card as experiment_card
from rewire.measures.actions import OPEN
from rewire.measures.views import due_questionnaires
from rewire.program.views import home_card

HIGH_PAIN = 7  # from here on, a check-in offers the person's safety messages


def _offer_support(request, text: str) -> None:
    """base.html shows a message tagged "support" with the safety messages and flare plan."""
    messages.info(request, text, extra_tags="support")


RANGES = (30, 90, 365)
DAYS_PER_PAGE = 14


def home(request):
    if not request.user.is_authenticated:
        if not get_user_model().objects.exists():
            return redirect("signup")
        return redirect("login")
    if request.user.is_clinician:
        return redirect("patients")  # a clinician keeps no diary: their home is their patients
    return checkin_create(request)


def _sleep_logged_in(user, day, excluding=None) -> CheckIn | None:
    """Another check-in of the day that holds last night's sleep, if one does: sleep is asked
    on any check-in of a day until one holds it, then edited there (one night, one answer)."""
    others = (
        CheckIn.objects.for_user(user)
        .filter(local_date=day)
        .filter(Q(sleep_hours__isnull=False) | Q(sleep_quality__isnull=False))
    )
    if excluding is not None:
        others = others.exclude(pk=excluding.pk)
    return others.order_by("recorded_at", "id").first()


@login_required
def checkin_create(request):
    today = request.user.today()
    sleep_in = _sleep_logged_in(request.user, today)
    form = CheckInForm(request.POST or None, user=request.user, show_sleep=sleep_in is None)
    if request.method == "POST" and form.is_valid():
        pk = created_once_per_form(
            request,
            form,
            "checkin",
            lambda: actions.record_checkin(user=request.user, entry=form.to_entry()),
        )
        if pk is not None:
            # Gone when a resent form's check-in was deleted in between: nothing to say.
            if checkin := CheckIn.objects.for_user(request.user).filter(pk=pk).first():
                messages.success(
                    request,
                    f"Saved: pain {checkin.pain} at "
                    f"{timezone.localtime(checkin.recorded_at):%H:%M}.",
                )
                if checkin.is_flare or checkin.pain >= HIGH_PAIN:
                    _offer_support(
                        request,
                        "A flare is hard, and it passes. These may help right now."
                        if checkin.is_flare
                        else "That is a lot of pain. These may help right now.",
                    )
            return redirect("home")
    todays = actions.with_details(CheckIn.objects.for_user(request.user).filter(local_date=today))
    programme = home_card(request.user)
    return render(
        request,
        "diary/checkin_form.html",
        {
            "form": form,
            "sleep_in": sleep_in,
            "todays_checkins": todays,
            "is_new": True,
            "body_areas": BODY_AREAS,
            "programme": programme,
            "movement": movement_card(request) if programme["state"] == OPEN else None,
            "experiment_card": experiment_card(request.user),
            "due_questionnaires": due_questionnaires(request.user),
        },
        status=422 if form.errors else 200,
    )


@login_required
def checkin_edit(request, pk):
    checkin = actions.get_checkin_for(request.user, pk)
    initial = CheckInForm.initial_from(actions.entry_from_checkin(checkin))
    sleep_in = _sleep_logged_in(request.user, checkin.local_date, excluding=checkin)
    show_sleep = (
        checkin.sleep_hours is not None or checkin.sleep_quality is not None or sleep_in is None
    )
    form = CheckInForm(
        request.POST or None, user=request.user, initial=initial, show_sleep=show_sleep
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_checkin(user=request.user, pk=pk, entry=form.to_entry())
        except InvalidEntry as invalid:
            form.add_problems(invalid.problems)
        else:
            messages.success(request, "Check-in updated.")
            return redirect("history")
    return render(
        request,
        "diary/checkin_form.html",
        {
            "form": form,
            "checkin": checkin,
            "is_new": False,
            "body_areas": BODY_AREAS,
            "sleep_in": None if show_sleep else sleep_in,
        },
        status=422 if form.errors else 200,
    )


@login_required
def checkin_delete(request, pk):
    checkin = actions.get_checkin_for(request.user, pk)
    if request.method == "POST":
        actions.delete_checkin(user=request.user, pk=pk)
        messages.success(request, "Check-in deleted.")
        return redirect("history")
    return render(request, "diary/checkin_confirm_delete.html", {"checkin": checkin})


@login_required
@require_POST
def flare(request):
    form = FlareForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the pain of this flare from 0 to 10.")
        return redirect("home")
    _, answer = once_per_form(
        request,
        "flare",
        lambda: (
            201,
            {"id": actions.record_flare(user=request.user, pain=form.cleaned_data["pain"]).pk},
        ),
    )
    checkin = CheckIn.objects.for_user(request.user).filter(pk=answer["id"]).first()
    if checkin is None:
        messages.info(request, "That flare was recorded, then deleted.")
        return redirect("home")
    messages.success(
        request,
        f"Flare recorded: pain {checkin.pain} at {timezone.localtime(checkin.recorded_at):%H:%M}. "
        "Add details now or later — or just rest.",
    )
    _offer_support(
        request,
        "A flare is hard, and it passes. Your flare plan and somatic tracking are one tap away.",
    )
    return redirect("checkin_edit", pk=checkin.pk)


@login_required
def history(request):
    try:
        days_shown = int(request.GET.get("range", 30))
    except ValueError:
        days_shown = 30
    if days_shown not in RANGES:
        days_shown = 30
    # "helped:walk" or "context:work"; a bare name matches either kind.
    tag = request.GET.get("tag", "")
    kind, _, tag_name = tag.partition(":")
    if kind not in (Tag.CONTEXT, Tag.HELPED):
        kind, tag_name = "", tag
    today = request.user.today()
    first_day = today - dt.timedelta(days=days_shown - 1)

    diary = CheckIn.objects.for_user(request.user)
    if tag_name:
        in_context, in_helped = Q(tags__name=tag_name), Q(helped__name=tag_name)
        chosen = {Tag.CONTEXT: in_context, Tag.HELPED: in_helped}.get(kind, in_context | in_helped)
        diary = diary.filter(pk__in=diary.filter(chosen).values("pk"))
    # Not after tomorrow: a clock set wrong once may have left later rows, but after a move
    # west, today's check-ins may carry tomorrow's date.
    diary = diary.filter(local_date__lte=today + dt.timedelta(days=1))
    checkins = diary.filter(local_date__gte=first_day)
    # The rolling average needs the week before the range too.
    rows = diary.filter(local_date__gte=first_day - dt.timedelta(days=6))
    summaries = trends.summarise_days(rows.values_list("local_date", "pain"))
    rolling = [point for point in trends.rolling_average(summaries) if point[0] >= first_day]
    last_day = max(today, rolling[-1][0]) if rolling else today
    chart = trends.line_chart(rolling, first_day=first_day, last_day=last_day)
    in_range = [s for s in summaries if s.day >= first_day]

    page = Paginator(list(reversed(in_range)), DAYS_PER_PAGE).get_page(request.GET.get("page"))
    page_days = [summary.day for summary in page]
    by_day: dict[dt.date, list[CheckIn]] = {day: [] for day in page_days}
    for checkin in actions.with_details(checkins.filter(local_date__in=page_days)):
        by_day[checkin.local_date].append(checkin)

    return render(
        request,
        "diary/history.html",
        {
            "ranges": RANGES,
            "days_shown": days_shown,
            "tag": tag,
            "tag_name": tag_name,
            "tags": Tag.objects.for_user(request.user),
            "chart": chart,
            "latest_average": rolling[-1][1] if rolling else None,
            "page": page,
            "days": [(summary, by_day[summary.day]) for summary in page],
            "area_labels": BODY_AREA_LABELS,
        },
    )
