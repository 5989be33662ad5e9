from django.urls import path

from rewire.insights import views as insights

urlpatterns = [
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
]
