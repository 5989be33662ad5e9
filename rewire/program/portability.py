"""The programme's part of the export document (`programme`, docs/api.md): the pace, sessions
done, practices, safety messages, the flare plan, evidence, pain attributions, thought records
and expressive writing.
Every record read from a document is checked by the same rules.py functions the actions use,
and a record made from an entry is written through the same entry-to-row mapping
(actions.py)."""

from dataclasses import dataclass, field, replace

from django.utils import timezone

from rewire.core.portability import (
    Section,
    date_problem,
    grouped,
    iso,
    problems_at,
    register,
)
from rewire.core.validation import moment_problem
from rewire.program.actions import (
    cause_rows,
    course,
    fill_thought_record,
    fill_writing,
    pace_of,
    practice_row,
    set_pace,
    thought_emotion_rows,
    timeline_event_rows,
)
from rewire.program.content import RATINGS
from rewire.program.models import (
    Attribution,
    Cause,
    Evidence,
    FlarePlanStep,
    MaintenancePlan,
    Practice,
    ProgrammeSettings,
    SafetyMessage,
    SessionCompletion,
    ThoughtEmotion,
    ThoughtRecord,
    TimelineEvent,
    Writing,
)
from rewire.program.rules import (
    AttributionEntry,
    PracticeEntry,
    ThoughtRecordEntry,
    WritingEntry,
    attribution_problems,
    evidence_problems,
    plan_problems,
    practice_problems,
    text_problem,
    thought_record_problems,
    writing_problems,
)
from rewire.program.schemas import ExportedProgramme

PRACTICE_FIELDS = (
    "kind", "started_at", "finished_at", "local_date", "pain_before", "pain_after",
    "threat_before", "threat_after", "mood_before", "mood_after", "tension_before",
    "tension_after", "note",
)  # fmt: skip
THOUGHT_RECORD_FIELDS = (
    "recorded_at", "local_date", "situation", "automatic_thought", "traps", "reappraisal",
    "created_at", "updated_at",
)  # fmt: skip
WRITING_FIELDS = (
    "kind", "title", "text", "local_date", "distress_before", "distress_after", "created_at",
    "updated_at",
)  # fmt: skip


def export_programme(user, checkin_index: dict[int, int]) -> dict:
    """The programme's records, oldest first. A thought record names the check-in it
    started from by that check-in's place in the document's `checkins` (`checkin_index`
    maps check-in ids to those places)."""
    attributions = list(
        Attribution.objects.for_user(user)
        .order_by("recorded_at", "id")
        .values("id", "recorded_at", "local_date")
    )
    causes = grouped(
        [row["id"] for row in attributions],
        Cause.objects.order_by("position"),
        "text",
        "category",
        parent="attribution_id",
    )
    records = list(
        ThoughtRecord.objects.for_user(user)
        .order_by("recorded_at", "id")
        .values("id", "checkin_id", *THOUGHT_RECORD_FIELDS)
    )
    emotions = grouped(
        [row["id"] for row in records],
        ThoughtEmotion.objects.order_by("id"),
        "name",
        "before",
        "after",
        parent="record_id",
    )
    for row in attributions:
        row["causes"] = [{"text": t, "category": c} for t, c in causes.get(row.pop("id"), [])]
        iso(row, "recorded_at", "local_date")
    for row in records:
        row["emotions"] = [
            {"name": n, "before": b, "after": a} for n, b, a in emotions.get(row.pop("id"), [])
        ]
        linked = row.pop("checkin_id")
        row["checkin_index"] = None if linked is None else checkin_index[linked]
        iso(row, "recorded_at", "local_date", "created_at", "updated_at")
    plan = MaintenancePlan.objects.for_user(user).first()
    writing = list(
        Writing.objects.for_user(user).order_by("created_at", "id").values("id", *WRITING_FIELDS)
    )
    events = grouped(
        [row["id"] for row in writing],
        TimelineEvent.objects.order_by("position"),
        "age",
        "event",
        "felt",
        parent="writing_id",
    )
    for row in writing:
        row["events"] = [
            {"age": a, "event": e, "felt": f} for a, e, f in events.get(row.pop("id"), [])
        ]
        iso(row, "local_date", "created_at", "updated_at")
    return {
        "pace": pace_of(user),
        "maintenance_plan": plan
        and {
            "keep_doing": plan.keep_doing,
            "warning_signs": plan.warning_signs,
            "what_helped": plan.what_helped,
            "updated_at": plan.updated_at.isoformat(),
        },
        "session_completions": [
            iso(row, "completed_at")
            for row in SessionCompletion.objects.for_user(user)
            .order_by("completed_at", "id")
            .values("session", "completed_at")
        ],
        "practices": [
            iso(row, "started_at", "finished_at", "local_date")
            for row in Practice.objects.for_user(user)
            .order_by("started_at", "id")
            .values(*PRACTICE_FIELDS)
        ],
        "safety_messages": list(
            SafetyMessage.objects.for_user(user).order_by("position", "id").values("text")
        ),
        "flare_plan": list(
            FlarePlanStep.objects.for_user(user).order_by("position", "id").values("text")
        ),
        "evidence": [
            iso(row, "created_at")
            for row in Evidence.objects.for_user(user)
            .order_by("created_at", "id")
            .values("kind", "example", "created_at")
        ],
        "attributions": attributions,
        "thought_records": records,
        "writing": writing,
    }


