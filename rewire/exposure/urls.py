from django.urls import path

from rewire.exposure import views as exposure

urlpatterns = [
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
    # Time-based pacing: a quota of time, a break before the pain rises, a timer.
    path("movement/pacing", exposure.pacing, name="pacing"),
    path("movement/pacing/<int:pk>", exposure.pacing_plan, name="pacing_plan"),
    path("movement/pacing/<int:pk>/edit", exposure.pacing_plan_edit, name="pacing_plan_edit"),
    path("movement/pacing/<int:pk>/delete", exposure.pacing_plan_delete, name="pacing_plan_delete"),
    path(
        "movement/pacing/bouts/<int:pk>/delete",
        exposure.pacing_bout_delete,
        name="pacing_bout_delete",
    ),
]
