"""One person's report for a period: the pain trend, body areas, questionnaires, practice and
graded exposure, gathered from the models into plain dataclasses. Nothing here renders: the
page (report_views.py), the PDF (pdf.py) and a clinician's view draw the same Report.

It never sees a request. Whoever calls `build_report` has decided whose report it is and which
sections may be shown: the person's own choice, or for a clinician the sections the patient's
share allows (SECTION_SCOPES). Thoughts and notes are never part of it.

Every date is the person's own calendar date (the `local_date` kept with each record, or a
moment turned into a date in the person's timezone). docs/report.md says how each number is
worked out.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from statistics import fmean

from django.db.models import Avg, Count, Max, Q
from django.utils import timezone

from rewire.core.errors import InvalidEntry
from rewire.diary import trends
from rewire.diary.models import BodyAreaRating, CheckIn
from rewire.diary.vocabulary import BODY_AREA_LABELS
from rewire.exposure import ladder
from rewire.exposure.models import ExposureAttempt, PacingBout, Rung, RungRating
from rewire.goals import rules as goal_rules
from rewire.goals.models import Goal, GoalRating
from rewire.measures import actions as measures
from rewire.measures import scoring
from rewire.measures.instruments import Instrument
from rewire.measures.models import Response
from rewire.program import actions as programme
from rewire.program.content import GUIDED_PRACTICES
from rewire.program.models import Practice, SessionCompletion

# The sections, in the order a report shows them.
SECTIONS = {
    "pain": "Pain trend",
    "body": "Body areas",
    "questionnaires": "Questionnaires",
    "practice": "Practice",
    "exposure": "Graded exposure",
    "goals": "What matters (goals)",
}
# Which of a share's scopes (care.models.SCOPES) each section needs.
SECTION_SCOPES = {
    "pain": "diary",
    "body": "diary",
    "questionnaires": "questionnaires",
    "practice": "programme",
    "exposure": "programme",
    "goals": "programme",
}
DEFAULT_DAYS = 28
MAX_DAYS = 731  # two years, a leap day included
WEEK = 7
# The practices' ratings, named shortly for a table (the questions are in program.content).
RATING_NAMES = {"pain": "Pain", "threat": "Threat", "mood": "Mood", "tension": "Tension"}
# The pain scale's smallest meaningful change (2 points or 30 %) is the weekly pain
# questionnaire's: the diary's weekly averages are judged by the same rule.
PAIN_SCALE_INSTRUMENT = "weekly_pain"


def sections_for_scopes(scopes) -> set[str]:
    """The sections a share with these scopes allows."""
    return {section for section, scope in SECTION_SCOPES.items() if scope in scopes}


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last four weeks, today included."""
    return today - dt.timedelta(days=DEFAULT_DAYS - 1), today


def period_problems(first: dt.date, last: dt.date, *, today: dt.date) -> dict[str, str]:
    """What is wrong with a period, as {"first" or "last": reason}."""
    if last > today:
        return {"last": f"The period cannot end after today, {today.day} {today:%B %Y}."}
    if last < first:
        return {"last": "The last day must be on or after the first day."}
    days = (last - first).days + 1
    if days > MAX_DAYS:
        return {
            "first": f"A report covers at most two years ({MAX_DAYS} days); this period has "
            f"{days}. Choose a later first day."
        }
    return {}


def section_problems(sections) -> dict[str, str]:
    unknown = sorted(set(sections) - set(SECTIONS))
    if unknown:
        return {
            "sections": f"No section called {', '.join(unknown)}. "
            f"Choose from: {', '.join(SECTIONS)}."
        }
    if not sections:
        return {"sections": "Choose at least one section."}
    return {}


# --- The structure ------------------------------------------------------------------------


@dataclass(frozen=True)
class WeekChange:
    """The last week's average pain against the first week's, judged by the pain scale's
    smallest meaningful change."""

    points: float  # last week - first week, to one decimal
    percent: int | None  # of the first week's average, when it is above 0
    better: bool | None  # None: no change
    meaningful: bool
    words: str


@dataclass(frozen=True)
class PainSection:
    days: list[trends.DaySummary]  # each day with a check-in in the period, oldest first
    # The 7-day average on each of those days (the week before the period counts towards
    # the first days' averages).
    rolling: list[tuple[dt.date, float]]
    checkins: int
    flares: int  # check-ins marked as a flare
    average: float | None  # the mean of the daily averages
    first_week: float | None  # the first 7 days' mean of daily averages; None under 14 days
    last_week: float | None
    change: WeekChange | None
    mcid_points: int
    mcid_percent: int

    @property
    def days_logged(self) -> int:
        return len(self.days)


