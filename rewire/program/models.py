from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from rewire.core.models import OwnedQuerySet
from rewire.core.validation import MAX_NAME_LENGTH, SCALE_MAX, SCALE_MIN
from rewire.diary.models import CheckIn
from rewire.program.progress import DEFAULT_PACE, PACES

SCALE = [MinValueValidator(SCALE_MIN), MaxValueValidator(SCALE_MAX)]
MAX_SHORT_TEXT = 500  # a safety message, a flare-plan step, a cause


def _owner():
    return models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")


class SessionCompletion(models.Model):
    """The person finished reading a session (ids from content/<lang>/sessions/)."""

    user = _owner()
    session = models.CharField(max_length=40)
    completed_at = models.DateTimeField(default=timezone.now)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["completed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "session"], name="session_done_once")
        ]

    def __str__(self):
        return f"Session {self.session} done"


class ProgrammeSettings(models.Model):
    """How fast the person's sessions open (progress.PACES); no row: the default pace."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    pace = models.CharField(max_length=20, choices=list(PACES.items()), default=DEFAULT_PACE)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = OwnedQuerySet.as_manager()

    def __str__(self):
        return f"Pace: {self.pace}"


class MaintenancePlan(models.Model):
    """The person's plan for after the four weeks (the "keeping going" lesson), in their own
    words; first offered filled from their own data (boosters.helped_lines)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    keep_doing = models.TextField(blank=True)
    warning_signs = models.TextField(blank=True)
    what_helped = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = OwnedQuerySet.as_manager()

    def __str__(self):
        return "Maintenance plan"


class Practice(models.Model):
    """One guided practice done: somatic tracking, feeling emotions, savouring, a movement.

    Which before/after ratings apply depends on the practice (its content file says).
    """

    KINDS = [
        ("somatic_tracking", "Somatic tracking"),
        ("emotions", "Feeling emotions safely"),
        ("savouring", "Savouring good feelings"),
        ("movement", "A feared movement, gently"),
        ("breathing", "Slow belly breathing"),
        ("muscle_relaxation", "Tense and let go"),
        ("imagery", "A safe place in your mind"),
    ]
    user = _owner()
    kind = models.CharField(max_length=20, choices=KINDS)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    local_date = models.DateField()
    pain_before = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCALE)
    pain_after = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCALE)
    threat_before = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCALE)
    threat_after = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCALE)
    mood_before = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCALE)
    mood_after = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCALE)
    tension_before = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCALE)
    tension_after = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCALE)
    note = models.TextField(blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["user", "local_date"], name="practice_user_date")]

    def __str__(self):
        return f"{self.get_kind_display()} at {self.started_at:%Y-%m-%d %H:%M}"


class SafetyMessage(models.Model):
    user = _owner()
    text = models.CharField(max_length=MAX_SHORT_TEXT)
    position = models.PositiveIntegerField(default=0)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.text


class FlarePlanStep(models.Model):
    user = _owner()
    text = models.CharField(max_length=MAX_SHORT_TEXT)
    position = models.PositiveIntegerField(default=0)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.text


class Evidence(models.Model):
    """One of the person's own examples for a kind of evidence (content/<lang>/evidence.yaml)."""

    user = _owner()
    kind = models.CharField(max_length=40)
    example = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "created_at", "id"]

    def __str__(self):
        return f"{self.kind}: {self.example[:40]}"


class Attribution(models.Model):
    """Answers to "What are the main causes of your pain?": up to three causes, one time."""

    user = _owner()
    recorded_at = models.DateTimeField(default=timezone.now)
    local_date = models.DateField()

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at", "-id"]

    def __str__(self):
        return f"Causes of pain on {self.local_date}"


class Cause(models.Model):
    BODY = "body"
    MIND = "mind"
    BOTH = "both"
    CATEGORIES = [(BODY, "Body or tissue"), (MIND, "Brain, mind or stress"), (BOTH, "Both")]
    attribution = models.ForeignKey(Attribution, on_delete=models.CASCADE, related_name="causes")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=MAX_SHORT_TEXT)
    category = models.CharField(max_length=4, choices=CATEGORIES)

    class Meta:
        ordering = ["position"]

    def __str__(self):
        return self.text


class ThoughtRecord(models.Model):
    """A CBT thought record: situation, automatic thought, emotions, thinking traps,
    a balanced or safety reappraisal, and the emotions rated again."""

    user = _owner()
    checkin = models.ForeignKey(
        CheckIn, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    local_date = models.DateField()
    situation = models.TextField(blank=True)
    automatic_thought = models.TextField()
    traps = models.JSONField(default=list, blank=True)  # ids from thinking_traps.yaml
    reappraisal = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at", "-id"]

    def __str__(self):
        return f"Thought record on {self.local_date}"


class ThoughtEmotion(models.Model):
    record = models.ForeignKey(ThoughtRecord, on_delete=models.CASCADE, related_name="emotions")
    name = models.CharField(max_length=MAX_NAME_LENGTH)
    before = models.PositiveSmallIntegerField(validators=SCALE)
    after = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCALE)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.name


class Writing(models.Model):
    """A piece of expressive writing: an unsent letter or a life-stress timeline. Private:
    only the person sees it, unless they share written thoughts with a clinician (care)."""

    UNSENT_LETTER = "unsent_letter"
    TIMELINE = "timeline"
    KINDS = [(UNSENT_LETTER, "An unsent letter"), (TIMELINE, "A life-stress timeline")]
    user = _owner()
    kind = models.CharField(max_length=20, choices=KINDS)
    title = models.CharField(max_length=MAX_SHORT_TEXT, blank=True)
    text = models.TextField(blank=True)  # the letter; for a timeline, how pain fitted in
    local_date = models.DateField()
    # "How upset do you feel?" 0–10, before writing (optional) and after (asked once saved).
    distress_before = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCALE)
    distress_after = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCALE)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.local_date}"


class TimelineEvent(models.Model):
    """One event on a life-stress timeline: the age it happened at, what, and how it felt."""

    HARD = "hard"
    GOOD = "good"
    MIXED = "mixed"
    FEELINGS = [(HARD, "Hard"), (GOOD, "Good"), (MIXED, "Mixed")]
    writing = models.ForeignKey(Writing, on_delete=models.CASCADE, related_name="events")
    position = models.PositiveSmallIntegerField()
    age = models.PositiveSmallIntegerField(validators=[MaxValueValidator(120)])
    event = models.CharField(max_length=MAX_SHORT_TEXT)
    felt = models.CharField(max_length=5, choices=FEELINGS)

    class Meta:
        ordering = ["position"]

    def __str__(self):
        return f"Age {self.age}: {self.event}"
