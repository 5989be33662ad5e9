from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from rewire.core.models import OwnedQuerySet
from rewire.core.validation import MAX_MOVEMENT_MINUTES, MAX_NAME_LENGTH, SCALE_MAX, SCALE_MIN
from rewire.diary.vocabulary import BODY_AREAS, MAX_SLEEP_HOURS

SCALE = [MinValueValidator(SCALE_MIN), MaxValueValidator(SCALE_MAX)]


class Tag(models.Model):
    CONTEXT = "context"
    HELPED = "helped"
    KINDS = [(CONTEXT, "Context or trigger"), (HELPED, "What helped")]

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tags"
    )
    kind = models.CharField(max_length=10, choices=KINDS)
    name = models.CharField(max_length=MAX_NAME_LENGTH)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "name"], name="tag_unique_per_user")
        ]

    def __str__(self):
        return self.name


class CheckIn(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checkins"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    # The person's own calendar date when they recorded it, fixed at that moment.
    local_date = models.DateField()
    pain = models.PositiveSmallIntegerField(validators=SCALE)
    is_flare = models.BooleanField(default=False)
    stress = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCALE)
    thought = models.TextField(blank=True)
    movement_minutes = models.PositiveIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(MAX_MOVEMENT_MINUTES)]
    )
    sleep_hours = models.DecimalField(
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_SLEEP_HOURS)],
    )
    sleep_quality = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCALE)
    note = models.TextField(blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="checkins")
    helped = models.ManyToManyField(Tag, blank=True, related_name="helped_checkins")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [
            models.Index(fields=["user", "local_date"], name="checkin_user_date"),
            models.Index(fields=["user", "recorded_at"], name="checkin_user_time"),
        ]

    def __str__(self):
        return f"Pain {self.pain} at {self.recorded_at:%Y-%m-%d %H:%M}"


class BodyAreaRating(models.Model):
    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="body_areas")
    area = models.CharField(max_length=30, choices=[(a.slug, a.label) for a in BODY_AREAS])
    intensity = models.PositiveSmallIntegerField(validators=SCALE)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["checkin", "area"], name="body_area_once_per_checkin")
        ]

    def __str__(self):
        return f"{self.get_area_display()} {self.intensity}"


class EmotionRating(models.Model):
    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="emotions")
    name = models.CharField(max_length=MAX_NAME_LENGTH)
    intensity = models.PositiveSmallIntegerField(validators=SCALE)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["checkin", "name"], name="emotion_once_per_checkin")
        ]

    def __str__(self):
        return f"{self.name} {self.intensity}"
