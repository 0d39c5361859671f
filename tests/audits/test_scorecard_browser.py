"""The audit scorecard page in a real browser: compliance records a month's audit of ten
encounters with one miss and sees 90% for the coder, below the benchmark; the coder finds the
questions on the missed codes in Review my misses, with the miss that put them there."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_compliance_records_an_audit_and_sees_the_scorecard(visit) -> None:
    page = visit.page
    visit.sign_in("cora", "coder", name="Cora Díaz")  # the coder is a person of the clinic's directory
    visit.sign_in("compliance-cam", "compliance")
    visit.open("/audits/")
    page.get_by_label("Month audited").fill("2026-11")
    page.get_by_label("Provider").fill("Dr. Ruiz")
    page.get_by_label("Coder (user id)").fill("cora")
    for n in range(1, 11):
        page.get_by_label(f"Encounter {n} reference").fill(f"A-{n:02d}")
        page.get_by_label(f"Encounter {n} billed codes").fill("99214, E11.65" if n == 3 else "99213, E11.9")
        page.get_by_label(f"Encounter {n} supported codes").fill("99213, E11.9")
    page.get_by_role("button", name="Record the audit").click()
    page.locator("#cd-audit-recorded:has-text('9 of 10 encounters coded as documented, 90%')").wait_for()
    assert "below the benchmark" in page.locator("#cd-audit-recorded").inner_text()
    scorecard = page.locator("#cd-score-result")
    scorecard.locator("td:has-text('below benchmark')").wait_for()
    text = scorecard.inner_text()
    assert "Dr. Ruiz" in text and "Cora Díaz" in text and "90%" in text and "99214" in text
    added = page.locator("#cd-audit-recorded .cd-review-cards").inner_text()
    assert "2 question(s) on the missed codes are now in Cora Díaz's Review my misses" in added, added
    assert "No quiz question teaches 99213, 99214 yet" in added, added
    visit.screenshot("audit-scorecard")

    visit.sign_in("cora", "coder", name="Cora Díaz")
    visit.open("/quizzes/take/?misses=1")
    reason = page.locator(".cd-quiz-question .cd-why").first
    reason.wait_for()
    assert reason.inner_text() == (
        "Audit of 2026-11, encounter A-03: a code (ICD-10-CM E11) did not match the documentation."
    )
    visit.screenshot("audit-misses-in-review")
