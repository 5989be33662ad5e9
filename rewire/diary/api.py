"""The check-in endpoints of the JSON API (/api/v1/checkins). Thin: every write goes
through an action. rewire/api mounts this router."""

import datetime as dt

from ninja import Query, Router, Status
from ninja.errors import HttpError

from rewire.core.api import (
    ERRORS,
    DateFilter,
    create_once,
    dated_page,
    idempotency_key_header,
    unprocessable,
)
from rewire.core.errors import InvalidEntry
from rewire.core.schemas import MessageOut
from rewire.diary import actions
from rewire.diary.models import CheckIn
from rewire.diary.portability import checkins_as_dicts, entry_from_data
from rewire.diary.schemas import CheckInIn, CheckInOut, CheckInPage, CheckInPatch

router = Router()


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


def _detailed(user, pk) -> dict:
    found = checkins_as_dicts(CheckIn.objects.for_user(user).filter(pk=pk))
    if not found:
        raise HttpError(404, "Not found.")
    return found[0]


@router.get(
    "/checkins",
    response={200: CheckInPage, **ERRORS},
    tags=["check-ins"],
    operation_id="rewire_api_api_list_checkins",
)
def list_checkins(request, filters: Query[DateFilter]):
    """The person's check-ins, newest first, filtered by local date."""
    return dated_page(CheckIn.objects.for_user(request.auth), filters, checkins_as_dicts)


@router.post(
    "/checkins",
    response={201: CheckInOut, 410: MessageOut, **ERRORS},
    tags=["check-ins"],
    operation_id="rewire_api_api_create_checkin",
)
def create_checkin(
    request,
    payload: CheckInIn,
    idempotency_key: str | None = idempotency_key_header(
        "Retrying with the same key and body creates nothing and answers with the check-in "
        "the first request created."
    ),
):
    """Record a check-in. Send an Idempotency-Key so a retry never creates a second one."""
    return create_once(
        request,
        payload,
        idempotency_key,
        kind="api",
        create=lambda user: actions.record_checkin(
            user=user, entry=entry_from_data(payload.model_dump(exclude_unset=True))
        ),
        fetch=lambda user, pk: next(
            iter(checkins_as_dicts(CheckIn.objects.for_user(user).filter(pk=pk))), None
        ),
        # Built from checked values: reading it back and validating it again costs time.
        fresh=just_saved_as_dict,
        gone="This check-in was recorded, then deleted.",
    )


@router.get(
    "/checkins/{int:checkin_id}",
    response={200: CheckInOut, **ERRORS},
    tags=["check-ins"],
    operation_id="rewire_api_api_read_checkin",
)
def read_checkin(request, checkin_id: int):
    return _detailed(request.auth, checkin_id)


def _save(request, checkin_id: int, data: dict):
    try:
        actions.update_checkin(user=request.auth, pk=checkin_id, entry=entry_from_data(data))
    except InvalidEntry as invalid:
        return unprocessable(invalid.problems)
    return Status(200, _detailed(request.auth, checkin_id))


@router.put(
    "/checkins/{int:checkin_id}",
    response={200: CheckInOut, **ERRORS},
    tags=["check-ins"],
    operation_id="rewire_api_api_replace_checkin",
)
def replace_checkin(request, checkin_id: int, payload: CheckInIn):
    """Replace the whole check-in; fields left out take their empty values, but the time stays."""
    data = payload.model_dump(exclude_unset=True)
    if data.get("recorded_at") is None:
        data["recorded_at"] = actions.get_checkin_for(request.auth, checkin_id).recorded_at
    return _save(request, checkin_id, data)


@router.patch(
    "/checkins/{int:checkin_id}",
    response={200: CheckInOut, **ERRORS},
    tags=["check-ins"],
    operation_id="rewire_api_api_update_checkin",
)
def update_checkin(request, checkin_id: int, payload: CheckInPatch):
    """Change only the fields given."""
    current = _detailed(request.auth, checkin_id)
    changes = payload.model_dump(exclude_unset=True)
    # `pain` and `recorded_at` cannot be emptied; the others can be set to null.
    for required in ("pain", "recorded_at", "is_flare"):
        if required in changes and changes[required] is None:
            return unprocessable({required: "Cannot be null."})
    merged = {**current, **changes}
    merged["recorded_at"] = changes.get("recorded_at") or dt.datetime.fromisoformat(
        current["recorded_at"]
    )
    for list_field in ("body_areas", "emotions", "tags", "helped"):
        merged[list_field] = merged[list_field] or []
    for text_field in ("thought", "note"):
        merged[text_field] = merged[text_field] or ""
    return _save(request, checkin_id, merged)


@router.delete(
    "/checkins/{int:checkin_id}",
    response={204: None, **ERRORS},
    tags=["check-ins"],
    operation_id="rewire_api_api_delete_checkin",
)
def delete_checkin(request, checkin_id: int):
    actions.delete_checkin(user=request.auth, pk=checkin_id)
    return Status(204, None)
