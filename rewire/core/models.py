import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

# Keys are kept at least this long; `rewire cleanup` (run by `rewire serve`) removes older ones.
IDEMPOTENCY_RETENTION = dt.timedelta(days=30)


class OwnedQuerySet(models.QuerySet):
    """Every query of personal data starts here: `Model.objects.for_user(user)`."""

    def for_user(self, user):
        return self.filter(user=user)


class IdempotencyKey(models.Model):
    """The first answer to a create request, replayed when the same key comes again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idempotency_keys"
    )
    key = models.CharField(max_length=255)
    request_digest = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        # Made by the api app before core existed; the table kept its name (no copy needed).
        db_table = "api_idempotencykey"
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_per_user")
        ]

    def __str__(self):
        return self.key


def forget_old_idempotency_keys(now: dt.datetime | None = None) -> int:
    cutoff = (now or timezone.now()) - IDEMPOTENCY_RETENTION
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
