"""The programme's content: lessons, guided practice scripts and lists, from Markdown and
YAML files under content/<language>/ (see content/README.md). Plain Python, no Django.

`load_course(folder)` reads and checks every file and raises ContentError naming the file
and what is wrong, so a broken edit stops the app at start-up instead of showing a
half-built lesson.
"""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from markdown_it import MarkdownIt

from rewire.core.content import ContentError, check_id, language_folder, load_yaml

CONTENT_ROOT = Path(__file__).resolve().parent / "content"

# Every practice a session may introduce or suggest, and where the person does it.
PRACTICES = {
    "checkin": "Log a check-in",
    "pain_attribution": "Causes of my pain",
    "evidence_log": "Evidence log",
    "somatic_tracking": "Somatic tracking",
    "safety_messages": "Safety messages",
    "thought_record": "Thought record",
    "emotions": "Feeling emotions safely",
    "savouring": "Savouring good feelings",
    "movement": "A feared movement, gently",
    "fear_ladder": "Your fear ladder",
    "flare_plan": "Flare plan",
    "breathing": "Slow belly breathing",
    "muscle_relaxation": "Tense and let go",
    "imagery": "A safe place in your mind",
}
GUIDED_PRACTICES = (
    "somatic_tracking",
    "emotions",
    "savouring",
    "movement",
    # Relaxation (CBT for chronic pain): practices of their own, any time.
    "breathing",
    "muscle_relaxation",
    "imagery",
)
RATINGS = {
    "pain": "Pain intensity",
    "threat": "How threatening does this feel?",
    "mood": "How is your mood?",
    "tension": "How tense does your body feel?",
}
SESSION_COUNT = 9  # the intake (0) and eight sessions
# Lessons beside the eight sessions (CBT for chronic pain), open to read at any time once the
# intake is done, each with the tool it teaches on the same page: topics/<id>.md.
TOPICS = ("pacing", "sleep", "writing", "keeping_going")  # in the order listed; each needs its file

_markdown = MarkdownIt("commonmark", {"html": False, "typographer": True}).enable("replacements")


def render_markdown(text: str) -> str:
    """Markdown to HTML (raw HTML off), each heading with an id to link to: "## Safety first"
    becomes <h2 id="safety-first">."""
    tokens = _markdown.parse(text)
    for token, inline in zip(tokens, tokens[1:], strict=False):
        if token.type == "heading_open":
            token.attrSet("id", re.sub(r"[^a-z0-9]+", "-", inline.content.lower()).strip("-"))
    return _markdown.renderer.render(tokens, _markdown.options, {})


@dataclass(frozen=True)
class Session:
    id: str
    number: int
    title: str
    minutes: int
    practice: str
    daily_practice: str
    daily_text: str
    references: tuple[str, ...]
    body: str  # Markdown

    @property
    def html(self) -> str:
        return render_markdown(self.body)


@dataclass(frozen=True)
class Step:
    seconds: int
    text: str


@dataclass(frozen=True)
class GuidedPractice:
    id: str
    title: str
    minutes: int
    ratings: tuple[str, ...]
    # Asked, but never required: in somatic tracking the pain is noticed, not scored (PRT's
    # outcome independence: the practice is not about making the pain go away).
    optional_ratings: tuple[str, ...]
    steps: tuple[Step, ...]
    references: tuple[str, ...]
    body: str

    @property
    def html(self) -> str:
        return render_markdown(self.body)


@dataclass(frozen=True)
class Choice:
    """An item of a described list: an evidence kind, a thinking trap, a cause category."""

    id: str
    label: str
    help: str = ""


@dataclass(frozen=True)
class ContentPage:
    """A page of the programme that is not a session: "If this has not helped"."""

    title: str
    references: tuple[str, ...]
    body: str

    @property
    def html(self) -> str:
        return render_markdown(self.body)


@dataclass(frozen=True)
class Topic:
    """A lesson beside the sessions: pacing, sleep, expressive writing, keeping going."""

    id: str
    title: str
    minutes: int
    summary: str  # one sentence for the list of topics
    references: tuple[str, ...]
    body: str

    @property
    def html(self) -> str:
        return render_markdown(self.body)


@dataclass(frozen=True)
class Course:
    sessions: tuple[Session, ...]
    practices: dict[str, GuidedPractice]
    evidence_kinds: tuple[Choice, ...]  # clues for the over-protective alarm
    # Clues that point elsewhere: to something in the body a clinician should hear about.
    elsewhere_kinds: tuple[Choice, ...]
    thinking_traps: tuple[Choice, ...]
    starter_safety_messages: tuple[str, ...]
    starter_flare_plan: tuple[str, ...]
    attribution_question: str
    attribution_help: str
    cause_categories: tuple[Choice, ...]
    not_helped: ContentPage
    topics: dict[str, Topic]

    @property
    def all_evidence_kinds(self) -> tuple[Choice, ...]:
        return self.evidence_kinds + self.elsewhere_kinds

    def session(self, session_id: str) -> Session | None:
        return next((s for s in self.sessions if s.id == session_id), None)


