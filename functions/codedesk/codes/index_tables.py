"""The CDC's ICD-10-CM index files read into rows: the Alphabetic Index and the External Cause Index
(`letter / mainTerm / term`, each with a title, nonessential modifiers, a code, "see" and "see also"),
the Table of Neoplasms and the Table of Drugs and Chemicals (the same terms, with one code per column
under `indexHeading`: malignant primary … unspecified behavior; poisoning by intent, adverse effect,
underdosing). Public domain; read in memory with the standard library's XML parser.

Each row keeps the path of titles that leads to it ("Neoplasm, neoplastic → lung → bronchus") so a
trainee sees the route, and every code the index gives is checked against the loaded tabular release
(`check_codes`): a code the release does not hold is shown as such, with what it became.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Literal, Protocol

from pydantic import BaseModel, Field

from codedesk.codes.items import record_key
from codedesk.codes.models import CodeSystem
from codedesk.codes.notation import code_key
from codedesk.store.port import MAX_BATCH_GET, Item

IndexKind = Literal["index", "external cause", "neoplasm", "drug"]
# A table cell that gives no code: "--" (not applicable) or "-" (no such code for that column).
_NO_CODE = ("", "-", "--")


class IndexFileError(ValueError):
    """A file that is not one of the CDC's index XMLs, said with the file's name."""


class IndexCell(BaseModel):
    column: str  # the column's heading, as the file writes it ("Malignant Primary")
    code: str  # as the index gives it: "C34.9-" (the dash: more characters to choose) or "T51.3X1"


class IndexRow(BaseModel):
    kind: IndexKind
    path: list[str] = Field(description="the titles from the main term down to this row, modifiers left out")
    nonessential: str | None = Field(default=None, description="the nonessential modifiers of this row's title")
    code: str | None = None
    see: str | None = None
    see_also: str | None = None
    cells: list[IndexCell] = Field(default_factory=list)

    def codes(self) -> list[str]:
        return [code for code in [self.code, *(cell.code for cell in self.cells)] if code is not None]


CodeStatus = Literal["valid", "header", "ended", "unknown"]


class CodeCheck(BaseModel):
    code: str
    status: CodeStatus  # valid: billable in the release; header: choose a code below it
    title: str | None = None
    choose_from: list[str] = Field(default_factory=list, description="for a header: the codes right below it")
    ended_on: str | None = Field(default=None, description="for a code the release no longer holds: its last valid day")


class ContentReader(Protocol):
    def batch_get(self, keys: Sequence[tuple[str, str]]) -> list[Item]: ...


def read_index_file(path: Path) -> list[IndexRow]:
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as error:
        raise IndexFileError(f"{path.name}: not a readable XML file ({error})") from error
    if root.tag != "ICD10CM.index":
        raise IndexFileError(f"{path.name}: not an ICD-10-CM index file (root element {root.tag!r})")
    heads = {head.get("col", ""): " ".join((head.text or "").split()) for head in root.iter("head")}
    return list(_rows(root, _kind(root, heads), heads))


def _kind(root: ET.Element, heads: dict[str, str]) -> IndexKind:
    if not heads:
        title = (root.findtext("title") or "").lower()
        return "external cause" if "external cause" in title else "index"
    return "neoplasm" if heads.get("1", "").lower().startswith("neoplasm") else "drug"


def _rows(root: ET.Element, kind: IndexKind, heads: dict[str, str]) -> Iterator[IndexRow]:
    def walk(element: ET.Element, above: list[str]) -> Iterator[IndexRow]:
        for child in element:
            if child.tag not in ("mainTerm", "term"):
                continue
            title, nonessential = _title(child)
            path = [*above, title]
            cells = [
                IndexCell(column=heads.get(cell.get("col", ""), cell.get("col", "")), code=code)
                for cell in child.findall("cell")
                if (code := (cell.text or "").strip()) not in _NO_CODE
            ]
            yield IndexRow(
                kind=kind,
                path=path,
                nonessential=nonessential,
                code=(child.findtext("code") or "").strip() or None,
                see=_said(child.find("see")),
                see_also=_said(child.find("seeAlso")),
                cells=cells,
            )
            yield from walk(child, path)

    for letter in root.iter("letter"):
        yield from walk(letter, [])


def _title(element: ET.Element) -> tuple[str, str | None]:
    """(the title without its nonessential modifiers, those modifiers)."""
    title = element.find("title")
    if title is None:
        return "", None
    modifiers = [" ".join(" ".join(nemod.itertext()).split()) for nemod in title.findall("nemod")]
    said = " ".join([title.text or "", *(nemod.tail or "" for nemod in title.findall("nemod"))])
    return " ".join(said.split()), " ".join(modifiers) or None


def _said(element: ET.Element | None) -> str | None:
    return " ".join(" ".join(element.itertext()).split()) or None if element is not None else None


def check_codes(view: ContentReader, codes: Sequence[str]) -> dict[str, CodeCheck]:
    """Every distinct code against the loaded ICD-10-CM release: one batch get per 100 codes. The
    index writes "C34.9-" for "a code below C34.9": its record is C34.9's."""
    wanted = {code: key_ for code in dict.fromkeys(codes) if (key_ := code_key(code.rstrip("-").rstrip(".")))}
    keys = list(dict.fromkeys(record_key("file", CodeSystem.ICD10CM, key_) for key_ in wanted.values()))
    found: dict[str, Item] = {}
    for at in range(0, len(keys), MAX_BATCH_GET):
        for item in view.batch_get(keys[at : at + MAX_BATCH_GET]):
            found[item["PK"]] = item
    checks = {code: CodeCheck(code=code, status="unknown") for code in codes if code not in wanted}
    for code, key_ in wanted.items():
        record = found.get(record_key("file", CodeSystem.ICD10CM, key_)[0])
        checks[code] = _check(code, record)
    return checks


def _check(code: str, record: Item | None) -> CodeCheck:
    if record is None:
        return CodeCheck(code=code, status="unknown")
    title = record.get("title")
    if record.get("effective_to"):
        return CodeCheck(code=code, status="ended", title=title, ended_on=record["effective_to"])
    if record.get("billable"):
        return CodeCheck(code=code, status="valid", title=title)
    below = [child["code"] for child in record.get("children", [])]
    return CodeCheck(code=code, status="header", title=title, choose_from=below)
