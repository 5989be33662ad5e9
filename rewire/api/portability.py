"""The whole diary out as one JSON document, and back in. Documented in docs/api.md."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from pydantic import ValidationError

from rewire.api.schemas import ExportDocument
from rewire.diary.actions import (
    InvalidEntry,
    entry_from_checkin,
    validated,
    with_details,
    write_checkins,
)
from rewire.diary.entry import CheckInEntry
from rewire.diary.models import CheckIn, Tag
from rewire.diary.vocabulary import normalise_name


def checkin_as_dict(checkin: CheckIn) -> dict:
    entry = entry_from_checkin(checkin)
    return {
        "id": checkin.id,
        "pain": entry.pain,
        "recorded_at": checkin.recorded_at.isoformat(),
        "local_date": checkin.local_date.isoformat(),
        "is_flare": entry.is_flare,
        "body_areas": [{"area": a, "intensity": i} for a, i in entry.body_areas],
        "emotions": [{"name": n, "intensity": i} for n, i in entry.emotions],
        "stress": entry.stress,
        "tags": entry.tags,
        "thought": entry.thought,
        "helped": entry.helped,
        "movement_minutes": entry.movement_minutes,
        "sleep_hours": float(entry.sleep_hours) if entry.sleep_hours is not None else None,
        "sleep_quality": entry.sleep_quality,
        "note": entry.note,
        "created_at": checkin.created_at.isoformat(),
        "updated_at": checkin.updated_at.isoformat(),
    }


def export_diary(user) -> dict:
    checkins = with_details(CheckIn.objects.for_user(user)).order_by("recorded_at", "id")
    exported = []
    for checkin in checkins:
        row = checkin_as_dict(checkin)
        del row["id"]
        exported.append(row)
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


def _entry(row) -> CheckInEntry:
    return CheckInEntry(
        pain=row.pain,
        recorded_at=row.recorded_at,
        is_flare=row.is_flare,
        body_areas=[(a.area, a.intensity) for a in row.body_areas],
        emotions=[(e.name, e.intensity) for e in row.emotions],
        stress=row.stress,
        tags=row.tags,
        thought=row.thought,
        helped=row.helped,
        movement_minutes=row.movement_minutes,
        sleep_hours=Decimal(str(row.sleep_hours)) if row.sleep_hours is not None else None,
        sleep_quality=row.sleep_quality,
        note=row.note,
    )


# A place's offset from UTC is at most 14 hours, so its date is within a day of the UTC date.
DATE_SLACK = dt.timedelta(days=1)


def parse_export(data, *, prefix=()) -> tuple[ExportDocument, list[tuple[CheckInEntry, object]]]:
    """Validate the whole document before anything is written. `prefix` starts each error's loc."""
    try:
        document = ExportDocument.model_validate(data)
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
            parsed.append((validated(_entry(row)), row))
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


@transaction.atomic
def import_diary(user, data, *, prefix=()) -> tuple[int, int]:
    """Load an export into an empty diary. Returns (check-ins, tags) created."""
    document, parsed = parse_export(data, prefix=prefix)
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
    existing = {(t.kind, t.name): t for t in Tag.objects.for_user(user)}
    wanted = [(t.kind, normalise_name(t.name)) for t in document.tags]
    for entry, _ in parsed:
        wanted += [(Tag.CONTEXT, n) for n in entry.tags] + [(Tag.HELPED, n) for n in entry.helped]
    new_tags = [
        Tag(user=user, kind=k, name=n) for k, n in dict.fromkeys(wanted) if (k, n) not in existing
    ]
    for tag in new_tags:
        tag.save()
        existing[(tag.kind, tag.name)] = tag
    write_checkins(
        user,
        [(entry, row.local_date, row.created_at, row.updated_at) for entry, row in parsed],
        tags=existing,
    )
    return len(parsed), len(new_tags)