@dataclass(frozen=True)
class BodyAreaRow:
    area: str
    label: str
    times: int  # check-ins in the period marking it
    share: float  # of the period's check-ins, 0-1
    average: float  # its mean intensity when marked, 0-10
    highest: int


@dataclass(frozen=True)
class BodySection:
    rows: list[BodyAreaRow]  # most often marked first
    checkins: int
    checkins_marked: int  # check-ins with at least one area marked


@dataclass(frozen=True)
class ScoreRow:
    day: dt.date
    total: int | None  # None: too many questions unanswered to score
    band: str  # "" for Rewire's own ratings (not validated) and unscored answers
    subscale: int | None  # STarT Back's psychosocial subscore
    prorated: bool
    crisis: bool  # PHQ-9 item 9 answered above 0


@dataclass(frozen=True)
class InstrumentSummary:
    instrument: Instrument  # its names, bands, MCID, scale
    scores: list[ScoreRow]  # oldest first
    # The last score in the period against the first (scoring.change_since_baseline), when
    # the instrument tracks change and two scores were made.
    change: scoring.Change | None

    @property
    def crisis_days(self) -> list[dt.date]:
        return [score.day for score in self.scores if score.crisis]


@dataclass(frozen=True)
class QuestionnaireSection:
    instruments: list[InstrumentSummary]  # in the app's order of instruments


@dataclass(frozen=True)
class RatingAverage:
    rating: str  # pain | threat | mood
    name: str
    pairs: int  # practices with both a before and an after rating
    before: float | None
    after: float | None


@dataclass(frozen=True)
class PracticeRow:
    kind: str
    title: str
    count: int
    minutes: int  # time spent, from start to finish
    ratings: list[RatingAverage]  # the ratings this practice asks for


@dataclass(frozen=True)
class SessionDone:
    number: int
    title: str
    day: dt.date


@dataclass(frozen=True)
class PracticeSection:
    rows: list[PracticeRow]  # in the course's order of practices
    total: int
    sessions: list[SessionDone]  # sessions completed in the period
    sessions_done_by_end: int
    sessions_in_course: int


@dataclass(frozen=True)
class RungSummary:
    activity: str
    fear: int  # 0-100, as rated by the period's end
    fear_at_start: int | None  # as rated before the period; None: added during it
    expected_pain: int
    harm: int
    mastered_on: dt.date | None  # when marked mastered, if by the period's end
    tries: int  # finished in the period
    predicted_pain: float | None  # mean over those tries
    actual_pain: float | None
    surprises: int  # tries where the alarm was wrong (ladder.Violation.surprised)


@dataclass(frozen=True)
class ExposureSection:
    rungs: list[RungSummary]  # easiest first, as the ladder orders them at the period's end
    tries: int
    unfinished: int  # predicted in the period, the outcome not yet said
    predicted_pain: float | None
    actual_pain: float | None
    surprises: int
    mastered_in_period: int
    pacing: list["PacingSummary"] = field(default_factory=list)  # plans with bouts in it


@dataclass(frozen=True)
class PacingSummary:
    """Time-based pacing of one activity in the period: its bouts and the plan's quota now."""

    activity: str
    activity_minutes: int  # the plan's quota of activity, as it is now
    break_minutes: int
    bouts: int
    minutes: int  # of activity, in all
    breaks: int


@dataclass(frozen=True)
class GoalSummary:
    title: str  # the person's own words for it (why it matters is left out)
    weeks_rated: int  # weeks of the period rated
    first: goal_rules.Week | None  # the period's first rated week
    latest: goal_rules.Week | None  # its last


@dataclass(frozen=True)
class GoalsSection:
    goals: list[GoalSummary]  # the goals held at the period's end, oldest first
    measure: str = goal_rules.NOT_VALIDATED


@dataclass(frozen=True)
class Report:
    person: str  # the account's email address
    timezone: str
    first: dt.date
    last: dt.date
    made_on: dt.date
    sections: tuple[str, ...]  # in SECTIONS order
    pain: PainSection | None = None
    body: BodySection | None = None
    questionnaires: QuestionnaireSection | None = None
    practice: PracticeSection | None = None
    exposure: ExposureSection | None = None
    goals: GoalsSection | None = None

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def section_labels(self) -> list[tuple[str, str]]:
        return [(section, SECTIONS[section]) for section in self.sections]


