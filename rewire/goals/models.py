from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from rewire.core.models import OwnedQuerySet
from rewire.goals.rules import MAX_TITLE_LENGTH, MAX_WHY_LENGTH


class Goal(models.Model):
    """Something that matters to the person and that pain has taken: a walk with a friend,
    work, a hobby. At most three (rules.MAX_GOALS)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=MAX_TITLE_LENGTH)
    why = models.TextField(blank=True, max_length=MAX_WHY_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.title


class GoalRatingQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(goal__user=user)


class GoalRating(models.Model):
    """How much the person did a goal in one week (0-10), kept under the week's Monday. One
    per goal and week: rating the week again changes it."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="ratings")
    week = models.DateField()
    done = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    rated_at = models.DateTimeField(default=timezone.now)

    objects = GoalRatingQuerySet.as_manager()

    class Meta:
        ordering = ["week"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "week"], name="goal_rating_once_a_week")
        ]

    def __str__(self):
        return f"{self.goal_id} in the week of {self.week}: {self.done}"
