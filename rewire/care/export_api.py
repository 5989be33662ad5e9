"""The FHIR and CSV exports in the JSON API (/api/v1/export/...). Thin: the files are built
by rewire/care/exports.py.

rewire.api.api registers this router; import that module, not this one, to get the API.

A personal token is enough, as for every other operation: whoever holds it can read the
diary anyway. A signed-in browser, though, must have given its password recently, as the
web downloads ask (otherwise the API would be a way round that question).
"""

from ninja import Router

from rewire.api.api import AUTH_ERRORS
from rewire.api.auth import PersonalToken, RecentBrowserSession
from rewire.care import exports
from rewire.care.exports import FHIR_JSON, attachment

router = Router(auth=[PersonalToken(), RecentBrowserSession()], tags=["export"])


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
)
def export_questionnaires_csv(request):
    """Every questionnaire answered as a row of a CSV file, oldest first."""
    user = request.auth
    return attachment(
        exports.questionnaires_csv(user),
        content_type="text/csv",
        filename=exports.filename(user, "questionnaires", "csv"),
    )
