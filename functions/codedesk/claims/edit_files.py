"""Readers for the CMS National Correct Coding Initiative files an operator downloads each quarter.

- procedure-to-procedure (PTP) pairs, practitioner file: column 1 code, column 2 code, effective
  date, deletion date, modifier indicator (0 never bypassed, 1 bypassed by an NCCI-associated
  modifier, 9 no longer applies);
- medically unlikely edits (MUE), practitioner file: code, the most units on one date of service,
  the adjudication indicator (1 per line, 2 per date of service by policy, 3 per date of service
  clinically);
- add-on code edits: add-on code, primary code, edit type (1 only the listed primaries, 2 none
  listed: the contractor decides, 3 the listed ones and others the contractor accepts).

CMS ships them as tab-delimited text (or spreadsheets; save those as CSV) in a zip, with a few lines
of notices above the column headings. The readers find the heading row by its words, so a quarter
that adds or reorders columns still reads. These files hold CPT codes (AMA licence): the repository
ships none of their rows; tests use small synthetic files in the same layout.
"""

from __future__ import annotations

import csv
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Literal

EditKind = Literal["ptp", "mue", "addon"]
EDIT_KINDS: tuple[EditKind, ...] = ("ptp", "mue", "addon")
KIND_NAMES = {
    "ptp": "NCCI procedure-to-procedure edits",
    "mue": "Medically unlikely edits",
    "addon": "Add-on code edits",
}
PROCEDURE_CODE = re.compile(r"^[A-Z0-9]{4}[A-Z0-9]$")
_QUARTER_IN_NAME = re.compile(r"(20\d\d)[ _-]?q([1-4])", re.IGNORECASE)


class EditFileError(ValueError):
    """A file that is not the edit file asked for; the message names the file and line."""


@dataclass(frozen=True)
class PtpPeriod:
    effective_on: date
    deleted_on: date | None  # the first day the pair no longer applies
    modifier_indicator: Literal["0", "1", "9"]


@dataclass(frozen=True)
class MueLimit:
    units: int
    indicator: Literal["1", "2", "3"]
    rationale: str


@dataclass(frozen=True)
class AddOnPrimary:
    code: str
    effective_on: date | None
    deleted_on: date | None


@dataclass
class AddOnEdit:
    edit_type: Literal["1", "2", "3"]
    primaries: list[AddOnPrimary] = field(default_factory=list)


@dataclass
class EditFile:
    kind: EditKind
    quarter: str  # e.g. 2026Q4
    file_name: str
    rows: int
    ptp: dict[tuple[str, str], list[PtpPeriod]] = field(default_factory=dict)
    mue: dict[str, MueLimit] = field(default_factory=dict)
    addon: dict[str, AddOnEdit] = field(default_factory=dict)


# The words that name each needed column, matched against a heading in lower case.
_COLUMNS: dict[EditKind, dict[str, tuple[str, ...]]] = {
    "ptp": {
        "column1": ("column 1", "column1"),
        "column2": ("column 2", "column2"),
        "effective": ("effective",),
        "deleted": ("deletion",),
        "modifier": ("modifier",),
    },
    "mue": {
        "code": ("hcpcs", "cpt"),
        "units": ("mue value", "mue values"),
        "indicator": ("indicator",),
        "rationale": ("rationale",),
    },
    "addon": {
        "addon": ("add-on code", "addon code", "add on code"),
        "primary": ("primary code",),
        "type": ("edit type", "type"),
        "effective": ("effective",),
        "deleted": ("deletion",),
    },
}
_OPTIONAL = {"effective", "deleted", "rationale"}


def quarter_of(path: Path, given: str | None) -> str:
    if given:
        match = re.fullmatch(r"(20\d\d)\s*-?\s*q([1-4])", given.strip(), re.IGNORECASE)
        if not match:
            raise EditFileError(f"--quarter {given!r}: write the edit file's quarter as e.g. 2026Q4")
        return f"{match.group(1)}Q{match.group(2)}"
    found = _QUARTER_IN_NAME.search(path.name)
    if not found:
        raise EditFileError(f"{path}: the quarter is not in the file name; give --quarter, e.g. 2026Q4")
    return f"{found.group(1)}Q{found.group(2)}"


def _text_of(path: Path) -> tuple[str, str]:
    """The file's text and the name it goes by (the member's name inside a zip)."""
    if not path.is_file():
        raise EditFileError(f"{path}: no such file")
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.namelist() if m.lower().endswith((".txt", ".csv"))]
            if len(members) != 1:
                raise EditFileError(f"{path}: the zip should hold one .txt or .csv edit table, it holds {members}")
            raw = archive.read(members[0])
            name = f"{path.name}:{members[0]}"
    else:
        raw, name = path.read_bytes(), path.name
    # CMS text files are Windows-1252 now and then (a rationale with a curly quote).
    try:
        return raw.decode("utf-8-sig"), name
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), name


