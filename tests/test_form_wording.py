"""No form of the site answers bad input with one of Django's own messages (issue 17): every
problem is said in Rewire's words (rewire/core/wording.py, rewire/accounts/passwords.py).

Django's messages are read from Django's own source files, not from the classes (which the
wording module has changed), so a message Django adds in a later version is caught too."""

import ast
import html
import importlib
import re
import sys
from pathlib import Path

import django
import pytest
from factories import one_of_each_thing
from factories.walk import CONTENT_IDS, OBJECT_FOR, TOKEN_FOR, fill, web_patterns
from helpers import open_programme, signed_in

DJANGO = Path(django.__file__).parent
MESSAGE_SOURCES = [
    "forms/fields.py",
    "forms/models.py",
    "core/validators.py",
    "contrib/auth/password_validation.py",
    "contrib/auth/forms.py",
]
# Parts of a message between its %(name)s holes shorter than this say nothing on their own.
SHORTEST_PART = 14
# Sign-out and erasure end the session or the data the walk needs; they are checked elsewhere.
LEFT_OUT = re.compile(r"logout|account_delete|erase|delete_account")


def django_messages() -> set[str]:
    """Every string Django marks for translation in its form, validator and password code."""
    messages = set()
    for source in MESSAGE_SOURCES:
        tree = ast.parse((DJANGO / source).read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(
                node.func, "id", getattr(node.func, "attr", "")
            ) in ("_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext_lazy"):
                for arg in node.args:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        messages.add(arg.value)
    return messages


def telling_parts(messages: set[str]) -> set[str]:
    """The pieces of each message that would show it on a page (placeholders cut out)."""
    parts = set()
    for message in messages:
        for part in re.split(r"%\(\w+\)\w|%\w|\{\w*\}", message):
            part = part.strip(" .:")
            if len(part) >= SHORTEST_PART:
                parts.add(html.escape(part))
    return parts


DJANGO_PARTS = telling_parts(django_messages())


def test_the_messages_read_from_django_are_the_ones_it_shows():
    """The reading works: the well-known defaults are among the parts looked for."""
    for known in ("This field is required", "Enter a whole number", "Ensure this value"):
        assert any(known in part for part in DJANGO_PARTS), known
    assert len(DJANGO_PARTS) > 40


def form_names(page: str) -> list[str]:
    return sorted(set(re.findall(r'<(?:input|select|textarea)[^>]*\sname="([^"]+)"', page)))


def bad_bodies(names: list[str]) -> list[dict]:
    """Nothing at all, then every field filled with each kind of nonsense."""
    return [{}] + [
        {name: value for name in names}
        for value in ("nonsense", "-5", "99999999999", "2026-02-30T25:61", "x" * 5000)
    ]


@pytest.mark.django_db
def test_no_form_answers_bad_input_with_a_django_default_message(alice):
    open_programme(alice)
    ids = one_of_each_thing(alice)
    client = signed_in(alice)
    found, posted = [], 0
    for name, pattern in web_patterns():
        if LEFT_OUT.search(name or ""):
            continue
        holes = re.findall(r"<(?:\w+:)?(\w+)>", pattern)
        if any(h not in CONTENT_IDS for h in holes) and name not in {**OBJECT_FOR, **TOKEN_FOR}:
            continue  # a key sent by email (a password reset link): no form behind a made-up one
        url = fill(pattern, ids, name)
        page = client.get(url)
        names = form_names(page.content.decode(errors="replace")) if page.status_code == 200 else []
        for body in bad_bodies(names):
            answer = client.post(url, body)
            if answer.status_code == 405:
                break
            posted += 1
            text = answer.content.decode(errors="replace")
            found += [(url, part) for part in DJANGO_PARTS if part in text]
    assert found == [], sorted(set(found))
    assert posted > 100  # the walk reached the forms (a broken walk would pass on nothing)


@pytest.mark.django_db
def test_sign_up_with_bad_input_says_nothing_in_djangos_words(client):
    for body in ({}, {"email": "nonsense", "password1": "a", "password2": "b"}):
        text = client.post("/accounts/signup", body).content.decode()
        assert [part for part in DJANGO_PARTS if part in text] == []


def test_a_form_module_imported_fresh_gets_rewires_wording():
    """The wording is installed at start-up (CoreConfig.ready), before any form module is
    imported: a form class built now, from a freshly imported module, says Rewire's words."""
    first = sys.modules.pop("rewire.diary.forms")
    try:
        fresh = importlib.import_module("rewire.diary.forms")
    finally:
        sys.modules["rewire.diary.forms"] = first
    assert fresh is not first
    form = fresh.FlareForm(data={})
    assert not form.is_valid()
    message = form.errors["pain"][0]
    assert message != "This field is required."
    assert not any(part in html.escape(message) for part in DJANGO_PARTS)
    count = fresh.CheckInForm.base_fields["movement_minutes"]
    assert count.error_messages["invalid"] != "Enter a whole number."
