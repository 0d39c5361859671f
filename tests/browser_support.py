"""The site in a real browser: Debian's chromium driven by Playwright, against the session's `codedesk serve`.

One browser for the whole session; each test gets a fresh context (its own localStorage, so its own
sign-in and checklist) and one page. Every console error and uncaught exception a page raises fails
the test that caused it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.conftest import REPOSITORY, PortalServer

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHROMIUM = Path("/usr/bin/chromium")
# CI runs as root with no network: no sandbox, no GPU, and nothing that phones home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = REPOSITORY / "test-artifacts"
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        pytest.skip(
            f"no chromium at {CHROMIUM}: install Debian's chromium (apt-get install chromium) to run the browser tests"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # launch() gives the browser a fresh, temporary user-data dir, removed when it closes.
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class QuietNetwork:
    """Waits until a page's requests have settled. The interactive pages call the API once loaded, and
    some calls follow others (who am I → my quizzes); 150 ms without a request in flight means done.
    (Playwright's "networkidle" waits 500 ms each time, which over every page of the site adds up.)"""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.in_flight: set[object] = set()  # playwright Requests
        page.on("request", lambda request: self.in_flight.add(request))
        page.on("requestfinished", lambda request: self.in_flight.discard(request))
        page.on("requestfailed", lambda request: self.in_flight.discard(request))

    def wait(self, quiet_seconds: float = 0.15, timeout_seconds: float = 10) -> None:
        deadline = time.monotonic() + timeout_seconds
        quiet_since = None
        while time.monotonic() < deadline:
            if self.in_flight:
                quiet_since = None
            elif quiet_since is None:
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since >= quiet_seconds:
                return
            self.page.wait_for_timeout(25)  # lets Playwright deliver the request events meanwhile


@dataclass
class Visit:
    """One test's browser tab on the portal, with what the page complained about."""

    portal: PortalServer
    page: Page
    test_name: str
    network: QuietNetwork
    errors: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.portal.base_url + path

    def open(self, path: str) -> None:
        self.page.goto(self.url(path))
        self.network.wait()  # the interactive pages call the API once loaded; let those calls finish

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{self.test_name}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def sign_in(self, user: str, *groups: str, name: str | None = None, team: str | None = None) -> None:
        """Sign in the way a person does on the local portal: Tools → Who am I?"""
        page = self.page
        self.open("/tools/account/")
        page.get_by_label("User name").fill(user)
        if name:
            page.get_by_label("Your name").fill(name)
        if team:
            page.get_by_label("Team (clinic)").fill(team)
        for group in groups:
            page.locator(f"input[name=group][value={group}]").check()
        page.get_by_role("button", name="Sign in").click()
        page.get_by_text(f"Signed in as {user} ").wait_for()


def _test_name(request: pytest.FixtureRequest) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")


@pytest.fixture
def visit(chromium, portal: PortalServer, request: pytest.FixtureRequest) -> Iterator[Visit]:
    context = chromium.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(10_000)
    current = Visit(portal, page, _test_name(request), QuietNetwork(page))
    page.on(
        "console",
        lambda message: message.type == "error" and current.errors.append(f"{page.url}: console error: {message.text}"),
    )
    page.on("pageerror", lambda error: current.errors.append(f"{page.url}: uncaught: {error}"))
    yield current
    # A test ends once it has seen what it asserts; a routed request the page sent after that (a second
    # auth-config fetch, say) must not fail the test when its handler answers a closed page.
    page.unroute_all(behavior="ignoreErrors")
    context.close()
    assert not current.errors, "the pages reported errors:\n" + "\n".join(current.errors)


def built_site(portal: PortalServer) -> Path:
    """The site `codedesk serve` built for this session."""
    return portal.root / "build" / "site"


def page_paths(portal: PortalServer) -> list[str]:
    """The URL path of every page of the built site ("/", "/guides/biller/", …)."""
    site = built_site(portal)
    folders = (page.parent.relative_to(site).as_posix() for page in site.rglob("index.html"))
    return sorted("/" if folder == "." else f"/{folder}/" for folder in folders)
