"""Generated site pages: the curated lists and one page per imported release."""

from __future__ import annotations

from datetime import date

from codedesk.catalog import read_content
from codedesk.cli import named_releases
from codedesk.codes.pages import clinic_families, release_pages_from_store, site_pages


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


def test_every_release_the_calendar_names_has_a_page_loaded_or_not(codes_store):
    content = read_content()
    named = named_releases(content, date(2026, 12, 6))
    pages = release_pages_from_store(codes_store, named=named, families=clinic_families(content))
    for release in named:
        assert f"codes/releases/{release.system.lower()}-{release.effective_on}.md" in pages
    waiting = pages["codes/releases/icd10cm-2026-10-01.md"]
    assert waiting.startswith("# ICD-10-CM annual release, October 2026")
    assert "Not loaded yet" in waiting and "`codedesk import icd10cm FILE`" in waiting
    assert "The ICD10CM releases loaded are 2025-04-01, 2026-04-01." in waiting
    assert "`codedesk import hcpcs FILE --release 2027-01-01`" in pages["codes/releases/hcpcs-2027-01-01.md"]
    first = pages["codes/releases/icd10cm-2025-04-01.md"]
    assert "The first ICD10CM release loaded" in first
    assert "| ICD10CM | 2026-10-01 | [not loaded yet](icd10cm-2026-10-01.md) |" in pages["codes/releases/index.md"]


def test_a_release_page_starts_with_the_clinics_code_families_and_has_a_printable_summary(codes_store):
    content = read_content()
    families = clinic_families(content)
    assert families[("ICD10CM", "E11")] > 0 and families[("ICD10CM", "I21")] == 0  # our content names E11, not I21
    pages = release_pages_from_store(codes_store, families=families)
    page = pages["codes/releases/icd10cm-2026-04-01.md"]
    ours = page.split("## The clinic's code families (1)", 1)[1].split("## Added", 1)[0]
    assert "### E11" in ours and "retitled **E11.9**" in ours and "I21" not in ours
    summary = pages["codes/releases/icd10cm-2026-04-01-summary.md"]
    assert "| 1 | 1 | 1 | 1 |" in summary  # added, deleted, revised, our families touched
    assert "- **E11**: 1 change(s)" in summary and "[full page](icd10cm-2026-04-01.md)" in summary
    assert "- **I21.4** Non-ST elevation (NSTEMI) myocardial infarction" in summary  # every deletion matters
