"""Urgent help: the page every header links to, open without signing in, and the warning
(`rewire check`, `rewire serve`) when the server has no helpline for its language."""

import io
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import checks
from django.core.management import call_command
from django.test import Client
from factories import SECRET_NOTE
from helpers import PASSWORD

from rewire.accounts.actions import create_user
from rewire.accounts.models import User
from rewire.measures import helplines
from rewire.measures.checks import missing_helplines
from rewire.server.management.commands.serve import helpline_banner

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "docs" / "helplines.example.yaml"

TWO_LINES = (
    "en:\n"
    '  - {name: "Test Listening Line", phone: "0800 000 111", hours: "Every day, all day"}\n'
    '  - {name: "Test Text Line", text: "Text TALK to 00000", url: "https://help.invalid/"}\n'
)


@pytest.fixture
def configure(settings, tmp_path):
    """Point REWIRE_HELPLINES_FILE at a file with this text (None: unset it), clearing the
    helplines' cache so the next look reads the new setting."""

    def configure(text: str | None, *, language: str = "en-gb") -> None:
        settings.LANGUAGE_CODE = language
        if text is None:
            settings.REWIRE_HELPLINES_FILE = ""
        else:
            path = tmp_path / "helplines.yaml"
            path.write_text(text, encoding="utf-8")
            settings.REWIRE_HELPLINES_FILE = str(path)
        helplines.helplines_for.cache_clear()

    yield configure
    helplines.helplines_for.cache_clear()


def w001() -> list[checks.CheckMessage]:
    return [message for message in checks.run_checks() if message.id == "rewire.W001"]


# The check.


def test_without_a_file_the_check_warns_and_says_how(configure):
    configure(None)
    [warning] = w001()
    assert warning.level == checks.WARNING
    assert "(en-gb): REWIRE_HELPLINES_FILE is not set" in warning.msg
    assert "call their local emergency number" in warning.msg
    assert "Set REWIRE_HELPLINES_FILE" in warning.hint
    assert "'en-gb' or 'en'" in warning.hint
    assert "docs/helplines.example.yaml" in warning.hint


def test_a_file_with_the_language_satisfies_the_check(configure):
    configure(TWO_LINES)  # "en" serves "en-gb"
    assert missing_helplines() is None
    assert w001() == []
    configure('en-gb:\n  - {name: "Test Line", url: "https://help.invalid/"}\n')
    assert w001() == []


def test_a_file_for_another_language_only_still_warns(configure, tmp_path):
    configure('de:\n  - {name: "Test Line", phone: "0800 000 222"}\n')
    [warning] = w001()
    assert f"{tmp_path / 'helplines.yaml'} has no entry for 'en-gb' or 'en'" in warning.msg
    assert "an entry for 'en-gb' or 'en'" in warning.hint
    # The same file serves a server whose language is German, with or without a region.
    configure('de:\n  - {name: "Test Line", phone: "0800 000 222"}\n', language="de-at")
    assert w001() == []


def test_a_region_only_file_does_not_serve_the_bare_language(configure):
    configure('en-gb:\n  - {name: "Test Line", phone: "0800 000 333"}\n', language="en")
    [warning] = w001()
    assert "no entry for 'en'." in warning.msg


def test_a_file_broken_after_start_up_is_a_warning_not_a_crash(configure, tmp_path):
    configure("en: [not a helpline]\n")
    [warning] = w001()
    assert "each helpline needs a name" in warning.msg
    assert warning.hint.startswith(f"Correct {tmp_path / 'helplines.yaml'}.")


def test_rewire_check_prints_the_warning_and_still_passes(configure):
    configure(None)
    out, err = io.StringIO(), io.StringIO()
    call_command("check", stdout=out, stderr=err)  # a warning does not fail it
    assert "(rewire.W001) No crisis helpline is configured" in err.getvalue()
    configure(TWO_LINES)
    out, err = io.StringIO(), io.StringIO()
    call_command("check", stdout=out, stderr=err)
    assert "rewire.W001" not in out.getvalue() + err.getvalue()


# `rewire serve`'s banner.


def test_serve_frames_the_same_warning_at_start(configure):
    configure(None)
    banner = helpline_banner()
    lines = banner.splitlines()
    assert lines[0] == lines[-1] == "!" * 72
    assert "WARNING (rewire.W001): NO CRISIS HELPLINE IS CONFIGURED." in banner
    warning = missing_helplines()
    assert warning.msg in banner
    assert f"How to fix it: {warning.hint}" in banner


def test_serve_says_nothing_when_helplines_are_configured(configure):
    configure(TWO_LINES)
    assert helpline_banner() == ""


