from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand
from django.utils import timezone

from rewire.core.models import forget_old_idempotency_keys


class Command(BaseCommand):
    help = "Remove expired sessions and idempotency keys older than 30 days."

    def handle(self, *args, **options):
        keys = forget_old_idempotency_keys()
        sessions, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
        if options["verbosity"]:
            self.stdout.write(
                f"Removed {keys} old idempotency keys and {sessions} expired sessions."
            )
