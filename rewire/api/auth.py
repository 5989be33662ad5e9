import datetime as dt

from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from rewire.accounts.models import ApiToken

# Recording every use would turn each read into a write; once an hour is enough to show.
LAST_USED_RESOLUTION = dt.timedelta(hours=1)


class PersonalToken(HttpBearer):
    """`Authorization: Bearer rw_...`, from `rewire token create` or the settings page."""

    def authenticate(self, request, token):
        if not token.startswith(ApiToken.PREFIX):
            return None
        found = (
            ApiToken.objects.select_related("user")
            .filter(digest=ApiToken.digest_of(token), user__is_active=True)
            .first()
        )
        if found is None:
            return None
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user


class BrowserSession(SessionAuth):
    """The signed-in browser session; unsafe methods need the CSRF token."""

    def authenticate(self, request, key):
        user = request.user
        return user if user.is_authenticated and user.is_active else None
