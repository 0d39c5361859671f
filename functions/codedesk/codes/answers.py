"""What the Codes routes answer (API.md, Codes): response models, apart from the stored records."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from codedesk.codes.models import CodeNotes, CodeRef, CodeSystem, Descriptor, Level, SeventhCharacter, TitleRevision
from codedesk.codes.releases import Status


class InheritedNotes(BaseModel):
    code: str
    title: str
    notes: CodeNotes


class CodeAnswer(BaseModel):
    system: CodeSystem
    code: str
    title: str
    short_title: str | None = None
    level: Level
    billable: bool
    status: Status
    as_of: date | None = Field(None, description="the date of service the status was judged on, when one was asked")
    status_note: str | None = Field(
        None, description="why the status is unknown: the releases loaded do not cover that date of service"
    )
    effective_from: date | None
    effective_to: date | None
    known_from: date | None = Field(
        None, description="the first release loaded: the code may be older, and before it validity is unknown"
    )
    parent: CodeRef | None
    children: list[CodeRef]
    notes: CodeNotes
    inherited_notes: list[InheritedNotes] = Field(
        default_factory=list, description="notes of the codes above this one (nearest first); they apply here too"
    )
    seventh_characters: list[SeventhCharacter]
    release: str
    descriptor: Descriptor = Field(description="official (public domain), our_words (ours, not AMA text) or licensed")
    explanation: str | None = None
    hint: str | None = Field(None, description="for a header code: why it is not billable and what to choose")
    action: str | None = None
    added_on: date | None = None
    verify: bool = Field(False, description="curated entry not yet compared with the current official file")


class Suggestion(BaseModel):
    system: CodeSystem
    code: str
    title: str
    billable: bool


class SearchItem(BaseModel):
    system: CodeSystem
    code: str
    title: str
    billable: bool
    index_path: list[str] = Field(
        default_factory=list,
        description="the ICD-10-CM index's route to the code when it led there: main term, …, code",
    )


class SaidAs(BaseModel):
    typed: str = Field(description="a phrase as typed, folded: 'passed out'")
    means: str = Field(description="the words the code titles use for it: 'syncope' (content/codes/synonyms.yaml)")


class SearchAnswer(BaseModel):
    query: str
    items: list[SearchItem]
    next_cursor: str | None
    interpreted_as: list[str] = Field(default_factory=list, description="the terms searched, after synonyms")
    not_used: list[str] = Field(
        default_factory=list, description="of those terms, the ones the first result lacks (no code has them all)"
    )
    said_as: list[SaidAs] = Field(
        default_factory=list, description="each phrase typed that the search read as the code titles say it"
    )


class CodeSetInfo(BaseModel):
    system: CodeSystem
    release: str
    codes: int
    billable_codes: int
    licensed: bool
    source: Literal["official file", "curated list"]
    releases: list[str]
    in_force: str | None = Field(
        None, description="the release the release calendar says is in force today, when newer than the one loaded"
    )
    warning: str | None = Field(None, description="what is out of date and how to load the release in force")


class InForce(BaseModel):
    """A release the release calendar says is in force today (handed in by the codes function)."""

    release: str  # its effective date, as imported releases are named
    title: str


class CodeSetList(BaseModel):
    items: list[CodeSetInfo]


class ChangesAnswer(BaseModel):
    system: CodeSystem
    release: str
    previous_release: str | None
    effective_on: date
    added: list[CodeRef]
    deleted: list[CodeRef]
    revised: list[TitleRevision]