def _rows(text: str) -> Iterator[tuple[int, list[str]]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        delimiter = "\t" if "\t" in line else ","
        yield number, [cell.strip() for cell in next(csv.reader([line], delimiter=delimiter))]


def _heading(kind: EditKind, cells: list[str]) -> dict[str, int] | None:
    """Column positions when `cells` is the heading row of a `kind` file."""
    lowered = [cell.lower() for cell in cells]
    found: dict[str, int] = {}
    for name, words in _COLUMNS[kind].items():
        for position, heading in enumerate(lowered):
            if position in found.values():
                continue
            if any(word in heading for word in words) and not (name in {"addon", "primary"} and "date" in heading):
                found[name] = position
                break
    needed = set(_COLUMNS[kind]) - _OPTIONAL
    return found if needed <= set(found) else None


def _date(value: str, where: str, column: str) -> date | None:
    value = value.strip()
    if value in {"", "*"}:
        return None
    for shape in ("%Y%m%d", "%m/%d/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, shape).date()
        except ValueError:
            continue
    raise EditFileError(f"{where}: {column} {value!r} is not a date (YYYYMMDD)")


def _cell(cells: list[str], columns: dict[str, int], name: str) -> str:
    position = columns.get(name)
    return cells[position] if position is not None and position < len(cells) else ""


def read_edit_file(kind: EditKind, path: Path, quarter: str | None = None) -> EditFile:
    text, name = _text_of(path)
    read = EditFile(kind=kind, quarter=quarter_of(path, quarter), file_name=name, rows=0)
    columns: dict[str, int] | None = None
    for number, cells in _rows(text):
        where = f"{path}:{number}"
        if columns is None:
            columns = _heading(kind, cells)
            continue
        first = cells[0].upper() if cells else ""
        if not PROCEDURE_CODE.match(first):
            continue  # a notice or a repeated heading between the rows
        _read_row(read, columns, cells, where)
        read.rows += 1
    if columns is None:
        wanted = ", ".join(words[0] for words in _COLUMNS[kind].values())
        raise EditFileError(f"{path}: no heading row with the {KIND_NAMES[kind]} columns ({wanted}); is it that file?")
    if read.rows == 0:
        raise EditFileError(f"{path}: the {KIND_NAMES[kind]} table has no rows")
    return read


def _read_row(read: EditFile, columns: dict[str, int], cells: list[str], where: str) -> None:
    if read.kind == "ptp":
        column1, column2 = _cell(cells, columns, "column1").upper(), _cell(cells, columns, "column2").upper()
        indicator = _cell(cells, columns, "modifier")[:1]
        if not PROCEDURE_CODE.match(column2):
            raise EditFileError(f"{where}: column 2 {column2!r} is not a procedure code")
        if indicator not in {"0", "1", "9"}:
            raise EditFileError(f"{where}: modifier indicator {indicator!r} is not 0, 1 or 9")
        effective = _date(_cell(cells, columns, "effective"), where, "effective date")
        if effective is None:
            raise EditFileError(f"{where}: the pair has no effective date")
        deleted = _date(_cell(cells, columns, "deleted"), where, "deletion date")
        period = PtpPeriod(effective, deleted, indicator)  # type: ignore[arg-type]
        read.ptp.setdefault((column1, column2), []).append(period)
    elif read.kind == "mue":
        code = _cell(cells, columns, "code").upper()
        units, indicator = _cell(cells, columns, "units"), _cell(cells, columns, "indicator")[:1]
        if not units.isdigit():
            raise EditFileError(f"{where}: MUE value {units!r} is not a number of units")
        if indicator not in {"1", "2", "3"}:
            raise EditFileError(f"{where}: MUE adjudication indicator {indicator!r} is not 1, 2 or 3")
        read.mue[code] = MueLimit(int(units), indicator, _cell(cells, columns, "rationale"))  # type: ignore[arg-type]
    else:
        code, primary = _cell(cells, columns, "addon").upper(), _cell(cells, columns, "primary").upper()
        edit_type = _cell(cells, columns, "type")[:1]
        if edit_type not in {"1", "2", "3"}:
            raise EditFileError(f"{where}: add-on edit type {edit_type!r} is not 1, 2 or 3")
        edit = read.addon.setdefault(code, AddOnEdit(edit_type))  # type: ignore[arg-type]
        if PROCEDURE_CODE.match(primary) and any(c.isdigit() for c in primary):
            edit.primaries.append(
                AddOnPrimary(
                    primary,
                    _date(_cell(cells, columns, "effective"), where, "effective date"),
                    _date(_cell(cells, columns, "deleted"), where, "deletion date"),
                )
            )