# --- Gathering ----------------------------------------------------------------------------


def build_report(user, *, first: dt.date, last: dt.date, sections) -> Report:
    """`user`'s report for first..last (their own dates, both included) with the chosen
    sections. Raises InvalidEntry with the problems of a period or sections it refuses."""
    today = user.today()
    problems = section_problems(set(sections)) | period_problems(first, last, today=today)
    if problems:
        raise InvalidEntry(problems)
    chosen = tuple(section for section in SECTIONS if section in sections)
    period = _Period(user, first, last)
    gather = {
        "pain": _pain,
        "body": _body,
        "questionnaires": _questionnaires,
        "practice": _practice,
        "exposure": _exposure,
        "goals": _goals,
    }
    return Report(
        person=user.email,
        timezone=user.timezone,
        first=first,
        last=last,
        made_on=today,
        sections=chosen,
        **{section: gather[section](period) for section in chosen},
    )


@dataclass(frozen=True)
class _Period:
    user: object
    first: dt.date
    last: dt.date

    @property
    def start(self) -> dt.datetime:
        """The first moment of the first day, in the person's timezone."""
        return dt.datetime.combine(self.first, dt.time.min, tzinfo=self.user.zone)

    @property
    def end(self) -> dt.datetime:
        """The first moment after the last day."""
        return dt.datetime.combine(
            self.last + dt.timedelta(days=1), dt.time.min, tzinfo=self.user.zone
        )

    def local_date(self, moment: dt.datetime) -> dt.date:
        return timezone.localtime(moment, self.user.zone).date()


def _mean(values) -> float | None:
    values = list(values)
    return fmean(values) if values else None


def _week_average(days: list[trends.DaySummary], first: dt.date) -> float | None:
    return _mean(s.average for s in days if first <= s.day < first + dt.timedelta(days=WEEK))


def _week_change(instrument: Instrument, first_week: float, last_week: float) -> WeekChange:
    # Decimals of the rounded averages, so that 4.1 -> 2.1 is exactly the 2 points it shows.
    before, after = Decimal(f"{first_week:.1f}"), Decimal(f"{last_week:.1f}")
    change = scoring.change_since_baseline(instrument, before, after)
    points = float(after - before)
    if change.better is None:
        words = "No change from the first week to the last."
    else:
        threshold = f"{instrument.mcid_points} points"
        if change.better and instrument.mcid_percent:
            threshold += f" or {instrument.mcid_percent}% less"
        words = (
            f"The last week was {abs(points):.1f} points {'lower' if points < 0 else 'higher'} "
            f"than the first ({'better' if change.better else 'worse'}): "
            + (
                f"at least {threshold}, a meaningful change."
                if change.meaningful
                else f"less than {threshold}, which may be day-to-day variation."
            )
        )
    return WeekChange(
        points=points,
        percent=change.percent,
        better=change.better,
        meaningful=bool(change.meaningful),
        words=words,
    )


def _pain(period: _Period) -> PainSection:
    rows = list(
        CheckIn.objects.for_user(period.user)
        .filter(
            local_date__gte=period.first - dt.timedelta(days=WEEK - 1),
            local_date__lte=period.last,
        )
        .values_list("local_date", "pain", "is_flare")
    )
    summaries = trends.summarise_days((day, pain) for day, pain, _ in rows)
    days = [summary for summary in summaries if summary.day >= period.first]
    rolling = [point for point in trends.rolling_average(summaries) if point[0] >= period.first]
    first_week = last_week = change = None
    scale = measures.instrument(PAIN_SCALE_INSTRUMENT)
    if (period.last - period.first).days + 1 >= 2 * WEEK:
        first_week = _week_average(days, period.first)
        last_week = _week_average(days, period.last - dt.timedelta(days=WEEK - 1))
        if first_week is not None and last_week is not None:
            change = _week_change(scale, first_week, last_week)
    return PainSection(
        days=days,
        rolling=rolling,
        checkins=sum(summary.count for summary in days),
        flares=sum(1 for day, _, flare in rows if flare and day >= period.first),
        average=_mean(summary.average for summary in days),
        first_week=first_week,
        last_week=last_week,
        change=change,
        mcid_points=scale.mcid_points,
        mcid_percent=scale.mcid_percent,
    )


