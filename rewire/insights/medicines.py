"""Medicines (content/<lang>/medicines.yaml): the one statement Rewire makes about them, and
the names that make a personal experiment an experiment on a medicine, which Rewire refuses.
Plain Python, no Django.

A name counts as a whole word, whatever the case, also with "s" or "es" added; a space or a
hyphen inside a name matches either. "pill" is found in "two pills" and "Pill-free", not in
"pillow"; "dose" in "a dose", not in "dosed".
"""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rewire.core.content import ContentError, language_folder, load_yaml

CONTENT_ROOT = Path(__file__).parent / "content"
NAME = re.compile(r"^[a-z0-9]+([ -][a-z0-9]+)*$")


@dataclass(frozen=True)
class Medicines:
    statement: str
    refusal: str  # with {word}: the word found
    names: tuple[str, ...]

    @property
    def pattern(self) -> re.Pattern:
        return _pattern(self.names)

    def named_in(self, text: str) -> str | None:
        """The first medicine word in `text`, as written there, or None."""
        found = self.pattern.search(text)
        return found.group(0) if found else None

    def problem(self, text: str) -> str | None:
        """Why an experiment on `text` is refused, or None if it names no medicine."""
        word = self.named_in(text)
        return None if word is None else self.refusal.format(word=word)


@cache
def _pattern(names: tuple[str, ...]) -> re.Pattern:
    # Longest first, so "sleeping pill" is reported rather than "pill".
    alternatives = (
        r"[\s-]+".join(map(re.escape, re.split(r"[ -]", name)))
        for name in sorted(names, key=len, reverse=True)
    )
    return re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})(?:e?s)?(?!\w)", re.IGNORECASE)


def load_medicines(path: Path) -> Medicines:
    data = load_yaml(path)
    if not isinstance(data, dict) or set(data) != {"statement", "refusal", "names"}:
        raise ContentError(f"{path.name}: needs exactly statement, refusal and names")
    statement, refusal, names = data["statement"], data["refusal"], data["names"]
    if not isinstance(statement, str) or not statement.strip():
        raise ContentError(f"{path.name}: the statement must be a sentence or two")
    if not isinstance(refusal, str) or refusal.count("{word}") != 1:
        raise ContentError(f"{path.name}: the refusal must name the word found once, as {{word}}")
    try:
        refusal.format(word="")
    except (IndexError, KeyError, ValueError):
        raise ContentError(f"{path.name}: the refusal may hold no braces but {{word}}") from None
    if not isinstance(names, list) or not names:
        raise ContentError(f"{path.name}: names must be a list")
    for name in names:
        if not isinstance(name, str) or not NAME.match(name):
            raise ContentError(
                f"{path.name}: {name!r} must be lower case letters and digits, words separated "
                "by one space or hyphen"
            )
    if len(set(names)) != len(names):
        raise ContentError(f"{path.name}: each name once")
    return Medicines(
        statement=" ".join(statement.split()),
        refusal=" ".join(refusal.split()),
        names=tuple(names),
    )


@cache
def medicines_for(language_code: str) -> Medicines:
    return load_medicines(language_folder(language_code, CONTENT_ROOT) / "medicines.yaml")
