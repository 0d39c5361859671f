"""Fixtures for the claim check: a store with content/ published, a slice of the real April 2026
ICD-10-CM tabular list (the categories the tests name, with their real notes), and synthetic NCCI
files in the CMS layouts. The NCCI files carry CPT numbers under the AMA licence, so the tests use
made-up code numbers (10001, 10002 …) and ship no CMS rows."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from codedesk.codes.importer import namespace
from codedesk.codes.items import namespace_prefixes
from codedesk.codes.models import CodeSet, CodeSystem
from codedesk.codes.publish import code_set_items
from codedesk.codes.releases import merge_release
from codedesk.content.publish import ItemSet, publish
from codedesk.content.view import LivePointer
from tests.codes import conftest as codes_conftest
from tests.codes.conftest import ICD_2026

# The session's parsed April 2026 release, shared with tests/codes: a conftest's fixtures reach only
# its own folder, so this one names it again.
icd_2026 = codes_conftest.icd_2026

CATEGORIES = (
    "E08",
    "E10",
    "E11",
    "E13",
    "G63",
    "O24",
    "O80",
    "P70",
    "Z38",
    "Z79",
    "W01",
    "I10",
    "J18",
    "S52",
    "F02",
    "G30",
)

needs_icd = pytest.mark.skipif(not ICD_2026.exists(), reason=f"the real ICD-10-CM tabular list is not at {ICD_2026}")

PTP_FILE = """\
CPT codes, descriptions and other data only are copyright 2025 American Medical Association. (notice lines as in the CMS file)
Column 1\tColumn 2\t*=in existence prior to 1996\tEffective Date\tDeletion Date *=no data\tModifier 0=not allowed 1=allowed 9=not applicable\tPTP Edit Rationale
10001\t10002\t\t20250101\t*\t1\tMisuse of column two code with column one code
10001\t10003\t\t20250101\t*\t0\tMutually exclusive procedures
10001\t10004\t\t20200101\t20250101\t1\tStandards of medical / surgical practice
10005\t10006\t\t20250101\t*\t9\tDeleted edit
"""

MUE_FILE = """\
HCPCS/CPT Code\tPractitioner Services MUE Values\tMUE Adjudication Indicator\tMUE Rationale
10001\t1\t2 Date of Service Edit: Policy\tAnatomic Consideration
10002\t2\t1 Line Edit\tClinical: Data
10003\t3\t3 Date of Service Edit: Clinical\tClinical: Data
"""

ADDON_FILE = """\
Add-on Code\tPrimary Code\tAOC Edit Type\tAdd-on Code Effective Date\tAdd-on Code Deletion Date
10007\t10001\t1\t20200101\t*
10007\t10005\t1\t20200101\t*
10008\tCCCCC\t2\t20200101\t*
"""


@pytest.fixture
def edit_files(tmp_path: Path) -> dict[str, Path]:
    files = {}
    for kind, text in (("ptp", PTP_FILE), ("mue", MUE_FILE), ("addon", ADDON_FILE)):
        path = tmp_path / f"{kind}-2026q4.txt"
        path.write_text(text)
        files[kind] = path
    zipped = tmp_path / "ccipra-2026q4.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.write(files["ptp"], "ccipra-v324r0-f1.txt")
    files["ptp_zip"] = zipped
    return files


@pytest.fixture
def claims_store(published, icd_2026):
    """content/ published plus the slice of April 2026 ICD-10-CM the tests name."""
    records = [r for r in icd_2026.records if r.code[:3] in CATEGORIES]
    subset = CodeSet(system=CodeSystem.ICD10CM, release=icd_2026.release, effective_on=icd_2026.effective_on,
                     records=records)  # fmt: skip
    history, _ = merge_release([], subset, None, None)  # as the import keeps it: known from this release on
    items = code_set_items(
        "file", CodeSystem.ICD10CM, history, release=subset.release, effective_on=subset.effective_on.isoformat(),
        licensed=False, releases=[subset.release], first_effective_on=subset.effective_on.isoformat(), changes=[],
    )  # fmt: skip
    publish(published, [ItemSet(namespace(CodeSystem.ICD10CM), namespace_prefixes("file", CodeSystem.ICD10CM), items)])
    return published


@pytest.fixture
def claims_view(claims_store):
    return LivePointer(claims_store).view()
