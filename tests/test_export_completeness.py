"""The JSON export holds everything a person recorded: a new model with personal data fails
here until it is either in the export document or listed, with its reason, as deliberately
left out.

A model holds personal data when it has a ForeignKey or OneToOneField to the user model, or
to another model that does (BodyAreaRating via CheckIn; the tables behind ManyToMany fields,
such as CheckIn.tags, count too). Models that name a person without such a key (sessions,
sign-in attempts, the access log) cannot be found that way, so every installed model must
be sorted into one of the three lists below.
"""

import io

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from helpers import post, token_client

from rewire.api.portability import export_diary
from rewire.measures import actions as measures
from rewire.program import actions as program

# Each model in the export, and where in the document (export_diary) its rows are: a path of
# keys, "*" for each item of a list. The rows found there must be as many as the account has.
EXPORTED = {
    "accounts.User": ("account",),  # the timezone; see NOT_EXPORTED for the rest of the row
    "diary.Tag": ("tags",),
    "diary.CheckIn": ("checkins",),
    "diary.BodyAreaRating": ("checkins", "*", "body_areas"),
    "diary.EmotionRating": ("checkins", "*", "emotions"),
    "diary.CheckIn_tags": ("checkins", "*", "tags"),
    "diary.CheckIn_helped": ("checkins", "*", "helped"),
    "program.SessionCompletion": ("programme", "session_completions"),
    "program.Practice": ("programme", "practices"),
    "program.SafetyMessage": ("programme", "safety_messages"),
    "program.FlarePlanStep": ("programme", "flare_plan"),
    "program.Evidence": ("programme", "evidence"),
    "program.Attribution": ("programme", "attributions"),
    "program.Cause": ("programme", "attributions", "*", "causes"),
    "program.ThoughtRecord": ("programme", "thought_records"),
    "program.ThoughtEmotion": ("programme", "thought_records", "*", "emotions"),
    "measures.Response": ("measures", "responses"),
    "measures.Screening": ("measures", "screenings"),
    "measures.SafetyEvent": ("measures", "safety_events"),
    "exposure.Rung": ("exposure", "rungs"),
    "exposure.RungRating": ("exposure", "rungs", "*", "ratings"),
    "exposure.ExposureAttempt": ("exposure", "attempts"),
    "exposure.ActivitySession": ("exposure", "activity_sessions"),
    "insights.Experiment": ("experiments",),
    "insights.ExperimentDay": ("experiments", "*", "answers"),
}

# Personal data deliberately not in the export, and why. (Of the account's own row, only the
# timezone is exported: the email and password hash identify and sign in, and a new server
# has its own account for the person, who chooses them there.)
NOT_EXPORTED = {
    # A credential: only its digest is kept, useless elsewhere, and a file that carried it
    # could act as the account. The new server issues its own tokens.
    "accounts.ApiToken": "a credential",
    # Django's admin rights, set by the server's administrator: not the person's records.
    "accounts.User_groups": "server administration",
    "accounts.User_user_permissions": "server administration",
    # Retry bookkeeping for the API (a key, a digest and the id created), no content of its
    # own, deleted by `rewire cleanup` after a day.
    "api.IdempotencyKey": "short-lived retry bookkeeping",
    # An unused sharing code (only its digest) for a clinician of this server: a credential
    # that means nothing on another server.
    "care.Invitation": "a credential of this server",
    # Consent given to a clinician's account on this server: it names another person's
    # account and means nothing elsewhere; the person shares again on a new server. The
    # Sharing page shows it.
    "care.Share": "consent to an account of this server, naming another person",
    # The server's append-only record of which clinician looked, and when (by pseudonym, no
    # key to the account). An import could not write it, and it names the clinician; the
    # person reads it on the Sharing page ("who saw my data").
    "care.AccessLog": "the server's audit record, append-only",
    # Sign-in state (the session data holds the account's id): a secret of this server.
    "sessions.Session": "sign-in state",
    # Sign-in attempts kept by django-axes to lock out guessing, by the email typed and the
    # address: the server's security record, not the person's diary.
    "axes.AccessAttempt": "sign-in lockout record",
    "axes.AccessAttemptExpiration": "sign-in lockout record",
    "axes.AccessFailureLog": "sign-in lockout record",
    "axes.AccessLog": "sign-in lockout record",
}

