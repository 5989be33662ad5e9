from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.urls import path
from django.views.defaults import page_not_found

from rewire.accounts import views as accounts
from rewire.api.api import api
from rewire.care import export_views as your_data
from rewire.care import report_views as report
from rewire.care import views as care
from rewire.diary import views as diary
from rewire.exposure import views as exposure
from rewire.insights import views as insights
from rewire.measures import views as measures
from rewire.program import views as programme

urlpatterns = [
    # First: scripts and apps call the API far more often than people open pages.
    path("api/v1/", api.urls),
    path("", diary.home, name="home"),
    path("checkins/new", diary.checkin_create, name="checkin_create"),
    path("checkins/<int:pk>/edit", diary.checkin_edit, name="checkin_edit"),
    path("checkins/<int:pk>/delete", diary.checkin_delete, name="checkin_delete"),
    path("flare", diary.flare, name="flare"),
    path("history", diary.history, name="history"),
    path("questionnaires", measures.questionnaire_list, name="questionnaires"),
    path("questionnaires/outcome", measures.trial_outcome, name="trial_outcome"),
    path("questionnaires/responses/<int:pk>", measures.response_result, name="response_result"),
    path(
        "questionnaires/responses/<int:pk>/delete",
        measures.response_delete,
        name="response_delete",
    ),
    path("questionnaires/<slug:instrument_id>", measures.questionnaire, name="questionnaire"),
    path(
        "questionnaires/<slug:instrument_id>/results",
        measures.questionnaire_results,
        name="questionnaire_results",
    ),
    # The warning signs asked before the programme ("red flags").
    path("safety", measures.warning_signs, name="warning_signs"),
    path(
        "safety/<int:pk>/assessed",
        measures.warning_signs_assessed,
        name="warning_signs_assessed",
    ),
    path("programme", programme.overview, name="programme"),
    path("programme/practices", programme.practice_list, name="practice_list"),
    path("programme/practices/<int:pk>", programme.practice_result, name="practice_result"),
    path("programme/practices/<int:pk>/delete", programme.practice_delete, name="practice_delete"),
    path("programme/practice/<slug:kind>", programme.practice, name="practice"),
    path("programme/safety", programme.safety_messages, name="safety_messages"),
    path(
        "programme/safety/suggestion",
        programme.safety_suggestion_add,
        name="safety_suggestion_add",
    ),
    path(
        "programme/safety/<int:pk>/edit",
        programme.safety_message_edit,
        name="safety_message_edit",
    ),
    path(
        "programme/safety/<int:pk>/delete",
        programme.safety_message_delete,
        name="safety_message_delete",
    ),
    path("programme/evidence", programme.evidence, name="evidence"),
    path("programme/evidence/summary", programme.evidence_summary, name="evidence_summary"),
    path("programme/evidence/<int:pk>/edit", programme.evidence_edit, name="evidence_edit"),
    path("programme/evidence/<int:pk>/delete", programme.evidence_delete, name="evidence_delete"),
    path("programme/causes", programme.causes, name="causes"),
    path("programme/causes/<int:pk>/delete", programme.causes_delete, name="causes_delete"),
    path("programme/thoughts", programme.thought_list, name="thought_list"),
    path("programme/thoughts/new", programme.thought_create, name="thought_create"),
    path("programme/thoughts/<int:pk>/edit", programme.thought_edit, name="thought_edit"),
    path("programme/thoughts/<int:pk>/delete", programme.thought_delete, name="thought_delete"),
    path("programme/flare-plan", programme.flare_plan, name="flare_plan"),
    # Not programme/<id>: a session's id may be a word the tools use ("evidence").
    path("programme/sessions/<slug:session_id>", programme.session_page, name="programme_session"),
    path(
        "programme/sessions/<slug:session_id>/done",
        programme.session_complete,
        name="session_complete",
    ),
    # Graded exposure and movement: they wait for the warning signs, as the programme does.
    path("movement", exposure.movement, name="movement"),
    path("movement/activities/<int:pk>/delete", exposure.activity_delete, name="activity_delete"),
    path("movement/ladder", exposure.ladder_page, name="ladder"),
    path("movement/ladder/<int:pk>", exposure.rung_page, name="rung"),
    path("movement/ladder/<int:pk>/rate", exposure.rung_rate, name="rung_rate"),
    path("movement/ladder/<int:pk>/edit", exposure.rung_edit, name="rung_edit"),
    path("movement/ladder/<int:pk>/mastered", exposure.rung_mastered, name="rung_mastered"),
    path("movement/ladder/<int:pk>/delete", exposure.rung_delete, name="rung_delete"),
    path("movement/ladder/<int:pk>/try", exposure.attempt_start, name="attempt_start"),
    path("movement/tries/<int:pk>", exposure.attempt_page, name="attempt"),
    path("movement/tries/<int:pk>/next-day", exposure.attempt_next_day, name="attempt_next_day"),
    path("movement/tries/<int:pk>/delete", exposure.attempt_delete, name="attempt_delete"),
    path("insights", insights.insights, name="insights"),
    path("insights/experiments/new", insights.experiment_new, name="experiment_new"),
    path("insights/experiments/<int:pk>", insights.experiment, name="experiment"),
    path(
        "insights/experiments/<int:pk>/answer",
        insights.experiment_answer,
        name="experiment_answer",
    ),
    path("insights/experiments/<int:pk>/stop", insights.experiment_stop, name="experiment_stop"),
    path(
        "insights/experiments/<int:pk>/delete",
        insights.experiment_delete,
        name="experiment_delete",
    ),
    # The person's data out: the page, then each download (the password again if not recent).
    path("settings/data", your_data.page, name="your_data"),
    path("settings/data/json", your_data.download_json, name="your_data_json"),
    path("settings/data/fhir", your_data.download_fhir, name="your_data_fhir"),
    path(
        "settings/data/csv/checkins", your_data.download_checkins_csv, name="your_data_checkins_csv"
    ),
    path(
        "settings/data/csv/questionnaires",
        your_data.download_questionnaires_csv,
        name="your_data_questionnaires_csv",
    ),
    # The printable report: always the signed-in person's own, so no id in the URL.
    path("report", report.report_page, name="report"),
    path("report.pdf", report.report_pdf, name="report_pdf"),
    path("settings", accounts.settings_page, name="settings"),
    path("settings/tokens", accounts.token_create, name="token_create"),
    path("settings/tokens/<int:pk>/revoke", accounts.token_revoke, name="token_revoke"),
    # Sharing with clinicians: the patient's side, then the clinician's.
    path("sharing", care.sharing, name="sharing"),
    path("sharing/invite", care.invite, name="invite"),
    path(
        "sharing/invitations/<int:pk>",
        care.invitation_created,
        name="invitation_created",
    ),
    path("sharing/<int:pk>", care.share_edit, name="share_edit"),
    path("sharing/<int:pk>/stop", care.share_revoke, name="share_revoke"),
    path(
        "sharing/invitations/<int:pk>/withdraw",
        care.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("sharing/log", care.access_log, name="access_log"),
    path("care", care.patients, name="patients"),
    path("care/accept", care.accept, name="accept"),
    path("care/patients/<int:pk>", care.patient, name="patient"),
    path("care/patients/<int:pk>/report", care.patient_report, name="patient_report"),
    path("care/patients/<int:pk>/report.pdf", care.patient_report_pdf, name="patient_report_pdf"),
    path("settings/delete", care.delete_account, name="delete_account"),
    path("accounts/signup", accounts.signup, name="signup"),
    path("accounts/confirm", accounts.confirm_password, name="confirm_password"),
    path(
        "accounts/login",
        accounts.SignIn.as_view(),
        name="login",
    ),
    path("accounts/logout", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/reset", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/reset/sent",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/complete",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]


def not_found(request, exception):
    """API clients get JSON; people get the page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return page_not_found(request, exception)


handler404 = not_found
