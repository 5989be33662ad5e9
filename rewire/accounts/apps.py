from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "rewire.accounts"
    label = "accounts"