def _body(period: _Period) -> BodySection:
    checkins = CheckIn.objects.for_user(period.user).filter(
        local_date__gte=period.first, local_date__lte=period.last
    )
    count = checkins.count()
    ratings = BodyAreaRating.objects.filter(checkin__in=checkins)
    marked = ratings.values("checkin").distinct().count()
    rows = [
        BodyAreaRow(
            area=row["area"],
            label=BODY_AREA_LABELS.get(row["area"], row["area"]),
            times=row["times"],
            share=row["times"] / count,
            average=float(row["average"]),
            highest=row["highest"],
        )
        for row in ratings.values("area").annotate(
            times=Count("id"), average=Avg("intensity"), highest=Max("intensity")
        )
    ]
    rows.sort(key=lambda row: (-row.times, -row.average, row.label))
    return BodySection(rows=rows, checkins=count, checkins_marked=marked)


def _questionnaires(period: _Period) -> QuestionnaireSection:
    definitions = measures.instruments()
    by_instrument: dict[str, list[Response]] = defaultdict(list)
    responses = (
        Response.objects.for_user(period.user)
        .filter(local_date__gte=period.first, local_date__lte=period.last)
        .order_by("answered_at", "id")
    )
    for response in responses:
        by_instrument[response.instrument].append(response)
    summaries = []
    for instrument_id, definition in definitions.items():
        answered = by_instrument.get(instrument_id)
        if not answered:
            continue
        scores = [
            ScoreRow(
                day=response.local_date,
                total=response.total,
                band=response.band if definition.validated and response.total is not None else "",
                subscale=response.subscale,
                prorated=response.prorated,
                crisis=scoring.needs_crisis_support(definition, response.answers),
            )
            for response in answered
        ]
        scored = [score for score in scores if score.total is not None]
        change = None
        if scoring.tracks_change(definition) and len(scored) > 1:
            change = scoring.change_since_baseline(definition, scored[0].total, scored[-1].total)
        summaries.append(InstrumentSummary(instrument=definition, scores=scores, change=change))
    return QuestionnaireSection(instruments=summaries)


def _practice(period: _Period) -> PracticeSection:
    course = programme.course()
    practices = (
        Practice.objects.for_user(period.user)
        .filter(local_date__gte=period.first, local_date__lte=period.last)
        .only(
            "kind",
            "started_at",
            "finished_at",
            "pain_before",
            "pain_after",
            "threat_before",
            "threat_after",
            "mood_before",
            "mood_after",
            "tension_before",
            "tension_after",
        )
    )
    by_kind: dict[str, list[Practice]] = defaultdict(list)
    for practice in practices:
        by_kind[practice.kind].append(practice)
    rows = []
    for kind in GUIDED_PRACTICES:
        done = by_kind.get(kind)
        if not done:
            continue
        guided = course.practices.get(kind)
        ratings = []
        for rating in guided.ratings if guided else ():
            pairs = [
                (getattr(p, f"{rating}_before"), getattr(p, f"{rating}_after"))
                for p in done
                if getattr(p, f"{rating}_before") is not None
                and getattr(p, f"{rating}_after") is not None
            ]
            ratings.append(
                RatingAverage(
                    rating=rating,
                    name=RATING_NAMES.get(rating, rating),
                    pairs=len(pairs),
                    before=_mean(before for before, _ in pairs),
                    after=_mean(after for _, after in pairs),
                )
            )
        seconds = sum((p.finished_at - p.started_at).total_seconds() for p in done)
        rows.append(
            PracticeRow(
                kind=kind,
                title=guided.title if guided else kind,
                count=len(done),
                minutes=round(seconds / 60),
                ratings=ratings,
            )
        )
    completed = SessionCompletion.objects.for_user(period.user).filter(completed_at__lt=period.end)
    sessions = []
    for done in completed.filter(completed_at__gte=period.start):
        session = course.session(done.session)
        if session is not None:
            sessions.append(
                SessionDone(session.number, session.title, period.local_date(done.completed_at))
            )
    known = {session.id for session in course.sessions}
    return PracticeSection(
        rows=rows,
        total=sum(row.count for row in rows),
        sessions=sessions,
        sessions_done_by_end=sum(1 for done in completed if done.session in known),
        sessions_in_course=len(course.sessions),
    )


