"""Denial trends in a real browser: a biller records a remit on the explainer page, the supervisor
reads the denial rate by code family and by week and follows a reason to its card."""

from __future__ import annotations

import pytest

from tests.denials.test_trends import REMIT

pytestmark = pytest.mark.browser


def test_a_biller_records_a_remit_and_the_supervisor_sees_the_trend(visit) -> None:
    page = visit.page
    visit.sign_in("cora", "coder", name="Cora")  # a coder of the clinic, in the directory
    visit.sign_in("biller-bea", "biller")
    visit.open("/denials/")
    page.fill("#cd-era-text", REMIT)
    page.check("#cd-era-record")
    page.click("#cd-era-form button[type=submit]")
    page.locator("#cd-era-recorded").wait_for()
    recorded = page.locator("#cd-era-recorded").inner_text()
    assert "check(s) added to the denial trends" in recorded or "recorded before" in recorded

    visit.sign_in("sup-sue", "supervisor")
    visit.open("/denials/trends/")
    page.fill("#cd-trends-from", "2026-01")
    page.fill("#cd-trends-to", "2026-12")
    page.select_option("#cd-trends-by", "code_family")
    page.get_by_role("button", name="Show").click()
    result = page.locator("#cd-trends-result")
    result.locator("td:has-text('HCPCS J')").wait_for()
    assert "CPT medicine" in result.inner_text()
    # The weekly read: ISO weeks by the date of payment, and the remit's figure beside the denial rates.
    page.select_option("#cd-trends-by", "week")
    page.get_by_role("button", name="Show").click()
    result.locator("td:has-text('2026-W47 (from Mon 2026-11-16)')").wait_for()
    assert (
        page.locator(".cd-without-denial")
        .inner_text()
        .startswith("Paid as primary with no denied line: 50% (1 of 2 claims adjudicated as primary).")
    )
    visit.screenshot("denial-trends-weekly")
    page.select_option("#cd-trends-by", "carc")
    page.get_by_role("button", name="Show").click()
    link = result.get_by_role("link", name="CO-50")
    link.wait_for()
    assert link.get_attribute("href") == "../carc/50/"
    visit.screenshot("denial-trends")

    # From the trend to training in two clicks: CO-50's card names the coder as its owner.
    row = result.locator("tr", has=page.get_by_role("link", name="CO-50"))
    row.get_by_role("button", name="Assign the quiz…").click()
    confirm = row.get_by_role("button", name="Assign “Denials and remittance codes” to every coder")
    confirm.click()
    row.locator("text=Assigned to").wait_for()
    assert "Cora" in row.inner_text()

    visit.sign_in("cora", "coder", name="Cora")
    visit.open("/quizzes/")
    assigned = page.locator("#cd-quiz-assigned")
    assigned.locator("text=Assigned to you").wait_for()
    assert "not started" in assigned.inner_text() and "CO-50 denials" in assigned.inner_text()


def test_a_remit_compared_with_a_loaded_fee_schedule_shows_the_underpaid_line(visit, tmp_path) -> None:
    from tests.payers.test_fees import MEDICARE, SCHEDULE

    schedule = tmp_path / "medicare-fees.csv"
    schedule.write_text(SCHEDULE)
    visit.portal.run("import", "fees", str(schedule), "--payer", MEDICARE)
    page = visit.page
    visit.sign_in("finance-fin", "biller")
    visit.open("/denials/")
    page.fill("#cd-era-text", REMIT)
    page.select_option("#cd-era-payer", MEDICARE)
    page.click("#cd-era-form button[type=submit]")
    page.locator(".cd-fees").wait_for()
    assert "1 line(s) paid below it, $10.00 in all" in page.locator(".cd-fees").inner_text()
    assert "UNDERPAID by $10.00" in page.locator("#cd-era-result").inner_text()


def test_a_reason_codedesk_has_no_card_for_is_assigned_to_the_billers_denials_quiz(visit) -> None:
    from tests.denials.test_era import synthetic_835

    page = visit.page
    visit.sign_in("bea", "biller", name="Bea")
    visit.open("/denials/")
    page.fill("#cd-era-text", synthetic_835("CLP*ACCT9*4*80*0**12*REF9~SVC*HC:99213*80*0**1~CAS*CO*A2*80~"))
    page.check("#cd-era-record")
    page.click("#cd-era-form button[type=submit]")
    page.locator("#cd-era-recorded").wait_for()
    visit.sign_in("sup-sue", "supervisor")
    visit.open("/denials/trends/?by=carc&from=2026-01&to=2026-12")
    row = page.locator("#cd-trends-result tr", has=page.get_by_role("link", name="CO-A2"))
    row.get_by_role("button", name="Assign the quiz…").click()
    row.get_by_role("button", name="Assign “Denials and remittance codes” to every biller").click()
    row.locator("text=Assigned to Bea").wait_for()
    # the card's 404 is how the page learns there is none; the browser logs it, nothing else went wrong
    assert visit.errors and all("404" in error for error in visit.errors), visit.errors
    visit.errors.clear()
