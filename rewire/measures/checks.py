"""`rewire check` warns when nobody in a crisis would be shown a helpline.

Rewire never ships a phone number (one that is right in one country is wrong in the next), so
without REWIRE_HELPLINES_FILE a person who says they have thought of ending their life is told
only to call the local emergency number. That is safe but thin: the person running the server
should know, and fix it. `rewire serve` prints the same warning at start.
"""

from django.conf import settings
from django.core import checks

from rewire.measures.helplines import HelplineError, helplines_for

FORMAT = (
    "The format is in docs/helplines.example.yaml and docs/configuration.md (Crisis helplines). "
    "Check every number with the service itself."
)


def missing_helplines() -> checks.Warning | None:
    """The warning when no helpline is configured for the server's language, else None."""
    language = settings.LANGUAGE_CODE.lower()
    base = language.split("-")[0]
    codes = f"'{language}'" + (f" or '{base}'" if base != language else "")
    path = getattr(settings, "REWIRE_HELPLINES_FILE", "")
    if not path:
        why = "REWIRE_HELPLINES_FILE is not set"
        fix = f"Set REWIRE_HELPLINES_FILE to a YAML file of crisis helplines for {codes}."
    else:
        try:
            if helplines_for(language):
                return None
            why = f"{path} has no entry for {codes}"
            fix = f"Give {path} an entry for {codes}, with the helplines that serve your users."
        except HelplineError as error:  # the file changed since start-up, which checks it
            why = str(error)
            fix = f"Correct {path}."
    return checks.Warning(
        f"No crisis helpline is configured for the server's language ({language}): {why}. "
        "A person who reports thoughts of ending their life or harming themselves is shown "
        "only the advice to call their local emergency number.",
        hint=f"{fix} {FORMAT}",
        id="rewire.W001",
    )


@checks.register()
def helplines_are_configured(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    warning = missing_helplines()
    return [warning] if warning else []
