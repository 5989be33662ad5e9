import getpass
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from rewire.accounts.actions import create_user
from rewire.accounts.models import User


def read_password(stdin) -> str:
    """From a prompt (asked twice) on a terminal, else the first line of standard input."""
    if stdin.isatty():
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password again: "):
            raise CommandError("The two passwords differ.")
        return first
    return stdin.readline().rstrip("\n")


class Command(BaseCommand):
    help = "Manage accounts: `rewire user create --email E` (password from a prompt or stdin)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create an account.")
        create.add_argument("--email", required=True)
        create.add_argument("--timezone", default="UTC")
        create.add_argument(
            "--role",
            choices=[User.PATIENT, User.CLINICIAN],
            default=User.PATIENT,
            help="patient (keeps a diary; the default) or clinician (sees patients who share).",
        )

    def handle(self, *args, action, email, timezone, role, **options):
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError(f"An account for {email} already exists.")
        password = read_password(sys.stdin)
        try:
            user = create_user(email=email, password=password, timezone=timezone, role=role)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"Created the {role} account {user.email}.")
