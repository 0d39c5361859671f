"""The people of a billing office doing their first real task on the portal, start to finish."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def look_up(page, typed: str, code: str):
    page.get_by_role("searchbox", name="Code or words").fill(typed)
    page.locator("#cd-lookup-results button", has_text=code).first.click()
    detail = page.locator("#cd-lookup-detail")
    detail.get_by_role("heading", level=2, name=re.compile(rf"^{re.escape(code)} ")).wait_for()
    return detail


def test_a_biller_looks_up_e11_9_by_typing_diab_and_explains_co_16(visit):
    page = visit.page
    visit.sign_in("journey-bea", "biller")
    visit.open("/")
    page.get_by_role("link", name="I am a biller").click()
    page.locator("h2#your-pages + ul").get_by_role("link", name="Code lookup").click()
    page.wait_for_url("**/codes/lookup/")
    detail = look_up(page, "diab", "E11.9")
    assert "Type 2 diabetes mellitus without complications" in detail.inner_text()
    assert "Billable" in detail.inner_text()
    visit.screenshot("e11-9")

    page.go_back()
    page.locator("h2#your-pages + ul").get_by_role("link", name="Denial explainer").click()
    page.wait_for_url("**/denials/")
    page.get_by_role("textbox", name="Codes").fill("CO-16")
    page.get_by_role("button", name="Explain").click()
    result = page.locator("#cd-explain-result")
    result.wait_for()
    assert result.get_by_role("heading", level=2).inner_text() == "CO-16"
    steps = result.locator(".cd-next-steps li")
    assert steps.count() >= 1 and steps.first.inner_text().strip()
    visit.screenshot("explained")
    result.get_by_role("link", name="CARC 16").click()
    page.wait_for_url("**/denials/carc/16/")
    assert "16" in page.get_by_role("heading", level=1).inner_text()


def test_the_lookup_works_on_a_phone(visit):
    page = visit.page
    page.set_viewport_size(PHONE)
    visit.sign_in("journey-phone", "biller")
    visit.open("/codes/lookup/")
    search = page.get_by_role("searchbox", name="Code or words")
    search.click()  # reachable with a thumb: on screen, not covered
    detail = look_up(page, "diab", "E11.9")
    visit.screenshot("phone")
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= PHONE["width"], f"the page scrolls sideways: {overflow}px wide at {PHONE['width']}px"
    assert search.bounding_box()["width"] >= PHONE["width"] * 0.6, "the search field is too narrow to read"
    for part in (search, page.locator("#cd-lookup-results"), detail):
        box = part.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], f"{part} runs off the screen"


def test_a_coder_takes_a_quiz_and_sees_the_score(visit):
    page = visit.page
    visit.sign_in("journey-cole", "coder")
    visit.open("/guides/coder/")
    page.locator("h2#your-pages + ul").get_by_role("link", name="Coding fundamentals").click()
    page.wait_for_url("**/quizzes/take/?quiz=coder")
    questions = page.locator("#cd-quiz-questions > li")
    questions.first.wait_for()
    for question in questions.all():  # the first option of each, or a code where one is asked for
        choice = question.locator("input[type=radio], input[type=checkbox]")
        if choice.count():
            choice.first.check()
        else:
            question.get_by_role("textbox").fill("E11.9")
    page.get_by_role("button", name="Submit answers").click()
    score = page.locator("#cd-quiz-score")
    score.wait_for()
    assert re.fullmatch(rf"Coding fundamentals: \d+ of {questions.count()} right \(\d+%\)\. .*", score.inner_text())
    assert page.locator("#cd-quiz-results > li").count() == questions.count()  # every answer explained
    page.locator("#cd-attempt-rows tr", has_text="Coding fundamentals").first.wait_for()
    visit.screenshot("score")


def test_a_supervisor_assigns_a_review_and_the_assignee_sees_it(visit):
    page = visit.page
    visit.sign_in("journey-cora", "coder", name="Cora Ní Dhuibhir")  # signing in puts her in the directory
    visit.sign_in("journey-sam", "supervisor")
    visit.open("/calendar/assign-reviews/")
    release = page.locator("#cd-release")
    release.locator("option").first.wait_for(state="attached")
    release_title = release.locator("option:checked").inner_text().split(" · ", 1)[1].split(" (review due")[0]
    page.get_by_label("Find people").fill("cora")
    page.get_by_label("Cora Ní Dhuibhir", exact=False).check()
    page.get_by_role("button", name="Assign", exact=True).click()
    page.get_by_text("Assigned to Cora Ní Dhuibhir.").wait_for()
    visit.screenshot("assigned")

    visit.sign_in("journey-cora", "coder")  # the same desk computer, the assignee signs in
    visit.open("/calendar/my-reviews/")
    page.get_by_text("1 open, 0 done.").wait_for()
    row = page.locator("#cd-my-reviews tr", has_text=release_title)
    assert row.count() == 1
    visit.screenshot("my-reviews")
    row.get_by_label("I have reviewed these changes").check()
    row.get_by_role("button", name="Mark complete").click()
    page.get_by_text("0 open, 1 done.").wait_for()
