"""How the API knows who is calling: a personal token, or the signed-in browser (with a
recent password for exports). rewire/api takes its default from settings.API_AUTHENTICATION."""

import datetime as dt

from django.db import connection
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from rewire.accounts.models import ApiToken, User
from rewire.accounts.reauth import password_is_recent

# Recording every use would turn each read into a write; once an hour is enough to show.
LAST_USED_RESOLUTION = dt.timedelta(hours=1)


class PersonalToken(HttpBearer):
    """`Authorization: Bearer rw_...`, from `rewire token create` or the settings page."""

    def authenticate(self, request, token):
        if not token.startswith(ApiToken.PREFIX):
            return None
        # Every API call runs this: one plain query, without the ORM's query building and
        # model loading, which cost more than the rest of a check-in's creation together.
        # The user's other fields load only if a view reads them.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT u.id, u.email, u.timezone, t.id, t.last_used_at "
                f"FROM {User._meta.db_table} u JOIN {ApiToken._meta.db_table} t "
                f"ON t.user_id = u.id WHERE t.digest = %s AND u.is_active",
                [ApiToken.digest_of(token)],
            )
            found = cursor.fetchone()
        if found is None:
            return None
        user_id, email, timezone_name, token_id, last_used = found
        user = User.from_db(
            connection.alias,
            ["id", "email", "timezone", "is_active"],
            [user_id, email, timezone_name, True],
        )
        if isinstance(last_used, str):  # SQLite returns raw columns as text
            last_used = dt.datetime.fromisoformat(last_used)
        if last_used is not None and timezone.is_naive(last_used):
            last_used = timezone.make_aware(last_used, dt.UTC)
        now = timezone.now()
        if last_used is None or now - last_used > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
        request.user = user
        return user


class BrowserSession(SessionAuth):
    """The signed-in browser session; unsafe methods need the CSRF token."""

    def authenticate(self, request, key):
        user = request.user
        return user if user.is_authenticated and user.is_active else None


class RecentBrowserSession(BrowserSession):
    """A signed-in browser that gave its password recently (REWIRE_REAUTH_MINUTES), for the
    exports: a personal token is enough on its own (whoever holds it can read the diary
    anyway), but a browser left signed in must not be a way round the pages' question."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is not None and not password_is_recent(request):
            raise HttpError(
                403, "Confirm your password first (/accounts/confirm), or use a personal token."
            )
        return user
