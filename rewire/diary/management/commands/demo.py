import dataclasses
import datetime as dt
import random
import secrets

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from rewire.accounts.actions import DEMO_DOMAIN, create_user
from rewire.accounts.models import User
from rewire.core.portability import clear_records
from rewire.diary.actions import ensure_starter_tags, ensure_tags, write_checkins
from rewire.diary.demo import demo_diary
from rewire.diary.models import Tag
from rewire.exposure import actions as exposure
from rewire.exposure.demo import demo_exposure
from rewire.exposure.rules import PacingBoutEntry
from rewire.goals import actions as goals
from rewire.goals.demo import demo_goals
from rewire.insights import experiments
from rewire.insights.models import Experiment, ExperimentDay
from rewire.measures import actions as measures
from rewire.measures.demo import demo_responses
from rewire.program import actions as program
from rewire.program.demo import PROGRAMME_DAYS, demo_programme
from rewire.program.models import SessionCompletion

DEMO_EMAIL = f"demo@{DEMO_DOMAIN}"
DEMO_ZONE = "Europe/London"


class Command(BaseCommand):
    help = "Create or refresh the demo account with N days of realistic diary data."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=90, help="Days of data (default 90).")
        parser.add_argument("--email", default=DEMO_EMAIL)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Allow --email to name an existing account that is not the demo account: "
            "its check-ins are deleted and its password reset.",
        )

    def handle(self, *args, days, email, seed, replace, **options):
        if not 1 <= days <= 36500:
            raise CommandError("--days must be between 1 and 36500.")
        existing = User.objects.filter(email__iexact=email).first()
        if existing and not existing.email.endswith(f"@{DEMO_DOMAIN}") and not replace:
            raise CommandError(
                f"{email} is a real account: the demo would delete its check-ins. "
                f"Use an address @{DEMO_DOMAIN}, or add --replace if that is really what you want."
            )
        password = "demo-" + secrets.token_urlsafe(9)
        with transaction.atomic():
            user = User.objects.filter(email__iexact=email).first()
            if user is None:
                user = create_user(email=email, password=password, timezone=DEMO_ZONE, demo=True)
            else:
                user.set_password(password)
                user.timezone = DEMO_ZONE
                user.save()
                clear_records(user)
                ensure_starter_tags(user=user)
            today = timezone.now().astimezone(user.zone).date()
            entries = demo_diary(days=days, today=today, zone=DEMO_ZONE, seed=seed)
            names = [(Tag.CONTEXT, n) for e, _ in entries for n in e.tags]
            names += [(Tag.HELPED, n) for e, _ in entries for n in e.helped]
            tags, _ = ensure_tags(user=user, names=names)
            now = timezone.now()
            rows = [
                (entry, day, min(entry.recorded_at, now), min(entry.recorded_at, now))
                for entry, day in entries
                if entry.recorded_at <= now + dt.timedelta(minutes=5)
            ]
            write_checkins(user, rows, tags=tags)
            # Who the programme is for (the first answer that fits each question) and the
            # warning signs, all answered no, so the programme is open.
            measures.record_suitability(
                user=user,
                answers={
                    question.id: next(option.value for option in question.options if option.fits)
                    for question in measures.suitability_questions()
                },
            )
            measures.record_screening(
                user=user, answers={f.id: False for f in measures.red_flags()}
            )
            start = today - dt.timedelta(days=min(days, PROGRAMME_DAYS) - 1)
            for instrument_id, answers, moment in demo_responses(
                start=start, today=today, zone=DEMO_ZONE, now=now, seed=seed
            ):
                measures.record_response(
                    user=user, instrument_id=instrument_id, answers=answers, answered_at=moment
                )
            course = program.course()
            started = write_programme(
                user,
                demo_programme(
                    course=course, days=days, today=today, zone=DEMO_ZONE, now=now, seed=seed
                ),
            )
            for goal in demo_goals(start=start, today=today, seed=seed):
                made = goals.add_goal(user=user, title=goal.title, why=goal.why)
                made.created_at = dt.datetime.combine(goal.added_on, dt.time(19), tzinfo=user.zone)
                made.save(update_fields=["created_at"])
                for monday, done in goal.ratings:
                    goals.rate_goal(user=user, pk=made.pk, week=monday, done=done)
            ladder = demo_exposure(
                days=days,
                today=today,
                zone=DEMO_ZONE,
                now=now,
                library=exposure.library(),
                seed=seed,
            )
            write_exposure(user, ladder)
            experiment = write_experiment(user, days=days, today=today, seed=seed)
        self.stdout.write(
            f"Demo diary ready: {len(rows)} check-ins over {days} days; "
            f"{started} of {len(course.sessions)} programme sessions done; "
            f"a fear ladder of {len(ladder.rungs)} activities with {len(ladder.attempts)} tries, "
            f"{len(ladder.mastered)} mastered; {len(ladder.activities)} activity sessions logged"
            f"{'; a finished personal experiment' if experiment else ''}.\n"
            f"Sign in with email {user.email} and password {password}"
        )


