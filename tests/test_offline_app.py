"""The server's side of Rewire on the home screen and offline (docs/offline.md): the web app
manifest, the opaque name the browser keeps the person's offline things under, the service
worker's list of personal pages, and the check-in form's fields that offline.js knows how to
send to the API. The browser's side: tests/browser/test_offline_queue.py."""

import json
import re
import struct
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from rewire.context_processors import offline_owner
from rewire.diary.forms import CheckInForm
from rewire.measures.help_views import personal_offline_pages

OFFLINE_JS = Path(finders.find("rewire/offline.js"))


def png_size(path: str) -> tuple[int, int]:
    data = Path(finders.find(path.removeprefix("/static/"))).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@pytest.mark.django_db
def test_the_manifest_has_what_an_install_needs():
    response = Client().get("/manifest.webmanifest")  # signed out: it names no one
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == manifest["short_name"] == "Rewire"
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#1f5f5b" and manifest["background_color"] == "#f7f6f2"
    pngs = {
        (icon["sizes"], icon["purpose"]): icon["src"]
        for icon in manifest["icons"]
        if icon["type"] == "image/png"
    }
    assert set(pngs) == {
        ("192x192", "any"),
        ("512x512", "any"),
        ("192x192", "maskable"),
        ("512x512", "maskable"),
    }
    for (sizes, _), src in pngs.items():
        width, height = png_size(src)
        assert f"{width}x{height}" == sizes
    assert Client().post("/manifest.webmanifest").status_code == 405


@pytest.mark.django_db
def test_every_page_links_the_manifest_and_loads_the_offline_script_with_its_nonce(alice, client):
    client.force_login(alice)
    page = client.get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    script = re.search(r'<script src="/static/rewire/offline\.js" defer nonce="([^"]+)">', page)
    assert script and script.group(1)
    assert 'data-offline="checkin"' in page and 'data-offline="flare"' in page
    assert 'data-offline="signout"' in page
    assert f'data-offline-owner="{offline_owner(alice)}"' in page


@pytest.mark.django_db
def test_a_page_signed_out_names_no_owner(client):
    page = client.get("/urgent-help").content.decode()
    assert 'data-offline-owner=""' in page


def test_the_offline_name_is_opaque_and_one_per_person(alice, carol):
    name = offline_owner(alice)
    assert re.fullmatch(r"[0-9a-f]{32}", name)
    assert name == offline_owner(alice) != offline_owner(carol)
    assert str(alice.pk) != name and alice.email not in name


@pytest.mark.django_db
def test_the_service_worker_knows_the_personal_pages_and_follows_the_offline_script(alice):
    script = Client().get("/sw.js").content.decode()
    pages = json.loads(re.search(r"const PERSONAL_PAGES = (\[.*\]);", script).group(1))
    assert pages == personal_offline_pages() == ["/", "/programme/flare-plan", "/programme/safety"]
    # offline.js fills the person's cache with the same list.
    listed = re.search(r"var PERSONAL_PAGES = (\[.*\]);", OFFLINE_JS.read_text()).group(1)
    assert json.loads(listed) == pages


def test_the_offline_script_knows_every_field_of_the_check_in_form(alice):
    """offline.js turns the check-in form into the API's body by the fields' names; a field it
    does not know would be left out of a check-in saved offline, without a word."""
    source = OFFLINE_JS.read_text()
    known = set()
    for name in ("WHOLE_NUMBERS", "DECIMALS", "TEXTS", "TICKED", "NOT_SENT"):
        known |= set(json.loads(re.search(rf"var {name} = (\[.*?\]);", source).group(1)))
    known |= {"tags", "helped", "new_tags", "new_helped"}  # TAG_LISTS
    patterns = [r"area_(.+)", r"emotion_(.+)", r"other_(emotion|intensity)_(\d+)"]
    for pattern in patterns:
        assert f"/^{pattern}$/" in source
    unknown = [
        field
        for field in CheckInForm(user=alice).fields
        if field not in known and not any(re.fullmatch(p, field) for p in patterns)
    ]
    assert unknown == []


@pytest.mark.django_db
def test_a_page_kept_for_offline_leaves_the_persons_messages_for_the_next_page(alice, client):
    client.force_login(alice)
    client.post("/flare", {"pain": "6", "submission": "a-flare"})  # says "Flare recorded …"
    kept = client.get("/", headers={"X-Rewire-Offline-Copy": "1"}).content.decode()
    assert "Flare recorded" not in kept
    shown = client.get("/").content.decode()
    assert "Flare recorded: pain 6" in shown
    assert "Flare recorded" not in client.get("/").content.decode()  # shown once, as ever
