"""What every app's API router shares: the error responses, 422 bodies, creating once per
Idempotency-Key, and pages of dated records. The API itself (rewire/api) mounts the routers."""

from django.http import JsonResponse
from ninja import Header, Schema, Status
from pydantic import Field

from rewire.core.errors import InvalidEntry
from rewire.core.idempotency import KeyReused, digest_of, once
from rewire.core.schemas import CalendarDate, MessageOut, ValidationErrorOut

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


def idempotency_key_header(
    description="Retrying with the same key and body creates nothing and answers with what "
    "the first request created.",
):
    return Header(None, alias="Idempotency-Key", max_length=255, description=description)


def create_once(
    request,
    payload,
    idempotency_key,
    *,
    kind: str,
    create,
    fetch,
    refused=None,
    fresh=None,
    gone="This was created, then deleted.",
):
    """Create with `create(user)` at most once per Idempotency-Key and body, and answer with
    `fetch(user, id)` as the object is now (410 if it was created, then deleted).

    `create` raises InvalidEntry, answered as a 422 with each problem under "body"; or pass
    `refused=(ExceptionType, to_body)` to place the problems another way. `fresh(obj)`, when
    given, answers for an object this very request created without reading it back (a dict
    of checked values, written by Django's JSON encoder, so times may stay datetimes).
    `gone` is the 410's words.
    """
    user = request.auth
    error_type, to_body = refused or (
        InvalidEntry,
        lambda error: unprocessable_body(error.problems),
    )
    created = []

    def run():
        try:
            obj = create(user)
        except error_type as error:
            return 422, to_body(error)
        created.append(obj)
        return 201, {"id": obj.pk}

    if idempotency_key:
        try:
            status, body = once(
                user=user,
                key=idempotency_key,
                digest=digest_of(kind, payload.model_dump(mode="json")),
                run=run,
                discarded=created.clear,  # lost a race: answer with the winner's object
            )
        except KeyReused:
            return unprocessable(
                {"Idempotency-Key": "Already used with a different body."}, prefix=("header",)
            )
    else:
        status, body = run()
    if status != 201:
        return Status(status, body)
    if created and fresh is not None:
        return JsonResponse(fresh(created[0]), status=201)
    # The key keeps only the id: a retry sees the object as it is now, or that it is gone —
    # never a stale copy of what the person has since changed or erased.
    found = fetch(user, body["id"])
    if found is None:
        return Status(410, {"detail": gone})
    return Status(201, found)


class DateFilter(Schema):
    date_from: CalendarDate | None = Field(None, alias="from", description="First local date.")
    date_to: CalendarDate | None = Field(None, alias="to", description="Last local date.")
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0, le=1_000_000_000)


def dated_page(queryset, filters: DateFilter, items=list) -> dict:
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
