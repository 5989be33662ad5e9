import datetime as dt
import hashlib
import secrets
import zoneinfo

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.timezone import now

from rewire.core.models import OwnedQuerySet
from rewire.core.validation import KNOWN_TIMEZONES


def validate_timezone(value: str) -> None:
    if value not in KNOWN_TIMEZONES:
        raise ValidationError(f"“{value}” is not a known timezone, such as Europe/London.")


def new_pseudonym() -> str:
    return secrets.token_hex(16)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    PATIENT, CLINICIAN = "patient", "clinician"
    ROLES = [(PATIENT, "Person keeping a diary"), (CLINICIAN, "Clinician guiding patients")]

    email = models.EmailField("email address", unique=True)
    # A clinician sees only the patients who invited them (rewire/care); they keep no diary.
    role = models.CharField(max_length=10, choices=ROLES, default=PATIENT)
    # Names the person in the access log (rewire/care), which has no link to this row: when
    # the account is deleted, its log rows name no one.
    pseudonym = models.CharField(max_length=32, unique=True, default=new_pseudonym)
    # Names the person in exported files (FHIR): another random value than the access log's,
    # so an old export can never tie a deleted account's log rows back to anyone.
    export_id = models.CharField(max_length=32, unique=True, default=new_pseudonym)
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    def __str__(self):
        return self.email

    @property
    def is_clinician(self) -> bool:
        return self.role == self.CLINICIAN

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def today(self) -> dt.date:
        """The person's own calendar date now, in their time zone."""
        return timezone.localdate(timezone=self.zone)


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token is shown once."""

    PREFIX = "rw_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12, help_text="The first characters, to tell tokens apart.")
    created_at = models.DateTimeField(default=now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.hint}…)"

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def new_secret(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)
