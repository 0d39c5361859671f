"""`codedesk era FILE` on the command line."""

from __future__ import annotations

import json
from pathlib import Path

from codedesk.cli import main
from codedesk.store.sqlite import SqliteTable
from tests.denials.conftest import era_sample, needs_era_corpus
from tests.denials.test_era import synthetic_835
from tests.denials.test_no_phi import CANARIES, GOOD


def test_era_prints_each_claim_with_its_cards_and_the_top_reasons(
    published: SqliteTable, tmp_path: Path, capsys, monkeypatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # a wide terminal, so that rich does not wrap the lines checked
    path = tmp_path / "remit.835"
    path.write_text(synthetic_835())
    assert main(["era", str(path), "--store", f"sqlite:///{published.path}"]) == 0
    out = capsys.readouterr().out
    assert "Claim 1" in out and "adds up" in out
    assert "CO-45" in out and "Write the amount off" in out
    assert "N290" in out and "Rendering provider's NPI" in out


def test_era_json_is_the_api_answer(published: SqliteTable, tmp_path: Path, capsys) -> None:
    path = tmp_path / "remit.835"
    path.write_text(synthetic_835())
    assert main(["era", str(path), "--json", "--store", f"sqlite:///{published.path}"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["summary"]["top_reasons"][0]["reason"] == "CO-45"


def test_era_csv_is_the_worked_list(published: SqliteTable, tmp_path: Path, capsys) -> None:
    path = tmp_path / "remit.835"
    path.write_text(synthetic_835())
    assert main(["era", str(path), "--csv", "--store", f"sqlite:///{published.path}"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("payer,check trace number,payment date,patient account number") and len(lines) == 7
    assert lines[3].startswith("SAMPLE PAYER,12345,2026-11-20,ACCT1,CLAIMREF1,processed as primary,1,99213,")


def test_era_never_prints_patient_identifiers(published: SqliteTable, tmp_path: Path, capsys) -> None:
    path = tmp_path / "remit.835"
    path.write_text(GOOD)
    assert main(["era", str(path), "--store", f"sqlite:///{published.path}"]) == 0
    captured = capsys.readouterr()
    assert [value for value in CANARIES.values() if value in captured.out + captured.err] == []
    assert "ZQACCOUNT993" in captured.out  # the account number: how the biller finds the claim


def test_a_damaged_file_is_one_clear_line_and_exit_status_1(published: SqliteTable, tmp_path: Path, capsys) -> None:
    path = tmp_path / "cut.835"
    path.write_text(synthetic_835()[:-60])
    assert main(["era", str(path), "--store", f"sqlite:///{published.path}"]) == 1
    err = capsys.readouterr().err
    assert "cut off after segment 18 (CAS)" in err and "Traceback" not in err
    assert main(["era", str(tmp_path / "missing.835"), "--store", f"sqlite:///{published.path}"]) == 1


@needs_era_corpus
def test_each_sample_file_prints(published: SqliteTable, tmp_path: Path, capsys) -> None:
    for name in ("blue_cross_nc_sample.835", "emedny_sample.835", "united_healthcare_legacy_sample.835"):
        path = tmp_path / name
        path.write_text(era_sample(name))
        assert main(["era", str(path), "--store", f"sqlite:///{published.path}"]) == 0
    assert "CO-251" in capsys.readouterr().out
