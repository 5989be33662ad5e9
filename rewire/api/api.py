"""The JSON API under /api/v1/. Thin: every write goes through an action."""

import datetime as dt

from django.conf import settings
from django.http import JsonResponse
from ninja import Header, NinjaAPI, Query, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import Field

from rewire.api.auth import BrowserSession, PersonalToken, RecentBrowserSession
from rewire.api.idempotency import KeyReused, digest_of, once
from rewire.api.portability import (
    ImportRejected,
    checkins_as_dicts,
    entry_from_data,
    export_diary,
    import_diary,
    just_saved_as_dict,
)
from rewire.api.schemas import (
    CalendarDate,
    CheckInIn,
    CheckInOut,
    CheckInPage,
    CheckInPatch,
    ExportDocument,
    ImportResult,
    MessageOut,
    ValidationErrorOut,
)
from rewire.diary import actions
from rewire.diary.models import CheckIn

api = NinjaAPI(
    title="Rewire API",
    version="1",
    description="The pain diary of the signed-in person. See docs/api.md.",
    auth=[PersonalToken(), BrowserSession()],
    urls_namespace="api",
    docs_url="/docs" if settings.DEBUG else None,
)

AUTH_ERRORS = {401: MessageOut, 403: MessageOut}
ERRORS = {**AUTH_ERRORS, 400: MessageOut, 404: MessageOut, 422: ValidationErrorOut}


def unprocessable_body(problems: dict[str, str], prefix=("body",)) -> dict:
    return {
        "detail": [
            {"loc": [*prefix, name], "msg": reason, "type": "value_error"}
            for name, reason in problems.items()
        ]
    }


def unprocessable(problems: dict[str, str], prefix=("body",)) -> Status:
    return Status(422, unprocessable_body(problems, prefix))


def idempotency_key_header():
    return Header(
        None,
        alias="Idempotency-Key",
        max_length=255,
        description="Retrying with the same key and body creates nothing and answers with "
        "what the first request created.",
    )


def create_once(request, payload, idempotency_key, *, kind: str, create, fetch, refused=None):
    """Create with `create(user)` at most once per Idempotency-Key and body, and answer with
    `fetch(user, id)` as the object is now (410 if it was created, then deleted).

    `create` raises InvalidEntry, answered as a 422 with each problem under "body"; or pass
    `refused=(ExceptionType, to_body)` to place the problems another way.
    """
    user = request.auth
    error_type, to_body = refused or (
        actions.InvalidEntry,
        lambda error: unprocessable_body(error.problems),
    )

    def run():
        try:
            return 201, {"id": create(user).pk}
        except error_type as error:
            return 422, to_body(error)

    if idempotency_key:
        try:
            status, body = once(
                user=user,
                key=idempotency_key,
                digest=digest_of(kind, payload.model_dump(mode="json")),
                run=run,
            )
        except KeyReused:
            return unprocessable(
                {"Idempotency-Key": "Already used with a different body."}, prefix=("header",)
            )
    else:
        status, body = run()
    if status != 201:
        return Status(status, body)
    # The key keeps only the id: a retry sees the object as it is now, or that it is gone.
    found = fetch(user, body["id"])
    if found is None:
        return Status(410, {"detail": "This was created, then deleted."})
    return Status(201, found)


def _location(loc) -> list:
    # ninja puts the parameter's name second ("body", "payload", "pain"); the field is enough.
    loc = list(loc)
    if (
        len(loc) >= 2
        and loc[0] in ("body", "query", "header", "path")
        and loc[1] in ("payload", "filters")
    ):
        del loc[1]
    return loc


@api.exception_handler(NinjaValidationError)
def validation_error(request, exc):
    detail = [
        {
            "loc": _location(e.get("loc", [])),
            "msg": e.get("msg", "Invalid."),
            "type": e.get("type", ""),
        }
        for e in exc.errors
    ]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(
        request, {"detail": "Sign in, or send Authorization: Bearer <token>."}, status=401
    )


def _detailed(user, pk) -> dict:
    found = checkins_as_dicts(CheckIn.objects.for_user(user).filter(pk=pk))
    if not found:
        raise HttpError(404, "Not found.")
    return found[0]


class CheckInFilter(Schema):
    date_from: CalendarDate | None = Field(None, alias="from", description="First local date.")
    date_to: CalendarDate | None = Field(None, alias="to", description="Last local date.")
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0, le=1_000_000_000)


def dated_page(queryset, filters: CheckInFilter, items=list) -> dict:
    """One page of dated records, filtered by local date; `items` turns the page's
    queryset into the answer's items."""
    if filters.date_from:
        queryset = queryset.filter(local_date__gte=filters.date_from)
    if filters.date_to:
        queryset = queryset.filter(local_date__lte=filters.date_to)
    return {
        "count": queryset.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": items(queryset[filters.offset : filters.offset + filters.limit]),
    }


