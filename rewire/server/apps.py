from django.apps import AppConfig


class ServerConfig(AppConfig):
    name = "rewire.server"
    label = "server"
