from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "rewire.care"
    verbose_name = "Clinician sharing and the access log"

    def ready(self):
        from rewire.care.alerts import email_clinicians
        from rewire.measures.signals import safety_event_recorded

        safety_event_recorded.connect(email_clinicians, dispatch_uid="rewire.care.alerts")
