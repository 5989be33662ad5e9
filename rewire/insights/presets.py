"""Starting points for a personal experiment (content/<lang>/experiments.yaml). Plain Python."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rewire.core.content import ContentError, check_id, language_folder, load_yaml
from rewire.insights.experiments import MAX_INTERVENTION_LENGTH, OUTCOMES

CONTENT_ROOT = Path(__file__).parent / "content"


@dataclass(frozen=True)
class Preset:
    id: str
    label: str
    outcome: str
    help: str


def load_presets(path: Path) -> tuple[Preset, ...]:
    items = load_yaml(path)
    if not isinstance(items, list) or not items:
        raise ContentError(f"{path.name}: must be a list of things to try")
    presets = []
    for item in items:
        if not isinstance(item, dict) or set(item) != {"id", "label", "outcome", "help"}:
            raise ContentError(f"{path.name}: every item needs exactly id, label, outcome, help")
        check_id(path.name, item["id"])
        if item["outcome"] not in OUTCOMES:
            raise ContentError(f"{path.name}: {item['id']!r} has an unknown outcome")
        if not 0 < len(str(item["label"]).strip()) <= MAX_INTERVENTION_LENGTH:
            raise ContentError(f"{path.name}: {item['id']!r} needs a short label")
        presets.append(Preset(**{key: str(value).strip() for key, value in item.items()}))
    if len({preset.id for preset in presets}) != len(presets):
        raise ContentError(f"{path.name}: ids must be unique")
    return tuple(presets)


@cache
def presets_for(language_code: str) -> tuple[Preset, ...]:
    return load_presets(language_folder(language_code, CONTENT_ROOT) / "experiments.yaml")
