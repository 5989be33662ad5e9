"""The programme's content files: every file loads and passes its checks, lessons read at
school grade 8 or below, the wording rules hold, and a broken file is caught with its name."""

import re
import shutil
import subprocess
import sys

import pytest
import textstat
from django.urls import reverse

from rewire.core.content import ContentError, language_folder
from rewire.program.content import CONTENT_ROOT, GUIDED_PRACTICES, PRACTICES, load_course

LANGUAGES = sorted(folder.name for folder in CONTENT_ROOT.iterdir() if folder.is_dir())
ENGLISH = load_course(CONTENT_ROOT / "en")
HIGHEST_GRADE = 8.0


def readable_text(markdown: str) -> str:
    """The words a reader reads: without Markdown marks, headings as sentences."""
    text = re.sub(r"^#+\s*(.+)$", r"\1.", markdown, flags=re.MULTILINE)
    return re.sub(r"[*_`>#]", "", text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_folder_loads(language):
    course = load_course(CONTENT_ROOT / language)
    assert [s.number for s in course.sessions] == list(range(9))
    assert set(course.practices) == set(GUIDED_PRACTICES)


@pytest.mark.parametrize("session", ENGLISH.sessions, ids=lambda s: s.id)
def test_each_lesson_reads_at_grade_8_or_below(session):
    assert textstat.flesch_kincaid_grade(readable_text(session.body)) <= HIGHEST_GRADE
    # About five minutes of reading: roughly 150 words a minute, give or take.
    words = len(session.body.split())
    assert 300 <= words <= 1200
    assert abs(words / 150 - session.minutes) <= 2


@pytest.mark.parametrize("practice", ENGLISH.practices.values(), ids=lambda p: p.id)
def test_each_guided_practice_reads_easily_and_its_minutes_add_up(practice):
    spoken = " ".join(step.text for step in practice.steps)
    assert textstat.flesch_kincaid_grade(readable_text(practice.body)) <= HIGHEST_GRADE
    assert textstat.flesch_kincaid_grade(spoken) <= HIGHEST_GRADE
    total_seconds = sum(step.seconds for step in practice.steps)
    assert abs(total_seconds / 60 - practice.minutes) <= 1
    # Read aloud by speech synthesis: no Markdown marks.
    assert not re.search(r"[*_`#\[\]]", spoken)


def every_text(course) -> list[str]:
    return [
        *(s.title + "\n" + s.body + "\n" + s.daily_text for s in course.sessions),
        *(p.body + " ".join(step.text for step in p.steps) for p in course.practices.values()),
        *(
            c.label + " " + c.help
            for c in (*course.evidence_kinds, *course.elsewhere_kinds, *course.thinking_traps)
        ),
        *(c.label for c in course.cause_categories),
        *course.starter_safety_messages,
        *course.starter_flare_plan,
        course.attribution_question + " " + course.attribution_help,
        course.not_helped.title + "\n" + course.not_helped.body,
    ]


# Wording that tells a person in pain that their pain is not real.
DISMISSIVE = [
    r"in your head",
    r"imagin(ed|ary|ing) (the |your )?pain",
    r"pain (is|isn't|is not) (not )?real\b(?<!is real)",
    r"not real",
    r"psychosomatic",
    r"made up",
    r"just stress",
    r"\b(will|can|to) cure\b",
    r"\bcure[sd]\b",
]


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_text_dismisses_the_pain_or_promises_a_cure(language):
    for text in every_text(load_course(CONTENT_ROOT / language)):
        for pattern in DISMISSIVE:
            assert not re.search(pattern, text, re.IGNORECASE), (pattern, text[:80])


def test_the_lessons_say_the_pain_is_real_and_give_the_trials_caveats():
    intake = ENGLISH.sessions[0].body.lower()
    assert "your pain is real" in intake
    assert "66 in 100" in intake
    for caveat in ("one trial", "white", "schooling", "back pain", "no course can promise"):
        assert caveat in intake, caveat


def test_the_intake_says_rewire_is_untested_and_works_best_with_a_clinician():
    intake = ENGLISH.sessions[0]
    said = " ".join(intake.body.split())
    assert "Rewire itself has not been tested in a trial." in said
    assert "people were led through PRT by a doctor and a therapist" in said
    assert "Rewire works best alongside a clinician" in said
    # The printable report, linked by its address (the lesson is Markdown).
    assert f'<a href="{reverse("report")}">printable report</a>' in intake.html


def test_an_honest_it_did_not_help_is_never_framed_as_a_thinking_trap():
    did_not_help = re.compile(r"(did|does|has) not (work|help)|didn[’']t (work|help)", re.I)
    for trap in ENGLISH.thinking_traps:
        assert not did_not_help.search(trap.help), trap.id
    flares = " ".join(ENGLISH.session("flares").body.split())
    assert '"It did not work.' not in flares
    assert "It is not your fault, and it is not a thinking trap." in flares


def test_the_intake_lists_the_warning_signs_under_a_heading_pages_link_to():
    intake = ENGLISH.sessions[0]
    assert 'id="safety-first"' in intake.html  # the support panel links here
    for sign in ("bladder", "bowel", "emergency", "cancer", "fever", "weakness", "night"):
        assert sign in intake.body.lower(), sign


def test_every_lesson_lists_references_and_the_course_covers_each_practice():
    for session in ENGLISH.sessions:
        assert session.references and all(len(r) > 30 for r in session.references)
    # The guided movement is opened from each try on the fear ladder (tests/test_exposure_views.py
    # checks the link), since session 7's practice is the ladder itself. The relaxation
    # practices are tools of their own: session 8 names them, the programme page lists them.
    relaxation = {"breathing", "muscle_relaxation", "imagery"}
    assert {s.practice for s in ENGLISH.sessions} == (
        set(PRACTICES) - {"checkin", "movement"} - relaxation
    )
    flares = ENGLISH.session("flares").body
    assert all(ENGLISH.practices[kind].title.lower() in flares for kind in relaxation)


def test_the_course_covers_what_the_issue_asks():
    lessons = " ".join(f"{s.title} {s.body}".lower() for s in ENGLISH.sessions)
    for topic in (
        "evidence",
        "somatic tracking",
        "fear",
        "safety",
        "anger",
        "good feelings",
        "movement",
        "flare",
        "setback",
    ):
        assert topic in lessons, topic


@pytest.fixture
def content_copy(tmp_path):
    folder = tmp_path / "en"
    shutil.copytree(CONTENT_ROOT / "en", folder)
    return folder


def break_file(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("sessions/02-tracking.md", "minutes: 4", "minutes: four", "minutes must be int"),
        ("sessions/02-tracking.md", "practice: somatic_tracking", "practice: yoga", "practice"),
        ("sessions/02-tracking.md", "number: 2", "number: 3", "file name must start"),
        ("sessions/02-tracking.md", "id: tracking", "id: Tracking!", "may hold only"),
        ("sessions/02-tracking.md", "references:", "sources:", "missing references"),
        ("sessions/02-tracking.md", "---\n", "", "front matter"),
        ("practices/savouring.md", "ratings: [mood]", "ratings: [joy]", "ratings"),
        ("practices/savouring.md", "seconds: 30", "seconds: 2", "step 1 needs seconds"),
        ("evidence.yaml", "id: moves_or_spreads", "id: began_without_injury", "unique"),
        ("attribution.yaml", "id: mind", "id: brain", "body, mind, then both"),
        ("evidence_elsewhere.yaml", "id: night_and_rest", "id: delayed", "also in evidence"),
        (
            "practices/movement.md",
            "optional_ratings: []",
            "optional_ratings: [mood]",
            "some of its ratings",
        ),
        ("thinking_traps.yaml", 'label: "Catastrophising"', "label: [", "not valid YAML"),
        ("not_helped.md", "references:", "sources:", "missing references"),
        ("not_helped.md", "## What to say to your GP", "## Your GP", "needs the heading"),
        ("not_helped.md", "---\n", "", "front matter"),
    ],
)
def test_a_broken_file_is_caught_with_its_name_and_the_reason(
    content_copy, file, old, new, message
):
    break_file(content_copy / file, old, new)
    with pytest.raises(ContentError, match=message) as caught:
        load_course(content_copy)
    assert str(caught.value).startswith(content_copy.joinpath(file).name)


