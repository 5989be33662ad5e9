"""Steps several browser tests share (imported as `browser_helpers`; this folder is on sys.path)."""

import re
from collections.abc import Iterator

from factories.walk import PUBLIC, TOKEN_FOR, fill, web_patterns
from helpers import PASSWORD
from playwright.sync_api import Page, expect


def sign_in(page: Page, base_url: str, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/accounts/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="How is your pain right now?")).to_be_visible()


# Addresses that are not pages: files, redirects after an action, the service worker, sign-out.
NOT_PAGES = re.compile(r"(pdf|json|csv|fhir|calendar|service_worker|logout|_off|_open|flare)$")


def walk_pages(page: Page, base_url: str, ids: dict, *, names=None) -> Iterator[str]:
    """Open, one after another, every page of the site that answers this browser context with
    an HTML page (200), its ids filled from `factories.one_of_each_thing`, and yield its
    address once it is open. `names`, when given, limits the walk to those URL names."""
    for name, pattern in web_patterns():
        if NOT_PAGES.search(name or "") or (names is not None and name not in names):
            continue
        if "<" in pattern and name in PUBLIC and name not in TOKEN_FOR:
            continue  # a password-reset link: its token is made for one person, by email
        url = fill(pattern, ids, name)
        if "<" in url:
            continue
        # Asked first with the context's own cookies: a POST-only address answers 405, and
        # Chromium's error page for it would race the next navigation.
        probe = page.request.get(base_url + url)
        if probe.status != 200 or "html" not in probe.headers.get("content-type", ""):
            continue
        page.goto(base_url + url)
        yield url


def wait_until_pages_kept(page: Page) -> None:
    """Until offline.js has finished keeping the signed-in person's pages for offline use (it
    fetches them in the background after a page opens; going offline in the middle would
    make a fetch fail, which the console reports)."""
    check = """async () => {
      if (!sessionStorage.getItem("rewire-offline-kept")) return false;
      await navigator.locks.request("rewire-offline-keep", () => {});
      return true;
    }"""
    for _ in range(75):
        if page.evaluate(check):
            return
        page.wait_for_timeout(200)
    raise AssertionError("offline.js never kept the pages")
