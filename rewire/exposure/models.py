from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from rewire.core.models import OwnedQuerySet
from rewire.core.validation import MAX_MOVEMENT_MINUTES, SCALE_MAX, SCALE_MIN
from rewire.exposure.ladder import FEAR_MAX, HARM_MAX, OUTCOMES
from rewire.exposure.library import MAX_ACTIVITY_LENGTH
from rewire.exposure.rules import MAX_BREAK_MINUTES, MAX_BREAKS, MAX_PACING_MINUTES

SCALE = [MinValueValidator(SCALE_MIN), MaxValueValidator(SCALE_MAX)]
PERCENT = [MinValueValidator(0), MaxValueValidator(max(FEAR_MAX, HARM_MAX))]


def _owner():
    return models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")


class Rung(models.Model):
    """An activity on the person's fear ladder, with its latest ratings (every rating, the
    first too, is kept in RungRating)."""

    user = _owner()
    activity = models.CharField(max_length=MAX_ACTIVITY_LENGTH)
    # rules.activity_key(activity): one rung per activity, whatever its case or spacing.
    activity_key = models.CharField(max_length=MAX_ACTIVITY_LENGTH * 3)
    library_id = models.CharField(max_length=40, blank=True)  # content/<lang>/activities.yaml
    fear = models.PositiveSmallIntegerField(validators=PERCENT)
    expected_pain = models.PositiveSmallIntegerField(validators=SCALE)
    harm = models.PositiveSmallIntegerField(validators=PERCENT)
    rated_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)
    mastered_at = models.DateTimeField(null=True, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["fear", "harm", "expected_pain", "id"]  # easiest first, as ladder.in_order
        constraints = [
            models.UniqueConstraint(fields=["user", "activity_key"], name="rung_activity_once")
        ]

    def __str__(self):
        return self.activity

    @property
    def mastered(self) -> bool:
        return self.mastered_at is not None


class RungRating(models.Model):
    rung = models.ForeignKey(Rung, on_delete=models.CASCADE, related_name="ratings")
    rated_at = models.DateTimeField(default=timezone.now)
    fear = models.PositiveSmallIntegerField(validators=PERCENT)
    expected_pain = models.PositiveSmallIntegerField(validators=SCALE)
    harm = models.PositiveSmallIntegerField(validators=PERCENT)

    class Meta:
        ordering = ["rated_at", "id"]

    def __str__(self):
        return f"Fear {self.fear} on {self.rated_at:%Y-%m-%d}"


class ExposureAttempt(models.Model):
    """One try at a rung: the prediction before, what happened after, the next day's pain."""

    user = _owner()
    rung = models.ForeignKey(Rung, on_delete=models.CASCADE, related_name="attempts")
    started_at = models.DateTimeField()
    local_date = models.DateField()
    fear_before = models.PositiveSmallIntegerField(validators=PERCENT)
    predicted_pain = models.PositiveSmallIntegerField(validators=SCALE)
    predicted_harm = models.PositiveSmallIntegerField(validators=PERCENT)
    prediction = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    actual_pain = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCALE)
    outcome = models.CharField(max_length=6, blank=True, choices=list(OUTCOMES.items()))
    fear_after = models.PositiveSmallIntegerField(null=True, blank=True, validators=PERCENT)
    learned = models.TextField(blank=True)
    next_day_pain = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCALE)
    next_day_declined = models.BooleanField(default=False)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["user", "local_date"], name="attempt_user_date")]

    def __str__(self):
        return f"Try at {self.rung_id} on {self.local_date}"

    @property
    def finished(self) -> bool:
        return self.finished_at is not None


class ActivitySession(models.Model):
    """Movement logged on its own: a walk, a swim, a class."""

    user = _owner()
    local_date = models.DateField()
    activity = models.CharField(max_length=MAX_ACTIVITY_LENGTH)
    minutes = models.PositiveIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_MOVEMENT_MINUTES)]
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-local_date", "-created_at", "-id"]
        indexes = [models.Index(fields=["user", "local_date"], name="activity_user_date")]

    def __str__(self):
        return f"{self.activity}, {self.minutes} min on {self.local_date}"


class PacedActivity(models.Model):
    """A time-based pacing plan for one activity: so many minutes of it, then a planned break,
    taken before the pain rises (the clock decides, not the pain)."""

    user = _owner()
    activity = models.CharField(max_length=MAX_ACTIVITY_LENGTH)
    # rules.activity_key(activity): one plan per activity, whatever its case or spacing.
    activity_key = models.CharField(max_length=MAX_ACTIVITY_LENGTH * 3)
    activity_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PACING_MINUTES)]
    )
    break_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_BREAK_MINUTES)]
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["activity_key", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "activity_key"], name="paced_activity_once")
        ]

    def __str__(self):
        return f"{self.activity}: {self.activity_minutes} min, then {self.break_minutes} min break"


class PacingBout(models.Model):
    """A paced bout done: minutes of the activity in all, and the breaks taken between."""

    user = _owner()
    plan = models.ForeignKey(PacedActivity, on_delete=models.CASCADE, related_name="bouts")
    local_date = models.DateField()
    minutes = models.PositiveIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_MOVEMENT_MINUTES)]
    )
    breaks = models.PositiveSmallIntegerField(validators=[MaxValueValidator(MAX_BREAKS)])
    # Rounds that ran their whole quota, as the timer counted them (a round cut short by an
    # early break does not count); null when the bout was logged by hand.
    rounds_to_time = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(MAX_BREAKS + 1)]
    )
    # The plan's minutes of activity when the bout was done (the plan may change later).
    planned_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PACING_MINUTES)]
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-local_date", "-created_at", "-id"]
        indexes = [models.Index(fields=["user", "local_date"], name="pacing_bout_user_date")]

    def __str__(self):
        return f"{self.minutes} min of {self.plan_id} on {self.local_date}"
