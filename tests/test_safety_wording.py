"""No text calls a movement safe without a condition (hazard H11): every app's content files and
every template are read sentence by sentence. The exposure pages say how to choose steps with a
clinician when a known condition of the bones or joints makes some movements unwise.

The rule, kept simple so a reviewer can apply it by eye:

- A *claim* is "safe", "safely", "harmless", "no harm", "not ... harm" within a clause, or
  "cannot / can't / won't harm / hurt". ("Safety" is not a claim: "a sense of safety" is the
  lens of somatic tracking.)
- A claim is *about movement* when its sentence names a movement (move, bend, lift, walk, run,
  exercise, activity, the ladder, ...), or when the whole text is about movement (the movement
  lesson and practice, the exposure content and pages): there "your body is safe" is said of a
  movement too.
- A claim about movement needs a *condition* in the same sentence: "unless", "most people",
  "for you", or a clinician (clinician, doctor, physio).

Sentences that break the rule and are right all the same go in ALLOWED, each with its reason.
"""

import re
from pathlib import Path

import pytest
from django.utils.html import strip_tags
from helpers import open_programme

REWIRE = Path(__file__).resolve().parent.parent / "rewire"
CLAIM = re.compile(
    r"\b(safe|safely|harmless)\b"
    r"|\bno harm\b|\bnot\b[^.,;:!?]*\bharm\b"
    r"|\b(cannot|can[’']t|won[’']t|will not) (harm|hurt)\b",
    re.IGNORECASE,
)
MOVEMENT = re.compile(
    r"\b(mov(e|es|ed|ing|ement|ements)|bend\w*|lift\w*|exercis\w*|activit(y|ies)|walk(s|ed|ing)?"
    r"|run(s|ning)?|stretch\w*|twist\w*|squat\w*|carr(y|ies|ying)|sports?|exposure|ladder|rungs?)\b",
    re.IGNORECASE,
)
CONDITION = re.compile(
    r"\b(unless|most people|for you|clinicians?|doctors?|physio\w*)\b", re.IGNORECASE
)
# Texts wholly about movement: every claim in them is about movement.
MOVEMENT_TEXTS = re.compile(
    r"(^|/)(sessions/\d\d-facing-movement\.md|practices/movement\.md|exposure/.*)$"
)
ALLOWED: dict[str, str] = {
    "When you let them move through, your brain learns that they are safe to feel.": (
        "said of feelings (05-emotional-threats.md): they move through, nobody moves"
    ),
}


def texts() -> dict[str, str]:
    """{path under rewire/: the words a person reads}: content files, templates."""
    found = {}
    for path in sorted(REWIRE.glob("*/content/**/*")):
        if path.suffix in (".md", ".yaml") and path.name != "README.md":  # README: for authors
            found[str(path.relative_to(REWIRE))] = path.read_text(encoding="utf-8")
    for path in sorted((REWIRE / "templates").rglob("*.html")):
        text = re.sub(r"{#.*?#}|{%.*?%}|{{.*?}}", " ", path.read_text(encoding="utf-8"), flags=re.S)
        found[str(path.relative_to(REWIRE))] = strip_tags(text)
    return found


def sentences(text: str) -> list[str]:
    """Sentences, and lines: a list item or a heading is one too. Without the quotes and the
    list dash around them."""
    parts = re.split(r"(?<=[.!?])\s+|(?<=[.!?][\"”’])\s+|\n", text)
    return [sentence for part in parts if (sentence := " ".join(part.split()).strip('-"“”’ '))]


def unconditional_claims(where: str, text: str) -> list[str]:
    about_movement = bool(MOVEMENT_TEXTS.search(where))
    return [
        sentence
        for sentence in sentences(text)
        if CLAIM.search(sentence)
        and (about_movement or MOVEMENT.search(sentence))
        and not CONDITION.search(sentence)
        and sentence not in ALLOWED
    ]


def test_the_texts_are_found():
    found = texts()
    assert "program/content/en/sessions/07-facing-movement.md" in found
    assert "templates/exposure/ladder.html" in found
    assert "exposure/content/en/activities.yaml" in found


def test_no_text_calls_a_movement_safe_without_a_condition():
    claims = {
        where: found
        for where, text in texts().items()
        if (found := unconditional_claims(where, text))
    }
    assert claims == {}


@pytest.mark.parametrize(
    ("where", "sentence"),
    [
        ("program/content/en/sessions/01-evidence.md", "Bending is safe."),
        ("program/content/en/sessions/01-evidence.md", "Moving is completely safe for your back."),
        ("program/content/en/safety_messages.yaml", '- "Lifting cannot harm me."'),
        ("templates/diary/checkin_form.html", "<p>Walking is harmless.</p>"),
        ("program/content/en/sessions/07-facing-movement.md", "Your body is safe."),
        ("program/content/en/practices/movement.md", "You are safe to go on."),
        ("templates/exposure/ladder.html", "<p>Each rung does no harm.</p>"),
        ("program/content/en/sessions/02-tracking.md", "It is safe to move."),
    ],
)
def test_an_inserted_unconditional_claim_is_caught(where, sentence):
    text = texts()[where]
    assert unconditional_claims(where, text) == []
    if where.startswith("templates/"):
        sentence = strip_tags(sentence)
    assert unconditional_claims(where, f"{text}\n{sentence}\n") == sentences(sentence)


@pytest.mark.parametrize(
    ("where", "sentence"),
    [
        (
            "program/content/en/sessions/01-evidence.md",
            "For most people with long-term back pain, bending is safe, unless a clinician has "
            "told you to avoid it.",
        ),
        (
            "program/content/en/sessions/07-facing-movement.md",
            "Ask your physio which steps are safe.",
        ),
        ("program/content/en/sessions/02-tracking.md", "This feeling is safe to notice."),
        ("program/content/en/sessions/07-facing-movement.md", "Move with a sense of safety."),
    ],
)
def test_a_claim_with_a_condition_or_not_about_movement_passes(where, sentence):
    assert unconditional_claims(where, f"{texts()[where]}\n{sentence}\n") == []


# The exposure pages: choosing steps with a clinician.


@pytest.fixture
def screened(alice):
    open_programme(alice)
    return alice


@pytest.mark.parametrize("url", ["/movement", "/movement/ladder"])
def test_the_exposure_pages_say_to_choose_steps_with_a_clinician(screened, alice_client, url):
    response = alice_client.get(url)
    assert response.status_code == 200
    page = " ".join(strip_tags(response.content.decode()).split())
    assert "Choosing steps with a clinician" in page
    for said in ("osteoporosis", "surgery", "choose your steps with a clinician before you start"):
        assert said in page, said
    assert "If a clinician has told you to avoid a movement, follow their advice." in page


def test_the_movement_lesson_says_the_same():
    lesson = (REWIRE / "program/content/en/sessions/07-facing-movement.md").read_text()
    assert "osteoporosis" in lesson and "choose your steps with a clinician" in lesson