@dataclass
class ParsedProgramme:
    """The programme's records from a document, checked and normalised as the actions do."""

    pace: str | None = None  # a preference, not a record: not in count(); None: unchanged
    maintenance_plan: object = None  # ExportedMaintenancePlan, checked
    completions: list = field(default_factory=list)  # (session id, completed_at)
    practices: list = field(default_factory=list)  # (PracticeEntry, local_date)
    safety_messages: list = field(default_factory=list)  # texts, in order
    flare_plan: list = field(default_factory=list)  # texts, in order
    evidence: list = field(default_factory=list)  # (kind, example, created_at)
    attributions: list = field(default_factory=list)  # (AttributionEntry, local_date)
    # (ThoughtRecordEntry, local_date, created_at, updated_at, check-in index or None)
    thought_records: list = field(default_factory=list)
    # (WritingEntry, local_date, created_at, updated_at)
    writing: list = field(default_factory=list)

    def count(self) -> int:
        """How many records: sessions done, practices, messages, steps, examples, answers."""
        lists = sum(len(records) for records in vars(self).values() if isinstance(records, list))
        return lists + (self.maintenance_plan is not None)


def parse_programme(document, *, prefix=()) -> tuple[ParsedProgramme, list]:
    """Check every programme record against the rules the actions apply. Returns the parsed
    records and the problems found, [{loc, msg, type}], each loc under `programme`."""
    programme, errors = document.programme, []
    parsed = ParsedProgramme(pace=programme.pace)
    where = [*prefix, "programme"]
    the_course, now = course(), timezone.now()
    if (plan := programme.maintenance_plan) is not None:
        problems = plan_problems(plan.keep_doing, plan.warning_signs, plan.what_helped)
        if problem := moment_problem(plan.updated_at, now=now):
            problems["updated_at"] = problem
        errors += problems_at([*where, "maintenance_plan"], problems)
        parsed.maintenance_plan = plan

    # Sessions open in order: the sessions done are always the first few.
    known = [session.id for session in the_course.sessions]
    done = {row.session for row in programme.session_completions}
    seen = set()
    for index, row in enumerate(programme.session_completions):
        here = [*where, "session_completions", index]
        if row.session not in known:
            errors += problems_at(here, {"session": "No such session in this course."})
        elif any(earlier not in done for earlier in known[: known.index(row.session)]):
            errors += problems_at(here, {"session": "A session before this one is not done."})
        elif row.session in seen:
            errors += problems_at(here, {"session": "Each session can be done only once."})
        elif problem := moment_problem(row.completed_at, now=now):
            errors += problems_at(here, {"completed_at": problem})
        else:
            parsed.completions.append((row.session, row.completed_at))
        seen.add(row.session)

    for index, row in enumerate(programme.practices):
        entry = PracticeEntry(
            kind=row.kind,
            started_at=row.started_at,
            finished_at=row.finished_at,
            ratings={r: (getattr(row, f"{r}_before"), getattr(row, f"{r}_after")) for r in RATINGS},
            note=row.note.strip(),
        )
        problems = practice_problems(entry, course=the_course, now=now)
        if problem := date_problem(row.local_date, row.started_at, "started_at"):
            problems["local_date"] = problem
        errors += problems_at([*where, "practices", index], problems)
        parsed.practices.append((entry, row.local_date))

    for name in ("safety_messages", "flare_plan"):
        for index, row in enumerate(getattr(programme, name)):
            text = row.text.strip()
            if problem := text_problem(text):
                errors += problems_at([*where, name, index], {"text": problem})
            getattr(parsed, name).append(text)

    for index, row in enumerate(programme.evidence):
        example = row.example.strip()
        problems = evidence_problems(row.kind, example, course=the_course)
        if problem := moment_problem(row.created_at, now=now):
            problems["created_at"] = problem
        errors += problems_at([*where, "evidence", index], problems)
        parsed.evidence.append((row.kind, example, row.created_at))

    for index, row in enumerate(programme.attributions):
        entry = AttributionEntry(
            recorded_at=row.recorded_at,
            causes=[(cause.text.strip(), cause.category) for cause in row.causes],
        )
        problems = attribution_problems(entry, now=now)
        if problem := date_problem(row.local_date, row.recorded_at, "recorded_at"):
            problems["local_date"] = problem
        errors += problems_at([*where, "attributions", index], problems)
        parsed.attributions.append((entry, row.local_date))

    for index, row in enumerate(programme.thought_records):
        entry = ThoughtRecordEntry(
            recorded_at=row.recorded_at,
            automatic_thought=row.automatic_thought,
            situation=row.situation,
            emotions=[(e.name, e.before, e.after) for e in row.emotions],
            traps=row.traps,
            reappraisal=row.reappraisal,
        ).normalised()
        problems = thought_record_problems(entry, course=the_course, now=now)
        if problem := date_problem(row.local_date, row.recorded_at, "recorded_at"):
            problems["local_date"] = problem
        for name in ("created_at", "updated_at"):
            if problem := moment_problem(getattr(row, name), now=now):
                problems[name] = problem
        if row.checkin_index is not None and row.checkin_index >= len(document.checkins):
            problems["checkin_index"] = (
                f"The document has {len(document.checkins)} check-ins, numbered from 0."
            )
        errors += problems_at([*where, "thought_records", index], problems)
        parsed.thought_records.append(
            (entry, row.local_date, row.created_at, row.updated_at, row.checkin_index)
        )

    for index, row in enumerate(programme.writing):
        entry = WritingEntry(
            kind=row.kind,
            text=row.text,
            title=row.title,
            events=[(e.age, e.event, e.felt) for e in row.events],
            distress_before=row.distress_before,
            distress_after=row.distress_after,
        ).normalised()
        problems = writing_problems(entry)
        if problem := date_problem(row.local_date, row.created_at, "created_at"):
            problems["local_date"] = problem
        for name in ("created_at", "updated_at"):
            if problem := moment_problem(getattr(row, name), now=now):
                problems[name] = problem
        errors += problems_at([*where, "writing", index], problems)
        parsed.writing.append((entry, row.local_date, row.created_at, row.updated_at))
    return parsed, errors


