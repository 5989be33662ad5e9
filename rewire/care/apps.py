from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "rewire.care"
    verbose_name = "Clinician sharing and the access log"

    def ready(self):
        from rewire.care.tasks import queue_alert_emails
        from rewire.measures.signals import safety_event_recorded

        safety_event_recorded.connect(queue_alert_emails, dispatch_uid="rewire.care.alerts")
