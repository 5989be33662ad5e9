"""The questionnaires as data (content/<language>/instruments.yaml), read and checked once.
Plain Python, no Django: `load_instruments(path)` raises InstrumentError naming the
instrument and what is wrong, so a broken definition stops the app at start-up."""

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from rewire.core.content import ID, language_folder

CONTENT_ROOT = Path(__file__).resolve().parent / "content"
SCORINGS = ("sum", "single", "start_back")


class InstrumentError(ValueError):
    pass


@dataclass(frozen=True)
class Option:
    value: int
    label: str


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    options: tuple[Option, ...]


@dataclass(frozen=True)
class Band:
    low: int
    high: int
    label: str


@dataclass(frozen=True)
class Instrument:
    id: str
    name: str
    short_name: str
    purpose: str
    recall: str
    scoring: str
    validated: bool
    higher_is_worse: bool
    attribution: str
    items: tuple[Item, ...]
    bands: tuple[Band, ...] = ()
    risk_levels: tuple[str, ...] = ()
    risk_help: tuple[str, ...] = ()  # what each risk level means, in plain words
    band_source: str = ""
    max_missing: int = 0
    required: tuple[str, ...] = ()
    mcid_points: int | None = None
    mcid_percent: int | None = None
    loinc: dict = field(default_factory=dict)

    @property
    def lowest(self) -> int:
        if self.scoring == "start_back":
            return 0
        return sum(min(o.value for o in item.options) for item in self.items)

    @property
    def highest(self) -> int:
        if self.scoring == "start_back":
            return len(self.items)  # each item counts 0 or 1
        return sum(max(o.value for o in item.options) for item in self.items)

    def item(self, item_id: str) -> Item:
        return next(item for item in self.items if item.id == item_id)

    def band_help(self, band: str) -> str:
        """What a risk level means, in plain words ("" for bands that need none)."""
        if band in self.risk_levels:
            return self.risk_help[self.risk_levels.index(band)]
        return ""

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(item.id for item in self.items)


KEYS = {
    "id", "name", "short_name", "purpose", "recall", "scoring", "validated", "higher_is_worse",
    "attribution", "options", "items", "bands", "risk_levels", "risk_help", "band_source",
    "max_missing",
    "required", "mcid", "loinc",
}  # fmt: skip
REQUIRED = {
    "id", "name", "short_name", "purpose", "recall", "scoring", "validated", "higher_is_worse",
    "attribution", "items",
}  # fmt: skip


def _options(where: str, raw) -> tuple[Option, ...]:
    if not isinstance(raw, list) or len(raw) < 2:
        raise InstrumentError(f"{where}: options must list at least two [value, label] pairs")
    options = []
    for pair in raw:
        if (
            not isinstance(pair, list)
            or len(pair) != 2
            or not isinstance(pair[0], int)
            or isinstance(pair[0], bool)
            or not isinstance(pair[1], str)
            or not pair[1].strip()
        ):
            raise InstrumentError(f"{where}: each option is [whole number, label]")
        options.append(Option(pair[0], pair[1]))
    values = [o.value for o in options]
    if values != sorted(set(values)):
        raise InstrumentError(f"{where}: option values must rise, each once")
    return tuple(options)


