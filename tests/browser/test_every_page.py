"""Every page of the built site in the browser, after its scripts ran: no console error, headings in
order, every visible control labelled, every control of the interactive pages reachable by keyboard.

Pages made from one template (a page per denial code) are visited two at a time; the rest all.
A screenshot of each visited page goes to test-artifacts/pages/.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import pytest

from codedesk.roles import ROLES
from tests.browser.site_html import heading_problems
from tests.browser_support import ARTIFACTS, DESKTOP, QuietNetwork, page_paths

pytestmark = pytest.mark.browser

# Interactive pages opened with something to show, so their scripts' output is checked too.
FILLED_IN = ["/quizzes/take/?quiz=coder", "/denials/?codes=CO-16,N290"]
TEMPLATE_FAMILY = 12  # a folder with more pages than this holds one page per item, made by one template

VISIBLE_HEADINGS = """() => [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")]
  .filter((h) => h.checkVisibility())
  .map((h) => [Number(h.tagName[1]), h.textContent.replace("¶", "").trim()])"""

UNLABELLED_CONTROLS = """() => [...document.querySelectorAll("input, select, textarea")]
  .filter((c) => c.checkVisibility() && !["hidden", "submit", "button", "reset", "image"].includes(c.type))
  .filter((c) => !c.labels?.length && !c.getAttribute("aria-label") && !c.getAttribute("aria-labelledby") && !c.title)
  .map((c) => `<${c.tagName.toLowerCase()} id=${c.id || "-"} name=${c.name || "-"} placeholder=${c.placeholder}>`)"""

# Marks each visible, enabled form control and button of the article; returns their names. A radio
# group is one stop for Tab (the arrow keys choose within it), so its buttons share one mark.
MARK_ARTICLE_CONTROLS = """() => {
  const controls = [...document.querySelectorAll("article :is(input, select, textarea, button)")]
    .filter((c) => c.checkVisibility() && !c.disabled && c.type !== "hidden");
  const names = [];
  const radioGroups = {};
  for (const c of controls) {
    const group = c.type === "radio" && c.name ? c.name : null;
    if (group && group in radioGroups) {
      c.dataset.cdKeyboard = String(radioGroups[group]);
      continue;
    }
    c.dataset.cdKeyboard = String(names.length);
    if (group) radioGroups[group] = names.length;
    names.push(group ? `radio group ${group}` : c.id || c.name || c.textContent.trim().slice(0, 30));
  }
  return names;
}"""

RECORD_FOCUS = """() => {
  window.cdFocused = [];
  document.addEventListener("focusin", (event) => {
    const mark = event.target.dataset && event.target.dataset.cdKeyboard;
    if (mark !== undefined) window.cdFocused.push(Number(mark));
  });
}"""

# Enough Tab presses to pass every link and control of the article once.
TAB_STOPS = """() => document.querySelectorAll("article :is(input, select, textarea, button, a[href])").length + 10"""

INTERACTIVE = """() => [...document.querySelectorAll("script[type=module][src]")]
  .some((script) => !script.src.endsWith("/js/page.js"))"""


def tour_paths(portal) -> list[str]:
    by_folder: dict[str, list[str]] = defaultdict(list)
    for path in page_paths(portal):
        by_folder[path.rstrip("/").rsplit("/", 1)[0]].append(path)
    chosen = []
    for paths in by_folder.values():
        chosen += paths if len(paths) <= TEMPLATE_FAMILY else paths[:2]
    return sorted(chosen) + FILLED_IN


@dataclass
class PageReport:
    errors: list[str] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    unlabelled: list[str] = field(default_factory=list)
    interactive: bool = False


def _screenshot_name(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"


def _tour(chromium, portal, paths: list[str], *, signed_in: bool) -> dict[str, PageReport]:
    context = chromium.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(10_000)
    network = QuietNetwork(page)
    reports: dict[str, PageReport] = {}
    current: list[PageReport] = []
    page.on("console", lambda m: m.type == "error" and current and current[-1].errors.append(m.text))
    page.on("pageerror", lambda error: current and current[-1].errors.append(f"uncaught: {error}"))
    if signed_in:
        token = portal.token("tour", *ROLES)
        page.goto(portal.base_url + "/")  # the token goes where the site keeps it, for this origin
        page.evaluate("token => localStorage.setItem('codedesk.token', token)", token)
    (ARTIFACTS / "pages").mkdir(parents=True, exist_ok=True)
    for path in paths:
        report = reports[path] = PageReport()
        current.append(report)
        page.goto(portal.base_url + path)
        network.wait()
        headings, report.unlabelled, report.interactive = page.evaluate(
            f"() => [({VISIBLE_HEADINGS})(), ({UNLABELLED_CONTROLS})(), ({INTERACTIVE})()]"
        )
        report.headings = heading_problems([tuple(heading) for heading in headings])
        if signed_in:
            page.screenshot(path=str(ARTIFACTS / "pages" / f"{_screenshot_name(path)}.png"))
    context.close()
    return reports


def _give_the_tour_user_an_open_review(portal) -> None:
    """So that "My reviews" shows its form for completing a review, as it does for most staff."""
    supervisor = portal.token("tour-supervisor", "supervisor")
    # Signing in puts the tour user in the staff directory, whom reviews are assigned to.
    signed_in = {"user": "tour", "name": "Tour O'Guide", "groups": ["receptionist"]}
    status, answer, _ = portal.request("POST", "/api/dev/session", body=signed_in)
    assert status == 200, answer
    status, releases, _ = portal.request("GET", f"/api/releases?year={date.today().year}", token=supervisor)
    assert status == 200 and releases["items"], releases
    assignment = {"release_id": releases["items"][0]["release_id"], "assignees": ["tour"]}
    status, answer, _ = portal.request("POST", "/api/reviews", token=supervisor, body=assignment)
    assert status == 201, answer


@pytest.fixture(scope="module")
def signed_in_tour(chromium, portal) -> dict[str, PageReport]:
    _give_the_tour_user_an_open_review(portal)
    return _tour(chromium, portal, tour_paths(portal), signed_in=True)


def test_the_tour_covers_every_kind_of_page(signed_in_tour):
    assert {"/", "/guides/receptionist/", "/glossary/", "/tools/account/", "/quizzes/take/"} <= set(signed_in_tour)
    assert sum(report.interactive for report in signed_in_tour.values()) >= 4


def test_no_page_logs_an_error_for_a_signed_in_user(signed_in_tour):
    problems = [f"{path}: {error}" for path, report in signed_in_tour.items() for error in report.errors]
    assert not problems, "\n".join(problems)


def test_no_page_breaks_for_a_visitor_who_is_not_signed_in(chromium, portal, signed_in_tour):
    """The API refuses them (401, which Chromium logs); nothing else may go wrong. Only the interactive
    pages differ for a visitor who is not signed in."""
    interactive = [path for path, report in signed_in_tour.items() if report.interactive]
    reports = _tour(chromium, portal, interactive, signed_in=False)
    problems = [
        f"{path}: {error}"
        for path, report in reports.items()
        for error in report.errors
        if "status of 401" not in error
    ]
    assert not problems, "\n".join(problems)


def test_headings_are_in_order_once_the_scripts_ran(signed_in_tour):
    problems = [f"{path}: {problem}" for path, report in signed_in_tour.items() for problem in report.headings]
    assert not problems, "\n".join(problems)


def test_every_visible_control_is_labelled_once_the_scripts_ran(signed_in_tour):
    problems = [f"{path}: {control}" for path, report in signed_in_tour.items() for control in report.unlabelled]
    assert not problems, "controls without a label:\n" + "\n".join(problems)


def test_every_control_of_the_interactive_pages_is_reachable_by_keyboard(signed_in_tour, visit):
    page = visit.page
    visit.sign_in("keys", *ROLES)
    unreachable = []
    for path in sorted(p for p, report in signed_in_tour.items() if report.interactive):
        visit.open(path)
        names = page.evaluate(MARK_ARTICLE_CONTROLS)
        page.evaluate(RECORD_FOCUS)
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.classList.contains('md-skip')"), f"{path}: no skip link first"
        page.keyboard.press("Enter")  # "Skip to content", as a keyboard user does
        stops = page.evaluate(TAB_STOPS)
        reached: set[int] = set()
        while stops > 0 and len(reached) < len(names):
            for _ in range(10):
                page.keyboard.press("Tab")
            stops -= 10
            reached = set(page.evaluate("window.cdFocused"))
        unreachable += [f"{path}: {names[n]}" for n in range(len(names)) if n not in reached]
    assert not unreachable, "not reachable with Tab:\n" + "\n".join(unreachable)