def write_programme(user, programme: ParsedProgramme, checkins: list) -> None:
    """Bulk-write checked programme records with their own times and dates (the import).

    `checkins` are the document's check-ins as written, for the thought records' links.
    """
    if programme.pace is not None:
        set_pace(user=user, pace=programme.pace)
    if (plan := programme.maintenance_plan) is not None:
        MaintenancePlan.objects.create(
            user=user,
            keep_doing=plan.keep_doing.strip(),
            warning_signs=plan.warning_signs.strip(),
            what_helped=plan.what_helped.strip(),
            updated_at=plan.updated_at,
        )
    SessionCompletion.objects.bulk_create(
        SessionCompletion(user=user, session=session, completed_at=completed_at)
        for session, completed_at in programme.completions
    )
    Practice.objects.bulk_create(
        (practice_row(user, entry, local_date) for entry, local_date in programme.practices),
        batch_size=2000,
    )
    for model, texts in (
        (SafetyMessage, programme.safety_messages),
        (FlarePlanStep, programme.flare_plan),
    ):
        model.objects.bulk_create(
            model(user=user, text=text, position=position) for position, text in enumerate(texts)
        )
    Evidence.objects.bulk_create(
        (
            Evidence(user=user, kind=kind, example=example, created_at=created_at)
            for kind, example, created_at in programme.evidence
        ),
        batch_size=2000,
    )
    attributions = Attribution.objects.bulk_create(
        (
            Attribution(user=user, recorded_at=entry.recorded_at, local_date=local_date)
            for entry, local_date in programme.attributions
        ),
        batch_size=2000,
    )
    Cause.objects.bulk_create(
        (
            cause
            for attribution, (entry, _) in zip(attributions, programme.attributions, strict=True)
            for cause in cause_rows(attribution, entry)
        ),
        batch_size=2000,
    )
    records = ThoughtRecord.objects.bulk_create(
        (
            fill_thought_record(
                ThoughtRecord(
                    user=user,
                    recorded_at=entry.recorded_at,
                    local_date=local_date,
                    created_at=created_at,
                    updated_at=updated_at,
                ),
                # The check-in it started from: the new copy of the one the document names.
                replace(entry, checkin=None if index is None else checkins[index].pk),
            )
            for entry, local_date, created_at, updated_at, index in programme.thought_records
        ),
        batch_size=2000,
    )
    ThoughtEmotion.objects.bulk_create(
        (
            emotion
            for record, (entry, *_) in zip(records, programme.thought_records, strict=True)
            for emotion in thought_emotion_rows(record, entry)
        ),
        batch_size=2000,
    )

    pieces = Writing.objects.bulk_create(
        (
            fill_writing(
                Writing(
                    user=user,
                    local_date=local_date,
                    created_at=created_at,
                    updated_at=updated_at,
                ),
                entry,
            )
            for entry, local_date, created_at, updated_at in programme.writing
        ),
        batch_size=2000,
    )
    TimelineEvent.objects.bulk_create(
        (
            event
            for piece, (entry, *_) in zip(pieces, programme.writing, strict=True)
            for event in timeline_event_rows(piece, entry)
        ),
        batch_size=2000,
    )


