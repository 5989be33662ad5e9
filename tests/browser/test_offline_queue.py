"""Rewire on the home screen with no signal, in a real Chromium against a real server:
installable (Chromium's own check), the person's pages open offline, a check-in and a flare
saved offline wait encrypted on the device and arrive exactly once when the connection
returns, and signing out (or someone else signing in) leaves nothing of the person behind."""

import time

import pytest
from browser_helpers import sign_in, wait_until_pages_kept
from helpers import open_programme, serious_violations
from playwright.sync_api import Page, expect

from rewire.context_processors import offline_owner
from rewire.diary.models import CheckIn

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE, "has_touch": True}


@pytest.fixture(autouse=True)
def alice_answered_the_warning_signs(request):
    """The flare plan and safety messages open once the warning signs are answered."""
    if "alice" in request.fixturenames:
        open_programme(request.getfixturevalue("alice"))


def poll(page: Page, script: str, arg=None, *, seconds: float = 15, what: str = "") -> None:
    """Until `script` (an async function, run in the page) answers true; wait_for_function
    does not wait for a promise, and the CSP refuses the eval it needs."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(script, arg):
        assert time.monotonic() < deadline, f"never: {what or script}"
        page.wait_for_timeout(200)


KEPT_FOR_OFFLINE = """async () => {
  const registration = await navigator.serviceWorker.ready;
  if (!registration.active) return false;
  const names = await caches.keys();
  const owner = document.querySelector("[data-offline-status]").dataset.offlineOwner;
  const mine = names.filter((name) => name.startsWith("rewire-user-"));
  if (mine.length !== 1 || mine[0] !== "rewire-user-" + owner) return false;
  if (!names.some((name) => name.startsWith("rewire-offline-"))) return false;
  for (const path of ["/", "/programme/flare-plan", "/programme/safety"]) {
    if (!(await caches.match(path, { cacheName: mine[0] }))) return false;
  }
  return !!navigator.serviceWorker.controller;
}"""

QUEUE = """async () => {
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open("rewire-offline");
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const names = [...db.objectStoreNames];
  const read = (name, how) => new Promise((resolve) => {
    const request = db.transaction(name).objectStore(name)[how]();
    request.onsuccess = () => resolve(request.result);
  });
  const answer = { stores: names, queue: [], meta: [] };
  if (names.includes("queue")) answer.queue = await read("queue", "getAll");
  if (names.includes("meta")) answer.meta = await read("meta", "getAllKeys");
  let key = null;
  if (names.includes("meta")) {
    key = await new Promise((resolve) => {
      const request = db.transaction("meta").objectStore("meta").get("key");
      request.onsuccess = () => resolve(request.result);
    });
  }
  db.close();
  return {
    count: answer.queue.length,
    meta: answer.meta,
    // What is stored, as text: it must not show the pain or the note.
    stored: answer.queue.map((record) => Object.keys(record).sort().join(",")),
    bytes: answer.queue.map((record) => [...new Uint8Array(record.data)].join(" ")),
    key: key && { type: key.constructor.name, extractable: key.extractable,
                  algorithm: key.algorithm.name, usages: key.usages },
  };
}"""


def ready_for_offline(page: Page) -> None:
    """Until the service worker controls the page and the person's pages are kept; a reload
    puts a page that opened before the worker under its control."""
    poll(page, "async () => !!(await navigator.serviceWorker.ready).active", what="worker")
    if not page.evaluate("!!navigator.serviceWorker.controller"):
        page.reload()
    poll(page, KEPT_FOR_OFFLINE, what="the person's pages kept for offline")
    wait_until_pages_kept(page)


def status(page: Page):
    return page.get_by_role("main").locator("[data-offline-status]")


def flare(page: Page, pain: int) -> None:
    page.locator("header").get_by_text("Flare", exact=True).click()
    page.locator(".flare-scale").get_by_role("button", name=str(pain), exact=True).click()


def checkin(page: Page, pain: int) -> None:
    scale = page.locator("form.checkin").get_by_role("group", name="Pain right now")
    scale.get_by_label(str(pain), exact=True).check()
    page.get_by_role("button", name="Save", exact=True).first.click()


def test_rewire_meets_chromiums_install_criteria(
    browser_type, browser_type_launch_args, tmp_path, live_server, alice
):
    # Chromium never offers to install from an incognito profile, which Playwright's
    # contexts are ("in-incognito" is then the one error): a profile on disk, as a phone has.
    context = browser_type.launch_persistent_context(
        str(tmp_path / "profile"), **browser_type_launch_args, viewport=PHONE
    )
    try:
        page = context.pages[0] if context.pages else context.new_page()
        errors = []
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        sign_in(page, live_server.url, alice.email)
        manifest = page.evaluate(
            "fetch(document.querySelector('link[rel=manifest]').href).then(r => r.json())"
        )
        assert manifest["display"] == "standalone" and manifest["start_url"] == "/"
        assert {(i["sizes"], i["purpose"]) for i in manifest["icons"] if "purpose" in i} >= {
            ("192x192", "any"),
            ("512x512", "any"),
            ("512x512", "maskable"),
        }
        ready_for_offline(page)
        cdp = page.context.new_cdp_session(page)
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
        assert cdp.send("Page.getAppManifest")["errors"] == []
        assert errors == []
    finally:
        context.close()


def test_offline_the_persons_pages_open_and_entries_wait_then_arrive_once(
    alice_page: Page, live_server, watch, alice
):
    page = alice_page
    ready_for_offline(page)
    page.context.set_offline(True)
    try:
        page.goto(f"{live_server.url}/")
        expect(page.get_by_role("heading", name="How is your pain right now?")).to_be_visible()
        page.goto(f"{live_server.url}/programme/flare-plan")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        page.goto(f"{live_server.url}/programme/safety")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        page.goto(f"{live_server.url}/urgent-help")
        expect(page.get_by_role("heading", level=1)).to_have_text("Urgent help")

        page.goto(f"{live_server.url}/")
        checkin(page, 6)
        expect(status(page)).to_contain_text("Saved on this device: pain 6")
        expect(status(page)).to_contain_text(
            "1 entry waiting to be sent — it will go when you are back online."
        )
        flare(page, 8)
        expect(status(page)).to_contain_text(
            "2 entries waiting to be sent — they will go when you are back online."
        )
        expect(status(page)).to_have_attribute("aria-live", "polite")
        kept = page.evaluate(QUEUE)
        assert kept["count"] == 2
        # Encrypted with a key the page cannot read out.
        assert kept["key"] == {
            "type": "CryptoKey",
            "extractable": False,
            "algorithm": "AES-GCM",
            "usages": ["decrypt", "encrypt"],
        } or kept["key"]["usages"] == ["encrypt", "decrypt"]
        assert kept["stored"] == ["data,id,iv", "data,id,iv"]
        assert CheckIn.objects.filter(user=alice).count() == 0
        assert serious_violations(page) == []
    finally:
        page.context.set_offline(False)
    expect(status(page)).to_contain_text("Sent: 2 entries saved on this device have arrived.")
    saved = list(CheckIn.objects.filter(user=alice).order_by("recorded_at"))
    assert [(c.pain, c.is_flare) for c in saved] == [(6, False), (8, True)]
    assert page.evaluate(QUEUE)["count"] == 0
    # A reload sends nothing again.
    page.reload()
    page.wait_for_timeout(500)
    assert CheckIn.objects.filter(user=alice).count() == 2
    watch.assert_clean()


def test_a_lost_answer_and_a_second_tab_never_make_a_duplicate(
    alice_page: Page, live_server, watch, alice
):
    page = alice_page
    ready_for_offline(page)
    second = page.context.new_page()
    second.goto(f"{live_server.url}/programme/flare-plan")
    page.context.set_offline(True)
    try:
        flare(page, 7)
        expect(status(page)).to_contain_text("1 entry waiting to be sent")
        expect(status(second)).to_contain_text("1 entry waiting to be sent")
        # The server records the first send, but its answer never reaches the tab that sent
        # it (a connection lost at the wrong moment): that tab keeps the entry; the other tab,
        # also back online, sends it again with the same key.
        lost = []

        def lose_the_answer(route):
            route.fetch()  # the server saves it...
            lost.append(route.request.headers.get("idempotency-key"))
            route.abort()  # ...and the tab hears nothing

        page.context.route("**/api/v1/checkins", lose_the_answer, times=1)
    finally:
        page.context.set_offline(False)
    deadline = time.monotonic() + 15
    while not lost or page.evaluate(QUEUE)["count"]:
        assert time.monotonic() < deadline, f"still waiting (sent: {lost})"
        page.wait_for_timeout(200)
    assert CheckIn.objects.filter(user=alice).count() == 1
    assert CheckIn.objects.get(user=alice).is_flare
    watch.console_errors.clear()  # the lost answer is reported as a failed fetch
    # Nothing is left to send: reloading both tabs sends nothing more.
    page.reload()
    second.reload()
    expect(status(page)).to_have_text("")
    assert CheckIn.objects.filter(user=alice).count() == 1
    watch.assert_clean()


def test_signing_out_wipes_the_queue_and_the_kept_pages(alice_page: Page, live_server, watch):
    page = alice_page
    ready_for_offline(page)
    page.context.set_offline(True)
    try:
        page.goto(f"{live_server.url}/")
        flare(page, 9)
        expect(status(page)).to_contain_text("1 entry waiting to be sent")
    finally:
        page.context.set_offline(False)
    expect(status(page)).to_contain_text("Sent: 1 entry")
    page.context.set_offline(True)
    try:
        flare(page, 4)  # this one is still waiting when alice signs out
        expect(status(page)).to_contain_text("1 entry waiting to be sent")
    finally:
        page.context.set_offline(False)
    page.get_by_text("More", exact=True).click()  # on a phone, Sign out is in the More sheet
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    gone = page.evaluate(QUEUE)
    assert gone["count"] == 0 and gone["meta"] == [] and gone["key"] is None
    assert [n for n in page.evaluate("caches.keys()") if n.startswith("rewire-user-")] == []
    watch.assert_clean()


def test_the_next_person_on_the_device_never_sees_or_sends_the_first_ones_things(
    alice_page: Page, live_server, watch, alice, carol
):
    page = alice_page
    open_programme(carol)
    ready_for_offline(page)
    page.context.set_offline(True)
    try:
        page.goto(f"{live_server.url}/")
        flare(page, 9)
        expect(status(page)).to_contain_text("1 entry waiting to be sent")
    finally:
        # Alice's session ends without her signing out (it timed out, say: no script ran).
        page.context.clear_cookies()
        page.goto("about:blank")
        page.context.set_offline(False)
    sign_in(page, live_server.url, carol.email)
    ready_for_offline(page)
    # Alice's waiting flare was wiped, not sent as carol's; alice's pages went with it.
    assert page.evaluate(QUEUE)["count"] == 0
    assert CheckIn.objects.filter(user=carol).count() == 0
    assert CheckIn.objects.filter(user=alice).count() == 0
    names = page.evaluate("caches.keys()")
    assert "rewire-user-" + offline_owner(alice) not in names
    assert "rewire-user-" + offline_owner(carol) in names
    page.context.set_offline(True)
    try:
        for path in ("/", "/programme/flare-plan", "/programme/safety"):
            page.goto(f"{live_server.url}{path}")
            expect(status(page)).to_have_attribute("data-offline-owner", offline_owner(carol))
    finally:
        page.context.set_offline(False)
    watch.assert_clean()


def test_a_session_that_ends_without_signing_out_leaves_no_page_behind(
    alice_page: Page, live_server, watch
):
    """Alice's session ends (it timed out, or she signed out on another device): the next
    page the device opens is the sign-in page, and her kept pages go, so nobody opening
    Rewire offline on this device sees her day."""
    page = alice_page
    ready_for_offline(page)
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/")  # the server sends whoever this is to sign in
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    poll(
        page,
        "async () => !(await caches.keys()).some((n) => n.startsWith('rewire-user-'))",
        what="alice's kept pages deleted",
    )
    page.context.set_offline(True)
    try:
        page.goto(f"{live_server.url}/")  # no copy of her page: the worker's "No connection"
        expect(page.get_by_role("heading", name="No connection")).to_be_visible()
        expect(status(page)).to_have_attribute("data-offline-owner", "")
    finally:
        page.context.set_offline(False)
    watch.assert_clean()


def test_a_tab_left_open_after_someone_else_signed_in_keeps_nothing(
    alice_page: Page, live_server, watch, alice, carol
):
    """Alice's tab is still open when carol signs in in another tab of the same device: what
    is typed in alice's old tab offline is neither kept in carol's queue nor sent as carol."""
    open_programme(carol)
    ready_for_offline(alice_page)
    carols = alice_page.context.new_page()
    alice_page.context.clear_cookies()
    sign_in(carols, live_server.url, carol.email)
    poll(
        carols,
        "async (owner) => (await caches.keys()).includes('rewire-user-' + owner)",
        offline_owner(carol),
        what="carol's page claimed the device",
    )
    alice_page.context.set_offline(True)
    try:
        checkin(alice_page, 5)
        expect(status(alice_page)).to_contain_text("Someone else has signed in on this device")
        assert carols.evaluate(QUEUE)["count"] == 0
    finally:
        alice_page.context.set_offline(False)
    carols.reload()
    assert CheckIn.objects.filter(user__in=[alice, carol]).count() == 0
    watch.console_errors.clear()


def test_offline_what_the_server_would_refuse_is_said_before_anything_is_kept(
    alice_page: Page, live_server, watch, alice
):
    page = alice_page
    ready_for_offline(page)
    page.context.set_offline(True)
    try:
        page.goto(f"{live_server.url}/")
        page.get_by_text("Add details").click()
        page.get_by_label("Hours of sleep last night").fill("7.25")
        checkin(page, 4)
        expect(status(page)).to_contain_text("Hours of sleep: a number from 0 to 24")
        assert page.evaluate(QUEUE)["count"] == 0
        page.get_by_label("Hours of sleep last night").fill("7.5")
        checkin(page, 4)
        expect(status(page)).to_contain_text("1 entry waiting to be sent")
    finally:
        page.context.set_offline(False)
    expect(status(page)).to_contain_text("Sent: 1 entry")
    assert [(c.pain, float(c.sleep_hours)) for c in CheckIn.objects.filter(user=alice)] == [
        (4, 7.5)
    ]
    watch.assert_clean()


def test_offline_a_page_not_kept_says_so_and_the_kept_ones_say_what_happens_to_entries(
    alice_page: Page, live_server, watch
):
    page = alice_page
    ready_for_offline(page)
    page.context.set_offline(True)
    try:
        page.goto(f"{live_server.url}/history")
        expect(page.get_by_role("heading", name="No connection")).to_be_visible()
        page.get_by_role("link", name="Your check-in").click()
        expect(page.get_by_role("heading", name="How is your pain right now?")).to_be_visible()
        expect(status(page)).to_contain_text("You are offline. A check-in or flare you save now")
        assert serious_violations(page) == []
    finally:
        page.context.set_offline(False)
    expect(status(page)).to_have_text("")
    watch.assert_clean()


def test_a_signal_that_says_online_but_reaches_nothing_keeps_the_entry_too(
    alice_page: Page, live_server, watch, alice
):
    """A weak signal or a captive portal: the phone says it is online, but Rewire's server does
    not answer. The flare is kept, not sent into nothing and lost, and arrives once later."""
    page = alice_page
    ready_for_offline(page)
    unreachable = lambda route: route.abort("timedout")  # noqa: E731
    page.context.route(f"{live_server.url}/offline", unreachable)
    flare(page, 7)
    expect(status(page)).to_contain_text("1 entry waiting to be sent")
    assert CheckIn.objects.filter(user=alice).count() == 0
    page.context.unroute(f"{live_server.url}/offline", unreachable)
    page.reload()  # the next page sends what waits
    expect(status(page)).to_contain_text("Sent: 1 entry")
    assert [(c.pain, c.is_flare) for c in CheckIn.objects.filter(user=alice)] == [(7, True)]
    watch.console_errors.clear()  # Chromium reports the aborted probe
