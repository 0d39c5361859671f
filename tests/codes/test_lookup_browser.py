"""The code lookup page in a real browser (Debian's chromium through Playwright) against the session's
`codedesk serve`: a coder types, picks a result, sees the code; a Level I modifier says its words are
ours. Any console error fails the test."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def search_as_a_coder(visit, typed: str):
    """The lookup page, signed in as a coder, with `typed` in the search box: the page."""
    visit.sign_in("coder-cora", "coder")
    visit.open("/codes/lookup/")
    visit.page.fill("#cd-lookup-q", typed)
    return visit.page


def test_a_coder_finds_a_code_by_typing_and_opens_it(visit) -> None:
    page = search_as_a_coder(visit, "dexameth")  # half a word: type-ahead
    result = page.locator("#cd-lookup-results button:has-text('J1100')")
    result.wait_for()
    result.click()
    detail = page.locator("#cd-lookup-detail")
    detail.locator("h2:has-text('J1100 Injection, dexamethasone sodium phosphate, 1 mg')").wait_for()
    assert "Billable" in detail.inner_text() and "valid today" in detail.inner_text()

    page.fill("#cd-lookup-q", "25")
    page.locator("#cd-lookup-results button:has-text('Separate, significant visit (E/M)')").click()
    detail.locator("text=not the AMA descriptor").wait_for()
    visit.screenshot("modifier-25")


def test_no_match_says_so(visit) -> None:
    page = search_as_a_coder(visit, "qqqqzzzz")
    page.locator("#cd-lookup-results:has-text('No code matches')").wait_for()


def test_the_lookup_says_first_when_a_newer_release_is_in_force(visit) -> None:
    # The session's server holds an April 2026 ICD-10-CM release; the calendar has had October 2026
    # (FY2027) in force since 2026-10-01, and every later one is newer still.
    page = visit.page
    visit.sign_in("coder-cora", "coder")
    visit.open("/codes/lookup/")
    currency = page.locator("#cd-lookup-currency")
    currency.wait_for()
    assert "the ICD10CM release loaded is 2026-04-01" in currency.inner_text()
    assert "codedesk import icd10cm FILE" in currency.inner_text()


def test_a_word_no_code_has_is_named_and_the_rest_still_answers(visit) -> None:
    page = search_as_a_coder(visit, "covid xyzzy")
    page.locator("#cd-lookup-results:has-text('not used: xyzzy')").wait_for()
    assert page.locator("#cd-lookup-results button:has-text('U07.1')").count() == 1


def test_a_lay_phrase_is_answered_and_its_title_words_taught(visit) -> None:
    page = search_as_a_coder(visit, "heart attack")
    page.locator("#cd-lookup-results button:has-text('I21.9')").wait_for()
    taught = page.locator("#cd-lookup-results .cd-said-as")
    assert taught.inner_text() == "Searched in the titles' words: “heart attack” as “myocardial infarction”"
