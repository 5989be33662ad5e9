from django.apps import AppConfig
from django.conf import settings


class MeasuresConfig(AppConfig):
    name = "rewire.measures"
    verbose_name = "Questionnaires and safety"

    def ready(self):
        # A missing helpline list does not stop the start-up, but `rewire check` and
        # `rewire serve` warn (rewire.W001).
        from rewire.measures import checks  # noqa: F401

        # A broken questionnaire, warning sign, suitability or helpline file stops the
        # start-up.
        from rewire.measures.helplines import helplines_for
        from rewire.measures.instruments import instruments_for, red_flags_for
        from rewire.measures.suitability import questions_for

        instruments_for(settings.LANGUAGE_CODE)
        red_flags_for(settings.LANGUAGE_CODE)
        questions_for(settings.LANGUAGE_CODE)
        helplines_for(settings.LANGUAGE_CODE)
