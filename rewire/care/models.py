from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from rewire.core.models import OwnedQuerySet

# What a patient can share, each on its own; written thoughts are off unless chosen.
SCOPES = {
    "diary": "Diary and pain trends",
    "questionnaires": "Questionnaires, with safety alerts and whether the programme suits",
    "programme": "Programme and fear-ladder progress",
    "thoughts": "Written thoughts (notes, thought records)",
    # A scope of its own, so a share made before expressive writing existed never widens to it.
    "writing": "Expressive writing (unsent letters and life-stress timelines)",
}
DEFAULT_SCOPES = ("diary", "questionnaires", "programme")


class Invitation(models.Model):
    """A code and link a patient gives one clinician: it expires and works once. Only the
    code's SHA-256 is stored; the code is shown once."""

    user = models.ForeignKey(  # the patient
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    digest = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=8)  # the code's first characters, to tell them apart
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Invitation {self.hint}…"


class Share(models.Model):
    """A patient's consent for one clinician to see chosen parts of their data. Revoked, it
    stays as history; the clinician's next request finds no active share."""

    user = models.ForeignKey(  # the patient
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "clinician"],
                condition=Q(revoked_at__isnull=True),
                name="one_active_share_per_pair",
            )
        ]

    def __str__(self):
        return f"Share {self.pk}"

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class AccessLog(models.Model):
    """One view of a patient's data by a clinician. Append-only in the database (triggers,
    append_only.py). No foreign keys: each person is named by their pseudonym, so when an
    account is deleted its rows stay, naming no one."""

    at = models.DateTimeField(default=timezone.now)
    patient = models.CharField(max_length=32)  # User.pseudonym
    clinician = models.CharField(max_length=32)  # User.pseudonym
    what = models.CharField(max_length=60)  # "patient list", "patient page", "report", ...

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["patient", "at"], name="access_by_patient")]

    def __str__(self):
        return f"{self.what} at {self.at:%Y-%m-%d %H:%M}"
