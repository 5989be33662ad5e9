from django.apps import AppConfig
from django.conf import settings


class ExposureConfig(AppConfig):
    name = "rewire.exposure"
    verbose_name = "Graded exposure and movement"

    def ready(self):
        # Check the starter library now: a broken file stops the start-up with the reason.
        from rewire.exposure.library import library_for

        library_for(settings.LANGUAGE_CODE)
