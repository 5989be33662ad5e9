from django.core.management.base import BaseCommand, CommandError

from rewire.accounts.actions import create_api_token
from rewire.accounts.models import User


class Command(BaseCommand):
    help = "Personal API tokens: `rewire token create --email E` prints a new token."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token and print it (shown once).")
        create.add_argument("--email", required=True)
        create.add_argument("--name", default="Command line")

    def handle(self, *args, action, email, name, **options):
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No account for {email}.")
        _, secret = create_api_token(user=user, name=name)
        # Only the token on stdout, so scripts can capture it.
        self.stdout.write(secret)
