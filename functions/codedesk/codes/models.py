"""What a code is: one record per code of a code set release, with notes, hierarchy and dates.

Records are plain pydantic models, built by the official-file readers (icd10cm, hcpcs, cpt) and by
the curated content (content/codes/), published as table items (publish.py) and answered by the
service. Dates are the code's own effective dates, so a lookup can say whether a code was valid on a
date of service.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class CodeSystem(StrEnum):
    ICD10CM = "ICD10CM"
    HCPCS = "HCPCS"
    CPT = "CPT"
    MODIFIER = "MODIFIER"
    POS = "POS"


# Where a record's words come from. CPT and Level I modifier descriptors are AMA copyright: the
# repository only ever holds `our_words`; `licensed` records come from an operator's own file.
Descriptor = Literal["official", "our_words", "licensed"]

# The level of a record in its code set's hierarchy. Only ICD-10-CM has chapters and sections.
Level = Literal["chapter", "section", "category", "code"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CodeNotes(Strict):
    """The instructional notes that decide correct coding, as printed in the tabular list."""

    includes: list[str] = Field(default_factory=list)
    inclusion_terms: list[str] = Field(default_factory=list)
    excludes1: list[str] = Field(default_factory=list)
    excludes2: list[str] = Field(default_factory=list)
    code_first: list[str] = Field(default_factory=list)
    use_additional_code: list[str] = Field(default_factory=list)
    code_also: list[str] = Field(default_factory=list)
    general: list[str] = Field(default_factory=list)

    def is_empty(self) -> bool:
        return not any(getattr(self, name) for name in type(self).model_fields)


class SeventhCharacter(Strict):
    char: str = Field(min_length=1, max_length=1)
    meaning: str


class CodeRef(Strict):
    """A neighbour in the hierarchy, with enough to show it without another read."""

    code: str
    title: str
    billable: bool = False


class EarlierTitle(Strict):
    """A title a later release revised: in force up to and including `until`."""

    title: str
    until: date


class CodeRecord(Strict):
    system: CodeSystem
    code: str  # display form: upper case, dotted where the system uses dots (E11.9)
    title: str
    short_title: str | None = None
    level: Level = "code"
    billable: bool
    parent: CodeRef | None = None
    children: list[CodeRef] = Field(default_factory=list)
    notes: CodeNotes = Field(default_factory=CodeNotes)
    seventh_characters: list[SeventhCharacter] = Field(default_factory=list)
    effective_from: date | None = None
    effective_to: date | None = None  # last day the code may be used; None while it is current
    # What the releases loaded cannot tell (a file without per-code dates: ICD-10-CM, CPT). Before
    # `known_from`, the first release loaded, nothing is known; a code that entered (or left) the
    # set between two loaded releases may have done so at any release the publisher issued in
    # between, so from the first such date to `effective_from` (or to `effective_to`) it is unknown.
    known_from: date | None = None
    added_unsure_from: date | None = None
    deleted_unsure_from: date | None = None
    earlier_titles: list[EarlierTitle] = Field(default_factory=list)  # oldest first
    release: str  # the release this record was last read from
    descriptor: Descriptor = "official"
    explanation: str | None = None  # our own plain words (CPT, Level I modifiers, training notes)
    action: str | None = None  # HCPCS action code of the release (A added, D discontinued, C changed, …)
    action_effective_on: date | None = None  # HCPCS: when that action took effect
    added_on: date | None = None  # HCPCS: the date the code entered the code set
    verify: bool = False  # curated content not yet compared with the current official file


class CodeSet(Strict):
    """All records of one code system read from one release file (or from the curated content)."""

    system: CodeSystem
    release: str
    effective_on: date
    records: list[CodeRecord]
    licensed: bool = False
    dated_codes: bool = False  # the file gives each code its own dates (HCPCS); otherwise the release's date

    def billable_count(self) -> int:
        return sum(record.billable for record in self.records)


class TitleRevision(Strict):
    code: str
    old_title: str
    new_title: str


class ReleaseChanges(Strict):
    """What one release changed against the release imported before it."""

    system: CodeSystem
    release: str
    previous_release: str | None
    effective_on: date
    added: list[CodeRef] = Field(default_factory=list)
    deleted: list[CodeRef] = Field(default_factory=list)
    revised: list[TitleRevision] = Field(default_factory=list)
