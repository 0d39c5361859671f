"""Fixtures for the code-lookup tests: real corpora (parsed once per session) and tiny hand-made files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from codedesk.codes.hcpcs import read_anweb
from codedesk.codes.icd10cm import read_tabular
from codedesk.codes.models import CodeSet

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
ICD_2026 = DATA / "icd10cm" / "icd10cm-tabular-April-2026.xml"
ICD_2025 = DATA / "icd10cm" / "icd10cm-tabular-April-2025.xml"
CODE_LIST_2026 = DATA / "icd10cm" / "code-list-April-2026.txt"
HCPCS_2018 = DATA / "hcpcs" / "2018-Alpha-Numeric-HCPCS-File.zip"
HCPCS_2019 = DATA / "hcpcs" / "2019-Alpha-Numeric-HCPCS-File.zip"

needs_corpus = [
    pytest.mark.corpus,
    pytest.mark.skipif(not ICD_2026.exists(), reason=f"real ICD-10-CM/HCPCS corpora not found in {DATA}"),
]


@pytest.fixture(scope="session")
def icd_2026() -> CodeSet:
    return read_tabular(ICD_2026, effective_on=date(2026, 4, 1))


@pytest.fixture(scope="session")
def icd_2025() -> CodeSet:
    return read_tabular(ICD_2025, effective_on=date(2025, 4, 1))


@pytest.fixture(scope="session")
def hcpcs_2019() -> list[CodeSet]:
    return read_anweb(HCPCS_2019)


@pytest.fixture(scope="session")
def hcpcs_2018() -> list[CodeSet]:
    return read_anweb(HCPCS_2018)


def anweb_line(
    code: str,
    record_id: str,
    long: str,
    short: str = "",
    *,
    added: str = "",
    effective: str = "",
    terminated: str = "",
    action: str = "",
) -> str:
    """One 320-character ANWEB record, laid out as in the CMS record layout."""
    line = [" "] * 320

    def put(start: int, text: str) -> None:  # 1-based start column, as in the layout
        line[start - 1 : start - 1 + len(text)] = list(text)

    put(1, code)
    put(6, "00100")
    put(11, record_id)
    put(12, long[:80])
    put(92, short[:28])
    put(269, added)
    put(277, effective)
    put(285, terminated)
    put(293, action)
    return "".join(line)


MINI = Path(__file__).parent / "data"
MINI_2025 = MINI / "mini-tabular-April-2025.xml"
MINI_2026 = MINI / "mini-tabular-April-2026.xml"


@pytest.fixture
def codes_store(published):
    """content/ published (curated HCPCS, CPT, modifiers, POS, synonyms) plus two small ICD-10-CM
    releases imported in order, as `codedesk import icd10cm` would (with the published calendar)."""
    import_mini_releases(published)
    return published


def import_mini_releases(store) -> None:
    from codedesk.cli import release_schedule
    from codedesk.codes.importer import import_code_sets

    for path in (MINI_2025, MINI_2026):
        import_code_sets(store, "icd10cm", [path], schedule=release_schedule(store))


@pytest.fixture
def view(codes_store):
    from codedesk.content.view import LivePointer

    return LivePointer(codes_store).view()
