from django.conf import settings
from django.db import models
from django.utils import timezone

from rewire.core.models import OwnedQuerySet
from rewire.insights.experiments import MAX_INTERVENTION_LENGTH, OUTCOMES


class Experiment(models.Model):
    """A personal experiment: something to try on random days, and the pain it is judged by."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    intervention = models.CharField(max_length=MAX_INTERVENTION_LENGTH)
    preset = models.CharField(max_length=40, blank=True)  # content/<lang>/experiments.yaml
    outcome = models.CharField(max_length=20, choices=list(OUTCOMES.items()))
    start_date = models.DateField()
    days = models.PositiveSmallIntegerField()
    # One boolean a day from start_date: true on the days to do it (experiments.schedule).
    schedule = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    stopped_on = models.DateField(null=True, blank=True)  # the last day it ran, if stopped early

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-id"]

    def __str__(self):
        return f"{self.intervention} from {self.start_date}"


class ExperimentDay(models.Model):
    """The person's answer to "did you do it today?" on one day of an experiment."""

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="answers")
    date = models.DateField()
    done = models.BooleanField()
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["experiment", "date"], name="experiment_day_once")
        ]

    def __str__(self):
        return f"{self.date}: {'done' if self.done else 'not done'}"
