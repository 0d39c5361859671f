"""The "Check a claim" page in a real browser against the session's `codedesk serve`: a biller fills
in a claim, sees what would deny with the denial and where to learn it, and what was checked."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_a_biller_checks_a_medicare_claim_and_learns_why_it_would_deny(visit) -> None:
    page = visit.page
    visit.sign_in("biller-bea", "biller")
    visit.open("/claims/")
    page.get_by_label("Date of service").fill("2026-11-02")
    page.get_by_label("Patient age").fill("67")
    page.get_by_label("Payer (optional)").select_option("medicare-part-b-novitas")
    page.get_by_label("Diagnoses").fill("E11, I10")
    page.get_by_label("Line 1 code").fill("G2211")
    page.get_by_label("Line 1 diagnosis pointers").fill("2")
    page.get_by_role("button", name="Check the claim").click()
    result = page.locator("#cd-claim-result")
    result.get_by_role("heading", name="Will deny: G2211").wait_for()
    text = result.inner_text()
    assert "paid only with 99202-99215, 99341-99350" in text
    assert "Will deny: E11" in text and "header, not a billable code" in text
    assert "NCCI procedure-to-procedure edits: not loaded" in text
    denial = result.get_by_role("link", name="CO-107")
    assert denial.get_attribute("href") == "/denials/carc/107/"
    visit.screenshot("claim-check")

    page.get_by_label("Line 2 code").fill("99213")
    page.get_by_label("Diagnoses").fill("E11.9, I10")
    page.get_by_role("button", name="Check the claim").click()
    # the new answer replaces the first: E11 (a header) and the lone G2211 are gone
    result.get_by_role("heading", name="Will deny: E11").wait_for(state="detached")
    assert "Will deny" not in result.inner_text()


def test_a_claim_with_too_many_diagnoses_says_the_limit(visit) -> None:
    page = visit.page
    visit.sign_in("coder-cora", "coder")
    visit.open("/claims/")
    page.get_by_label("Date of service").fill("2026-11-02")
    page.get_by_label("Patient age").fill("40")
    page.get_by_label("Diagnoses").fill(", ".join(["I10"] * 13))
    page.get_by_label("Line 1 code").fill("99213")
    page.get_by_role("button", name="Check the claim").click()
    error = page.locator("#cd-claim-error")
    error.wait_for()
    assert "diagnoses: List should have at most 12 items" in error.inner_text()
    # the browser logs the expected 422; nothing else may have gone wrong
    assert visit.errors and all("422" in e for e in visit.errors), visit.errors
    visit.errors.clear()