@register
class ProgrammeSection(Section):
    name = "program"
    order = 20
    fields = {"programme": (ExportedProgramme, ExportedProgramme)}
    exported = {
        "program.ProgrammeSettings": ("programme", "pace"),
        "program.MaintenancePlan": ("programme", "maintenance_plan"),
        "program.SessionCompletion": ("programme", "session_completions"),
        "program.Practice": ("programme", "practices"),
        "program.SafetyMessage": ("programme", "safety_messages"),
        "program.FlarePlanStep": ("programme", "flare_plan"),
        "program.Evidence": ("programme", "evidence"),
        "program.Attribution": ("programme", "attributions"),
        "program.Cause": ("programme", "attributions", "*", "causes"),
        "program.ThoughtRecord": ("programme", "thought_records"),
        "program.ThoughtEmotion": ("programme", "thought_records", "*", "emotions"),
        "program.Writing": ("programme", "writing"),
        "program.TimelineEvent": ("programme", "writing", "*", "events"),
    }
    counts = {"programme_records": ("", "{} programme records")}
    conflict = "This account has programme records already; import needs an empty account."

    def holds_records(self, user) -> bool:
        # The pace is a preference, not a record: an import replaces it.
        return any(
            model.objects.for_user(user).exists()
            for model in self.record_models()
            if model is not ProgrammeSettings
        )

    def export(self, user, links):
        return {"programme": export_programme(user, links["checkin_index"])}

    def parse(self, document, *, prefix):
        return parse_programme(document, prefix=prefix)

    def write(self, user, parsed, links):
        write_programme(user, parsed, links["checkins"])
        return {"programme_records": parsed.count()}
