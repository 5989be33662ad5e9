from django.urls import path

from rewire.goals import views

urlpatterns = [
    path("programme/goals", views.goals, name="goals"),
    path("programme/goals/<int:pk>/rate", views.goal_rate, name="goal_rate"),
    path("programme/goals/<int:pk>/edit", views.goal_edit, name="goal_edit"),
    path("programme/goals/<int:pk>/delete", views.goal_delete, name="goal_delete"),
]
