from django.apps import AppConfig
from django.conf import settings


class ProgramConfig(AppConfig):
    name = "rewire.program"
    verbose_name = "Programme"

    def ready(self):
        # Read and check every content file now: a broken lesson stops the start-up with
        # the file and the reason, instead of failing when someone opens it.
        from rewire.program.content import course_for

        course_for(settings.LANGUAGE_CODE)
