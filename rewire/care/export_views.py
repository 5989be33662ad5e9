"""The "Your data" page (/settings/data) and its downloads. Thin: the files are built by
rewire/care/exports.py and the apps' export sections (rewire/core/portability.py).

A download hands over the whole diary, so it asks for the password again when the sign-in
is older than REWIRE_REAUTH_MINUTES (a phone left unlocked should not give it away).
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from rewire.accounts.reauth import recent_password_required
from rewire.care import exports
from rewire.care.exports import FHIR_JSON, attachment
from rewire.care.fhir import FHIR_INSTRUMENTS
from rewire.core.portability import export_diary
from rewire.diary.models import CheckIn
from rewire.measures.models import Response


def download(view):
    """Signed in, GET only, and the password given recently: in that order, so a stranger
    is sent to sign in and a POST is a 405 before anything else."""
    return login_required(require_GET(recent_password_required(view)))


@login_required
def page(request):
    user = request.user
    return render(
        request,
        "care/your_data.html",
        {
            "checkins": CheckIn.objects.for_user(user).count(),
            "responses": Response.objects.for_user(user).count(),
            "fhir_responses": Response.objects.for_user(user)
            .filter(instrument__in=FHIR_INSTRUMENTS)
            .count(),
        },
    )


@download
def download_json(request):
    document = export_diary(request.user)
    return attachment(
        exports.json_text(document),
        content_type="application/json",
        filename=exports.filename(request.user, "export", "json"),
    )


@download
def download_fhir(request):
    return attachment(
        exports.json_text(exports.fhir_bundle(request.user)),
        content_type=FHIR_JSON,
        filename=exports.filename(request.user, "fhir", "json"),
    )


@download
def download_checkins_csv(request):
    return attachment(
        exports.checkins_csv(request.user),
        content_type="text/csv",
        filename=exports.filename(request.user, "checkins", "csv"),
    )


@download
def download_questionnaires_csv(request):
    return attachment(
        exports.questionnaires_csv(request.user),
        content_type="text/csv",
        filename=exports.filename(request.user, "questionnaires", "csv"),
    )