def _instrument(raw: dict) -> Instrument:
    where = str(raw.get("id", "an instrument")) if isinstance(raw, dict) else "an instrument"
    if not isinstance(raw, dict):
        raise InstrumentError(f"{where}: must be a mapping")
    if missing := REQUIRED - set(raw):
        raise InstrumentError(f"{where}: missing {', '.join(sorted(missing))}")
    if unknown := set(raw) - KEYS:
        raise InstrumentError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    if not ID.match(raw["id"]):
        raise InstrumentError(f"{where}: id may hold only a-z, 0-9 and _")
    if raw["scoring"] not in SCORINGS:
        raise InstrumentError(f"{where}: scoring must be one of {', '.join(SCORINGS)}")
    shared = _options(f"{where} options", raw["options"]) if "options" in raw else None
    items = []
    for item in raw["items"]:
        if not isinstance(item, dict) or not {"id", "text"} <= set(item) <= {
            "id",
            "text",
            "options",
        }:
            raise InstrumentError(f"{where}: each item needs id and text (and may have options)")
        options = (
            _options(f"{where} {item['id']}", item["options"]) if "options" in item else shared
        )
        if options is None:
            raise InstrumentError(f"{where}: {item['id']} has no options")
        items.append(Item(id=item["id"], text=item["text"], options=options))
    ids = [item.id for item in items]
    if not items or len(set(ids)) != len(ids):
        raise InstrumentError(f"{where}: items need unique ids")
    if raw["scoring"] == "single" and len(items) != 1:
        raise InstrumentError(f"{where}: a single-item scoring needs exactly one item")
    mcid = raw.get("mcid") or {}
    instrument = Instrument(
        id=raw["id"],
        name=raw["name"],
        short_name=raw["short_name"],
        purpose=raw["purpose"],
        recall=raw["recall"],
        scoring=raw["scoring"],
        validated=bool(raw["validated"]),
        higher_is_worse=bool(raw["higher_is_worse"]),
        attribution=raw["attribution"],
        items=tuple(items),
        bands=tuple(Band(*band) for band in raw.get("bands", [])),
        risk_levels=tuple(raw.get("risk_levels", [])),
        risk_help=tuple(raw.get("risk_help", [])),
        band_source=raw.get("band_source", ""),
        max_missing=raw.get("max_missing", 0),
        required=tuple(raw.get("required", [])),
        mcid_points=mcid.get("points"),
        mcid_percent=mcid.get("percent"),
        loinc=raw.get("loinc", {}),
    )
    if unknown := set(instrument.required) - set(ids):
        raise InstrumentError(f"{where}: required names unknown items {sorted(unknown)}")
    if instrument.scoring == "start_back":
        if len(items) != 9 or not len(instrument.risk_levels) == len(instrument.risk_help) == 3:
            raise InstrumentError(f"{where}: STarT Back has 9 items, 3 risk levels and their help")
    else:
        covered = [n for band in instrument.bands for n in range(band.low, band.high + 1)]
        if covered != list(range(instrument.lowest, instrument.highest + 1)):
            raise InstrumentError(
                f"{where}: bands must cover {instrument.lowest}-{instrument.highest} once, in order"
            )
    return instrument


def load_instruments(path: Path) -> dict[str, Instrument]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise InstrumentError(f"{path.name}: cannot be read ({error})") from None
    if not isinstance(raw, list) or not raw:
        raise InstrumentError(f"{path.name}: must be a list of instruments")
    instruments = {}
    for entry in raw:
        instrument = _instrument(entry)
        if instrument.id in instruments:
            raise InstrumentError(f"{instrument.id}: defined twice")
        instruments[instrument.id] = instrument
    return instruments


@cache
def instruments_for(language_code: str) -> dict[str, Instrument]:
    return load_instruments(language_folder(language_code, CONTENT_ROOT) / "instruments.yaml")


@dataclass(frozen=True)
class RedFlag:
    id: str
    question: str
    emergency: bool
    label: str  # the sign in a few words, for a clinician
    added: dt.date | None = None  # answers from before this date were asked without it


def load_red_flags(path: Path) -> tuple[RedFlag, ...]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise InstrumentError(f"{path.name}: cannot be read ({error})") from None
    if not isinstance(raw, list) or not raw:
        raise InstrumentError(f"{path.name}: must be a list of warning signs")
    flags = []
    for entry in raw:
        if (
            not isinstance(entry, dict)
            or not {"id", "label", "question", "emergency"} <= set(entry)
            or not set(entry) <= {"id", "label", "question", "emergency", "added"}
            or not isinstance(entry["emergency"], bool)
            or not str(entry["question"]).strip()
            or not str(entry["label"]).strip()
            or not isinstance(entry.get("added", dt.date.min), dt.date)
            or not ID.match(str(entry["id"]))
        ):
            raise InstrumentError(
                f"{path.name}: each sign needs id, label, question and emergency (and may "
                "have added: a date)"
            )
        flags.append(
            RedFlag(
                entry["id"],
                entry["question"],
                entry["emergency"],
                entry["label"],
                entry.get("added"),
            )
        )
    if len({flag.id for flag in flags}) != len(flags):
        raise InstrumentError(f"{path.name}: ids must be unique")
    if not any(flag.emergency for flag in flags):
        raise InstrumentError(f"{path.name}: the bladder, bowel and saddle sign is an emergency")
    return tuple(flags)


@cache
def red_flags_for(language_code: str) -> tuple[RedFlag, ...]:
    return load_red_flags(language_folder(language_code, CONTENT_ROOT) / "red_flags.yaml")
