"""The diary's part of the export document: the person's tags and every check-in with its
details (docs/api.md). Check-ins come first: other sections name them by their place."""

from decimal import Decimal

from django.utils import timezone

from rewire.core.errors import InvalidEntry
from rewire.core.portability import (
    REQUIRED,
    Section,
    date_problem,
    grouped,
    problems_at,
    register,
)
from rewire.diary.actions import ensure_tags, validated, write_checkins
from rewire.diary.entry import CheckInEntry
from rewire.diary.models import BodyAreaRating, CheckIn, EmotionRating, Tag
from rewire.diary.schemas import ExportedCheckIn, ExportedTag
from rewire.diary.vocabulary import normalise_name

SCALARS = (
    "id", "pain", "recorded_at", "local_date", "is_flare", "stress", "thought",
    "movement_minutes", "sleep_hours", "sleep_quality", "note", "created_at", "updated_at",
)  # fmt: skip


def checkins_as_dicts(checkins) -> list[dict]:
    """Check-ins as the API shows them, in the queryset's order, in a few queries."""
    rows = list(checkins.values(*SCALARS))
    ids = [row["id"] for row in rows]
    areas = grouped(
        ids, BodyAreaRating.objects.order_by("id"), "area", "intensity", parent="checkin_id"
    )
    emotions = grouped(
        ids, EmotionRating.objects.order_by("id"), "name", "intensity", parent="checkin_id"
    )
    tags = grouped(ids, CheckIn.tags.through.objects.all(), "tag__name", parent="checkin_id")
    helped = grouped(ids, CheckIn.helped.through.objects.all(), "tag__name", parent="checkin_id")
    for row in rows:
        pk = row["id"]
        row["body_areas"] = [{"area": a, "intensity": i} for a, i in areas.get(pk, [])]
        row["emotions"] = [{"name": n, "intensity": i} for n, i in emotions.get(pk, [])]
        row["tags"] = sorted(name for (name,) in tags.get(pk, []))
        row["helped"] = sorted(name for (name,) in helped.get(pk, []))
        for moment in ("recorded_at", "created_at", "updated_at"):
            row[moment] = row[moment].isoformat()
        row["local_date"] = row["local_date"].isoformat()
        if row["sleep_hours"] is not None:
            row["sleep_hours"] = float(row["sleep_hours"])
    return rows


def entry_from_data(data: dict) -> CheckInEntry:
    """A check-in as the API and the export write it (a dict) turned into an entry."""
    sleep = data.get("sleep_hours")
    return CheckInEntry(
        pain=data["pain"],
        recorded_at=data.get("recorded_at") or timezone.now(),
        is_flare=data.get("is_flare", False),
        body_areas=[(a["area"], a["intensity"]) for a in data.get("body_areas", [])],
        emotions=[(e["name"], e["intensity"]) for e in data.get("emotions", [])],
        stress=data.get("stress"),
        tags=data.get("tags", []),
        thought=data.get("thought", ""),
        helped=data.get("helped", []),
        movement_minutes=data.get("movement_minutes"),
        sleep_hours=None if sleep is None else Decimal(str(sleep)),
        sleep_quality=data.get("sleep_quality"),
        note=data.get("note", ""),
    )


@register
class DiarySection(Section):
    name = "diary"
    order = 10
    fields = {"tags": (list[ExportedTag], REQUIRED), "checkins": (list[ExportedCheckIn], REQUIRED)}
    exported = {
        "diary.Tag": ("tags",),
        "diary.CheckIn": ("checkins",),
        "diary.BodyAreaRating": ("checkins", "*", "body_areas"),
        "diary.EmotionRating": ("checkins", "*", "emotions"),
        "diary.CheckIn_tags": ("checkins", "*", "tags"),
        "diary.CheckIn_helped": ("checkins", "*", "helped"),
    }
    counts = {"checkins": ("", "{} check-ins"), "tags": ("", "{} new tags")}
    conflict = "This diary has check-ins already; import needs an empty diary."
    conflict_at = "checkins"

    def holds_records(self, user) -> bool:
        # Tags alone do not count: every account starts with a few.
        return CheckIn.objects.for_user(user).exists()

    def export(self, user, links):
        exported = checkins_as_dicts(CheckIn.objects.for_user(user).order_by("recorded_at", "id"))
        # Later sections name a check-in by its place in the document.
        links["checkin_index"] = {row.pop("id"): index for index, row in enumerate(exported)}
        return {
            "tags": [
                {"kind": tag.kind, "name": tag.name}
                for tag in Tag.objects.for_user(user).order_by("kind", "name")
            ],
            "checkins": exported,
        }

    def parse(self, document, *, prefix):
        parsed, errors = [], []
        for index, row in enumerate(document.checkins):
            try:
                parsed.append((validated(entry_from_data(row.model_dump())), row))
            except InvalidEntry as invalid:
                errors += problems_at([*prefix, "checkins", index], invalid.problems)
            if problem := date_problem(row.local_date, row.recorded_at, "recorded_at"):
                errors += problems_at([*prefix, "checkins", index], {"local_date": problem})
        wanted = [(tag.kind, normalise_name(tag.name)) for tag in document.tags]
        for entry, _ in parsed:
            wanted += [(Tag.CONTEXT, n) for n in entry.tags]
            wanted += [(Tag.HELPED, n) for n in entry.helped]
        return (parsed, wanted), errors

    def write(self, user, parsed, links):
        checkins, wanted = parsed
        tags, created = ensure_tags(user=user, names=wanted)
        # Later sections link to the check-ins by their place in the document.
        links["checkins"] = write_checkins(
            user,
            [(entry, row.local_date, row.created_at, row.updated_at) for entry, row in checkins],
            tags=tags,
        )
        return {"checkins": len(checkins), "tags": created}