def test_a_missing_session_is_caught(content_copy):
    (content_copy / "sessions" / "05-emotional-threats.md").unlink()
    with pytest.raises(ContentError, match="numbers 0 to 8"):
        load_course(content_copy)


def test_a_missing_not_helped_page_is_caught(content_copy):
    (content_copy / "not_helped.md").unlink()
    with pytest.raises(ContentError, match=r"^not_helped\.md: missing"):
        load_course(content_copy)


def test_the_not_helped_page_reads_easily_blames_no_one_and_names_the_options():
    page = ENGLISH.not_helped
    assert textstat.flesch_kincaid_grade(readable_text(page.body)) <= HIGHEST_GRADE
    said = " ".join(page.body.split())
    assert "**It is not your fault.**" in said
    assert "It does not mean your pain is any less real." in said
    assert "it does not mean that nothing can help" in said
    # Honest: one trial, and some people do not improve.
    assert "This course is based on one trial." in said
    assert "some not at all" in said
    for option in (
        "CBT for chronic pain",
        "Acceptance and commitment therapy (ACT)",
        "Emotional awareness and expression therapy (EAET)",
        "Exercise therapy with a physiotherapist",
        "A pain service or pain clinic",
    ):
        assert f"- **{option}.**" in said, option
    # The words to take to a GP, and the report to bring.
    assert "> I have tried a pain reprocessing programme for (how many) weeks." in said
    assert "I would like to talk about other options" in said
    assert f'<a href="{reverse("report")}">printable report</a>' in page.html
    # Medicines: only the one statement, which the page's template adds (a view test checks).
    assert "medicine" not in said.lower()


