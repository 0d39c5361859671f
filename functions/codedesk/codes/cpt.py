"""Reader for an operator's licensed CPT file (CSV).

CPT descriptors are AMA copyright: this reader exists so that a clinic holding a licence can load
its own file with `codedesk import cpt FILE`; the repository ships no CPT descriptor, and tests use
made-up titles. Expected columns (header row, any case): `code`, `descriptor` (or `long_descriptor`)
and optionally `short_descriptor`.
"""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

from codedesk.codes.icd10cm import CodeFileError
from codedesk.codes.models import CodeRecord, CodeSet, CodeSystem

_CPT_CODE = re.compile(r"^\d{4}[0-9FTU]$")
_TITLE_COLUMNS = ("descriptor", "long_descriptor", "long_description", "description")
_SHORT_COLUMNS = ("short_descriptor", "short_description")


def read_licensed_csv(path: Path, *, effective_on: date, release: str | None = None) -> CodeSet:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError) as error:
        raise CodeFileError(f"{path}: cannot be read as UTF-8 CSV ({error})") from error
    if not rows:
        raise CodeFileError(f"{path}: the file is empty")
    header = [name.strip().lower() for name in rows[0]]
    code_at = _column(path, header, ("code", "cpt_code"))
    title_at = _column(path, header, _TITLE_COLUMNS)
    short_at = next((header.index(name) for name in _SHORT_COLUMNS if name in header), None)
    release = release or effective_on.isoformat()
    records = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) <= max(code_at, title_at):
            raise CodeFileError(f"{path}:{number}: expected at least {max(code_at, title_at) + 1} columns")
        code, title = row[code_at].strip().upper(), " ".join(row[title_at].split())
        if not _CPT_CODE.match(code):
            raise CodeFileError(f"{path}:{number}: {code!r} is not a CPT code (four digits and a digit, F, T or U)")
        if not title:
            raise CodeFileError(f"{path}:{number}: code {code} has no descriptor")
        short = row[short_at].strip() if short_at is not None and short_at < len(row) else ""
        records.append(
            CodeRecord(
                system=CodeSystem.CPT,
                code=code,
                title=title,
                short_title=short or None,
                billable=True,
                effective_from=effective_on,
                release=release,
                descriptor="licensed",
            )
        )
    if not records:
        raise CodeFileError(f"{path}: no codes found")
    return CodeSet(system=CodeSystem.CPT, release=release, effective_on=effective_on, records=records, licensed=True)


def _column(path: Path, header: list[str], names: tuple[str, ...]) -> int:
    for name in names:
        if name in header:
            return header.index(name)
    raise CodeFileError(f"{path}: the header row needs a column named {' or '.join(names)}; it has {header}")
