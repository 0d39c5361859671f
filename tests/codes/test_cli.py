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


def test_serve_loads_the_default_releases_oldest_first_once(published, tmp_path, monkeypatch, capsys):
    """`codedesk serve`'s set-up: the older release comes from a pinned wheel (here a local one), the
    newest from the installed package (here the small 2026 file); a second start loads nothing."""
    import hashlib
    import zipfile
    from datetime import date

    from codedesk import cli
    from codedesk.codes import importer, official_files, service
    from codedesk.content.publish import live_version
    from codedesk.content.view import LivePointer

    wheel = tmp_path / "simple_icd_10_cm-1.4.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.write(MINI_2025, "simple_icd_10_cm/data/icd10cm-tabular-April-2025.xml")
    pinned = official_files.OfficialFile(
        date(2025, 4, 1),
        wheel.as_uri(),
        hashlib.sha256(wheel.read_bytes()).hexdigest(),
        "simple_icd_10_cm/data/icd10cm-tabular-April-2025.xml",
    )
    monkeypatch.setattr(official_files, "OLDER_ICD10CM_RELEASES", (pinned,))
    monkeypatch.setattr(importer, "default_icd10cm_file", lambda: MINI_2026)
    monkeypatch.setenv("CODEDESK_DATA", str(tmp_path / "data"))
    store = f"sqlite:///{published.path}"

    cli.import_default_code_sets(store)
    out = capsys.readouterr().out
    assert "imported ICD-10-CM 2025-04-01: " in out
    assert "imported ICD-10-CM 2026-04-01 (1 added, 1 deleted, 1 revised against 2025-04-01)" in out
    assert (tmp_path / "data" / "code-files" / "icd10cm-tabular-April-1-2025.xml").is_file()

    version = live_version(published)
    cli.import_default_code_sets(store)
    assert "imported" not in capsys.readouterr().out
    assert live_version(published) == version  # nothing published: no new content version

    # The published release calendar dated the unknown stretch: October 2025 is the first release not loaded.
    view = LivePointer(published).view()
    added = service.lookup(view, "ICD10CM", "I21.A1", as_of=date(2025, 9, 30), today=date(2026, 12, 6))
    assert added.status == "not_yet_effective"
