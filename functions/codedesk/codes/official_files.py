"""The older ICD-10-CM releases `codedesk serve` loads by default, fetched once and checksum-pinned.

The CDC's tabular XML of a release ships inside each `simple-icd-10-cm` wheel on the package index:
1.0.1–1.2.0 carry the FY2021 file with its January 1, 2021 update, 1.3.0–1.4.0 the April 1, 2025
file and 1.5.0 (installed with the cli extra: importer.default_icd10cm_file) the April 1, 2026 one;
1.0.0, 1.0.2 and 1.0.3 carry none. The older files are taken out of their wheels as data: the wheel
is downloaded from the index, checked against its pinned sha256, and the XML is kept under
data/code-files/. Nothing is installed, and a later start finds the files already there.
"""

from __future__ import annotations

import hashlib
import io
import urllib.request
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from codedesk.codes.icd10cm import CodeFileError

_FILES = "https://files.pythonhosted.org/packages"
FETCH_TIMEOUT_SECONDS = 60


@dataclass(frozen=True)
class OfficialFile:
    effective_on: date
    wheel_url: str
    wheel_sha256: str
    member: str  # the tabular XML inside the wheel

    @property
    def file_name(self) -> str:
        # The release date in the name, as `codedesk import` reads it (icd10cm.release_date_from_name).
        return f"icd10cm-tabular-{self.effective_on:%B}-{self.effective_on.day}-{self.effective_on.year}.xml"


# Oldest first, the order they are imported in; the installed April 2026 file comes after them.
OLDER_ICD10CM_RELEASES = (
    OfficialFile(
        # <version>2021</version>, with the codes of the January 1, 2021 update (J12.82, M35.81,
        # Z20.822); the wheel's order file is named Jan-2021.
        date(2021, 1, 1),
        f"{_FILES}/42/fd/f6630ef2cba7e7c526d3387bac124d3643f7de641130997f5f9386e28bc9/"
        "simple_icd_10_cm-1.2.0-py3-none-any.whl",
        "9f325bdc507f8b273568afc6a609271ddcd89032ff599090f460a024b122d960",
        "simple_icd_10_cm/data/icd10cm_tabular_2021.xml",
    ),
    OfficialFile(
        date(2025, 4, 1),
        f"{_FILES}/94/43/42bfa563b24bc23e7d760347d9f7496c9125460eb42ea291dd93a1c1ff88/"
        "simple_icd_10_cm-1.4.0-py3-none-any.whl",
        "d8a1b58282315af86acf4a4fc1765a6f42f5456ec216e53173b7be880825c36c",
        "simple_icd_10_cm/data/icd10cm-tabular-April-2025.xml",
    ),
)


def fetched(official: OfficialFile, folder: Path) -> Path:
    """The release's XML under `folder`, downloaded and checked the first time."""
    target = folder / official.file_name
    if target.is_file():
        return target
    try:
        with urllib.request.urlopen(official.wheel_url, timeout=FETCH_TIMEOUT_SECONDS) as response:
            wheel = response.read()
    except OSError as error:
        raise CodeFileError(f"{official.wheel_url}: cannot be downloaded ({error})") from error
    digest = hashlib.sha256(wheel).hexdigest()
    if digest != official.wheel_sha256:
        raise CodeFileError(f"{official.wheel_url}: sha256 {digest}, expected {official.wheel_sha256}; not used")
    with zipfile.ZipFile(io.BytesIO(wheel)) as archive:
        xml = archive.read(official.member)
    folder.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    partial.write_bytes(xml)
    partial.replace(target)  # whole or absent: an interrupted start fetches again
    return target
