"""The issue's walk-through in real browsers against `codedesk serve`: a supervisor signs people in by
name, assigns a review to María López from the picker, sees who has not started the receptionist
quiz and María's checklist progress from another browser; a second clinic's supervisor sees none of it."""

from __future__ import annotations

import pytest

from tests.browser_support import DESKTOP, QuietNetwork, Visit

pytestmark = pytest.mark.browser


@pytest.fixture
def other_browser(chromium, portal):
    context = chromium.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(10_000)
    other = Visit(portal, page, "other-browser", QuietNetwork(page))
    page.on("console", lambda message: message.type == "error" and other.errors.append(f"{page.url}: {message.text}"))
    page.on("pageerror", lambda error: other.errors.append(f"{page.url}: uncaught: {error}"))
    yield other
    context.close()


def test_a_supervisor_follows_maria_from_another_browser_and_another_clinic_sees_nothing(visit, other_browser):
    maria = visit
    maria.sign_in("tb-mlopez", "receptionist", name="María López", team="tb-north")
    maria.open("/guides/receptionist/")
    page = maria.page
    page.wait_for_selector(".cd-checklist-note:has-text('0 of 9 done.')")
    page.get_by_label("Learn where the practice's privacy notice is kept", exact=False).check()
    page.get_by_label("Collect the copay at check-in", exact=False).check()
    page.wait_for_selector(".cd-checklist-note:has-text('2 of 9 done.')")

    boss = other_browser
    boss.sign_in("tb-dara", "receptionist", name="Dara O'Neil", team="tb-north")  # signed in, never took the quiz
    boss.sign_in("tb-sam", "supervisor", name="Sam Okafor", team="tb-north")
    boss.open("/calendar/assign-reviews/")
    page = boss.page
    page.wait_for_selector("#cd-release option", state="attached")
    page.fill("#cd-people-q", "maria lo")
    page.locator("#cd-people label.cd-person", has_text="María López").locator("input").check()
    page.click("#cd-assign button[type=submit]")
    page.wait_for_selector("#cd-assign-result:has-text('Assigned to María López.')")

    boss.open("/quizzes/report/")
    page.wait_for_selector("section[data-quiz=receptionist] tbody tr:has-text('not started')")
    report = page.inner_text("section[data-quiz=receptionist]")
    assert "María López (tb-mlopez)" in report and "Dara O'Neil (tb-dara)" in report

    boss.open("/tools/people/")
    page.fill("#cd-team-q", "dara o\u2019neil")  # typed with a curly apostrophe, found all the same
    page.wait_for_selector("#cd-team-list tbody tr:has-text('Dara')")
    assert page.locator("#cd-team-list tbody tr").count() == 1
    page.fill("#cd-team-q", "")
    page.get_by_role("button", name="Open María López").click()
    page.wait_for_selector("#cd-person h3:has-text('2 of 9 done')")
    person = page.inner_text("#cd-person")
    assert "Open reviews: 1" in person and "Front desk essentials" in person and "not started" in person
    boss.screenshot("person")

    boss.sign_in("tb-sue", "supervisor", name="Sue South", team="tb-south")
    boss.open("/tools/people/")
    page.wait_for_selector("#cd-team-list table, #cd-team-list p")
    assert "María" not in page.inner_text("#cd-team-list") and "Dara" not in page.inner_text("#cd-team-list")
    boss.open("/quizzes/report/")
    page.wait_for_selector("section[data-quiz=receptionist] .cd-report-counts")
    assert "María" not in page.inner_text("#cd-report")
    assert not boss.errors, boss.errors
