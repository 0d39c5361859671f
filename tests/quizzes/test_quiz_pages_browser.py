"""The quiz pages in a real browser (Debian's chromium through Playwright) against the session's
`codedesk serve`: a receptionist takes the receptionist quiz, sees the score and each explanation,
finds the attempt under "My attempts" and reviews a miss; a supervisor sees the attempt in the
report; a biller is told the report is for supervisors. Any console error fails the test."""

from __future__ import annotations

import subprocess

import pytest

pytestmark = pytest.mark.browser


def answer_every_question(page) -> None:
    """The first option of each choice question, True, and a code typed in lower case."""
    for question in page.locator("#cd-quiz-questions > li").all():
        code = question.locator("input:not([type])")
        if code.count():
            code.fill("z00.00")
        else:
            question.locator("input").first.check()


def take_receptionist_quiz(visit) -> None:
    page = visit.page
    visit.open("/quizzes/")
    page.click("a[href='take/?quiz=receptionist']")
    page.wait_for_selector("#cd-quiz-questions > li")
    assert page.locator("#cd-quiz-questions > li").count() == 10
    answer_every_question(page)
    page.get_by_role("button", name="Submit answers").click()
    page.wait_for_selector("#cd-quiz-result:not([hidden])")


def test_a_receptionist_takes_the_quiz_sees_explanations_and_reviews_a_miss(visit):
    page = visit.page
    visit.sign_in("quiz-rita", "receptionist")
    take_receptionist_quiz(visit)
    assert "of 10 right" in page.inner_text("#cd-quiz-score")
    results = page.locator("#cd-quiz-results > li")
    assert results.count() == 10
    first = results.first.inner_text()
    assert "Answer:" in first and "eligibility" in first  # the prompt, the verdict and the explanation
    assert page.locator("#cd-quiz-results a[href^='/guides/receptionist/#']").count() >= 1
    assert "Source: " in page.inner_text("#cd-quiz-results")
    page.wait_for_selector("#cd-attempt-rows tr:has-text('Front desk essentials')")
    assert page.locator("#cd-attempt-rows tr").count() == 1
    visit.screenshot("result")

    missed = page.locator("#cd-quiz-results > li.cd-wrong").count()
    assert missed >= 1
    page.get_by_role("button", name="Review my misses").click()
    page.wait_for_selector("#cd-quiz-form:not([hidden])")
    assert page.locator("#cd-quiz-questions > li").count() == min(missed, 10)


def test_the_supervisor_sees_the_attempt_in_the_report_and_a_biller_is_told_why_not(visit):
    page = visit.page
    visit.sign_in("quiz-rosa", "receptionist")
    take_receptionist_quiz(visit)

    visit.sign_in("quiz-sam", "supervisor")
    visit.open("/quizzes/report/")
    page.wait_for_selector("section[data-quiz=receptionist] tbody tr")
    assert "quiz-rosa" in page.inner_text("section[data-quiz=receptionist]")
    visit.screenshot("report")

    visit.sign_in("quiz-bo", "biller")
    visit.open("/quizzes/report/")
    page.wait_for_selector("#cd-report-error:has-text('for supervisors')")


def test_the_supervisor_sees_who_has_not_started_and_another_clinic_sees_none_of_it(visit):
    page = visit.page
    visit.sign_in("quiz-nora", "receptionist", name="Nóra Ní Bhriain", team="quiz-north")
    visit.sign_in("quiz-rory", "receptionist", name="Rory O'Brien", team="quiz-north")
    visit.open("/quizzes/take/?quiz=receptionist")
    page.wait_for_selector("#cd-quiz-questions > li")
    answer_every_question(page)
    page.get_by_role("button", name="Submit answers").click()
    page.wait_for_selector("#cd-quiz-result:not([hidden])")

    # The clinic is in Chicago: the report shows its clock, not UTC.
    portal = visit.portal
    subprocess.run(
        portal.command("staff", "team", "quiz-north", "--time-zone", "America/Chicago", "--store", portal.store_url),
        env=portal.env, check=True, capture_output=True,
    )  # fmt: skip
    visit.sign_in("quiz-north-boss", "supervisor", team="quiz-north")
    visit.open("/quizzes/report/")
    section = "section[data-quiz=receptionist]"
    page.wait_for_selector(f"{section} tbody tr:has-text('not started')")
    rows = {row.split("\t")[0]: row for row in page.locator(f"{section} tbody tr").all_inner_texts()}
    assert "not started" in rows["Nóra Ní Bhriain (quiz-nora)"]
    assert "in progress" in rows["Rory O'Brien (quiz-rory)"] or "passed" in rows["Rory O'Brien (quiz-rory)"]
    assert "CST" in rows["Rory O'Brien (quiz-rory)"] or "CDT" in rows["Rory O'Brien (quiz-rory)"]
    assert "UTC" not in rows["Rory O'Brien (quiz-rory)"]
    assert "1 not started" in page.inner_text(f"{section} .cd-report-counts")

    visit.sign_in("quiz-south-boss", "supervisor", team="quiz-south")
    visit.open("/quizzes/report/")
    page.wait_for_selector(f"{section} .cd-report-counts")
    assert "Nóra" not in page.inner_text("#cd-report") and "Rory" not in page.inner_text("#cd-report")


def test_a_blank_attempt_shows_no_answers_and_the_report_marks_the_retake(visit):
    """Submit nothing: no answer is shown. Guess, see the answers, retake: the supervisor sees the retake
    marked "after answers were shown"."""
    page = visit.page
    visit.sign_in("quiz-blank", "receptionist")
    visit.open("/quizzes/take/?quiz=receptionist")
    page.wait_for_selector("#cd-quiz-questions > li")
    page.get_by_role("button", name="Submit answers").click()
    page.wait_for_selector("#cd-quiz-result:not([hidden])")
    results = page.inner_text("#cd-quiz-results")
    assert results.count("The answer is not shown") == 10 and "Answer:" not in results
    take_receptionist_quiz(visit)  # guesses: the wrong ones show their answers
    take_receptionist_quiz(visit)
    assert "after answers to this quiz were shown" in page.inner_text("#cd-quiz-score")

    visit.sign_in("quiz-sue", "supervisor")
    visit.open("/quizzes/report/")
    row = page.locator("section[data-quiz=receptionist] tbody tr", has_text="quiz-blank")
    row.wait_for()
    assert "after answers were shown" in row.inner_text()
