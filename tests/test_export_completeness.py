"""Every app declares its personal data once, in its export section (rewire/<app>/portability.py,
registered with rewire/core/portability.py): each model is exported at a path of the document,
or left out with its reason, or vouched for as holding nobody's data. A new model with personal
data and no declaration fails `rewire check` (rewire/core/checks.py), and the tests here hold
the declarations to what the account really holds.

A model holds personal data when it has a ForeignKey or OneToOneField to the user model, or
to another model that does (BodyAreaRating via CheckIn; the tables behind ManyToMany fields,
such as CheckIn.tags, count too). Models that name a person without such a key (sessions,
sign-in attempts, the access log) cannot be found that way, so every installed model must be
declared by some section.
"""

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core import checks
from django.core.management import call_command
from helpers import post, token_client

from rewire.core import portability
from rewire.core.checks import every_model_is_declared
from rewire.core.errors import ImportRejected
from rewire.core.portability import export_diary, installed_models, owner_lookups
from rewire.exposure import actions as exposure
from rewire.exposure.rules import PacingBoutEntry, PacingPlanEntry
from rewire.measures import actions as measures
from rewire.program import actions as program
from rewire.program import after
from rewire.program.rules import WritingEntry
from rewire.reminders import actions as reminders

SECTIONS = portability.sections()


def test_the_walk_finds_children_and_many_to_many_tables():
    found = owner_lookups()
    assert found["diary.CheckIn"] == "user"
    assert found["diary.BodyAreaRating"] == "checkin__user"
    assert found["diary.CheckIn_tags"] in ("checkin__user", "tag__user")  # either leads home
    assert found["program.ThoughtEmotion"] == "record__user"
    assert found["insights.ExperimentDay"] == "experiment__user"
    assert found["accounts.User"] == "pk"


def test_every_app_with_models_has_a_section_found_without_a_list():
    """Autodiscovery: each app's portability module registered itself."""
    rewire_apps = {
        model._meta.app_label
        for model in installed_models().values()
        if model.__module__.startswith("rewire.")
    }
    assert {"accounts", "core", "diary", "program", "care"} <= rewire_apps
    assert rewire_apps <= {section.name for section in SECTIONS}
    orders = [section.order for section in SECTIONS]
    assert orders == sorted(orders) and len(set(orders)) == len(orders)


def test_rewire_check_passes_with_every_model_declared():
    assert every_model_is_declared() == []
    call_command("check", stdout=io.StringIO())  # raises SystemCheckError on an error


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.name)
def test_a_model_nobody_declares_fails_rewire_check(section, monkeypatch):
    """Take each section's declarations away in turn: every model it named is reported."""
    named = [*section.exported, *section.left_out, *section.not_personal]
    assert named, f"{section.name} declares no model"
    for listing in ("exported", "left_out", "not_personal"):
        monkeypatch.setattr(section, listing, {})
    errors = every_model_is_declared()
    reported = {e.msg.split(" ")[0] for e in errors if e.id == "rewire.E001"}
    assert set(named) <= reported
    assert all(isinstance(e, checks.Error) for e in errors)
    personal = [label for label in named if label in owner_lookups()]
    for label in personal:
        assert any(e.msg.startswith(f"{label} holds personal data") for e in errors)


def test_a_model_declared_twice_or_not_installed_fails_rewire_check(monkeypatch):
    diary = next(s for s in SECTIONS if s.name == "diary")
    care = next(s for s in SECTIONS if s.name == "care")
    monkeypatch.setattr(care, "left_out", {**care.left_out, "diary.Tag": "twice"})
    monkeypatch.setattr(diary, "left_out", {"diary.Nothing": "not a model"})
    ids = sorted(e.id for e in every_model_is_declared())
    assert ids == ["rewire.E002", "rewire.E004"]


def test_not_personal_means_it_leads_to_nobody(monkeypatch):
    accounts = next(s for s in SECTIONS if s.name == "accounts")
    moved = {"accounts.ApiToken": "pretend"}
    monkeypatch.setattr(accounts, "not_personal", {**accounts.not_personal, **moved})
    monkeypatch.setattr(
        accounts, "left_out", {k: v for k, v in accounts.left_out.items() if k not in moved}
    )
    assert [e.id for e in every_model_is_declared()] == ["rewire.E003"]


