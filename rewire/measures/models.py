from django.conf import settings
from django.db import models
from django.utils import timezone

from rewire.core.models import OwnedQuerySet


def _owner():
    return models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")


class Response(models.Model):
    """One questionnaire answered (content/<lang>/instruments.yaml). The score is worked out
    from the answers when they are saved (scoring.py) and kept beside them."""

    user = _owner()
    instrument = models.CharField(max_length=40)
    answered_at = models.DateTimeField(default=timezone.now)
    local_date = models.DateField()
    answers = models.JSONField()  # {item id: value or null}
    total = models.SmallIntegerField(null=True)  # null: too many answers missing to score
    band = models.CharField(max_length=200, blank=True)
    subscale = models.SmallIntegerField(null=True)  # STarT Back's psychosocial subscore
    prorated = models.BooleanField(default=False)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-answered_at", "-id"]
        indexes = [
            models.Index(fields=["user", "instrument", "answered_at"], name="response_user_time")
        ]

    def __str__(self):
        return f"{self.instrument} on {self.local_date}"


class Screening(models.Model):
    """The warning-sign questions (content/<lang>/red_flags.yaml), answered once; answered
    again, a new row. With any yes, the programme stays locked until `assessed_at`."""

    user = _owner()
    answered_at = models.DateTimeField(default=timezone.now)
    answers = models.JSONField()  # {red flag id: true/false}
    assessed_at = models.DateTimeField(null=True, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-answered_at", "-id"]

    def __str__(self):
        return f"Warning signs answered {self.answered_at:%Y-%m-%d}"

    @property
    def flags(self) -> list[str]:
        return [flag for flag, yes in self.answers.items() if yes]


class Suitability(models.Model):
    """Who the programme is for (content/<lang>/suitability.yaml), answered before it starts;
    answered again, a new row, and the newest decides. Answers that do not fit never lock
    logging: the programme waits until `clinician_agreed_at`, the person's word that a
    clinician agrees they can go on (`clinician`: who, in their words, if they said)."""

    user = _owner()
    answered_at = models.DateTimeField(default=timezone.now)
    answers = models.JSONField()  # {question id: option value}
    clinician_agreed_at = models.DateTimeField(null=True, blank=True)
    clinician = models.CharField(max_length=200, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-answered_at", "-id"]
        verbose_name_plural = "suitability answers"

    def __str__(self):
        return f"Suitability answered {self.answered_at:%Y-%m-%d}"


class SafetyEvent(models.Model):
    """Something a clinician the person shares with must see first: PHQ-9 item 9 above 0,
    a yes to a warning sign, or a worsening rule set off (content/<lang>/worsening.yaml)."""

    CRISIS = "phq9_item9"
    RED_FLAG = "red_flag"
    WORSENING = "worsening"
    KINDS = [
        (CRISIS, "PHQ-9 item 9 above 0"),
        (RED_FLAG, "A warning sign answered yes"),
        (WORSENING, "Getting worse"),
    ]
    user = _owner()
    kind = models.CharField(max_length=20, choices=KINDS)
    # The worsening rule's id (worsening.yaml), for its advice; blank for the other kinds.
    rule = models.CharField(max_length=40, blank=True)
    occurred_at = models.DateTimeField(default=timezone.now)
    detail = models.CharField(max_length=500, blank=True)
    response = models.ForeignKey(
        Response, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    screening = models.ForeignKey(
        Screening, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} at {self.occurred_at:%Y-%m-%d %H:%M}"