def test_the_last_session_links_the_not_helped_page_by_its_address():
    flares = ENGLISH.session("flares")
    assert f'<a href="{reverse("not_helped")}">If this has not helped</a>' in flares.html


def test_language_falls_back_from_region_to_language_to_english(tmp_path):
    (tmp_path / "en").mkdir()
    (tmp_path / "de").mkdir()
    assert language_folder("de-AT", tmp_path) == tmp_path / "de"
    assert language_folder("fr", tmp_path) == tmp_path / "en"


def test_the_app_refuses_to_start_with_broken_content(tmp_path):
    """Start-up loads the content (ProgramConfig.ready): a broken file stops `manage check`."""
    package = tmp_path / "pkg"
    shutil.copytree(CONTENT_ROOT, package / "content")
    break_file(package / "content" / "en" / "sessions" / "00-intake.md", "number: 0", "number: x")
    code = (
        "import rewire.program.content as c, pathlib, sys;"
        f"c.CONTENT_ROOT = pathlib.Path({str(package / 'content')!r});"
        "import django, os;"
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'rewire.settings_test';"
        "django.setup()"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode != 0
    assert "00-intake.md: number must be int" in result.stderr


def test_each_topic_reads_easily_and_lists_references():
    for topic in ENGLISH.topics.values():
        assert textstat.flesch_kincaid_grade(readable_text(topic.body)) <= HIGHEST_GRADE, topic.id
        words = len(topic.body.split())
        assert abs(words / 150 - topic.minutes) <= 2, topic.id
        assert topic.references, topic.id


def every_lesson(course) -> list[tuple[str, str, tuple[str, ...]]]:
    """(file, title, references) of every text a person reads as a lesson or a practice."""
    return [
        *((f"sessions/{s.number:02d}", s.title, s.references) for s in course.sessions),
        *((f"practices/{p.id}.md", p.title, p.references) for p in course.practices.values()),
        *((f"topics/{t.id}.md", t.title, t.references) for t in course.topics.values()),
        ("not_helped.md", course.not_helped.title, course.not_helped.references),
    ]


def test_docs_list_every_lessons_references_under_its_title():
    """docs/programme.md's references list names each lesson and, under it, its sources
    exactly as the lesson lists them."""
    docs = (CONTENT_ROOT.parents[2] / "docs" / "programme.md").read_text(encoding="utf-8")
    listed = docs.split("\n## References\n", 1)[1]
    for where, title, references in every_lesson(ENGLISH):
        part = listed.split(f"\n### {title}\n", 1)
        assert len(part) == 2, f"docs/programme.md: no '### {title}' under References ({where})"
        section = part[1].split("\n### ", 1)[0]
        for reference in references:
            assert f"- {reference}" in section, (where, reference[:60])
