"""Readers for the official ICD-10-CM files (CDC/CMS, public domain).

- The tabular list XML (`icd10cm-tabular-*.xml`): chapters, sections, categories and codes with
  their instructional notes. Codes that need a 7th character are expanded here into every valid
  code, because the file only defines the characters (`sevenChrDef`) on an ancestor.
- The CMS order file (`icd10cm-order-*.txt`, fixed width): short titles and the billable flag.

Pure functions: a path in, models out. Nothing here touches the store.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from codedesk.codes.models import CodeNotes, CodeRecord, CodeRef, CodeSet, CodeSystem, Level, SeventhCharacter
from codedesk.codes.notation import display_code

# XML element → field of CodeNotes.
_NOTE_FIELDS = {
    "includes": "includes",
    "inclusionTerm": "inclusion_terms",
    "excludes1": "excludes1",
    "excludes2": "excludes2",
    "codeFirst": "code_first",
    "useAdditionalCode": "use_additional_code",
    "codeAlso": "code_also",
    "notes": "general",
    "sevenChrNote": "general",
}
# The one restriction the tabular list states only in words (note under category S06): "7th
# characters D and S do not apply to codes in category S06 with 6th character 7 ... or 8".
# (category, 6th characters) → the only 7th characters allowed.
_SEVENTH_CHARACTER_LIMITS = {("S06", "7"): {"A"}, ("S06", "8"): {"A"}}
_MONTHS = {
    name: number
    for number, name in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ),
        start=1,
    )
}
_RELEASE_IN_NAME = re.compile(r"(?P<month>[A-Za-z]+)-(?:(?P<day>\d{1,2})-)?(?P<year>\d{4})")


class CodeFileError(ValueError):
    """An official file that cannot be read; the message names the file and what is wrong."""


def release_date_from_name(path: Path) -> date | None:
    """`icd10cm-tabular-April-2026.xml` or `icd10c-tabular-April-1-2026.xml` → 2026-04-01."""
    for found in _RELEASE_IN_NAME.finditer(path.name):
        month = _MONTHS.get(found["month"].lower())
        if month:
            return date(int(found["year"]), month, int(found["day"] or 1))
    return None


# ----------------------------------------------------------------------------- tabular XML


def read_tabular(path: Path, *, effective_on: date, release: str | None = None) -> CodeSet:
    """Every chapter, section, category and code of a tabular XML file, 7th characters expanded."""
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as error:
        raise CodeFileError(f"{path}: not a readable ICD-10-CM tabular XML file ({error})") from error
    if root.tag != "ICD10CM.tabular":
        raise CodeFileError(f"{path}: the root element is <{root.tag}>, expected <ICD10CM.tabular>")
    builder = _TabularBuilder(release or effective_on.isoformat(), effective_on)
    for chapter in root.iter("chapter"):
        builder.chapter(chapter)
    if not builder.records:
        raise CodeFileError(f"{path}: no chapters found")
    return CodeSet(
        system=CodeSystem.ICD10CM, release=builder.release, effective_on=effective_on, records=builder.records
    )


def _text(element: ET.Element | None) -> str:
    return " ".join((element.text or "").split()) if element is not None else ""


def _notes(element: ET.Element) -> CodeNotes:
    found: dict[str, list[str]] = {}
    for child in element:
        field = _NOTE_FIELDS.get(child.tag)
        if field:
            found.setdefault(field, []).extend(_text(note) for note in child.iter("note"))
    return CodeNotes(**found)


def _seventh_characters(element: ET.Element) -> list[SeventhCharacter] | None:
    definition = element.find("sevenChrDef")
    if definition is None:
        return None
    return [SeventhCharacter(char=ext.get("char", ""), meaning=_text(ext)) for ext in definition.iter("extension")]


def _within(inner: str, outer: str) -> bool:
    """Section range `inner` (C00-C14) lies inside `outer` (C00-C75)."""
    first, _, last = inner.partition("-")
    low, _, high = outer.partition("-")
    last, high = last or first, high or low
    return low <= first and last <= high


def _allowed(key: str, seventh: list[SeventhCharacter]) -> list[SeventhCharacter]:
    limit = _SEVENTH_CHARACTER_LIMITS.get((key[:3], key[5:6]))
    return [ext for ext in seventh if limit is None or ext.char in limit]


def seventh_character_code(key: str, char: str) -> str:
    """The placeholder X pads a code to six characters before its 7th: S00.00 + A → S00.00XA."""
    return key.ljust(6, "X") + char


class _TabularBuilder:
    def __init__(self, release: str, effective_on: date):
        self.release = release
        self.effective_on = effective_on
        self.records: list[CodeRecord] = []

    def _record(
        self,
        key: str,
        title: str,
        level: Level,
        parent: CodeRef | None,
        children: list[CodeRef],
        notes: CodeNotes | None = None,
        seventh: list[SeventhCharacter] | None = None,
    ) -> CodeRecord:
        record = CodeRecord(
            system=CodeSystem.ICD10CM,
            code=display_code(CodeSystem.ICD10CM, key),
            title=title,
            level=level,
            billable=not children and level in ("category", "code"),
            parent=parent,
            children=children,
            notes=notes or CodeNotes(),
            seventh_characters=seventh or [],
            effective_from=self.effective_on,
            release=self.release,
        )
        self.records.append(record)
        return record

    def chapter(self, element: ET.Element) -> None:
        number = _text(element.find("name"))
        title = _text(element.find("desc"))
        ref = CodeRef(code=number, title=title)
        children = []
        for section in element.findall("section"):
            children.extend(self.section(section, ref))
        self._fill_heading_sections(children)
        top = [
            ref
            for ref in children
            if not any(o is not ref and "-" in o.code and _within(ref.code, o.code) for o in children)
        ]
        self._record(number, title, "chapter", None, top, _notes(element))

    def _fill_heading_sections(self, chapter_children: list[CodeRef]) -> None:
        """Sections such as C00-C96 hold no categories, only the narrower sections inside their range."""
        records = {record.code: record for record in self.records if record.level == "section"}
        for ref in chapter_children:
            record = records.get(ref.code)
            if record is None or record.children:
                continue
            inside = [other for other in chapter_children if other is not ref and _within(other.code, ref.code)]
            record.children = [
                other for other in inside if not any(o is not other and _within(other.code, o.code) for o in inside)
            ]

    def section(self, element: ET.Element, chapter: CodeRef) -> list[CodeRef]:
        """A section's record, or its categories alone when the section is one category (B10)."""
        section_id = element.get("id", "")
        title = _text(element.find("desc"))
        categories = element.findall("diag")
        if "-" not in section_id:
            return [self.diag(category, chapter, None) for category in categories]
        ref = CodeRef(code=section_id, title=title)
        children = [self.diag(category, ref, None) for category in categories]
        self._record(section_id, title, "section", chapter, children, _notes(element))
        return [ref]

    def diag(self, element: ET.Element, parent: CodeRef, inherited: list[SeventhCharacter] | None) -> CodeRef:
        key = _text(element.find("name")).replace(".", "")
        title = _text(element.find("desc"))
        own = _seventh_characters(element)
        seventh = own if own is not None else inherited
        ref = CodeRef(code=display_code(CodeSystem.ICD10CM, key), title=title)
        sub = element.findall("diag")
        if sub:
            children = [self.diag(child, ref, seventh) for child in sub]
        elif seventh:
            children = [self._seventh(key, title, ref, ext) for ext in _allowed(key, seventh)]
        else:
            children = []
        self._record(key, title, "category" if len(key) == 3 else "code", parent, children, _notes(element), seventh)
        return CodeRef(code=ref.code, title=title, billable=not children)

    def _seventh(self, key: str, title: str, parent: CodeRef, ext: SeventhCharacter) -> CodeRef:
        full_key = seventh_character_code(key, ext.char)
        record = self._record(full_key, f"{title}, {ext.meaning}", "code", parent, [])
        return CodeRef(code=record.code, title=record.title, billable=True)