def _split_front_matter(path: Path) -> tuple[dict, str]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContentError(f"{path.name}: missing") from None
    match = re.match(r"^---\n(.*?)\n---\n(.*)$", text, re.DOTALL)
    if not match:
        raise ContentError(f"{path.name}: must start with front matter between '---' lines")
    try:
        front = yaml.safe_load(match.group(1))
    except yaml.YAMLError as error:
        raise ContentError(f"{path.name}: front matter is not valid YAML ({error})") from None
    if not isinstance(front, dict):
        raise ContentError(f"{path.name}: front matter must be a mapping of keys to values")
    body = match.group(2).strip()
    if not body:
        raise ContentError(f"{path.name}: the text after the front matter is empty")
    return front, body


def _check_keys(where: str, front: dict, required: dict[str, type]) -> None:
    missing = sorted(set(required) - set(front))
    unknown = sorted(set(front) - set(required))
    if missing:
        raise ContentError(f"{where}: missing {', '.join(missing)}")
    if unknown:
        raise ContentError(f"{where}: unknown key(s) {', '.join(unknown)}")
    for key, kind in required.items():
        value = front[key]
        if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
            raise ContentError(f"{where}: {key} must be {kind.__name__}")
        if kind is str and not value.strip():
            raise ContentError(f"{where}: {key} is empty")


def _references(where: str, value: list) -> tuple[str, ...]:
    if not value or not all(isinstance(r, str) and r.strip() for r in value):
        raise ContentError(f"{where}: references must list at least one reference as text")
    return tuple(value)


SESSION_KEYS = {
    "id": str,
    "number": int,
    "title": str,
    "minutes": int,
    "practice": str,
    "daily_practice": str,
    "daily_text": str,
    "references": list,
}


def _session(path: Path) -> Session:
    front, body = _split_front_matter(path)
    where = path.name
    _check_keys(where, front, SESSION_KEYS)
    check_id(where, front["id"])
    for key in ("practice", "daily_practice"):
        if front[key] not in PRACTICES:
            raise ContentError(f"{where}: {key} {front[key]!r} is not one of {sorted(PRACTICES)}")
    prefix = f"{front['number']:02d}-"
    if not path.name.startswith(prefix):
        raise ContentError(f"{where}: the file name must start with its number, {prefix}")
    if not 1 <= front["minutes"] <= 15:
        raise ContentError(f"{where}: minutes must be between 1 and 15")
    return Session(
        **{key: front[key] for key in SESSION_KEYS if key != "references"},
        references=_references(where, front["references"]),
        body=body,
    )


PRACTICE_KEYS = {
    "id": str,
    "title": str,
    "minutes": int,
    "ratings": list,
    "optional_ratings": list,
    "steps": list,
    "references": list,
}


def _guided_practice(path: Path) -> GuidedPractice:
    front, body = _split_front_matter(path)
    where = path.name
    _check_keys(where, front, PRACTICE_KEYS)
    if front["id"] != path.stem or front["id"] not in GUIDED_PRACTICES:
        raise ContentError(f"{where}: id must be the file's name, one of {GUIDED_PRACTICES}")
    ratings = front["ratings"]
    if not ratings or any(r not in RATINGS for r in ratings) or len(set(ratings)) != len(ratings):
        raise ContentError(f"{where}: ratings must name some of {sorted(RATINGS)}, once each")
    optional = front["optional_ratings"]
    if any(r not in ratings for r in optional) or len(set(optional)) != len(optional):
        raise ContentError(f"{where}: optional_ratings must be some of its ratings, once each")
    steps = []
    for number, step in enumerate(front["steps"], 1):
        if (
            not isinstance(step, dict)
            or set(step) != {"seconds", "text"}
            or not isinstance(step["seconds"], int)
            or not 5 <= step["seconds"] <= 600
            or not isinstance(step["text"], str)
            or not step["text"].strip()
        ):
            raise ContentError(f"{where}: step {number} needs seconds (5-600) and text")
        steps.append(Step(seconds=step["seconds"], text=step["text"].strip()))
    if not steps:
        raise ContentError(f"{where}: a guided practice needs steps")
    return GuidedPractice(
        id=front["id"],
        title=front["title"],
        minutes=front["minutes"],
        ratings=tuple(ratings),
        optional_ratings=tuple(optional),
        steps=tuple(steps),
        references=_references(where, front["references"]),
        body=body,
    )


PAGE_KEYS = {"title": str, "references": list}
# What the "if this has not helped" page must keep, whatever an edit does to the rest: the
# options and the words to take to a GP (issue 14).
NOT_HELPED_HEADINGS = ("## Other options", "## What to say to your GP")


