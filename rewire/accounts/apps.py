from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "rewire.accounts"
    label = "accounts"

    def ready(self):
        # Connects the sign-in signal that marks when the password was last given (reauth.py).
        from rewire.accounts import reauth  # noqa: F401
