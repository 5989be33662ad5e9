"""The header's navigation as HTML (issue 17): the wide menu and the phone's bottom bar, which
page each marks as current, the one sign-out form; pages sent compressed; htmx loaded only by
pages that use it. How it looks and works in a browser: tests/browser/test_phone_navigation.py."""

import gzip
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from factories import one_of_each_thing
from factories.walk import PUBLIC, fill, web_patterns
from helpers import PASSWORD, open_programme, signed_in, token_client

from rewire.accounts.actions import create_user
from rewire.accounts.models import User

pytestmark = pytest.mark.django_db

NAV = re.compile(r'<nav class="([\w-]+)" aria-label="(\w+)">(.*?)</nav>', re.S)


def navs(response) -> dict[str, str]:
    """{label: the nav's HTML} for each navigation landmark of the page."""
    assert response.status_code == 200
    found = NAV.findall(response.content.decode())
    labels = [label for _, label, _ in found]
    assert len(labels) == len(set(labels)), labels  # axe's landmark-unique
    return {label: inner for _, label, inner in found}


def current(nav_html: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)" aria-current="page">', nav_html)


def test_a_patient_has_the_whole_menu_and_a_bar_of_four_with_more(alice_client):
    menus = navs(alice_client.get("/"))
    assert set(menus) == {"Main", "Sections"}
    main, bar = menus["Main"], menus["Sections"]
    for section in ("Check in", "Programme", "Movement", "History", "Insights", "Questionnaires"):
        assert f">{section}</a>" in main and f">{section}</a>" in bar
    assert ">Settings</a>" in main and ">Settings</a>" in bar
    # The bar: four sections, then everything else behind "More".
    before_more, sheet = bar.split('<details class="more-sheet">')
    assert re.findall(r">([\w ]+)</a>", before_more) == [
        "Check in",
        "Programme",
        "History",
        "Insights",
    ]
    assert re.findall(r">([\w ]+)</(?:a|button)>", sheet) == [
        "Movement",
        "Questionnaires",
        "Settings",
        "Sign out",
    ]


def test_each_section_is_marked_current_in_both_menus(alice_client):
    open_programme(User.objects.get(email="alice@example.com"))
    for path, marked in {
        "/": "/",
        "/programme": "/programme",
        "/programme/evidence": "/programme",
        "/movement": "/movement",
        "/history": "/history",
        "/insights": "/insights",
        "/questionnaires": "/questionnaires",
        "/settings": "/settings",
    }.items():
        menus = navs(alice_client.get(path))
        assert current(menus["Main"]) == [marked], path
        assert current(menus["Sections"]) == [marked], path
        # "More" shows it holds the current page when that page is behind it.
        holds = '<summary class="holds-current">' in menus["Sections"]
        assert holds == (marked in ("/movement", "/questionnaires", "/settings")), path
    menus = navs(alice_client.get("/urgent-help"))
    assert current(menus["Main"]) == current(menus["Sections"]) == []


def test_one_sign_out_form_posts_with_its_token_and_the_bar_submits_it(alice_client):
    page = alice_client.get("/").content.decode()
    forms = re.findall(r'<form method="post" action="/accounts/logout"[^>]*>', page)
    # data-offline: static/rewire/offline.js wipes what the device keeps before it is sent.
    assert forms == [
        '<form method="post" action="/accounts/logout" id="sign-out" data-offline="signout">'
    ]
    form = page.split(forms[0], 1)[1].split("</form>", 1)[0]
    assert 'name="csrfmiddlewaretoken"' in form
    assert page.count('<button type="submit" form="sign-out" class="link-button">Sign out') == 1
    # And the bar's button signs out for real (a POST of that form).
    alice_client.post("/accounts/logout")
    assert alice_client.get("/").status_code == 302


def test_a_clinician_has_patients_settings_and_sign_out():
    bob = create_user(email="bob@example.com", password=PASSWORD, role=User.CLINICIAN)
    menus = navs(signed_in(bob).get("/care"))
    assert set(menus) == {"Main", "Sections"}
    for nav in menus.values():
        assert re.findall(r">([\w ]+)</(?:a|button)>", nav) == ["Patients", "Settings", "Sign out"]
        assert current(nav) == ["/care"]
    assert "more-sheet" not in menus["Sections"]


@pytest.mark.parametrize("path", ["/accounts/login", "/accounts/signup", "/urgent-help"])
def test_signed_out_pages_have_no_navigation(path):
    assert "<nav" not in Client().get(path).content.decode()


# --- Compressed pages (ADR 0014) ----------------------------------------------------------------


def test_a_page_goes_compressed_when_the_browser_accepts_gzip(alice_client):
    plain = alice_client.get("/history")
    packed = alice_client.get("/history", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    # The same page (only the CSRF token's mask, the CSP nonce and the flare form's submission
    # key differ from one answer to the next), and smaller.
    assert same_page(gzip.decompress(packed.content)) == same_page(plain.content)
    assert len(packed.content) < len(plain.content) / 3


def same_page(content: bytes) -> str:
    page = re.sub(r'nonce="[^"]+"', "nonce", content.decode())
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "csrf", page)
    return re.sub(r'name="submission" value="[^"]+"', "submission", page)  # the flare's key


def test_the_token_api_answers_compressed_when_asked(alice):
    client = token_client(alice)
    for pain in range(12):
        client.post("/api/v1/checkins", {"pain": pain % 11}, content_type="application/json")
    answer = client.get("/api/v1/checkins", headers={"Accept-Encoding": "gzip"})
    assert answer.status_code == 200 and answer.headers["Content-Encoding"] == "gzip"
    assert b'"pain"' in gzip.decompress(answer.content)


# --- htmx only where it is used (ADR 0012) ------------------------------------------------------


def test_only_pages_that_use_htmx_load_it(alice):
    open_programme(alice)
    ids = one_of_each_thing(alice)
    client = signed_in(alice)
    loading, using = set(), set()
    checked = 0
    for name, pattern in web_patterns():
        if name in PUBLIC:
            continue
        url = fill(pattern, ids, name)
        if "<" in url:
            continue
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.headers.get("Content-Type", ""):
            continue
        checked += 1
        page = response.content.decode()
        if re.search(r"<script[^>]+htmx[^>]*\.js", page):
            loading.add(url)
        if re.search(r"\shx-[a-z-]+=", page):
            using.add(url)
    assert checked >= 30  # the walk reached the pages
    assert loading == using
    assert "/history" in loading


def test_no_template_comment_spans_lines():
    """Django's {# … #} holds one line only: a comment over two lines is printed on the page
    (the history page showed its own comment above the header)."""
    templates = sorted(
        path for folder in settings.TEMPLATES[0]["DIRS"] for path in Path(folder).rglob("*.html")
    )
    assert templates, "the walk found the templates"
    spanning = [
        f"{path.name}:{number}"
        for path in templates
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if "{#" in line and "#}" not in line.split("{#", 1)[1]
    ]
    assert spanning == []