@api.get("/checkins", response={200: CheckInPage, **ERRORS}, tags=["check-ins"])
def list_checkins(request, filters: Query[CheckInFilter]):
    """The person's check-ins, newest first, filtered by local date."""
    return dated_page(CheckIn.objects.for_user(request.auth), filters, checkins_as_dicts)


@api.post("/checkins", response={201: CheckInOut, 410: MessageOut, **ERRORS}, tags=["check-ins"])
def create_checkin(
    request,
    payload: CheckInIn,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        max_length=255,
        description="Retrying with the same key and body creates nothing and answers "
        "with the check-in the first request created.",
    ),
):
    """Record a check-in. Send an Idempotency-Key so a retry never creates a second one."""
    user = request.auth

    just_saved = []

    def record():
        try:
            checkin = actions.record_checkin(
                user=user, entry=entry_from_data(payload.model_dump(exclude_unset=True))
            )
        except actions.InvalidEntry as invalid:
            return 422, unprocessable_body(invalid.problems)
        just_saved.append(checkin)
        return 201, {"id": checkin.pk}

    if idempotency_key:
        try:
            status, answer = once(
                user=user,
                key=idempotency_key,
                digest=digest_of("api", payload.model_dump(mode="json")),
                run=record,
                discarded=just_saved.clear,  # lost a race: answer with the winner's check-in
            )
        except KeyReused:
            return unprocessable(
                {"Idempotency-Key": "Already used with a different body."}, prefix=("header",)
            )
    else:
        status, answer = record()
    if status != 201:
        return Status(status, answer)
    if just_saved:
        # Built from checked values: validating the answer again costs time.
        return JsonResponse(just_saved_as_dict(just_saved[0]), status=201)
    # The key keeps only the check-in's id: a retry sees it as it is now, and after it is
    # deleted, "gone" — never a stale copy of what the person has since changed or erased.
    found = checkins_as_dicts(CheckIn.objects.for_user(user).filter(pk=answer["id"]))
    if not found:
        return Status(410, {"detail": "This check-in was recorded, then deleted."})
    return Status(201, found[0])


@api.get("/checkins/{int:checkin_id}", response={200: CheckInOut, **ERRORS}, tags=["check-ins"])
def read_checkin(request, checkin_id: int):
    return _detailed(request.auth, checkin_id)


def _save(request, checkin_id: int, data: dict):
    try:
        actions.update_checkin(user=request.auth, pk=checkin_id, entry=entry_from_data(data))
    except actions.InvalidEntry as invalid:
        return unprocessable(invalid.problems)
    return Status(200, _detailed(request.auth, checkin_id))


@api.put("/checkins/{int:checkin_id}", response={200: CheckInOut, **ERRORS}, tags=["check-ins"])
def replace_checkin(request, checkin_id: int, payload: CheckInIn):
    """Replace the whole check-in; fields left out take their empty values, but the time stays."""
    data = payload.model_dump(exclude_unset=True)
    if data.get("recorded_at") is None:
        data["recorded_at"] = actions.get_checkin_for(request.auth, checkin_id).recorded_at
    return _save(request, checkin_id, data)


@api.patch("/checkins/{int:checkin_id}", response={200: CheckInOut, **ERRORS}, tags=["check-ins"])
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


@api.delete("/checkins/{int:checkin_id}", response={204: None, **ERRORS}, tags=["check-ins"])
def delete_checkin(request, checkin_id: int):
    actions.delete_checkin(user=request.auth, pk=checkin_id)
    return Status(204, None)


@api.get(
    "/export",
    response={200: ExportDocument, **AUTH_ERRORS},
    tags=["export"],
    auth=[PersonalToken(), RecentBrowserSession()],
)
def export(request):
    """The whole diary as one document (format described in docs/api.md). A browser session
    must have given its password recently; a personal token is enough on its own."""
    # Built from checked rows; checking ten years of it again would take seconds.
    return JsonResponse(export_diary(request.auth))


@api.post(
    "/import",
    response={201: ImportResult, **ERRORS, 409: ValidationErrorOut, 413: MessageOut},
    tags=["export"],
)
def import_(request, payload: ExportDocument):
    """Load an export into an empty diary. The whole document is checked before any write."""
    try:
        imported = import_diary(request.auth, payload, prefix=("body",))
    except ImportRejected as rejected:
        status = 409 if any(e["type"] == "conflict" for e in rejected.errors) else 422
        return Status(status, {"detail": rejected.errors})
    return Status(201, imported._asdict())


# The guided programme's operations, last: its module uses the helpers above.
api.add_router("/", "rewire.program.api.router")
api.add_router("/", "rewire.measures.api.router")
api.add_router("/", "rewire.exposure.api.router")
api.add_router("/", "rewire.insights.api.router")
api.add_router("/", "rewire.care.export_api.router")
