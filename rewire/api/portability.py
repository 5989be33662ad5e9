"""The whole diary out as one JSON document, and back in. Documented in docs/api.md."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from pydantic import ValidationError

from rewire.api.schemas import ExportDocument
from rewire.diary.actions import InvalidEntry, ensure_tags, validated, write_checkins
from rewire.diary.entry import CheckInEntry
from rewire.diary.models import BodyAreaRating, CheckIn, EmotionRating, Tag
from rewire.diary.vocabulary import normalise_name

SCALARS = (
    "id", "pain", "recorded_at", "local_date", "is_flare", "stress", "thought",
    "movement_minutes", "sleep_hours", "sleep_quality", "note", "created_at", "updated_at",
)  # fmt: skip


# Ids per query: well under SQLite's smallest limit on query parameters.
ID_BATCH = 900


def _grouped(ids, queryset, *fields) -> dict[int, list]:
    """{check-in id: [field values...]} for the given check-ins, in the queryset's order."""
    groups: dict[int, list] = {}
    for start in range(0, len(ids), ID_BATCH):
        batch = queryset.filter(checkin_id__in=ids[start : start + ID_BATCH])
        for checkin_id, *rest in batch.values_list("checkin_id", *fields):
            groups.setdefault(checkin_id, []).append(rest)
    return groups


def checkins_as_dicts(checkins) -> list[dict]:
    """Check-ins as the API shows them, in the queryset's order, in a few queries."""
    rows = list(checkins.values(*SCALARS))
    ids = [row["id"] for row in rows]
    areas = _grouped(ids, BodyAreaRating.objects.order_by("id"), "area", "intensity")
    emotions = _grouped(ids, EmotionRating.objects.order_by("id"), "name", "intensity")
    tags = _grouped(ids, CheckIn.tags.through.objects.all(), "tag__name")
    helped = _grouped(ids, CheckIn.helped.through.objects.all(), "tag__name")
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


def just_saved_as_dict(checkin: CheckIn) -> dict:
    """A check-in this request has just recorded, as the API answers with it when read back.

    Times stay datetimes: the JSON encoder writes them as it writes every API answer.
    """
    entry = checkin.saved_entry
    return {
        "id": checkin.pk,
        "pain": entry.pain,
        "recorded_at": entry.recorded_at.astimezone(dt.UTC),
        "local_date": checkin.local_date,
        "is_flare": entry.is_flare,
        "stress": entry.stress,
        "thought": entry.thought,
        "movement_minutes": entry.movement_minutes,
        "sleep_hours": None if entry.sleep_hours is None else float(entry.sleep_hours),
        "sleep_quality": entry.sleep_quality,
        "note": entry.note,
        "created_at": checkin.created_at,
        "updated_at": checkin.updated_at,
        "body_areas": [{"area": a, "intensity": i} for a, i in entry.body_areas],
        "emotions": [{"name": n, "intensity": i} for n, i in entry.emotions],
        "tags": sorted(entry.tags),
        "helped": sorted(entry.helped),
    }


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


def export_diary(user) -> dict:
    exported = checkins_as_dicts(CheckIn.objects.for_user(user).order_by("recorded_at", "id"))
    for row in exported:
        del row["id"]
    return {
        "format": "rewire-export",
        "version": 1,
        "exported_at": timezone.now().isoformat(),
        "account": {"timezone": user.timezone},
        "tags": [
            {"kind": tag.kind, "name": tag.name}
            for tag in Tag.objects.for_user(user).order_by("kind", "name")
        ],
        "checkins": exported,
    }


class ImportRejected(Exception):
    """The document cannot be imported; `errors` lists [{loc, msg, type}] like a 422."""

    def __init__(self, errors: list[dict]):
        super().__init__("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors))
        self.errors = errors


# A place's offset from UTC is at most 14 hours, so its date is within a day of the UTC date.
DATE_SLACK = dt.timedelta(days=1)


def parse_export(data, *, prefix=()) -> tuple[ExportDocument, list[tuple[CheckInEntry, object]]]:
    """Validate the whole document before anything is written. `prefix` starts each error's loc."""
    try:
        document = data if isinstance(data, ExportDocument) else ExportDocument.model_validate(data)
    except ValidationError as error:
        raise ImportRejected(
            [
                {"loc": [*prefix, *e["loc"]], "msg": e["msg"], "type": e["type"]}
                for e in error.errors()
            ]
        ) from None
    parsed, errors = [], []
    for index, row in enumerate(document.checkins):
        try:
            parsed.append((validated(entry_from_data(row.model_dump())), row))
        except InvalidEntry as invalid:
            errors += [
                {"loc": [*prefix, "checkins", index, name], "msg": reason, "type": "value_error"}
                for name, reason in invalid.problems.items()
            ]
        utc_date = row.recorded_at.astimezone(dt.UTC).date()
        if abs(row.local_date - utc_date) > DATE_SLACK:
            errors.append(
                {
                    "loc": [*prefix, "checkins", index, "local_date"],
                    "msg": "More than a day away from the date of recorded_at.",
                    "type": "value_error",
                }
            )
    if errors:
        raise ImportRejected(errors)
    return document, parsed


def import_diary(user, data, *, prefix=()) -> tuple[int, int]:
    """Load an export into an empty diary. Returns (check-ins, tags) created.

    The document is checked first, outside the transaction, so the write lock is held only
    for the writes.
    """
    document, parsed = parse_export(data, prefix=prefix)
    wanted = [(t.kind, normalise_name(t.name)) for t in document.tags]
    for entry, _ in parsed:
        wanted += [(Tag.CONTEXT, n) for n in entry.tags] + [(Tag.HELPED, n) for n in entry.helped]
    with transaction.atomic():
        # Two imports at once: the second waits here, then finds the diary no longer empty.
        type(user).objects.select_for_update().filter(pk=user.pk).first()
        if CheckIn.objects.for_user(user).exists():
            raise ImportRejected(
                [
                    {
                        "loc": [*prefix, "checkins"],
                        "msg": "This diary has check-ins already; import needs an empty diary.",
                        "type": "conflict",
                    }
                ]
            )
        user.timezone = document.account.timezone
        user.save(update_fields=["timezone"])
        tags, created = ensure_tags(user=user, names=wanted)
        write_checkins(
            user,
            [(entry, row.local_date, row.created_at, row.updated_at) for entry, row in parsed],
            tags=tags,
        )
    return len(parsed), created
