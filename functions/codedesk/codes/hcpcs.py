"""Reader for the CMS HCPCS Level II alpha-numeric file (`HCPC20xx_CONTR_ANWEB*.txt`, public domain).

Fixed-width 320-character records in ISO-8859-1 (layout: CMS "HCPCS Contractor Record", shipped as
2019-HCPCS-Record-Layout.zip). Record id 3 starts a procedure and 7 a modifier; ids 4 and 8 carry
the rest of the long description, which we join. Only Level II modifiers exist in this file; a
numeric (Level I, CPT) modifier would be AMA text, so it is skipped if one ever appears.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from codedesk.codes.icd10cm import CodeFileError
from codedesk.codes.models import CodeRecord, CodeSet, CodeSystem

RECORD_LENGTH = 320
_PROCEDURE, _PROCEDURE_MORE, _MODIFIER, _MODIFIER_MORE = "3", "4", "7", "8"
_YEAR_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


@dataclass
class _Entry:
    system: CodeSystem
    code: str
    long_lines: list[str]
    short_title: str
    added_on: date | None
    action_effective_on: date | None
    terminated_on: date | None
    action: str | None


def release_year_from_name(path: Path) -> int | None:
    found = _YEAR_IN_NAME.search(path.name)
    return int(found.group(1)) if found else None


def _date(raw: str, where: str) -> date | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        return date(int(raw[0:4]), int(raw[4:6]), int(raw[6:8]))
    except ValueError as error:
        raise CodeFileError(f"{where}: {raw!r} is not a YYYYMMDD date") from error


def _lines(path: Path) -> Iterator[tuple[str, str]]:
    """(where, line) of the ANWEB text, read straight from the CMS zip when given the zip."""
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                names = [n for n in archive.namelist() if "ANWEB" in n.upper() and n.lower().endswith(".txt")]
                if not names:
                    raise CodeFileError(f"{path}: no HCPC*ANWEB*.txt file inside the zip")
                with archive.open(names[0]) as raw:
                    decoded = io.TextIOWrapper(raw, encoding="iso-8859-1", newline="")
                    for number, line in enumerate(decoded, start=1):
                        yield f"{path}!{names[0]}:{number}", line.rstrip("\r\n")
                return
        with path.open(encoding="iso-8859-1", newline="") as text:
            for number, line in enumerate(text, start=1):
                yield f"{path}:{number}", line.rstrip("\r\n")
    except (OSError, zipfile.BadZipFile) as error:
        raise CodeFileError(f"{path}: cannot be read ({error})") from error


def _entries(lines: Iterable[tuple[str, str]]) -> Iterator[_Entry]:
    current: _Entry | None = None
    for where, line in lines:
        record_id = line[10:11] if len(line) >= 11 else ""
        if record_id in (_PROCEDURE, _MODIFIER):
            if current is not None:
                yield current
            if len(line) < 293:
                raise CodeFileError(f"{where}: a record is {len(line)} characters, expected {RECORD_LENGTH}")
            is_modifier = record_id == _MODIFIER
            current = _Entry(
                system=CodeSystem.MODIFIER if is_modifier else CodeSystem.HCPCS,
                code=(line[3:5] if is_modifier else line[0:5]).strip(),
                long_lines=[line[11:91].strip()],
                short_title=line[91:119].strip(),
                added_on=_date(line[268:276], where),
                action_effective_on=_date(line[276:284], where),
                terminated_on=_date(line[284:292], where),
                action=line[292:293].strip() or None,
            )
        elif record_id in (_PROCEDURE_MORE, _MODIFIER_MORE) and current is not None:
            current.long_lines.append(line[11:91].strip())
        # Anything else is the file's disclaimer header; it carries no codes.
    if current is not None:
        yield current


def read_anweb(path: Path, *, effective_on: date | None = None, release: str | None = None) -> list[CodeSet]:
    """Two code sets from one file: HCPCS Level II procedures and Level II modifiers."""
    if effective_on is None:
        year = release_year_from_name(path)
        if year is None:
            raise CodeFileError(f"{path}: the release year is not in the file name; give --release YYYY-MM-DD")
        effective_on = date(year, 1, 1)
    release = release or effective_on.isoformat()
    records: dict[CodeSystem, list[CodeRecord]] = {CodeSystem.HCPCS: [], CodeSystem.MODIFIER: []}
    for entry in _entries(_lines(path)):
        if entry.system == CodeSystem.MODIFIER and entry.code.isdigit():
            continue  # Level I (CPT) modifier: AMA copyright, never stored
        records[entry.system].append(
            CodeRecord(
                system=entry.system,
                code=entry.code,
                title=" ".join(" ".join(entry.long_lines).split()),
                short_title=entry.short_title or None,
                billable=entry.system == CodeSystem.HCPCS,
                effective_from=entry.added_on,
                effective_to=entry.terminated_on,
                release=release,
                action=entry.action,
                action_effective_on=entry.action_effective_on,
                added_on=entry.added_on,
            )
        )
    if not records[CodeSystem.HCPCS]:
        raise CodeFileError(f"{path}: no HCPCS procedure records (record id 3) found")
    return [
        CodeSet(system=system, release=release, effective_on=effective_on, records=found, dated_codes=True)
        for system, found in records.items()
    ]
