"""Loading content files (Markdown and YAML under an app's content/<language>/). Plain
Python, no Django: a broken file raises ContentError naming the file and what is wrong, so a
bad edit stops the app at start-up instead of showing half a page."""

import re
from pathlib import Path

import yaml

ID = re.compile(r"^[a-z0-9_]+$")


class ContentError(ValueError):
    pass


def check_id(where: str, value: str) -> None:
    if not ID.match(value):
        raise ContentError(f"{where}: id {value!r} may hold only a-z, 0-9 and _")


def load_yaml(path: Path):
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ContentError(f"{path.name}: missing") from None
    except yaml.YAMLError as error:
        raise ContentError(f"{path.name}: not valid YAML ({error})") from None


def language_folder(language_code: str, root: Path) -> Path:
    """The folder for a language under an app's content root ("de-at" falls back to "de",
    then to "en")."""
    for candidate in (language_code.lower(), language_code.split("-")[0].lower(), "en"):
        if (root / candidate).is_dir():
            return root / candidate
    raise ContentError(f"no content folder for {language_code!r} or 'en' under {root}")
