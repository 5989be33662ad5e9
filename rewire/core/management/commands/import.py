import json
import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from rewire.core.errors import ImportRejected
from rewire.core.portability import import_diary, import_summary


class Command(BaseCommand):
    help = "Load an export (FILE, or - for stdin) into an account's empty diary."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("file")

    def handle(self, *args, email, file, **options):
        user = get_user_model().objects.filter(email__iexact=email).first()
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
        self.stdout.write(f"Imported {import_summary(imported)}.")
