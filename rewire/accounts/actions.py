"""Writes that change accounts. Views, the API and the CLI all call these."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from rewire.accounts.models import ApiToken, User
from rewire.diary.actions import ensure_starter_tags

# Accounts here are made by `rewire demo`, which may replace their diaries.
DEMO_DOMAIN = "rewire.invalid"


@transaction.atomic
def create_user(
    *, email: str, password: str, timezone: str = "UTC", demo=False, role: str = User.PATIENT
) -> User:
    """Create an account (with the starter tags for a patient's diary); the password must pass
    the validators."""
    if email.strip().lower().endswith(f"@{DEMO_DOMAIN}") and not demo:
        raise ValidationError({"email": "This address is reserved for demo accounts."})
    candidate = User(email=email.strip().lower(), timezone=timezone, role=role)
    validate_password(password, candidate)
    candidate.full_clean(exclude=["password"])
    user = User.objects.create_user(candidate.email, password, timezone=timezone, role=role)
    if not user.is_clinician:
        ensure_starter_tags(user=user)
    return user


@transaction.atomic
def create_api_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Return the stored token and its secret, which is never stored or shown again."""
    secret = ApiToken.new_secret()
    token = ApiToken.objects.create(
        user=user,
        name=name.strip() or "Personal token",
        digest=ApiToken.digest_of(secret),
        hint=secret[:8],
    )
    return token, secret


def revoke_api_token(*, user: User, token_id: int) -> None:
    ApiToken.objects.for_user(user).filter(pk=token_id).delete()


@transaction.atomic
def set_timezone(*, user: User, timezone: str) -> None:
    """Later check-ins take their dates here; earlier ones keep the dates they were given."""
    user.timezone = timezone
    user.full_clean(exclude=["password"])
    user.save(update_fields=["timezone"])
