"""Steps several browser tests share (imported as `browser_helpers`; this folder is on sys.path)."""

from helpers import PASSWORD
from playwright.sync_api import Page, expect


def sign_in(page: Page, base_url: str, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/accounts/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="How is your pain right now?")).to_be_visible()
