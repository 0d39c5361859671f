"""The older ICD-10-CM releases `codedesk serve` fetches: checked against the pinned sha256, kept once."""

from __future__ import annotations

import hashlib
import zipfile
from datetime import date
from pathlib import Path

import pytest

from codedesk.codes.icd10cm import CodeFileError, release_date_from_name
from codedesk.codes.official_files import OLDER_ICD10CM_RELEASES, OfficialFile, fetched

from .conftest import MINI_2025


def _wheel(tmp_path):
    wheel = tmp_path / "simple_icd_10_cm-9.9.9-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.write(MINI_2025, "simple_icd_10_cm/data/icd10cm-tabular-April-2025.xml")
    return wheel, hashlib.sha256(wheel.read_bytes()).hexdigest()


def test_a_pinned_wheel_gives_its_tabular_file_once(tmp_path):
    wheel, digest = _wheel(tmp_path)
    official = OfficialFile(
        date(2025, 4, 1), wheel.as_uri(), digest, "simple_icd_10_cm/data/icd10cm-tabular-April-2025.xml"
    )
    path = fetched(official, tmp_path / "code-files")
    assert path.read_bytes() == MINI_2025.read_bytes()
    assert release_date_from_name(path) == date(2025, 4, 1)  # `codedesk import` reads the date from the name
    wheel.unlink()
    assert fetched(official, tmp_path / "code-files") == path  # kept: no second download


def test_a_wheel_with_another_checksum_is_refused_and_nothing_is_kept(tmp_path):
    wheel, _ = _wheel(tmp_path)
    official = OfficialFile(date(2025, 4, 1), wheel.as_uri(), "0" * 64, "simple_icd_10_cm/data/x.xml")
    with pytest.raises(CodeFileError, match="expected 0000"):
        fetched(official, tmp_path / "code-files")
    assert not (tmp_path / "code-files").exists()


def test_the_pinned_releases_are_named_by_their_effective_dates_oldest_first():
    dates = [official.effective_on for official in OLDER_ICD10CM_RELEASES]
    assert dates == sorted(dates) == [date(2021, 1, 1), date(2025, 4, 1)]
    assert [release_date_from_name(Path(official.file_name)) for official in OLDER_ICD10CM_RELEASES] == dates
