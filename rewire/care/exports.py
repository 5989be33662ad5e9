"""The person's data out, in the forms other tools read: a FHIR R4 Bundle (built by fhir.py)
and CSV files of the check-ins and the questionnaires. The JSON export, the one Rewire reads
back, is built by each app's section (rewire/core/portability.py). Formats described in
docs/fhir.md and docs/api.md.

Each file is built in memory from a few queries, in time linear in the records: ten years of
check-ins (about 18,000) is a few megabytes.
"""

import csv
import datetime as dt
import io
import json

from django.http import HttpResponse
from django.utils import timezone

from rewire.care import fhir
from rewire.diary.models import BodyAreaRating, CheckIn
from rewire.diary.portability import checkins_as_dicts
from rewire.diary.vocabulary import BODY_AREAS
from rewire.goals import rules as goal_rules
from rewire.goals.models import GoalRating
from rewire.measures import actions as measures
from rewire.measures.models import Response

AREA_LABELS = {area.slug: area.label for area in BODY_AREAS}
# A spreadsheet runs a cell that starts with one of these as a formula (OWASP's list: tab and
# carriage return too): such a cell gets a leading apostrophe, which shows it as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "; "
FHIR_JSON = "application/fhir+json"


def fhir_bundle(user) -> dict:
    """Every check-in's pain, every PHQ-9 and GAD-7 and every weekly goal rating of the
    account, as a FHIR Bundle."""
    areas: dict[int, list] = {}
    for checkin_id, area, intensity in (
        BodyAreaRating.objects.filter(checkin__user=user)
        .order_by("id")
        .values_list("checkin_id", "area", "intensity")
    ):
        areas.setdefault(checkin_id, []).append((area, AREA_LABELS.get(area, area), intensity))
    pain = [
        fhir.PainRecord(str(pk), recorded_at, value, tuple(areas.get(pk, ())))
        for pk, recorded_at, value in CheckIn.objects.for_user(user)
        .order_by("recorded_at", "id")
        .values_list("id", "recorded_at", "pain")
    ]
    known = measures.instruments()
    answers = [
        fhir.AnswerRecord(
            str(row["id"]),
            known[row["instrument"]],
            row["answered_at"],
            row["answers"],
            row["total"],
            row["band"] or None,
            row["prorated"],
        )
        for row in Response.objects.for_user(user)
        .filter(instrument__in=fhir.FHIR_INSTRUMENTS)
        .order_by("answered_at", "id")
        .values("id", "instrument", "answered_at", "answers", "total", "band", "prorated")
        if row["instrument"] in known
    ]
    goals = [
        fhir.GoalRecord(str(pk), title, week, done, rated_at, goal_rules.NOT_VALIDATED)
        for pk, title, week, done, rated_at in GoalRating.objects.for_user(user)
        .order_by("goal__created_at", "goal_id", "week")
        .values_list("id", "goal__title", "week", "done", "rated_at")
    ]
    return fhir.build_bundle(
        # Not the access log's pseudonym: an export never ties to the log (accounts/models.py).
        # A user from a personal token has a few fields loaded: this loads the one needed.
        pseudonym=user.export_id,
        zone=user.zone,
        pain=pain,
        answers=answers,
        goals=goals,
        generated_at=timezone.now(),
    )


def safe_cell(value):
    """A value as a CSV cell: empty for None, yes/no for booleans, and text that a
    spreadsheet would run as a formula kept as text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv(header: list[str], rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([safe_cell(value) for value in row] for row in rows)
    return out.getvalue()


def _local_time(iso: str, zone) -> str:
    # To the second: a spreadsheet reads that; the JSON export keeps the microseconds.
    return dt.datetime.fromisoformat(iso).astimezone(zone).isoformat(timespec="seconds")


CHECKIN_COLUMNS = [
    "recorded_at", "local_date", "pain", "flare", "stress", "movement_minutes", "sleep_hours",
    "sleep_quality", "body_areas", "emotions", "tags", "helped", "thought", "note",
]  # fmt: skip


def checkins_csv(user) -> str:
    """One row per check-in, oldest first; times in the account's timezone, with offset."""
    zone = user.zone
    rows = (
        [
            _local_time(row["recorded_at"], zone),
            row["local_date"],
            row["pain"],
            row["is_flare"],
            row["stress"],
            row["movement_minutes"],
            row["sleep_hours"],
            row["sleep_quality"],
            LIST_SEPARATOR.join(f"{a['area']} {a['intensity']}" for a in row["body_areas"]),
            LIST_SEPARATOR.join(f"{e['name']} {e['intensity']}" for e in row["emotions"]),
            LIST_SEPARATOR.join(row["tags"]),
            LIST_SEPARATOR.join(row["helped"]),
            row["thought"],
            row["note"],
        ]
        for row in checkins_as_dicts(CheckIn.objects.for_user(user).order_by("recorded_at", "id"))
    )
    return _csv(CHECKIN_COLUMNS, rows)


QUESTIONNAIRE_COLUMNS = [
    "instrument", "answered_at", "local_date", "total", "band", "prorated", "subscale",
]  # fmt: skip


def questionnaires_csv(user) -> str:
    """One row per questionnaire answered, oldest first (wide): the score, then one column
    per question of every questionnaire Rewire has (empty where it was not asked)."""
    zone = user.zone
    item_columns = [
        item for definition in measures.instruments().values() for item in definition.item_ids
    ]
    responses = list(
        Response.objects.for_user(user)
        .order_by("answered_at", "id")
        .values(*QUESTIONNAIRE_COLUMNS, "answers")
    )
    # Answers to a question no longer defined are kept, in columns of their own at the end.
    extra = sorted({key for row in responses for key in row["answers"]} - set(item_columns))
    columns = item_columns + extra
    rows = (
        [
            row["instrument"],
            row["answered_at"].astimezone(zone).isoformat(timespec="seconds"),
            row["local_date"].isoformat(),
            row["total"],
            row["band"] or None,
            row["prorated"],
            row["subscale"],
            *(row["answers"].get(column) for column in columns),
        ]
        for row in responses
    )
    return _csv(QUESTIONNAIRE_COLUMNS + columns, rows)


def filename(user, what: str, extension: str) -> str:
    """rewire-<what>-<today in the account's timezone>.<extension>: no name, no email."""
    return f"rewire-{what}-{timezone.now().astimezone(user.zone).date().isoformat()}.{extension}"


def json_text(document: dict) -> str:
    return json.dumps(document, indent=1, ensure_ascii=False)


def attachment(content: str, *, content_type: str, filename: str) -> HttpResponse:
    """A download: the browser saves it under `filename` rather than showing it."""
    response = HttpResponse(content, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