def _not_helped(path: Path) -> ContentPage:
    front, body = _split_front_matter(path)
    where = path.name
    _check_keys(where, front, PAGE_KEYS)
    for heading in NOT_HELPED_HEADINGS:
        if not re.search(rf"^{re.escape(heading)}$", body, re.MULTILINE):
            raise ContentError(f"{where}: needs the heading {heading!r}")
    return ContentPage(
        title=front["title"], references=_references(where, front["references"]), body=body
    )


TOPIC_KEYS = {"id": str, "title": str, "minutes": int, "summary": str, "references": list}


def _topic(path: Path) -> Topic:
    front, body = _split_front_matter(path)
    where = path.name
    _check_keys(where, front, TOPIC_KEYS)
    if front["id"] != path.stem or front["id"] not in TOPICS:
        raise ContentError(f"{where}: id must be the file's name, one of {TOPICS}")
    if not 1 <= front["minutes"] <= 15:
        raise ContentError(f"{where}: minutes must be between 1 and 15")
    return Topic(
        **{key: front[key] for key in TOPIC_KEYS if key != "references"},
        references=_references(where, front["references"]),
        body=body,
    )


def _choices(path: Path, items, *, with_help: bool = True) -> tuple[Choice, ...]:
    where = path.name
    if not isinstance(items, list) or not items:
        raise ContentError(f"{where}: must be a list of items")
    choices = []
    for item in items:
        keys = {"id", "label", "help"} if with_help else {"id", "label"}
        if not isinstance(item, dict) or set(item) != keys:
            raise ContentError(f"{where}: every item needs exactly {', '.join(sorted(keys))}")
        if not all(isinstance(item[key], str) and item[key].strip() for key in keys):
            raise ContentError(f"{where}: {item.get('id')!r} has an empty value")
        check_id(where, item["id"])
        choices.append(Choice(**item))
    if len({c.id for c in choices}) != len(choices):
        raise ContentError(f"{where}: ids must be unique")
    return tuple(choices)


def _texts(path: Path) -> tuple[str, ...]:
    items = load_yaml(path)
    if (
        not isinstance(items, list)
        or not items
        or not all(isinstance(item, str) and item.strip() for item in items)
    ):
        raise ContentError(f"{path.name}: must be a list of texts")
    return tuple(item.strip() for item in items)


def load_course(folder: Path) -> Course:
    """Read and check the content in one language's folder."""
    sessions = tuple(
        sorted(
            (_session(path) for path in sorted((folder / "sessions").glob("*.md"))),
            key=lambda s: s.number,
        )
    )
    if [s.number for s in sessions] != list(range(SESSION_COUNT)):
        raise ContentError(f"sessions: need numbers 0 to {SESSION_COUNT - 1}, once each")
    if len({s.id for s in sessions}) != len(sessions):
        raise ContentError("sessions: ids must be unique")
    practices = {
        practice.id: practice
        for practice in map(_guided_practice, sorted((folder / "practices").glob("*.md")))
    }
    if set(practices) != set(GUIDED_PRACTICES):
        raise ContentError(f"practices: need exactly {', '.join(GUIDED_PRACTICES)}")
    attribution = load_yaml(folder / "attribution.yaml")
    if not isinstance(attribution, dict) or set(attribution) != {"question", "help", "categories"}:
        raise ContentError("attribution.yaml: needs question, help and categories")
    categories = _choices(folder / "attribution.yaml", attribution["categories"], with_help=False)
    if [c.id for c in categories] != ["body", "mind", "both"]:
        raise ContentError("attribution.yaml: categories must be body, mind, then both")
    evidence = _choices(folder / "evidence.yaml", load_yaml(folder / "evidence.yaml"))
    elsewhere = _choices(
        folder / "evidence_elsewhere.yaml", load_yaml(folder / "evidence_elsewhere.yaml")
    )
    if shared := {c.id for c in evidence} & {c.id for c in elsewhere}:
        raise ContentError(f"evidence_elsewhere.yaml: ids also in evidence.yaml: {sorted(shared)}")
    return Course(
        sessions=sessions,
        practices=practices,
        evidence_kinds=evidence,
        elsewhere_kinds=elsewhere,
        thinking_traps=_choices(
            folder / "thinking_traps.yaml", load_yaml(folder / "thinking_traps.yaml")
        ),
        starter_safety_messages=_texts(folder / "safety_messages.yaml"),
        starter_flare_plan=_texts(folder / "flare_plan.yaml"),
        attribution_question=str(attribution["question"]),
        attribution_help=str(attribution["help"]),
        cause_categories=categories,
        not_helped=_not_helped(folder / "not_helped.md"),
        topics=_topics(folder / "topics"),
    )


def _topics(folder: Path) -> dict[str, Topic]:
    found = {topic.id: topic for topic in map(_topic, sorted(folder.glob("*.md")))}
    if set(found) != set(TOPICS):
        raise ContentError(f"topics: need exactly {', '.join(TOPICS)}")
    return {topic_id: found[topic_id] for topic_id in TOPICS}


@cache
def course_for(language_code: str) -> Course:
    return load_course(language_folder(language_code, CONTENT_ROOT))
