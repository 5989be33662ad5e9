"""Browser fixtures: a page that watches where it connects and what the console says."""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from browser_helpers import sign_in
from playwright.sync_api import Page, expect

# Chromium reports a CSP violation as a console error, but the wording is not an API:
# the page's own event is, so an init script (CDP-injected, outside the CSP) repeats it.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (event) {
  console.error("CSP violation: " + event.violatedDirective + " blocked " + event.blockedURI);
});
"""


@dataclass
class Watch:
    host: str
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def assert_clean(self):
        """Nothing was fetched from another host, and the console saw no error or CSP report."""
        elsewhere = [
            url
            for url in self.requests
            if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).netloc != self.host
        ]
        assert elsewhere == [], f"requests to other hosts: {elsewhere}"
        assert self.console_errors == [], f"console errors: {self.console_errors}"


@pytest.fixture
def watch(page: Page, live_server) -> Watch:
    watch = Watch(host=urlsplit(live_server.url).netloc)
    page.add_init_script(REPORT_CSP_VIOLATIONS)
    page.on("request", lambda request: watch.requests.append(request.url))
    page.on(
        "console",
        lambda message: message.type == "error" and watch.console_errors.append(message.text),
    )
    page.on("pageerror", lambda error: watch.console_errors.append(f"uncaught: {error}"))
    return watch


@pytest.fixture
def page(page: Page) -> Page:
    # Fail fast: a missing element should fail in seconds, not after 30.
    page.set_default_timeout(5_000)
    expect.set_options(timeout=5_000)
    return page


@pytest.fixture
def alice_page(page: Page, live_server, alice, watch) -> Page:
    sign_in(page, live_server.url, alice.email)
    return page
