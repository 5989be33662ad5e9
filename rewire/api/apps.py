from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "rewire.api"
    label = "api"
