"""The account's part of the export document (its time zone), and what else of a person's
sign-in the server keeps but never exports. Erasing an account ends its sessions and forgets
its sign-in attempts here; the account's row itself goes last (core.portability)."""

from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as SignInLog
from django.contrib.sessions.models import Session

from rewire.accounts.schemas import ExportedAccount
from rewire.core.portability import REQUIRED, Section, register


@register
class AccountSection(Section):
    name = "accounts"
    order = 1
    fields = {"account": (ExportedAccount, REQUIRED)}
    # Of the account's own row only the timezone: the email and password hash identify and
    # sign in, and a new server has its own account for the person, who chooses them there.
    exported = {"accounts.User": ("account",)}
    left_out = {
        # A credential: only its digest is kept, useless elsewhere, and a file that carried it
        # could act as the account. The new server issues its own tokens.
        "accounts.ApiToken": "a credential",
        # Django's admin rights, set by the server's administrator: not the person's records.
        "accounts.User_groups": "server administration",
        "accounts.User_user_permissions": "server administration",
        # Sign-in state (the session data holds the account's id): a secret of this server.
        "sessions.Session": "sign-in state",
        # Sign-in attempts kept by django-axes to lock out guessing, by the email typed and
        # the address: the server's security record, not the person's diary.
        "axes.AccessAttempt": "sign-in lockout record",
        "axes.AccessAttemptExpiration": "sign-in lockout record",
        "axes.AccessFailureLog": "sign-in lockout record",
        "axes.AccessLog": "sign-in lockout record",
    }
    not_personal = {
        "auth.Permission": "Django's list of permissions",
        "auth.Group": "administration groups",
        "auth.Group_permissions": "administration groups",
        "contenttypes.ContentType": "Django's list of models",
    }

    def export(self, user, links):
        return {"account": {"timezone": user.timezone}}

    def parse(self, document, *, prefix):
        return document.account.timezone, []

    def write(self, user, timezone, links):
        user.timezone = timezone
        user.save(update_fields=["timezone"])
        return {}

    def erase(self, user):
        user_id = str(user.pk)
        for session in Session.objects.iterator():
            if session.get_decoded().get("_auth_user_id") == user_id:
                session.delete()
        for model in (AccessAttempt, AccessFailureLog, SignInLog):
            model.objects.filter(username__iexact=user.email).delete()
        super().erase(user)
