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
from tests.staff_support import in_directory

pytestmark = pytest.mark.browser  # the shared `chromium` fixture skips, saying why, where chromium is absent


@pytest.fixture
def portal(calendar_api_store, tmp_path):
    from codedesk.web.local_server import make_server

    in_directory(calendar_api_store, {f"coder{n:03d}": "coder" for n in range(101)})
    in_directory(calendar_api_store, {"mlopez": "biller"}, name="María López")
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


def sign_in(page, portal: str, user: str, role: str, name: str | None = None) -> None:
    page.goto(f"{portal}/tools/account/")
    page.fill("#cd-user", user)
    if name:
        page.fill("#cd-name", name)
    for box in page.locator("input[name=group]:checked").all():
        box.uncheck()
    page.check(f"input[name=group][value={role}]")
    page.click("#cd-signin button[type=submit]")
    page.wait_for_selector(f"#cd-who:has-text('Signed in as {user}')")


def open_assign_page(page, portal: str, release_id: str = "hcpcs-2027-q1") -> None:
    page.goto(f"{portal}/calendar/assign-reviews/")
    page.select_option("#cd-year", "2027")
    page.wait_for_selector(f"#cd-release option[value={release_id}]", state="attached")
    page.select_option("#cd-release", release_id)
    page.wait_for_selector("#cd-people label.cd-person")


def pick(page, typed: str, name: str) -> None:
    page.fill("#cd-people-q", typed)
    page.locator("#cd-people label.cd-person", has_text=name).locator("input").check()


def tracked(page) -> dict[str, str]:
    page.wait_for_selector("#cd-tracked table tbody tr")
    return {row.split("\t")[0]: row for row in page.locator("#cd-tracked tbody tr").all_inner_texts()}


def test_assign_to_maria_lopez_from_the_picker_complete_and_track_in_the_browser(portal, page):
    sign_in(page, portal, "sam", "supervisor")
    open_assign_page(page, portal)
    pick(page, "lop", "María López")
    pick(page, "BEA", "Bea")
    assert page.inner_text("#cd-people-chosen") == "Chosen (2): María López, Bea"
    page.click("#cd-assign button[type=submit]")
    page.wait_for_selector("#cd-assign-result:has-text('Assigned to María López, Bea.')")
    # The tracking list follows: that release, everyone of the team, assigned or not.
    page.wait_for_selector("#cd-tracked td:has-text('not assigned')")
    rows = tracked(page)
    assert "due 2027-01-08" in rows["María López"] and "due 2027-01-08" in rows["Bea"]
    assert "not assigned" in rows["Bo"]

    sign_in(page, portal, "mlopez", "biller", name="María López")
    page.goto(f"{portal}/calendar/my-reviews/")
    page.wait_for_selector("#cd-reviews-status:has-text('1 open, 0 done.')")
    assert "HCPCS Level II quarterly update, 2027 Q1" in page.inner_text("#cd-my-reviews")
    page.check("#cd-my-reviews input[type=checkbox]")
    page.fill("#cd-my-reviews input[placeholder^=notes]", "Reviewed with the team")
    page.click("#cd-my-reviews button[type=submit]")
    page.wait_for_selector("#cd-reviews-status:has-text('0 open, 1 done.')")

    sign_in(page, portal, "sam", "supervisor")
    page.goto(f"{portal}/calendar/assign-reviews/")
    page.wait_for_selector("#cd-track-release option[value=hcpcs-2027-q1]", state="attached")
    page.select_option("#cd-track-release", "hcpcs-2027-q1")
    page.click("#cd-track button[type=submit]")
    page.wait_for_selector("#cd-tracked td:has-text('Reviewed with the team')")
    rows = tracked(page)
    assert rows["María López"].count("done") == 1 and "Reviewed with the team" in rows["María López"]
    assert "due 2027-01-08" in rows["Bea"]


def test_a_typo_cannot_become_an_assignee_the_picker_only_finds_people(portal, page):
    sign_in(page, portal, "sam", "supervisor")
    open_assign_page(page, portal)
    page.fill("#cd-people-q", "mraia")
    page.wait_for_selector("#cd-people:has-text('Nobody of your team matches.')")
    page.click("#cd-assign button[type=submit]")
    page.wait_for_selector("#cd-assign-error:has-text('Choose at least one person')")


def test_everyone_in_the_coder_role_is_assigned_at_once_and_tracked_page_by_page(portal, page):
    sign_in(page, portal, "sam", "supervisor")
    open_assign_page(page, portal)
    page.select_option("#cd-people-role", "coder")
    page.click("#cd-people-all")
    coders = sorted([f"Coder{n:03d}" for n in range(101)] + ["Cy"])
    page.wait_for_selector("#cd-people-chosen:has-text('Chosen (102)')")
    page.click("#cd-assign button[type=submit]")
    page.wait_for_selector("#cd-assign-result:has-text('Coder100')")
    page.select_option("#cd-track-status", "open")
    page.click("#cd-track button[type=submit]")
    page.wait_for_selector("#cd-tracked tbody tr >> nth=99")
    page.click("#cd-track-more")
    page.wait_for_selector("#cd-tracked tbody tr >> nth=101")
    assert sorted(tracked(page)) == coders
    assert page.locator("#cd-track-more").is_hidden()


def test_a_biller_on_the_assign_page_is_told_it_needs_a_supervisor(portal, page):
    sign_in(page, portal, "bo", "biller")
    page.goto(f"{portal}/calendar/assign-reviews/")
    page.wait_for_selector("#cd-assign-error:has-text('supervisor')")


def test_the_subscribe_link_opens_the_calendar_program(portal, page):
    page.goto(f"{portal}/calendar/")
    page.wait_for_selector(".cd-feed-link[href^='webcal://']")
    assert page.inner_text(".cd-feed-url") == f"{portal}/api/calendar.ics"
