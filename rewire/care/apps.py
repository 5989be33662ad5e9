from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "rewire.care"
    verbose_name = "Clinician sharing and the access log"
