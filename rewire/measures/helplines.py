"""Where to turn in a crisis: configuration, never a number written into the code.

REWIRE_HELPLINES_FILE names a YAML file that maps a language or locale code to a list of
helplines, each with `name` and at least one of `phone`, `text`, `url`, and optionally
`hours`:

    en-gb:
      - {name: "A crisis line checked by you", phone: "...", hours: "24 hours, every day"}
    de:
      - {name: "...", phone: "..."}

The most specific match wins ("en-gb", then "en"); with no file, or no match, only the
default advice is shown: call the local emergency number. See docs/configuration.md.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from django.conf import settings

DEFAULT_ADVICE = (
    "If you might act on these thoughts, or you are in danger now, call your local emergency "
    "number or go to the nearest emergency department. If you can, tell someone you trust "
    "and stay with them."
)


class HelplineError(ValueError):
    pass


@dataclass(frozen=True)
class Helpline:
    name: str
    phone: str = ""
    text: str = ""
    url: str = ""
    hours: str = ""


def load_helplines(path: Path) -> dict[str, tuple[Helpline, ...]]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise HelplineError(f"REWIRE_HELPLINES_FILE {path}: cannot be read ({error})") from None
    if not isinstance(raw, dict):
        raise HelplineError(f"REWIRE_HELPLINES_FILE {path}: must map locale codes to lists")
    result = {}
    for locale, lines in raw.items():
        if not isinstance(lines, list):
            raise HelplineError(f"REWIRE_HELPLINES_FILE {path}: {locale} must be a list")
        parsed = []
        for line in lines:
            if (
                not isinstance(line, dict)
                or not set(line) <= {"name", "phone", "text", "url", "hours"}
                or not str(line.get("name", "")).strip()
                or not any(str(line.get(key, "")).strip() for key in ("phone", "text", "url"))
            ):
                raise HelplineError(
                    f"REWIRE_HELPLINES_FILE {path}: {locale}: each helpline needs a name and "
                    "a phone, text or url"
                )
            parsed.append(Helpline(**{key: str(value) for key, value in line.items()}))
        result[str(locale).lower()] = tuple(parsed)
    return result


@cache
def helplines_for(language_code: str) -> tuple[Helpline, ...]:
    path = getattr(settings, "REWIRE_HELPLINES_FILE", "")
    if not path:
        return ()
    table = load_helplines(Path(path))
    code = language_code.lower()
    return table.get(code) or table.get(code.split("-")[0]) or ()
