"""Noticing when things get worse, from rules as data (content/<lang>/worsening.yaml). Plain
Python, no Django: `fired` takes a person's answers to one questionnaire, oldest first, and
says which rules the latest answer sets off.

Every rule boundary has tests in tests/test_measures_worsening.py.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rewire.core.content import ContentError, check_id, language_folder, load_yaml

CONTENT_ROOT = Path(__file__).resolve().parent / "content"
URGENCIES = ("today", "this_week")
KINDS = {
    "rising_in_a_row": ("points", "in_a_row"),
    "at_least": ("total",),
    "up_from_baseline": ("points",),
    "answer_is": ("value",),
}


@dataclass(frozen=True)
class Rule:
    id: str
    instrument: str
    kind: str
    urgency: str
    title: str
    source: str
    points: int | None = None
    in_a_row: int | None = None
    total: int | None = None
    value: int | None = None


@dataclass(frozen=True)
class Rules:
    rules: tuple[Rule, ...]
    advice: dict[str, str]  # urgency: what to do

    def by_id(self, rule_id: str) -> Rule | None:
        return next((rule for rule in self.rules if rule.id == rule_id), None)


def load_rules(path: Path, *, instruments: set[str] | None = None) -> Rules:
    """Read and check the rules; `instruments` (ids), when given, must include each rule's."""
    where = path.name
    raw = load_yaml(path)
    if not isinstance(raw, dict) or set(raw) != {"advice", "rules"}:
        raise ContentError(f"{where}: needs exactly `advice` and `rules`")
    advice = raw["advice"]
    if not isinstance(advice, dict) or set(advice) != set(URGENCIES):
        raise ContentError(f"{where}: advice needs exactly {', '.join(URGENCIES)}")
    rules, seen = [], set()
    for item in raw["rules"] or []:
        if not isinstance(item, dict):
            raise ContentError(f"{where}: every rule is a mapping")
        kind = item.get("kind")
        if kind not in KINDS:
            raise ContentError(f"{where}: {item.get('id')!r} has an unknown kind {kind!r}")
        required = {"id", "instrument", "kind", "urgency", "title", "source", *KINDS[kind]}
        if set(item) != required:
            raise ContentError(f"{where}: {item.get('id')!r} needs exactly {sorted(required)}")
        check_id(where, item["id"])
        if item["id"] in seen:
            raise ContentError(f"{where}: {item['id']!r} appears twice")
        seen.add(item["id"])
        if item["urgency"] not in URGENCIES:
            raise ContentError(f"{where}: {item['id']!r} has an unknown urgency")
        if instruments is not None and item["instrument"] not in instruments:
            raise ContentError(f"{where}: {item['id']!r} names an unknown questionnaire")
        if not all(isinstance(item[key], int) and item[key] >= 0 for key in KINDS[kind]):
            raise ContentError(f"{where}: {item['id']!r}: thresholds are whole numbers")
        if not str(item["title"]).strip() or not str(item["source"]).strip():
            raise ContentError(f"{where}: {item['id']!r} needs a title and its source")
        rules.append(Rule(**item))
    if not rules:
        raise ContentError(f"{where}: no rules")
    return Rules(tuple(rules), {key: " ".join(str(text).split()) for key, text in advice.items()})


@cache
def rules_for(language_code: str, instruments: frozenset[str] | None = None) -> Rules:
    return load_rules(
        language_folder(language_code, CONTENT_ROOT) / "worsening.yaml",
        instruments=None if instruments is None else set(instruments),
    )


def _holds(rule: Rule, baseline: int, totals: list[int]) -> bool:
    """Whether the rule holds for the last of `totals` (the answers after the baseline)."""
    latest = totals[-1]
    if rule.kind == "at_least":
        return latest >= rule.total
    if rule.kind == "answer_is":
        return latest == rule.value
    if rule.kind == "up_from_baseline":
        return latest - baseline >= rule.points
    # rising_in_a_row
    recent = totals[-rule.in_a_row :]
    return len(recent) == rule.in_a_row and all(t - baseline >= rule.points for t in recent)


def fired(rules: Rules, instrument: str, totals: list[int | None]) -> list[Rule]:
    """The rules the latest answer sets off. `totals`: every score of the instrument, oldest
    first, the latest last (None: unscored answers, which are left out)."""
    scored = [total for total in totals if total is not None]
    if not scored or totals[-1] is None:
        return []
    baseline, after = scored[0], scored[1:]
    found = []
    for rule in rules.rules:
        if rule.instrument != instrument:
            continue
        if rule.kind in ("at_least", "answer_is"):
            # A level: the first answer counts too.
            if _holds(rule, baseline, scored):
                found.append(rule)
        elif after and _holds(rule, baseline, after):
            # A rise over weeks fires when it becomes true, not every week it stays true; a
            # jump from the start (up_from_baseline) fires at each answer that shows it.
            if rule.kind == "rising_in_a_row" and _holds(rule, baseline, after[:-1] or [baseline]):
                continue
            found.append(rule)
    return found
