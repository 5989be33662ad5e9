from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand
from django.utils import timezone

from rewire.core.models import forget_old_idempotency_keys
from rewire.reminders.actions import forget_old_deliveries


class Command(BaseCommand):
    help = (
        "Remove expired sessions, idempotency keys older than 30 days and the log of "
        "reminders sent more than 16 days ago."
    )

    def handle(self, *args, **options):
        keys = forget_old_idempotency_keys()
        sessions, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
        reminders = forget_old_deliveries(now=timezone.now())
        if options["verbosity"]:
            self.stdout.write(
                f"Removed {keys} old idempotency keys, {sessions} expired sessions and "
                f"{reminders} old reminder records."
            )