def test_serve_prints_the_banner_on_stderr_before_it_says_it_is_running(tmp_path):
    """A real `rewire serve` (SQLite in a fresh home, no helpline file), stopped once it has
    said where it runs."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "REWIRE_PLAIN_STATIC")
        and k != "REWIRE_HELPLINES_FILE"
    }
    environment.update(REWIRE_HOME=str(tmp_path), DJANGO_SETTINGS_MODULE="rewire.settings")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "rewire", "serve", "--port", str(port)],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        running = server.stdout.readline()  # blocks until the server says it runs
        assert "Rewire is running" in running
        # Everything on stderr so far was written before that line.
        server.terminate()
        server.wait(timeout=20)
        before, _, after = server.stderr.read().partition("!" * 72 + "\n")
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(timeout=20)
    assert "(rewire.W001)" in before  # Django's own system check output comes first
    assert after.startswith("WARNING (rewire.W001): NO CRISIS HELPLINE IS CONFIGURED.\n")
    assert "How to fix it: Set REWIRE_HELPLINES_FILE" in after


# The example file.


def test_the_example_file_shows_the_format_without_a_number():
    table = helplines.load_helplines(EXAMPLE)
    assert table["en-gb"][0].phone and table["en-gb"][1].text and table["en-gb"][1].url
    for line in EXAMPLE.read_text(encoding="utf-8").splitlines():
        if not line.lstrip().startswith("#"):
            assert not re.search(r"\d", line), line
    for line in table["en-gb"]:
        assert not any(ch.isdigit() for ch in line.phone + line.text + line.url + line.name)


# The page.


def test_anyone_can_open_the_page_and_sees_the_advice_without_a_file(configure):
    configure(None)
    response = Client().get("/urgent-help")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 id="urgent-heading">Urgent help</h1>' in html
    assert helplines.DEFAULT_ADVICE in html
    assert "no helplines set up for your language" in html
    assert "tel:" not in html
    assert 'href="/accounts/login"' in html  # signed out: a way back in


def test_the_page_lists_the_configured_helplines_with_tap_to_call(configure, alice_client):
    configure(TWO_LINES)
    response = alice_client.get("/urgent-help")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<a href="tel:0800000111">Call 0800 000 111</a>' in html
    assert "Every day, all day" in html
    assert "Text TALK to 00000" in html
    assert '<a href="https://help.invalid/" rel="noreferrer">https://help.invalid/</a>' in html
    assert helplines.DEFAULT_ADVICE in html
    assert "no helplines set up" not in html


def test_a_phone_without_digits_is_shown_but_not_linked(configure):
    configure(EXAMPLE.read_text(encoding="utf-8"))
    html = Client().get("/urgent-help").content.decode()
    assert "Call THE LINE&#x27;S NUMBER, AS PEOPLE DIAL IT" in html
    assert "tel:" not in html


def test_the_page_only_reads(configure):
    configure(None)
    assert Client().post("/urgent-help").status_code == 405


def test_the_page_shows_nothing_of_the_person(configure, alice, alices_things, alice_client):
    configure(TWO_LINES)
    html = alice_client.get("/urgent-help").content.decode()
    assert SECRET_NOTE not in html
    assert alice.email not in html


def header_of(html: str) -> str:
    return html[html.index('<header class="site-header">') : html.index("</header>")]


def urgent_link(header: str) -> re.Match | None:
    return re.search(r'<a class="urgent-help" href="/urgent-help"[^>]*>Urgent help</a>', header)


def test_every_kind_of_page_has_the_link_in_its_header_outside_the_menu(alice_client):
    bob = create_user(email="bob@example.com", password=PASSWORD, role=User.CLINICIAN)
    clinician = Client()
    clinician.force_login(bob, backend="django.contrib.auth.backends.ModelBackend")
    pages = {
        "a patient's home": alice_client.get("/"),
        "sign-in, signed out": Client().get("/accounts/login"),
        "sign-up, signed out": Client().get("/accounts/signup"),
        "a clinician's patients": clinician.get("/care"),
    }
    for what, response in pages.items():
        assert response.status_code == 200, what
        header = header_of(response.content.decode())
        assert urgent_link(header), what
        # Beside the brand, inside neither menu (the header's, the phone's bottom bar).
        assert "<nav" not in header.split('class="urgent-help"')[0], what
        assert 'class="urgent-help"' not in "".join(re.findall(r"<nav.*?</nav>", header, re.S)), (
            what
        )


def test_the_link_marks_the_page_it_is_on(configure, alice_client):
    configure(None)
    header = header_of(alice_client.get("/urgent-help").content.decode())
    assert 'class="urgent-help" href="/urgent-help" aria-current="page"' in header
    home = header_of(alice_client.get("/").content.decode())
    assert 'class="urgent-help" href="/urgent-help">Urgent help</a>' in home


# Offline: the service worker (the browser side: tests/browser/test_urgent_help.py).


def sw_version(script: str) -> str:
    return re.search(r'const VERSION = "(\w+)";', script).group(1)


def test_the_service_worker_keeps_only_a_signed_out_copy_and_follows_the_helplines(configure):
    configure(None)
    response = Client().get("/sw.js")  # signed out: it serves every visitor
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-store"  # a new version is found at the next visit
    script = response.content.decode()
    # Signed-out copies: Urgent help, and "No connection" for a page with no copy.
    assert 'const OFFLINE_PAGE = "/offline";' in script
    assert 'const OFFLINE_PAGES = ["/urgent-help", OFFLINE_PAGE];' in script
    # The copy is fetched without the person's cookies: nothing of them is stored.
    assert 'fetch(url, { credentials: "omit"' in script
    assert 'credentials: "omit"' in script.split("cache.addAll")[1].split(";")[0]
    before = sw_version(script)
    assert sw_version(Client().get("/sw.js").content.decode()) == before  # steady
    configure(TWO_LINES)
    assert sw_version(Client().get("/sw.js").content.decode()) != before
    assert Client().post("/sw.js").status_code == 405


def test_the_offline_page_names_no_one_and_says_what_works_without_a_connection(alice_client):
    """The service worker keeps a signed-out copy of it; signed in, it still shows nothing of
    the person but the header's own links."""
    for client in (Client(), alice_client):
        page = client.get("/offline").content.decode()
        assert "<h1>No connection</h1>" in page
        for link in ('href="/"', 'href="/programme/flare-plan"', 'href="/urgent-help"'):
            assert link in page
    assert 'data-offline-owner=""' in Client().get("/offline").content.decode()
