from django.apps import AppConfig
from django.conf import settings


class InsightsConfig(AppConfig):
    name = "rewire.insights"
    verbose_name = "Insights and personal experiments"

    def ready(self):
        # Check the experiments' starting points now: a broken file stops the start-up.
        from rewire.insights.presets import presets_for

        presets_for(settings.LANGUAGE_CODE)
