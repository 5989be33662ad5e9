from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "rewire.reminders"
    verbose_name = "Reminders"
