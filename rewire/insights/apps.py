from django.apps import AppConfig
from django.conf import settings


class InsightsConfig(AppConfig):
    name = "rewire.insights"
    verbose_name = "Insights and personal experiments"

    def ready(self):
        # Check the experiments' starting points and the medicines now: a broken file stops
        # the start-up.
        from rewire.insights.medicines import medicines_for
        from rewire.insights.presets import presets_for

        presets_for(settings.LANGUAGE_CODE)
        medicines_for(settings.LANGUAGE_CODE)
