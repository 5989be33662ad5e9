"""After the four weeks: the maintenance plan (its writes, and what the person's own data
suggests for it) and the check-ups at 8 and 12 weeks (boosters.py has the rules)."""

from collections import Counter, defaultdict

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from rewire.core.errors import InvalidEntry
from rewire.diary.models import CheckIn
from rewire.exposure.models import Rung
from rewire.program import boosters
from rewire.program.actions import completed_sessions, course
from rewire.program.models import MaintenancePlan, Practice
from rewire.program.rules import plan_problems

# Which rating each practice eases, named for the plan's words; the first it records counts.
# Never pain: somatic tracking is not about making the pain go away (outcome independence),
# and a plan that scores practices by pain would teach the opposite.
EASES = (("threat", "sense of threat"), ("tension", "tension"))
STARTER_KEEP_DOING = (
    "A short check-in each day, even on good days.",
    "My guided practice a few times a week.",
    "Rate what matters to me each week, and do a little more of it.",
)
STARTER_WARNING_SIGNS = (
    "I start to avoid movements again, or move stiffly and carefully.",
    "I check my body for pain many times a day.",
    "I read a pain as damage, and the fear comes back.",
    "Stress piles up and I stop making time for myself.",
)


def plan_of(user) -> MaintenancePlan | None:
    return MaintenancePlan.objects.for_user(user).first()


@transaction.atomic
def save_plan(*, user, keep_doing: str, warning_signs: str, what_helped: str) -> MaintenancePlan:
    """Write the plan (there is one per person: saving again replaces it)."""
    texts = {
        "keep_doing": keep_doing.strip(),
        "warning_signs": warning_signs.strip(),
        "what_helped": what_helped.strip(),
    }
    if problems := plan_problems(**texts):
        raise InvalidEntry(problems)
    plan, _ = MaintenancePlan.objects.update_or_create(
        user=user, defaults={**texts, "updated_at": timezone.now()}
    )
    return plan


def helped_lines(user) -> list[str]:
    """What helped most, from the person's own records (boosters.helped_lines)."""
    titles = {kind: guided.title for kind, guided in course().practices.items()}
    falls: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    times: Counter = Counter()
    for practice in Practice.objects.for_user(user).only(
        "kind", *(f"{rating}_{when}" for rating, _ in EASES for when in ("before", "after"))
    ):
        times[practice.kind] += 1
        for rating, _ in EASES:
            before = getattr(practice, f"{rating}_before")
            after = getattr(practice, f"{rating}_after")
            if before is not None and after is not None:
                falls[practice.kind][rating].append(before - after)
    uses = []
    for kind, count in times.items():
        rating = next((r for r, _ in EASES if falls[kind][r]), None)
        eased = None if rating is None else sum(falls[kind][rating]) / len(falls[kind][rating])
        uses.append(
            boosters.PracticeUse(
                kind, titles.get(kind, kind), count, eased, dict(EASES).get(rating, "")
            )
        )
    helped = list(
        CheckIn.objects.for_user(user)
        .order_by()
        .values("helped__name")
        .exclude(helped__name=None)
        .annotate(days=Count("local_date", distinct=True))
        .order_by("-days", "helped__name")
        .values_list("helped__name", "days")[:3]
    )
    mastered = list(
        Rung.objects.for_user(user)
        .filter(mastered_at__isnull=False)
        .order_by("mastered_at")
        .values_list("activity", flat=True)
    )
    return boosters.helped_lines(uses, helped, mastered)


def starter_plan(user) -> dict[str, str]:
    """A first draft of the plan from the person's own data, for them to change."""
    lines = helped_lines(user)
    return {
        "keep_doing": "\n".join(STARTER_KEEP_DOING),
        "warning_signs": "\n".join(STARTER_WARNING_SIGNS),
        "what_helped": "\n".join(lines),
    }


def checkups_for(user, done: dict | None = None) -> list[boosters.Checkup]:
    """The check-ups at 8 and 12 weeks of someone who finished the programme (none before).
    `done`: the sessions completed, when the caller has read them already."""
    from rewire.diary.actions import local_date_of
    from rewire.measures.actions import instruments
    from rewire.measures.models import Response
    from rewire.measures.scoring import needs_crisis_support

    done = completed_sessions(user) if done is None else done
    sessions = course().sessions
    if not done or any(session.id not in done for session in sessions):
        return []
    started = local_date_of(user, done[sessions[0].id].completed_at)
    finished = local_date_of(user, max(completion.completed_at for completion in done.values()))
    intake_done = done[sessions[0].id].completed_at
    known = instruments()
    answers: dict[str, list[boosters.Answer]] = defaultdict(list)
    for instrument, day, total, answered_at, given in (
        Response.objects.for_user(user)
        .filter(instrument__in=boosters.CHECKUP_INSTRUMENTS, total__isnull=False)
        .order_by("local_date", "answered_at", "id")
        .values_list("instrument", "local_date", "total", "answered_at", "answers")
    ):
        crisis = instrument in known and needs_crisis_support(known[instrument], given)
        answers[instrument].append(
            boosters.Answer(day, total, after_start=answered_at >= intake_done, crisis=crisis)
        )
    return boosters.checkups(answers, started=started, finished=finished, today=user.today())


def checkup_for(user, weeks: int) -> boosters.Checkup | None:
    return next((c for c in checkups_for(user) if c.weeks == weeks), None)
