"""Curated code lists in content/codes/: what a clinic meets every day, with sources.

- HCPCS Level II codes and Level II modifiers, place-of-service codes: CMS public domain; `title` is
  the official descriptor.
- CPT codes and Level I (CPT) modifiers: AMA copyright. Here `title` and `explanation` are our own
  plain words and the model refuses anything else (`descriptor: our_words`).
- Synonyms: abbreviations and lay terms people type, and the words code titles use instead.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, field_validator, model_validator

from codedesk.codes.models import CodeRecord, CodeSystem, Descriptor
from codedesk.codes.notation import code_key, display_code
from codedesk.content.facts import ContentModel, Sourced

# Systems whose words belong to the AMA: only our own words may be stored for them.
_AMA_SYSTEMS = (CodeSystem.CPT,)


class CuratedCode(ContentModel):
    code: str = Field(min_length=2, max_length=8)
    title: str = Field(min_length=3)
    descriptor: Descriptor = "official"
    level: Literal["I", "II"] | None = Field(None, description="modifiers: Level I (CPT) or Level II (HCPCS)")
    group: str | None = Field(None, description="how editors group the list, e.g. vaccines, supplies")
    explanation: str | None = Field(None, description="our own plain words: what it is for, when it is used")
    effective_from: date | None = None
    effective_to: date | None = None
    source: str | None = Field(None, min_length=3, description="overrides the file's source for this code")
    verify: bool = False

    @field_validator("code")
    @classmethod
    def _code_is_a_code(cls, value: str) -> str:
        normal = code_key(value)
        if normal is None:
            raise ValueError("a code is letters and digits only")
        return normal


class CuratedCodeFile(Sourced):
    """One system's curated list; `source`/`reviewed_on` apply to every code that has no own source."""

    system: CodeSystem
    release: str = Field(description="the release the list was checked against, e.g. 2026-10-01")
    effective_on: date
    note: str | None = None
    codes: list[CuratedCode] = Field(min_length=1)

    @model_validator(mode="after")
    def _no_copyrighted_descriptors(self) -> CuratedCodeFile:
        seen = set()
        for index, entry in enumerate(self.codes):
            if entry.code in seen:
                raise ValueError(f"codes[{index}]: {entry.code} is listed twice")
            seen.add(entry.code)
            ama = self.system in _AMA_SYSTEMS or (self.system == CodeSystem.MODIFIER and entry.level == "I")
            if ama and entry.descriptor != "our_words":
                raise ValueError(f"codes[{index}]: {entry.code} is a CPT/Level I code: its title must be our own "
                                 "words (descriptor: our_words), never the AMA descriptor")
            if entry.descriptor == "licensed":
                raise ValueError(f"codes[{index}]: licensed descriptors come only from `codedesk import cpt`")
            if self.system == CodeSystem.MODIFIER and entry.level is None:
                raise ValueError(f"codes[{index}]: say whether modifier {entry.code} is level I or II")
        return self

    def records(self) -> list[CodeRecord]:
        return [
            CodeRecord(
                system=self.system, code=display_code(self.system, entry.code), title=entry.title,
                billable=self.system in (CodeSystem.HCPCS, CodeSystem.CPT), descriptor=entry.descriptor,
                explanation=entry.explanation, effective_from=entry.effective_from,
                effective_to=entry.effective_to, release=self.release,
            )
            for entry in self.codes
        ]


class Synonym(ContentModel):
    terms: list[str] = Field(min_length=1, description="what people type: abbreviations, lay words")
    means: str = Field(min_length=2, description="the words the code titles use")


class SynonymFile(ContentModel):
    reviewed_on: date
    synonyms: list[Synonym] = Field(min_length=1)

    @model_validator(mode="after")
    def _each_term_once(self) -> SynonymFile:
        seen: dict[str, str] = {}
        for entry in self.synonyms:
            for term in entry.terms:
                folded = " ".join(term.lower().split())
                if folded in seen and seen[folded] != entry.means:
                    raise ValueError(f"{term!r} means both {seen[folded]!r} and {entry.means!r}; keep one")
                seen[folded] = entry.means
        return self
