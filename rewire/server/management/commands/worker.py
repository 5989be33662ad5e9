import os

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Run the task queue's consumer (alert emails, reminders; ADR 0013). `rewire serve` "
        "starts one itself: run this on other machines, or beside `rewire serve --no-worker`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("REWIRE_TASK_WORKERS", "2")),
            help="Threads running tasks (default 2, or REWIRE_TASK_WORKERS).",
        )

    def handle(self, *args, workers, **options):
        # huey's own consumer, with the settings' queue (HUEY), its retries and its schedule.
        call_command("run_huey", workers=workers, worker_type="thread")