# No person's data at all: Django's own definitions.
NOT_PERSONAL = {
    "auth.Permission": "Django's list of permissions",
    "auth.Group": "administration groups",
    "auth.Group_permissions": "administration groups",
    "contenttypes.ContentType": "Django's list of models",
}


def installed_models() -> dict[str, type]:
    return {m._meta.label: m for m in apps.get_models(include_auto_created=True)}


def owner_lookups() -> dict[str, str]:
    """Every model holding personal data, with the lookup from it to its owner ("user",
    "checkin__user", ...; "pk" for the user model itself)."""
    user_model = get_user_model()
    lookups = {user_model: "pk"}
    changed = True
    while changed:
        changed = False
        for model in installed_models().values():
            if model in lookups:
                continue
            keys = [
                f
                for f in model._meta.concrete_fields
                if f.is_relation and (f.many_to_one or f.one_to_one) and f.related_model in lookups
            ]
            if not keys:
                continue
            # The straightest way to the owner: a key to the user, else one that is never null.
            key = min(keys, key=lambda f: (f.related_model is not user_model, f.null))
            parent = lookups[key.related_model]
            lookups[model] = key.name if parent == "pk" else f"{key.name}__{parent}"
            changed = True
    return {model._meta.label: lookup for model, lookup in lookups.items()}


def test_the_walk_finds_children_and_many_to_many_tables():
    found = owner_lookups()
    assert found["diary.CheckIn"] == "user"
    assert found["diary.BodyAreaRating"] == "checkin__user"
    assert found["diary.CheckIn_tags"] in ("checkin__user", "tag__user")  # either leads home
    assert found["program.ThoughtEmotion"] == "record__user"
    assert found["insights.ExperimentDay"] == "experiment__user"
    assert found["accounts.User"] == "pk"


def test_every_model_with_personal_data_is_exported_or_left_out_on_purpose():
    missing = set(owner_lookups()) - EXPORTED.keys() - NOT_EXPORTED.keys()
    assert not missing, (
        f"{sorted(missing)} hold personal data but are not in the JSON export: add them to "
        "export_diary (rewire/api/portability.py) and to EXPORTED here, or to NOT_EXPORTED "
        "with the reason"
    )


def test_every_installed_model_is_sorted():
    """A model that names a person without a key (a username, a pseudonym) is personal too:
    each new model must be placed in one of the lists by someone who has looked at it."""
    unsorted = set(installed_models()) - EXPORTED.keys() - NOT_EXPORTED.keys() - NOT_PERSONAL.keys()
    assert not unsorted, f"{sorted(unsorted)}: add each to EXPORTED, NOT_EXPORTED or NOT_PERSONAL"


def test_the_lists_name_only_installed_models_each_once():
    listed = [*EXPORTED, *NOT_EXPORTED, *NOT_PERSONAL]
    assert len(listed) == len(set(listed))
    assert set(listed) <= set(installed_models())
    assert not set(NOT_PERSONAL) & set(owner_lookups())


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
    answers = {f"phq9_{n}": 1 for n in range(1, 10)}  # item 9 above 0: a safety event
    measures.record_response(user=user, instrument_id="phq9", answers=answers)
    post(token_client(carol), {"pain": 4, "tags": ["carol's"], "body_areas": []})
    return user


def test_everything_the_account_holds_is_in_its_export(full_account):
    document = export_diary(full_account)
    lookups = owner_lookups()
    models = installed_models()
    for label, path in EXPORTED.items():
        model = models[label]
        lookup = lookups[label]
        held = model._default_manager.filter(
            **{lookup: full_account.pk if lookup == "pk" else full_account}
        ).count()
        assert held > 0, f"{label}: give the account one in full_account, so this checks it"
        assert found_in(document, path) == held, f"{label} at {'.'.join(path)}"
