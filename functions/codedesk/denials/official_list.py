"""Reading an operator's licensed CARC or RARC code list (CSV) into `OfficialCode` rows.

X12 publishes the lists to licensees; Codedesk ships none of their text. The CSV has the columns
code, description, start date, last modified, stop date — with a header row naming them (in any
order, any case) or, without a header, in that order. Deactivated codes (a stop date in the past)
are kept: old remits still carry them.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from codedesk.denials.codes import CodeKind, UnreadableCode, parse_denial_code
from codedesk.denials.models import OfficialCode

COLUMNS = ("code", "description", "start_date", "last_modified", "stop_date")
_HEADER_NAMES = {
    "code": "code",
    "reasoncode": "code",
    "remarkcode": "code",
    "description": "description",
    "startdate": "start_date",
    "start": "start_date",
    "effectivedate": "start_date",
    "lastmodified": "last_modified",
    "lastmodifieddate": "last_modified",
    "modified": "last_modified",
    "stopdate": "stop_date",
    "stop": "stop_date",
    "deactivationdate": "stop_date",
    "enddate": "stop_date",
}
_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%Y%m%d")


class OfficialListError(ValueError):
    """Every problem of the file, one `path:line: message` per line."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def read_official_list(path: Path, kind: CodeKind) -> list[OfficialCode]:
    """The rows of the file as `OfficialCode`; raises `OfficialListError` listing every bad line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        text = path.read_text(encoding="cp1252")
    except OSError as error:
        raise OfficialListError([f"{path}: cannot read the file ({error.strerror})"]) from None
    rows: list[OfficialCode] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for line, fields in _records(text):
        try:
            row = OfficialCode(kind=kind, **_parsed(fields, kind))
        except ValueError as error:
            problems.append(f"{path}:{line}: {_first_line(error)}")
            continue
        if row.code in seen:
            problems.append(f"{path}:{line}: {row.code} is listed again (first on line {seen[row.code]})")
            continue
        seen[row.code] = line
        rows.append(row)
    if not rows and not problems:
        problems.append(f"{path}: the file has no codes")
    if problems:
        raise OfficialListError(problems)
    return rows


def _records(text: str) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.reader(io.StringIO(text))
    columns: tuple[str, ...] | None = None
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if columns is None:
            header = tuple(_HEADER_NAMES.get(re.sub(r"[^a-z]", "", cell.lower()), "") for cell in cells)
            columns = COLUMNS if "code" not in header else header
            if "code" in header:
                continue
        yield line, {name: cell.strip() for name, cell in zip(columns, cells, strict=False) if name}


def _parsed(fields: dict[str, str], kind: CodeKind) -> dict:
    text = fields.get("code", "")
    try:
        parsed = parse_denial_code(text)
    except UnreadableCode:
        raise ValueError(f"'{text}' is not a {kind.value.upper()}") from None
    if parsed.kind is not kind or parsed.group:
        raise ValueError(f"'{text}' is a {parsed.kind.value.upper()}, not a {kind.value.upper()}")
    if not fields.get("description"):
        raise ValueError(f"{parsed.code} has no description")
    return {
        "code": parsed.code,
        "description": fields["description"],
        "start_date": _date(fields.get("start_date"), "start date"),
        "last_modified": _date(fields.get("last_modified"), "last modified date"),
        "stop_date": _date(fields.get("stop_date"), "stop date"),
    }


def _date(text: str | None, what: str) -> date | None:
    if not text:
        return None
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"the {what} '{text}' is not a date (use 2026-04-01 or 04/01/2026)")


def _first_line(error: ValueError) -> str:
    return str(error).splitlines()[0]
