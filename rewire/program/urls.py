from django.urls import path

from rewire.program import after_views
from rewire.program import views as programme

urlpatterns = [
    path("programme", programme.overview, name="programme"),
    # Not under programme/: every page there waits for the warning signs, and this one must
    # not (tests/test_access.py holds every programme/ page to that).
    path("if-this-has-not-helped", programme.not_helped, name="not_helped"),
    path("programme/pace", programme.pace, name="programme_pace"),
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
    path("programme/writing", programme.writing_list, name="writing_list"),
    path("programme/writing/letter/new", programme.writing_new_letter, name="writing_new_letter"),
    path(
        "programme/writing/timeline/new",
        programme.writing_new_timeline,
        name="writing_new_timeline",
    ),
    path("programme/writing/<int:pk>", programme.writing_detail, name="writing_detail"),
    path("programme/writing/<int:pk>/edit", programme.writing_edit, name="writing_edit"),
    # Not under programme/: the check-in after writing and the support route must not wait
    # for the warning signs (which come back after a strong flare, or four weeks on).
    path("after-writing/<int:pk>", programme.writing_checkin, name="writing_checkin"),
    path("after-writing/<int:pk>/support", programme.writing_after, name="writing_after"),
    path("programme/writing/<int:pk>/delete", programme.writing_delete, name="writing_delete"),
    path("programme/topics/<slug:topic_id>", programme.topic_page, name="programme_topic"),
    path("programme/plan", after_views.maintenance_plan, name="maintenance_plan"),
    path("programme/check-ups/<slug:slug>", after_views.checkup, name="checkup"),
    path("programme/flare-plan", programme.flare_plan, name="flare_plan"),
    # Not programme/<id>: a session's id may be a word the tools use ("evidence").
    path("programme/sessions/<slug:session_id>", programme.session_page, name="programme_session"),
    path(
        "programme/sessions/<slug:session_id>/done",
        programme.session_complete,
        name="session_complete",
    ),
]
