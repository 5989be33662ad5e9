from django.urls import path

from rewire.measures import help_views
from rewire.measures import views as measures

urlpatterns = [
    # Open to anyone, signed in or not: the header links to it from every page.
    path("urgent-help", help_views.urgent_help, name="urgent_help"),
    # What the service worker shows for a page it cannot reach offline (no one's data).
    path("offline", help_views.offline, name="offline"),
    # The service worker that keeps Urgent help working offline once any page was visited.
    path("sw.js", help_views.service_worker, name="service_worker"),
    # What a phone needs to install Rewire on its home screen.
    path("manifest.webmanifest", help_views.manifest, name="manifest"),
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
    # Who the programme is for, asked before it.
    path("who-it-is-for", measures.suitability, name="suitability"),
    path(
        "who-it-is-for/<int:pk>/clinician-agreed",
        measures.suitability_agreed,
        name="suitability_agreed",
    ),
    # The warning signs asked before the programme ("red flags").
    path("safety", measures.warning_signs, name="warning_signs"),
    path(
        "safety/<int:pk>/assessed",
        measures.warning_signs_assessed,
        name="warning_signs_assessed",
    ),
]
