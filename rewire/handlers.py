"""Rewire's WSGI application: one Django project, two middleware chains.

A request under /api/ that carries `Authorization: Bearer rw_...` is a script or an app using
a personal token. Sessions, CSRF, messages, the page timezone and the sign-in lockout do
nothing for it, yet cost more than a third of a check-in's creation, so it takes the short
chain in `settings.TOKEN_API_MIDDLEWARE`. Everything else, including the API called from a
signed-in browser, takes the full `settings.MIDDLEWARE`.
"""

import django
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler

API_PREFIX = "/api/"


def carries_a_token(environ) -> bool:
    """A personal token (`Bearer rw_...`) on an API path. Other bearer values, such as a
    proxy's forwarded sign-in token, keep the full chain and the browser session."""
    from rewire.accounts.models import ApiToken  # after django.setup()

    authorization = environ.get("HTTP_AUTHORIZATION", "")
    return (
        environ.get("PATH_INFO", "").startswith(API_PREFIX)
        and authorization[:7].lower() == "bearer "
        and authorization[7:].lstrip().startswith(ApiToken.PREFIX)
    )


class TokenApiChain:
    """Mixin for a Django handler: build the middleware chain from TOKEN_API_MIDDLEWARE."""

    def load_middleware(self, is_async=False):
        # Django builds the chain from settings.MIDDLEWARE; show it the short one while it
        # builds (once, when the handler is made, before it serves any request).
        full_chain = settings.MIDDLEWARE
        settings.MIDDLEWARE = settings.TOKEN_API_MIDDLEWARE
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = full_chain


class TokenApiHandler(TokenApiChain, WSGIHandler):
    pass


class Application:
    def __init__(self):
        self.full = WSGIHandler()
        self.token_api = TokenApiHandler()

    def __call__(self, environ, start_response):
        handler = self.token_api if carries_a_token(environ) else self.full
        return handler(environ, start_response)


def get_application() -> Application:
    """Like Django's get_wsgi_application(), with Rewire's two chains."""
    django.setup(set_prefix=False)
    return Application()