def _exposure(period: _Period) -> ExposureSection:
    attempts = list(
        ExposureAttempt.objects.for_user(period.user)
        .filter(local_date__gte=period.first, local_date__lte=period.last)
        .only(
            "rung",
            "local_date",
            "finished_at",
            "fear_before",
            "predicted_pain",
            "predicted_harm",
            "actual_pain",
            "outcome",
            "fear_after",
        )
    )
    finished = [attempt for attempt in attempts if attempt.finished]
    # The rungs there were by the period's end (and any tried in it, whenever added).
    rungs = list(
        Rung.objects.for_user(period.user).filter(
            Q(created_at__lt=period.end) | Q(pk__in={a.rung_id for a in attempts})
        )
    )
    latest: dict[int, tuple[int, int, int]] = {}
    before_start: dict[int, int] = {}
    ratings = (
        RungRating.objects.filter(rung__in=rungs, rated_at__lt=period.end)
        .order_by("rated_at", "id")
        .values_list("rung_id", "rated_at", "fear", "expected_pain", "harm")
    )
    for rung_id, rated_at, fear, expected_pain, harm in ratings:
        latest[rung_id] = (fear, expected_pain, harm)
        if rated_at < period.start:
            before_start[rung_id] = fear
    tries: dict[int, list[ExposureAttempt]] = defaultdict(list)
    for attempt in finished:
        tries[attempt.rung_id].append(attempt)
    ordered = []
    for rung in rungs:
        fear, expected_pain, harm = latest.get(rung.pk, (rung.fear, rung.expected_pain, rung.harm))
        mastered = rung.mastered_at is not None and rung.mastered_at < period.end
        own = tries.get(rung.pk, [])
        summary = RungSummary(
            activity=rung.activity,
            fear=fear,
            fear_at_start=before_start.get(rung.pk),
            expected_pain=expected_pain,
            harm=harm,
            mastered_on=period.local_date(rung.mastered_at) if mastered else None,
            tries=len(own),
            predicted_pain=_mean(a.predicted_pain for a in own),
            actual_pain=_mean(a.actual_pain for a in own),
            surprises=sum(ladder.violation(a).surprised for a in own),
        )
        # The ladder's own order (ladder.difficulty), by the ratings at the period's end.
        ordered.append(((fear, harm, expected_pain, rung.pk), summary))
    ordered.sort(key=lambda pair: pair[0])
    pacing: dict[int, list[PacingBout]] = defaultdict(list)
    for bout in (
        PacingBout.objects.for_user(period.user)
        .filter(local_date__gte=period.first, local_date__lte=period.last)
        .select_related("plan")
        .order_by("plan__activity", "local_date")
    ):
        pacing[bout.plan_id].append(bout)
    return ExposureSection(
        pacing=[
            PacingSummary(
                activity=bouts[0].plan.activity,
                activity_minutes=bouts[0].plan.activity_minutes,
                break_minutes=bouts[0].plan.break_minutes,
                bouts=len(bouts),
                minutes=sum(bout.minutes for bout in bouts),
                breaks=sum(bout.breaks for bout in bouts),
            )
            for bouts in pacing.values()
        ],
        rungs=[summary for _, summary in ordered],
        tries=len(finished),
        unfinished=len(attempts) - len(finished),
        predicted_pain=_mean(a.predicted_pain for a in finished),
        actual_pain=_mean(a.actual_pain for a in finished),
        surprises=sum(ladder.violation(a).surprised for a in finished),
        mastered_in_period=sum(
            1
            for rung in rungs
            if rung.mastered_at is not None and period.start <= rung.mastered_at < period.end
        ),
    )


def _goals(period: _Period) -> GoalsSection:
    """Each goal held by the period's end, with the weeks rated in the period: those whose
    Monday falls in it, and the week it starts in."""
    goals = list(Goal.objects.for_user(period.user).filter(created_at__lt=period.end))
    ratings: dict[int, list[goal_rules.Week]] = defaultdict(list)
    for goal_id, week, done in (
        GoalRating.objects.for_user(period.user)
        .filter(week__gte=goal_rules.week_of(period.first), week__lte=period.last)
        .order_by("week")
        .values_list("goal_id", "week", "done")
    ):
        ratings[goal_id].append(goal_rules.Week(week, done))
    return GoalsSection(
        goals=[
            GoalSummary(
                title=goal.title,
                weeks_rated=len(ratings[goal.pk]),
                first=ratings[goal.pk][0] if ratings[goal.pk] else None,
                latest=ratings[goal.pk][-1] if ratings[goal.pk] else None,
            )
            for goal in goals
        ]
    )