# ----------------------------------------------------------------------------- order file


@dataclass(frozen=True)
class OrderEntry:
    order: int
    key: str
    billable: bool
    short_title: str
    long_title: str


def read_order_file(path: Path) -> Iterator[OrderEntry]:
    """CMS order file: order number 1–5, code 7–13, billable flag 15, short title 17–76, long title 78+."""
    try:
        handle = path.open(encoding="latin-1")
    except OSError as error:
        raise CodeFileError(f"{path}: cannot be opened ({error.strerror})") from error
    with handle:
        for number, line in enumerate(handle, start=1):
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            order, flag = line[0:5].strip(), line[14:15]
            if not order.isdigit() or flag not in ("0", "1") or len(line) < 78:
                raise CodeFileError(
                    f"{path}:{number}: not an order-file record (fixed width, billable flag 0/1 "
                    f"at column 15): {line[:40]!r}"
                )
            yield OrderEntry(
                order=int(order),
                key=line[6:13].strip(),
                billable=flag == "1",
                short_title=line[16:76].strip(),
                long_title=line[77:].strip(),
            )


def apply_order_file(code_set: CodeSet, entries: Iterator[OrderEntry]) -> list[str]:
    """Take short titles and the billable flag from the order file; returns what did not match."""
    by_key = {record.code.replace(".", ""): record for record in code_set.records}
    problems = []
    for entry in entries:
        record = by_key.get(entry.key)
        if record is None:
            problems.append(f"{entry.key}: in the order file but not in the tabular list")
            continue
        if record.billable != entry.billable:
            problems.append(
                f"{record.code}: the order file says billable={entry.billable}, "
                f"the tabular list has {len(record.children)} children"
            )
        record.short_title = entry.short_title
        record.billable = entry.billable
    return problems
