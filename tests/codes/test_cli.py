"""`codedesk import`: what an operator sees."""

from __future__ import annotations

from codedesk.cli import main

from .conftest import MINI_2025, MINI_2026


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_import_reports_counts_and_changes(tmp_path, capsys):
    store = f"sqlite:///{tmp_path / 'store.db'}"
    status, out, _ = run(capsys, "import", "icd10cm", str(MINI_2025), "--store", store)
    assert status == 0 and "ICD10CM release 2025-04-01: 27 codes, 9 billable" in out
    status, out, _ = run(capsys, "import", "icd10cm", str(MINI_2026), "--store", store)
    assert status == 0 and "against 2025-04-01: 1 added, 1 deleted, 1 revised" in out
    status, out, _ = run(capsys, "import", "icd10cm", str(MINI_2026), "--store", store)
    assert status == 0 and "already imported; 0 items written" in out


def test_bad_files_get_a_message_not_a_traceback(tmp_path, capsys):
    store = f"sqlite:///{tmp_path / 'store.db'}"
    bad = tmp_path / "codes-April-2026.xml"
    bad.write_text("<html><body>not codes</body></html>")
    status, _, err = run(capsys, "import", "icd10cm", str(bad), "--store", store)
    assert status == 1 and "expected <ICD10CM.tabular>" in err and "Traceback" not in err
    status, _, err = run(capsys, "import", "hcpcs", str(tmp_path / "missing.zip"), "--store", store)
    assert status == 1 and "no such file" in err
    status, _, err = run(capsys, "import", "cpt", "--store", store)
    assert status == 2 and "give the file to read" in err
    status, _, err = run(capsys, "import", "icd10cm", str(MINI_2026), "--release", "April", "--store", store)
    assert status == 1 and "--release 'April'" in err
