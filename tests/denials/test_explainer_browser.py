"""The denial explainer page in a real browser (Debian's chromium through Playwright) against the
session's `codedesk serve`: a biller explains CO-16 N290, follows a card link, decodes a pasted 835
with the numbers to find each claim and the file's notes, downloads the worked list, decodes a file
larger than one request (split by check on the page), and gets a clear message for a cut-off
uploaded file. Any console error fails the test."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from codedesk.denials.remittance import MAX_ERA_BYTES
from tests.denials.test_era import CLAIM, ENVELOPE, HEADER, TRAILER, synthetic_835


def several_checks_835(checks: int, claims_each: int, interest: str = "") -> str:
    """One interchange of `checks` transactions (ST…SE), each paying `claims_each` claims, and with
    `interest` dollars of late-payment interest (PLB L6) added to each check when given."""
    transactions = ""
    for number in range(1, checks + 1):
        payment = Decimal(80 * claims_each) + Decimal(interest or "0")
        body = HEADER.replace("ST*835*0001", f"ST*835*{number:04d}").replace("BPR*I*80", f"BPR*I*{payment}")
        body += CLAIM * claims_each + (f"PLB*1234567893*20261231*L6*-{interest}~" if interest else "")
        transactions += f"{body}SE*{body.count('~') + 1}*{number:04d}~"
    return ENVELOPE + transactions + TRAILER.replace("GE*1*1", f"GE*{checks}*1")


pytestmark = pytest.mark.browser


def test_a_biller_explains_codes_and_decodes_a_remittance(visit, tmp_path: Path) -> None:
    page = visit.page
    visit.sign_in("denial-bea", "biller")
    visit.open("/denials/?codes=CO-16,N290")
    result = page.locator("#cd-explain-result")
    result.wait_for(state="visible")
    assert "Correct the claim and resubmit it (this is not an appeal)" in result.inner_text()
    assert "Rendering provider's NPI" in result.inner_text()
    page.click("#cd-explain-result a:has-text('RARC N290')")
    page.wait_for_selector("h1:has-text('RARC N290')")

    visit.open("/denials/")
    page.fill("#cd-explain-codes", "PR-1")
    page.click("#cd-explain-form button[type=submit]")
    page.wait_for_selector("#cd-explain-result .cd-action:has-text('Bill the patient')")

    # a late claim at Medicare: the card answers for the chosen payer, not "can be appealed"
    page.fill("#cd-explain-codes", "CO-29")
    page.wait_for_selector("#cd-explain-payer option[value='medicare-part-b-novitas']", state="attached")
    page.select_option("#cd-explain-payer", "medicare-part-b-novitas")
    page.click("#cd-explain-form button[type=submit]")
    page.wait_for_selector(
        "#cd-explain-result :text('Can it be appealed? Medicare gives a late claim no appeal rights')"
    )

    # a line without its procedure code: a note on that line, and the claim is still decoded
    page.fill("#cd-era-text", synthetic_835(CLAIM + CLAIM.replace("ACCT1", "ACCT2").replace("SVC*HC:99213", "SVC*HC")))
    page.click("#cd-era-form button[type=submit]")
    era = page.locator("#cd-era-result")
    era.wait_for(state="visible")
    text = era.inner_text()
    assert "Claim 1 — account ACCT1, payer claim CLAIMREF1" in text and "patient owes $20.00 (adds up)" in text
    assert "CO-45" in text and "Write the amount off" in text
    assert "Check 1 — SAMPLE PAYER" in text and "Trace number 12345, dated 2026-11-20" in text
    assert "claim 2, line 1: the service line has no procedure code" in text and "(no code; HC only)" in text
    visit.screenshot("decoded")
    with page.expect_download() as download:
        page.click("#cd-era-csv")
    worked_list = Path(download.value.path()).read_text()
    assert worked_list.startswith("payer,check trace number") and worked_list.count("CO-45") == 2

    # larger than one request: the page sends it in parts, by check, and shows one answer
    large = several_checks_835(checks=4, claims_each=MAX_ERA_BYTES // len(CLAIM) // 3)
    assert len(large) > MAX_ERA_BYTES
    upload = tmp_path / "large.835"
    upload.write_text(large)
    page.fill("#cd-era-text", "")
    page.set_input_files("#cd-era-file", str(upload))
    page.click("#cd-era-form button[type=submit]")
    # several requests of 256 KiB each: on a loaded 2-core machine that outlasts the default 10 s
    page.wait_for_selector("#cd-era-result h3:has-text('Check 4 — SAMPLE PAYER')", timeout=60_000)
    claims = 4 * (MAX_ERA_BYTES // len(CLAIM) // 3)
    assert era.locator("h2").inner_text().startswith(f"4 check(s), {claims} claim(s)")
    assert "Check 4" in era.inner_text() and "does NOT match" not in era.inner_text()

    # one check larger than one request: sent in pieces between claims, shown as the one check it is
    claims = MAX_ERA_BYTES // len(CLAIM) + 300
    upload.write_text(several_checks_835(checks=1, claims_each=claims, interest="2.5"))
    page.set_input_files("#cd-era-file", str(upload))
    page.click("#cd-era-form button[type=submit]")
    page.wait_for_selector(f"#cd-era-result h2:has-text('1 check(s), {claims} claim(s)')", timeout=60_000)
    check = era.locator(".cd-check").inner_text()
    assert f"{claims} claim(s); the payment matches the claims paid minus provider adjustments" in check
    assert "Provider adjustment L6: $2.50 added to the check" in era.inner_text()

    upload = tmp_path / "remit.835"
    upload.write_text(synthetic_835()[:-60])
    page.fill("#cd-era-text", "")
    page.set_input_files("#cd-era-file", str(upload))
    page.click("#cd-era-form button[type=submit]")
    page.wait_for_selector("#cd-era-error:has-text('cut off after segment 18 (CAS)')")
    assert page.locator("#cd-era-result").is_hidden()
    # the browser logs the expected 400 of the cut-off file; nothing else may have gone wrong
    assert visit.errors and all("400" in error for error in visit.errors), visit.errors
    visit.errors.clear()
