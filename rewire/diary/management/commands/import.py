import json
import sys

from django.core.management.base import BaseCommand, CommandError

from rewire.accounts.models import User
from rewire.api.portability import ImportRejected, import_diary


class Command(BaseCommand):
    help = "Load an export (FILE, or - for stdin) into an account's empty diary."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("file")

    def handle(self, *args, email, file, **options):
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No account for {email}.")
        try:
            if file == "-":
                data = json.load(sys.stdin)
            else:
                with open(file, encoding="utf-8") as handle:
                    data = json.load(handle)
        except (OSError, json.JSONDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from None
        try:
            imported = import_diary(user, data)
        except ImportRejected as rejected:
            raise CommandError(f"Nothing imported. {rejected}") from None
        self.stdout.write(
            f"Imported {imported.checkins} check-ins, {imported.tags} new tags, "
            f"{imported.programme_records} programme records, {imported.measures_records} "
            f"questionnaire and safety records, {imported.exposure_records} fear-ladder and "
            f"movement records and {imported.experiments_records} personal experiments."
        )
