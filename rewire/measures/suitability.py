"""Who the programme is for, as data (content/<lang>/suitability.yaml). Plain Python, no
Django: `load_questions(path)` checks the file (a broken one stops the app at start-up),
`answer_problems` says which answers are missing or unknown, and `judge` says whether the
answers fit, why not, what to do instead, and any advice.

Every rule has tests in tests/test_measures_suitability.py.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rewire.core.content import ContentError, check_id, language_folder, load_yaml

CONTENT_ROOT = Path(__file__).resolve().parent / "content"


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    fits: bool
    why: str = ""  # does not fit: why the programme may not suit
    instead: str = ""  # does not fit: what to do instead
    advice: str = ""  # fits, with a word of advice


@dataclass(frozen=True)
class Question:
    id: str
    label: str  # the question in a few words, for a clinician
    question: str
    options: tuple[Option, ...]
    help: str = ""

    def option(self, value) -> Option | None:
        return next((option for option in self.options if option.value == value), None)


@dataclass(frozen=True)
class Judgement:
    complete: bool  # every question asked now has one of its answers
    fits: bool
    not_fitting: tuple[tuple[Question, Option], ...]  # each with its why and instead
    advice: tuple[tuple[Question, Option], ...]  # answers that fit with a word of advice


def _text(value) -> str:
    return " ".join(str(value or "").split())


def _option(where: str, raw) -> Option:
    if not isinstance(raw, dict) or not {"value", "label", "fits"} <= set(raw):
        raise ContentError(f"{where}: every option needs value, label and fits")
    if not set(raw) <= {"value", "label", "fits", "why", "instead", "advice"}:
        raise ContentError(f"{where}: an option has only value, label, fits, why, instead, advice")
    if not isinstance(raw["fits"], bool):
        raise ContentError(f"{where}: fits is true or false")
    check_id(where, str(raw["value"]))
    option = Option(
        str(raw["value"]),
        _text(raw["label"]),
        raw["fits"],
        _text(raw.get("why")),
        _text(raw.get("instead")),
        _text(raw.get("advice")),
    )
    if not option.label:
        raise ContentError(f"{where}: option {option.value!r} needs a label")
    if not option.fits and not (option.why and option.instead):
        raise ContentError(f"{where}: option {option.value!r} does not fit: say why and instead")
    if option.fits and (option.why or option.instead):
        raise ContentError(f"{where}: option {option.value!r} fits: give advice, not why/instead")
    return option


def load_questions(path: Path) -> tuple[Question, ...]:
    raw = load_yaml(path)
    if not isinstance(raw, list) or not raw:
        raise ContentError(f"{path.name}: must be a list of questions")
    questions = []
    for entry in raw:
        if not isinstance(entry, dict) or not {"id", "label", "question", "options"} <= set(entry):
            raise ContentError(f"{path.name}: each question needs id, label, question, options")
        if not set(entry) <= {"id", "label", "question", "options", "help"}:
            raise ContentError(f"{path.name}: {entry['id']!r} has an unknown key")
        check_id(path.name, str(entry["id"]))
        where = f"{path.name}: {entry['id']}"
        if not isinstance(entry["options"], list) or len(entry["options"]) < 2:
            raise ContentError(f"{where}: needs at least two options")
        options = tuple(_option(where, option) for option in entry["options"])
        if len({option.value for option in options}) != len(options):
            raise ContentError(f"{where}: option values must be unique")
        if not any(option.fits for option in options):
            raise ContentError(f"{where}: no answer fits")
        if not _text(entry["question"]) or not _text(entry["label"]):
            raise ContentError(f"{where}: needs a question and a label")
        questions.append(
            Question(
                str(entry["id"]),
                _text(entry["label"]),
                _text(entry["question"]),
                options,
                _text(entry.get("help")),
            )
        )
    if len({question.id for question in questions}) != len(questions):
        raise ContentError(f"{path.name}: ids must be unique")
    return tuple(questions)


@cache
def questions_for(language_code: str) -> tuple[Question, ...]:
    return load_questions(language_folder(language_code, CONTENT_ROOT) / "suitability.yaml")


def answer_problems(questions: tuple[Question, ...], answers: dict) -> dict[str, str]:
    """Every question answered with one of its options, and nothing else."""
    known = {question.id: question for question in questions}
    problems = {key: "No such question." for key in sorted(set(answers) - set(known), key=str)}
    for question in questions:
        value = answers.get(question.id)
        if value is None or value == "":
            problems[question.id] = "Choose an answer."
        elif question.option(value) is None:
            choices = ", ".join(option.value for option in question.options)
            problems[question.id] = f"Choose one of: {choices}."
    return problems


def judge(questions: tuple[Question, ...], answers: dict) -> Judgement:
    """Whether answers fit. An answer to a question no longer asked is left out. A question
    with no answer, or one no longer offered (a question added or an answer renamed since),
    makes the answers incomplete: they are asked again, and the gate waits for them."""
    chosen = [
        (question, option)
        for question in questions
        if (option := question.option(answers.get(question.id))) is not None
    ]
    not_fitting = tuple((q, o) for q, o in chosen if not o.fits)
    return Judgement(
        complete=len(chosen) == len(questions),
        fits=not not_fitting,
        not_fitting=not_fitting,
        advice=tuple((q, o) for q, o in chosen if o.fits and o.advice),
    )
