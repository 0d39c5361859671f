"""Denial trends in a real browser: a biller records a remit on the explainer page, the supervisor
reads the denial rate by code family week by week or month by month, the top reasons with their cards
(or "no card yet") and the quiz, and reversals apart from the denials."""

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
    # The weekly report: the period is a week unless chosen otherwise; code families week by week.
    page.fill("#cd-trends-from", "2026-W44")
    page.fill("#cd-trends-to", "2026-W48")
    page.select_option("#cd-trends-by", "code_family")
    page.get_by_role("button", name="Show").click()
    result = page.locator("#cd-trends-result")
    chart = result.locator("table.cd-trends-chart")
    family = chart.locator("tr", has=page.locator("td", has_text="HCPCS J"))
    family.wait_for()
    assert family.locator("td[data-period='2026-W47']").inner_text().strip() == "100%"
    assert "weeks 2026-W44 (from Mon 2026-10-26) to 2026-W48" in result.inner_text()
    visit.screenshot("denial-trends-families-by-week")
    # Month by month: the range is chosen in months then.
    page.select_option("#cd-trends-over", "month")
    page.fill("#cd-trends-from", "2026-01")
    page.fill("#cd-trends-to", "2026-12")
    page.get_by_role("button", name="Show").click()
    chart.locator("th", has_text="2026-11").wait_for()
    assert "CPT medicine" in chart.inner_text() and chart.locator("td[data-period='2026-11']").count() == 3
    # The period alone, week by week, and the remit's figure beside the denial rates.
    page.select_option("#cd-trends-over", "week")
    page.select_option("#cd-trends-by", "time")
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
    # Each reason links the guide section that teaches it: CO-50 is the coder's.
    reason = result.locator("tr", has=page.get_by_role("link", name="CO-50"))
    guide = reason.get_by_role("link", name="guide").get_attribute("href")
    assert guide == "/guides/coder/#denials-that-come-back-to-coding"

    # From the trend to training in two clicks: CO-50's card names the coder as its owner.
    row = result.locator("tr", has=page.get_by_role("link", name="CO-50"))
    row.get_by_role("button", name="Assign the quiz…").click()
    confirm = row.get_by_role("button", name="Assign “Denials and remittance codes” to every coder")
    confirm.click()
    row.locator("text=Assigned to").wait_for()
    assert "Cora" in row.inner_text()

    visit.open(guide)
    assert page.locator("#denials-that-come-back-to-coding").inner_text().startswith("Denials that come back to coding")

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


def test_a_reason_codedesk_has_no_card_for_says_so_and_is_assigned_to_the_billers_denials_quiz(visit) -> None:
    from tests.denials.test_era import synthetic_835

    page = visit.page
    visit.sign_in("bea", "biller", name="Bea")
    visit.open("/denials/")
    reversal = "CLP*ACCT8*22*-120*-60**12*REF8~SVC*HC:99213*-120*-60**1~CAS*CO*45*-60~"
    page.fill("#cd-era-text", synthetic_835("CLP*ACCT9*4*80*0**12*REF9~SVC*HC:99213*80*0**1~CAS*CO*A2*80~" + reversal))
    page.check("#cd-era-record")
    page.click("#cd-era-form button[type=submit]")
    page.locator("#cd-era-recorded").wait_for()
    visit.sign_in("sup-sue", "supervisor")
    visit.open("/denials/trends/?by=carc&from=2026-01&to=2026-12")
    row = page.locator("#cd-trends-result tr", has_text="CO-A2 (no card yet)")
    row.get_by_role("button", name="Assign the quiz…").click()
    assert row.get_by_role("link", name="CO-A2").count() == 0  # no link to a card page that is not there
    row.get_by_role("button", name="Assign “Denials and remittance codes” to every biller").click()
    row.locator("text=Assigned to Bea").wait_for()
    assert visit.errors == []  # no request for the missing card
    # The reversal in the same remit is shown apart, never as a negative denial.
    reversed_note = page.locator(".cd-reversed")
    assert reversed_note.inner_text().startswith("Reversed: 1 claim(s) took back $60.00 of earlier payments")
    page.select_option("#cd-trends-by", "payer")
    page.get_by_role("button", name="Show").click()
    payer = page.locator("#cd-trends-result tr", has_text="SAMPLE PAYER")
    payer.locator("text=1 line(s), $60.00 taken back").wait_for()
    assert "-$" not in payer.inner_text()
    # "by week" follows the one reason week by week, to see whether the training moved it.
    page.select_option("#cd-trends-by", "carc")
    page.get_by_role("button", name="Show").click()
    page.locator("#cd-trends-result tr", has_text="CO-A2 (no card yet)").get_by_role("link", name="by week").click()
    page.locator("#cd-trends-result td:has-text('2026-W47 (from Mon 2026-11-16)')").wait_for()
    assert page.locator("#cd-trends-over").input_value() == "week"
    assert "Denied lines: CO-A2 only." in page.locator("#cd-trends-result").inner_text()
