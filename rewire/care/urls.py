from django.urls import path

from rewire.care import export_views as your_data
from rewire.care import report_views as report
from rewire.care import views as care

urlpatterns = [
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
]
