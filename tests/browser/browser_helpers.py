"""Steps several browser tests share (imported as `browser_helpers`; this folder is on sys.path)."""

from helpers import PASSWORD
from playwright.sync_api import Page, expect


def sign_in(page: Page, base_url: str, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/accounts/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="How is your pain right now?")).to_be_visible()


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
