"""The fear ladder's starter library of everyday activities (content/<lang>/activities.yaml).

Plain Python, no Django: read and checked at start-up, so a broken file stops the server with
the reason instead of failing when someone opens the ladder.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rewire.core.content import ContentError, check_id, language_folder, load_yaml

CONTENT_ROOT = Path(__file__).parent / "content"
MAX_ACTIVITY_LENGTH = 200  # a rung's words, the library's or the person's own


@dataclass(frozen=True)
class Activity:
    id: str
    group: str
    label: str


@dataclass(frozen=True)
class Group:
    id: str
    label: str
    activities: tuple[Activity, ...]


@dataclass(frozen=True)
class Library:
    groups: tuple[Group, ...]

    @property
    def activities(self) -> dict[str, Activity]:
        return {activity.id: activity for group in self.groups for activity in group.activities}


def load_library(path: Path) -> Library:
    where = path.name
    data = load_yaml(path)
    if not isinstance(data, dict) or set(data) != {"groups", "activities"}:
        raise ContentError(f"{where}: needs groups and activities")
    groups: dict[str, tuple[str, list[Activity]]] = {}
    for group in data["groups"] or []:
        if not isinstance(group, dict) or set(group) != {"id", "label"}:
            raise ContentError(f"{where}: every group needs exactly id and label")
        check_id(where, group["id"])
        if group["id"] in groups:
            raise ContentError(f"{where}: group {group['id']!r} appears twice")
        groups[group["id"]] = (str(group["label"]).strip(), [])
    seen: set[str] = set()
    for item in data["activities"] or []:
        if not isinstance(item, dict) or set(item) != {"id", "group", "label"}:
            raise ContentError(f"{where}: every activity needs exactly id, group and label")
        check_id(where, item["id"])
        if item["id"] in seen:
            raise ContentError(f"{where}: activity {item['id']!r} appears twice")
        seen.add(item["id"])
        if item["group"] not in groups:
            raise ContentError(f"{where}: {item['id']!r} names an unknown group {item['group']!r}")
        label = str(item["label"]).strip()
        if not label or len(label) > MAX_ACTIVITY_LENGTH:
            raise ContentError(
                f"{where}: {item['id']!r} needs a label of 1 to {MAX_ACTIVITY_LENGTH} characters"
            )
        groups[item["group"]][1].append(Activity(id=item["id"], group=item["group"], label=label))
    if not seen:
        raise ContentError(f"{where}: the library is empty")
    empty = [group_id for group_id, (_, items) in groups.items() if not items]
    if empty:
        raise ContentError(f"{where}: groups without activities: {', '.join(empty)}")
    return Library(
        groups=tuple(
            Group(id=group_id, label=label, activities=tuple(items))
            for group_id, (label, items) in groups.items()
        )
    )


@cache
def library_for(language_code: str, root: Path | None = None) -> Library:
    return load_library(language_folder(language_code, root or CONTENT_ROOT) / "activities.yaml")
