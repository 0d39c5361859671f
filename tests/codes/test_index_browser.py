"""The ICD-10-CM Index page in a real browser (Debian's chromium through Playwright) against the
session's `codedesk serve`, with tests/codes/data/mini-index.xml imported: a trainee types a main term
and a subterm, reads the route and each code's status; the lookup shows the index route of a result
the index led to. Any console error fails the test."""

from __future__ import annotations

import pytest

from .test_index_api import MINI_INDEX

pytestmark = pytest.mark.browser


@pytest.fixture
def indexed(visit):
    visit.portal.import_code_set("icd10cm-index", MINI_INDEX)
    return visit


def test_a_trainee_browses_the_index_by_main_term_and_subterm(indexed) -> None:
    page = indexed.page
    indexed.sign_in("coder-cora", "coder")
    indexed.open("/codes/icd10cm-index/")
    page.select_option("#cd-index-table", "index")
    page.fill("#cd-index-q", "diabetes skin")
    row = page.locator("#cd-index-results tr:has-text('skin complication NEC')")
    row.wait_for()
    assert "E11.62-" in row.inner_text() and "choose a code below it" in row.inner_text()
    page.fill("#cd-index-q", "infarct")
    page.locator("#cd-index-results:has-text('see also Infarct, myocardium')").wait_for()
    assert "not in the loaded release" in page.locator("#cd-index-results tr:has-text('I21.4')").inner_text()
    indexed.screenshot("icd10cm-index")


def test_the_lookup_shows_the_index_route(indexed) -> None:
    page = indexed.page
    indexed.sign_in("coder-cora", "coder")
    indexed.open("/codes/lookup/")
    page.fill("#cd-lookup-q", "Diabetes, with, foot ulcer")
    page.locator("#cd-lookup-results:has-text('Index: Diabetes, diabetic → with → foot ulcer → E11.621')").wait_for()
