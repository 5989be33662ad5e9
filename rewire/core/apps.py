from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every Rewire app shares. It imports no other Rewire app: feature apps import it,
    and it finds their parts (export sections, owned models) by autodiscovery."""

    name = "rewire.core"
    label = "core"

    def ready(self):
        from rewire.core import checks, portability  # noqa: F401 (registers the system check)
        from rewire.core.wording import use_rewire_words

        use_rewire_words()

        portability.autodiscover()
