from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "rewire.goals"
    verbose_name = "What matters: values and goals"