def test_the_document_schema_is_built_from_the_sections():
    fields = portability.document_schema().model_fields
    declared = [key for section in SECTIONS for key in section.fields]
    assert list(fields) == ["format", "version", "exported_at", *declared]
    result = portability.import_result_schema().model_fields
    assert list(result) == [key for section in SECTIONS for key in section.counts]


def found_in(document, path: tuple) -> int:
    """How many rows the document holds at `path` (a list: its items; an object: one)."""
    if not path:
        return len(document) if isinstance(document, list) else 1
    key, rest = path[0], path[1:]
    if key == "*":
        return sum(found_in(item, rest) for item in document)
    return found_in(document[key], rest)


@pytest.fixture
def full_account(db, carol):
    """The demo account, which has something of nearly everything, and what it lacks."""
    call_command("demo", "--days", "120", "--email", "every@example.com", stdout=io.StringIO())
    user = get_user_model().objects.get(email="every@example.com")
    program.set_flare_plan(user=user, steps=["Breathe out slowly.", "Walk to the window."])
    program.set_pace(user=user, pace="every_day")
    after.save_plan(
        user=user,
        keep_doing="Tracking twice a week.",
        warning_signs="Avoiding stairs.",
        what_helped="Somatic tracking.",
    )
    program.record_writing(
        user=user,
        entry=WritingEntry(kind="timeline", events=[(9, "A move", "hard")], distress_after=3),
    )
    answers = {f"phq9_{n}": 1 for n in range(1, 10)}  # item 9 above 0: a safety event
    measures.record_response(user=user, instrument_id="phq9", answers=answers)
    post(token_client(carol), {"pain": 4, "tags": ["carol's"], "body_areas": []})
    plan = exposure.add_pacing_plan(
        user=user,
        entry=PacingPlanEntry(activity="Housework", activity_minutes=15, break_minutes=5),
    )
    exposure.log_pacing_bout(
        user=user,
        entry=PacingBoutEntry(plan=plan.pk, minutes=30, breaks=1, local_date=user.today()),
    )
    reminders.set_reminders(
        user=user,
        quiet_from=dt.time(22),
        quiet_until=dt.time(7),
        daily_cap=2,
        by_email=True,
        times={"checkin": dt.time(20, 30)},
        enabled={"checkin", "practice"},
    )
    return user


@pytest.mark.parametrize("section", [s for s in SECTIONS if s.exported], ids=lambda s: s.name)
def test_everything_the_account_holds_is_in_its_export(section, full_account):
    document = export_diary(full_account)
    lookups = owner_lookups()
    models = installed_models()
    for label, path in section.exported.items():
        model = models[label]
        lookup = lookups[label]
        held = model._default_manager.filter(
            **{lookup: full_account.pk if lookup == "pk" else full_account}
        ).count()
        assert held > 0, f"{label}: give the account one in full_account, so this checks it"
        assert found_in(document, path) == held, f"{label} at {'.'.join(path)}"
        assert path[0] in section.fields, f"{label}: {path[0]} is another section's key"


@pytest.fixture
def round_trip(full_account):
    """The full account's document, and the same document exported again after importing it
    into a new account."""
    document = export_diary(full_account)
    copy = get_user_model().objects.create_user(email="copy@example.com", password="x" * 12)
    portability.import_diary(copy, document)
    return document, export_diary(copy), copy


@pytest.mark.parametrize("section", [s for s in SECTIONS if s.fields], ids=lambda s: s.name)
def test_each_section_comes_back_whole(section, round_trip):
    document, again, copy = round_trip
    for key in section.fields:
        assert again[key] == document[key], key
    if section.conflict:
        assert section.holds_records(copy)


@pytest.mark.parametrize("section", [s for s in SECTIONS if s.conflict], ids=lambda s: s.name)
def test_an_import_meeting_a_sections_records_is_refused_at_its_key(section, round_trip):
    document, _, copy = round_trip
    for other in SECTIONS:
        if other is not section:
            for model in other.record_models():
                model.objects.for_user(copy).delete()
    with pytest.raises(ImportRejected) as rejected:
        portability.import_diary(copy, document)
    [error] = rejected.value.errors
    assert error["type"] == "conflict" and error["msg"] == section.conflict
    assert error["loc"] == [section.conflict_at or next(iter(section.fields))]
