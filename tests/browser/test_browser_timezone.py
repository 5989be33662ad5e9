"""The browser tells Rewire the person's timezone at sign-up; settings offer it again."""

import re

import pytest
from django.contrib.auth import get_user_model
from helpers import PASSWORD
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "timezone_id": "Asia/Tokyo"}


def test_sign_up_takes_the_devices_timezone(page, live_server, transactional_db):
    page.goto(live_server.url + "/accounts/signup")
    page.get_by_label("Email").fill("tokyo@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(re.compile(r"/$"))
    assert get_user_model().objects.get(email="tokyo@example.com").timezone == "Asia/Tokyo"

    user = get_user_model().objects.get()
    user.timezone = "UTC"
    user.save()
    page.goto(live_server.url + "/settings")
    page.get_by_role("button", name=re.compile("Use this device’s timezone")).click()
    page.get_by_role("button", name="Save timezone").click()
    expect(page.locator(".messages")).to_contain_text("Asia/Tokyo")
