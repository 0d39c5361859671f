"""The denial explainer page in a real browser (Debian's chromium through Playwright) against the
session's `codedesk serve`: a biller explains CO-16 N290, follows a card link, decodes a pasted 835,
and gets a clear message for a cut-off uploaded file. Any console error fails the test."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.denials.test_era import synthetic_835

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

    page.fill("#cd-era-text", synthetic_835())
    page.click("#cd-era-form button[type=submit]")
    era = page.locator("#cd-era-result")
    era.wait_for(state="visible")
    assert "Claim 1" in era.inner_text() and "CO-45" in era.inner_text() and "adds up" in era.inner_text()
    visit.screenshot("decoded")

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
