"""`codedesk validate` warns, without failing, about sheets past their review age."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

from codedesk.catalog import load_content
from codedesk.payers.freshness import MAX_AGE_VARIABLE, configured_max_age_days, stale_sheet_warnings
from tests.payers.conftest import CONTENT, MEDICARE, TODAY


def content_copy(root: Path) -> Path:
    """The payer sheets and the denial cards they link to, in a content folder of their own."""
    for folder in ("payers", "denials"):
        shutil.copytree(CONTENT / folder, root / folder)
    return root / "payers"


def test_fresh_sheets_give_no_warning(payer_bundle):
    assert stale_sheet_warnings(payer_bundle, TODAY, 365) == []


def test_each_stale_sheet_gets_one_warning_at_its_verified_on_line(payer_bundle):
    later = TODAY + timedelta(days=400)
    warnings = stale_sheet_warnings(payer_bundle, later, 365)
    assert len(warnings) == 5 and all(w.severity == "warning" for w in warnings)
    medicare = next(w for w in warnings if w.path == f"payers/{MEDICARE}.yaml")
    line = (CONTENT / medicare.path).read_text().splitlines()[medicare.line - 1]
    assert line.startswith("verified_on:")
    assert "400 days ago" in str(medicare) and "warning:" in str(medicare)


def test_the_allowed_age_is_configurable(payer_bundle, monkeypatch):
    later = TODAY + timedelta(days=100)
    assert len(stale_sheet_warnings(payer_bundle, later, 90)) == 5
    monkeypatch.setenv(MAX_AGE_VARIABLE, "90")
    assert configured_max_age_days() == 90
    monkeypatch.setenv(MAX_AGE_VARIABLE, "ninety")
    assert configured_max_age_days() == 365


def test_validate_reports_an_old_sheet_as_a_warning_not_an_error(tmp_path: Path):
    payers = content_copy(tmp_path)
    sheet = payers / f"{MEDICARE}.yaml"
    sheet.write_text(sheet.read_text().replace("verified_on: 2026-11-23", "verified_on: 2020-01-02"))
    _, problems = load_content(tmp_path)
    assert [p.severity for p in problems] == ["warning"]
    assert problems[0].path == f"payers/{MEDICARE}.yaml" and problems[0].field == "verified_on"


def test_two_sheets_with_one_payer_id_are_an_error(tmp_path: Path):
    payers = content_copy(tmp_path)
    shutil.copy(payers / f"{MEDICARE}.yaml", payers / "medicare-copy.yaml")
    _, problems = load_content(tmp_path)
    errors = [p for p in problems if p.severity == "error"]
    assert any(p.field == "payer_id" and "already" in p.message for p in errors)


def test_a_sheet_file_must_be_named_after_its_payer_id(tmp_path: Path):
    payers = content_copy(tmp_path)
    (payers / f"{MEDICARE}.yaml").rename(payers / "medicare.yaml")
    _, problems = load_content(tmp_path)
    assert [(p.path, p.field) for p in problems] == [("payers/medicare.yaml", "payer_id")]
    assert f"{MEDICARE}.yaml" in problems[0].message


def test_a_denial_code_without_a_denial_card_is_a_warning(tmp_path: Path):
    sheet = content_copy(tmp_path) / f"{MEDICARE}.yaml"
    sheet.write_text(sheet.read_text().replace("  - code: CO-97\n", "  - code: CO-P99\n"))
    _, problems = load_content(tmp_path)
    assert [(p.severity, p.field) for p in problems] == [("warning", "common_denials.4.code")]
    assert "CO-P99" in problems[0].message
    line = sheet.read_text().splitlines()[problems[0].line - 1]
    assert line.strip() == "- code: CO-P99"
