import json
import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from rewire.core.portability import export_diary


class Command(BaseCommand):
    help = "Write the whole diary of an account as one JSON document (FILE, or - for stdout)."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("file")

    def handle(self, *args, email, file, **options):
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No account for {email}.")
        document = export_diary(user)
        text = json.dumps(document, indent=1, ensure_ascii=False)
        if file == "-":
            sys.stdout.write(text + "\n")
        else:
            with open(file, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
            self.stderr.write(f"Exported the whole record of {user.email} to {file}.")
