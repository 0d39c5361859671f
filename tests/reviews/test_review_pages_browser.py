"""The review pages in a real browser (Debian's chromium through Playwright) against the local
server: a supervisor assigns HCPCS 2027 Q1 to two billers, one completes it on "My reviews", the
supervisor sees one done and one open, and a biller who tries to assign is told why not."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from codedesk.catalog import load_content
from codedesk.reviews.pages import site_pages
from codedesk.template import REPOSITORY
from tests.reviews.calendar_site import build_calendar_site

pytestmark = pytest.mark.browser  # the shared `chromium` fixture skips, saying why, where chromium is absent


@pytest.fixture
def portal(calendar_api_store, tmp_path):
    from codedesk.web.local_server import make_server

    bundle, _ = load_content(REPOSITORY / "content")
    site = build_calendar_site(site_pages(bundle, today=date(2027, 1, 1)), tmp_path / "build")
    server = make_server("127.0.0.1", 0, site, tmp_path / "data")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def page(chromium):
    context = chromium.new_context()
    yield context.new_page()
    context.close()


def sign_in(page, portal: str, user: str, role: str) -> None:
    page.goto(f"{portal}/tools/account/")
    page.fill("#cd-user", user)
    for box in page.locator("input[name=group]:checked").all():
        box.uncheck()
    page.check(f"input[name=group][value={role}]")
    page.click("#cd-signin button[type=submit]")
    page.wait_for_selector(f"#cd-who:has-text('Signed in as {user}')")


def track(page, release_id: str) -> list[str]:
    page.fill("#cd-track-release", release_id)
    page.click("#cd-track button[type=submit]")
    page.wait_for_selector("#cd-tracked table tbody tr")
    return page.locator("#cd-tracked tbody tr").all_inner_texts()


def test_assign_complete_and_track_in_the_browser(portal, page):
    sign_in(page, portal, "sam", "supervisor")
    page.goto(f"{portal}/calendar/assign-reviews/")
    page.select_option("#cd-year", "2027")
    page.wait_for_selector("#cd-release option[value=hcpcs-2027-q1]", state="attached")
    page.select_option("#cd-release", "hcpcs-2027-q1")
    page.fill("#cd-assignees", "bea, bo")
    page.click("#cd-assign button[type=submit]")
    page.wait_for_selector("#cd-assign-result:has-text('Assigned to bea, bo.')")
    rows = track(page, "hcpcs-2027-q1")
    assert len(rows) == 2 and all("due 2027-01-08" in row for row in rows)

    sign_in(page, portal, "bea", "biller")
    page.goto(f"{portal}/calendar/my-reviews/")
    page.wait_for_selector("#cd-reviews-status:has-text('1 open, 0 done.')")
    assert "HCPCS Level II quarterly update, 2027 Q1" in page.inner_text("#cd-my-reviews")
    page.check("#cd-my-reviews input[type=checkbox]")
    page.fill("#cd-my-reviews input[placeholder^=notes]", "Reviewed with the team")
    page.click("#cd-my-reviews button[type=submit]")
    page.wait_for_selector("#cd-reviews-status:has-text('0 open, 1 done.')")

    sign_in(page, portal, "sam", "supervisor")
    page.goto(f"{portal}/calendar/assign-reviews/")
    rows = {row.split("\t")[0]: row for row in track(page, "hcpcs-2027-q1")}
    assert rows["bea"].count("done") == 1 and "Reviewed with the team" in rows["bea"]
    assert "due 2027-01-08" in rows["bo"]


def test_tracking_more_reviews_than_a_page_shows_the_rest_on_show_more(portal, page):
    sign_in(page, portal, "sam", "supervisor")
    page.goto(f"{portal}/calendar/assign-reviews/")
    page.select_option("#cd-year", "2027")
    page.wait_for_selector("#cd-release option[value=hcpcs-2027-q1]", state="attached")
    page.select_option("#cd-release", "hcpcs-2027-q1")
    staff = [f"coder{n:03d}" for n in range(101)]
    for start in range(0, len(staff), 50):  # the most one assignment takes
        page.fill("#cd-assignees", ", ".join(staff[start : start + 50]))
        page.click("#cd-assign button[type=submit]")
        page.wait_for_selector(f"#cd-assign-result:has-text('{staff[start]}')")
    assert len(track(page, "hcpcs-2027-q1")) == 100  # one page
    page.click("#cd-track-more")
    page.wait_for_selector("#cd-tracked tbody tr >> nth=100")
    rows = page.locator("#cd-tracked tbody tr").all_inner_texts()
    assert sorted(row.split("\t")[0] for row in rows) == staff
    assert page.locator("#cd-track-more").is_hidden()


def test_a_biller_who_tries_to_assign_is_told_it_needs_a_supervisor(portal, page):
    sign_in(page, portal, "bo", "biller")
    page.goto(f"{portal}/calendar/assign-reviews/")
    page.select_option("#cd-year", "2027")
    page.wait_for_selector("#cd-release option[value=hcpcs-2027-q1]", state="attached")
    page.fill("#cd-assignees", "bea")
    page.click("#cd-assign button[type=submit]")
    page.wait_for_selector("#cd-assign-error:has-text('supervisor')")


def test_the_subscribe_link_opens_the_calendar_program(portal, page):
    page.goto(f"{portal}/calendar/")
    page.wait_for_selector(".cd-feed-link[href^='webcal://']")
    assert page.inner_text(".cd-feed-url") == f"{portal}/api/calendar.ics"
