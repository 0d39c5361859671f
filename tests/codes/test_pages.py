"""Generated site pages: the curated lists and one page per imported release."""

from __future__ import annotations

from codedesk.catalog import read_content
from codedesk.codes.pages import release_pages_from_store, site_pages


def test_curated_lists_have_a_page_each_with_their_source():
    pages = site_pages(read_content())
    assert {"codes/index.md", "codes/hcpcs.md", "codes/cpt.md", "codes/modifier.md", "codes/pos.md"} <= set(pages)
    assert "| J1100 | Injection, dexamethasone sodium phosphate, 1 mg |" in pages["codes/hcpcs.md"]
    assert "not AMA descriptors" in pages["codes/cpt.md"]
    assert "Source: CMS Place of Service Code Set" in pages["codes/pos.md"]


def test_each_imported_release_gets_a_page_of_its_changes(codes_store):
    pages = release_pages_from_store(codes_store)
    page = pages["codes/releases/icd10cm-2026-04-01.md"]
    assert page.startswith("# ICD10CM release 2026-04-01")
    assert "- **I21.A1** Myocardial infarction type 2" in page
    assert "- **I21.4** Non-ST elevation (NSTEMI) myocardial infarction" in page
    assert (
        "| E11.9 | Type 2 diabetes mellitus without complication | Type 2 diabetes mellitus without complications |"
    ) in page
    assert "icd10cm-2026-04-01.md" in pages["codes/releases/index.md"]