def write_experiment(user, *, days: int, today: dt.date, seed: int):
    """A finished 14-day experiment ("A 20-minute walk", judged by the day's average pain)
    that ended a week ago, answered on most days; only in a diary long enough to hold it."""
    start = today - dt.timedelta(days=21)
    if days < 22:
        return None
    experiment = Experiment.objects.create(
        user=user,
        intervention="A 20-minute walk",
        preset="walk_20_minutes",
        outcome="day_average",
        start_date=start,
        days=14,
        schedule=experiments.schedule(14, seed=seed),
        created_at=dt.datetime.combine(start, dt.time(8), tzinfo=user.zone),
    )
    rng = random.Random(seed)
    ExperimentDay.objects.bulk_create(
        ExperimentDay(
            experiment=experiment,
            date=start + dt.timedelta(days=index),
            # The plan kept on most days; now and then a walk skipped, or taken anyway.
            done=on if rng.random() < 0.85 else not on,
            answered_at=dt.datetime.combine(
                start + dt.timedelta(days=index), dt.time(21), tzinfo=user.zone
            ),
        )
        for index, on in enumerate(experiment.schedule)
        if rng.random() < 0.9
    )
    return experiment


def write_programme(user, demo) -> int:
    SessionCompletion.objects.bulk_create(
        SessionCompletion(user=user, session=session, completed_at=moment)
        for session, moment in demo.completions
    )
    for entry in demo.practices:
        program.record_practice(user=user, entry=entry)
    for entry in demo.attributions:
        program.record_attribution(user=user, entry=entry)
    for entry in demo.thought_records:
        program.record_thought_record(user=user, entry=entry)
    for kind, example in demo.evidence:
        program.add_evidence(user=user, kind=kind, example=example)
    for text in demo.safety_messages:
        program.add_safety_message(user=user, text=text)
    if demo.flare_plan:
        program.set_flare_plan(user=user, steps=demo.flare_plan)
    return len(demo.completions)


def write_exposure(user, demo) -> None:
    # The ladder was built just before the first try; a rung was mastered after its last.
    first_try = min((a.before.started_at for a in demo.attempts), default=timezone.now())
    rung_ids = [
        exposure.add_rung(user=user, entry=entry, at=first_try - dt.timedelta(hours=1)).pk
        for entry in demo.rungs
    ]
    last_try: dict[int, dt.datetime] = {}
    for attempt in demo.attempts:
        before = dataclasses.replace(attempt.before, rung=rung_ids[attempt.before.rung])
        written = exposure.start_attempt(user=user, entry=before, after=attempt.after)
        last_try[attempt.before.rung] = max(
            last_try.get(attempt.before.rung, written.finished_at), written.finished_at
        )
        if attempt.next_day_pain is not None:
            exposure.record_next_day_pain(user=user, pk=written.pk, pain=attempt.next_day_pain)
    for position in demo.mastered:
        exposure.set_mastered(
            user=user, pk=rung_ids[position], mastered=True, at=last_try.get(position)
        )
    for entry in demo.activities:
        exposure.log_activity(user=user, entry=entry)
    if demo.pacing_plan is not None:
        plan = exposure.add_pacing_plan(user=user, entry=demo.pacing_plan)
        for local_date, minutes, breaks, rounds_to_time in demo.pacing_bouts:
            exposure.log_pacing_bout(
                user=user,
                entry=PacingBoutEntry(
                    plan=plan.pk,
                    minutes=minutes,
                    breaks=breaks,
                    local_date=local_date,
                    rounds_to_time=rounds_to_time,
                ),
            )
