"""The person's data out and back in through the JSON API: the whole record as one document
(/api/v1/export, /api/v1/import; built by the apps' sections, rewire/core/portability.py),
and the FHIR and CSV exports (/api/v1/export/...; built by rewire/care/exports.py). Thin.
rewire/api mounts this router.

A personal token is enough, as for every other operation: whoever holds it can read the
diary anyway. A signed-in browser, though, must have given its password recently, as the
web downloads ask (otherwise the API would be a way round that question).
"""

from django.http import JsonResponse
from ninja import Router, Status

from rewire.accounts.api_auth import BrowserSession, PersonalToken, RecentBrowserSession
from rewire.care import exports
from rewire.care.exports import FHIR_JSON, attachment
from rewire.core.api import AUTH_ERRORS, ERRORS
from rewire.core.errors import ImportRejected
from rewire.core.portability import (
    document_schema,
    export_diary,
    import_diary,
    import_result_schema,
)
from rewire.core.schemas import MessageOut, ValidationErrorOut

router = Router(auth=[PersonalToken(), RecentBrowserSession()], tags=["export"])

ExportDocument = document_schema()
ImportResult = import_result_schema()


@router.get(
    "/export",
    response={200: ExportDocument, **AUTH_ERRORS},
    operation_id="rewire_api_api_export",
)
def export(request):
    """The whole diary as one document (format described in docs/api.md). A browser session
    must have given its password recently; a personal token is enough on its own."""
    # Built from checked rows; checking ten years of it again would take seconds.
    return JsonResponse(export_diary(request.auth))


@router.post(
    "/import",
    response={201: ImportResult, **ERRORS, 409: ValidationErrorOut, 413: MessageOut},
    # Writing needs no recent password: it only ever fills an empty account.
    auth=[PersonalToken(), BrowserSession()],
    operation_id="rewire_api_api_import_",
)
def import_(request, payload: ExportDocument):
    """Load an export into an empty diary. The whole document is checked before any write."""
    try:
        imported = import_diary(request.auth, payload, prefix=("body",))
    except ImportRejected as rejected:
        status = 409 if any(e["type"] == "conflict" for e in rejected.errors) else 422
        return Status(status, {"detail": rejected.errors})
    return Status(201, imported)


def _file(media_type: str, description: str, schema: dict) -> dict:
    # ninja documents a response as JSON; these answer with a file of another type.
    return {
        "responses": {
            200: {"description": description, "content": {media_type: {"schema": schema}}}
        }
    }


CSV = {"type": "string", "description": "CSV (RFC 4180), UTF-8, with a header row."}


@router.get(
    "/export/fhir",
    response={200: None, **AUTH_ERRORS},
    openapi_extra=_file(
        FHIR_JSON,
        "A FHIR R4 Bundle of type collection (docs/fhir.md).",
        {
            "type": "object",
            "properties": {
                "resourceType": {"const": "Bundle"},
                "type": {"const": "collection"},
                "entry": {"type": "array", "items": {"type": "object"}},
            },
            "required": ["resourceType", "type", "entry"],
        },
    ),
    operation_id="rewire_care_export_api_export_fhir",
)
def export_fhir(request):
    """Every check-in's pain, and every PHQ-9 and GAD-7 with its scores, as FHIR R4."""
    user = request.auth
    return attachment(
        exports.json_text(exports.fhir_bundle(user)),
        content_type=FHIR_JSON,
        filename=exports.filename(user, "fhir", "json"),
    )


@router.get(
    "/export/csv/checkins",
    response={200: None, **AUTH_ERRORS},
    openapi_extra=_file("text/csv", "One row per check-in.", CSV),
    operation_id="rewire_care_export_api_export_checkins_csv",
)
def export_checkins_csv(request):
    """Every check-in as a row of a CSV file, oldest first."""
    user = request.auth
    return attachment(
        exports.checkins_csv(user),
        content_type="text/csv",
        filename=exports.filename(user, "checkins", "csv"),
    )


@router.get(
    "/export/csv/questionnaires",
    response={200: None, **AUTH_ERRORS},
    openapi_extra=_file("text/csv", "One row per questionnaire answered.", CSV),
    operation_id="rewire_care_export_api_export_questionnaires_csv",
)
def export_questionnaires_csv(request):
    """Every questionnaire answered as a row of a CSV file, oldest first."""
    user = request.auth
    return attachment(
        exports.questionnaires_csv(user),
        content_type="text/csv",
        filename=exports.filename(user, "questionnaires", "csv"),
    )
