"""Curated code lists in content/codes/: what a clinic meets every day, with sources.

- HCPCS Level II codes and Level II modifiers, place-of-service codes: CMS public domain; `title` is
  the official descriptor.
- CPT codes and Level I (CPT) modifiers: AMA copyright. Here `title` and `explanation` are our own
  plain words and the model refuses anything else (`descriptor: our_words`).
- Synonyms: abbreviations and lay terms people type, and the words code titles use instead.

Every curated code carries its own dates: `effective_from` (the day it entered its code set) and,
once it is deleted, `effective_to` (its last valid day). A deleted code stays on the list so that a
lookup for an old date of service still answers, and for today answers `deleted`, never `active`.
A descriptor that changed keeps the day of the change (`revised_on`) and the title before it.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Literal

from pydantic import Field, field_validator, model_validator

from codedesk.codes.models import CodeRecord, CodeSystem, Descriptor
from codedesk.codes.notation import code_key, display_code
from codedesk.content.facts import ContentModel, Sourced

if TYPE_CHECKING:
    from codedesk.content.bundle import ContentBundle
    from codedesk.content.problems import ContentProblem

# Systems whose words belong to the AMA: only our own words may be stored for them.
_AMA_SYSTEMS = (CodeSystem.CPT,)


class CuratedCode(ContentModel):
    code: str = Field(min_length=2, max_length=8)
    title: str = Field(min_length=3)
    descriptor: Descriptor = "official"
    level: Literal["I", "II"] | None = Field(None, description="modifiers: Level I (CPT) or Level II (HCPCS)")
    group: str | None = Field(None, description="how editors group the list, e.g. vaccines, supplies")
    explanation: str | None = Field(None, description="our own plain words: what it is for, when it is used")
    effective_from: date | None = Field(None, description="the day the code entered its code set")
    effective_to: date | None = Field(None, description="the code's last valid day, once it is deleted")
    replaced_by: list[str] = Field(default_factory=list, description="the codes to report instead, once deleted")
    revised_on: date | None = Field(None, description="the day the official descriptor last changed")
    previous_title: str | None = Field(None, description="the descriptor before `revised_on`")
    source: str | None = Field(None, min_length=3, description="overrides the file's source for this code")
    verify: bool = False

    @model_validator(mode="after")
    def _dates_make_sense(self) -> CuratedCode:
        if self.effective_to is not None and self.effective_from and self.effective_to < self.effective_from:
            raise ValueError(
                f"{self.code}: effective_to {self.effective_to} is before effective_from {self.effective_from}"
            )
        if self.replaced_by and self.effective_to is None:
            raise ValueError(f"{self.code}: `replaced_by` is for a deleted code; give its `effective_to`")
        if (self.revised_on is None) != (self.previous_title is None):
            raise ValueError(f"{self.code}: give `revised_on` and `previous_title` together")
        return self

    def history(self) -> str | None:
        """What changed about the code, in words, for the lookup and the list page."""
        said = []
        if self.revised_on is not None:
            said.append(f'Descriptor revised {self.revised_on.isoformat()}; before: "{self.previous_title}".')
        if self.effective_to is not None:
            instead = f" Report {', '.join(self.replaced_by)} instead." if self.replaced_by else ""
            said.append(f"Deleted: last valid for dates of service on {self.effective_to.isoformat()}.{instead}")
        return " ".join(said) or None

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
                raise ValueError(
                    f"codes[{index}]: {entry.code} is a CPT/Level I code: its title must be our own "
                    "words (descriptor: our_words), never the AMA descriptor"
                )
            if entry.descriptor == "licensed":
                raise ValueError(f"codes[{index}]: licensed descriptors come only from `codedesk import cpt`")
            if self.system == CodeSystem.MODIFIER and entry.level is None:
                raise ValueError(f"codes[{index}]: say whether modifier {entry.code} is level I or II")
            # CMS dates every HCPCS Level II code and modifier: the list must carry that date, so a
            # lookup can say whether the code was valid on a date of service.
            official_dates = self.system == CodeSystem.HCPCS or (
                self.system == CodeSystem.MODIFIER and entry.level == "II"
            )
            if official_dates and entry.effective_from is None:
                raise ValueError(
                    f"codes[{index}]: {entry.code} needs `effective_from` (and `effective_to` once deleted)"
                )
        return self

    def records(self) -> list[CodeRecord]:
        # `billable` says the kind of code can go on a claim line; whether it can on a given date of
        # service is the lookup's answer (status and billable judged on that date, codes/service.py).
        return [
            CodeRecord(
                system=self.system,
                code=display_code(self.system, entry.code),
                title=entry.title,
                billable=self.system in (CodeSystem.HCPCS, CodeSystem.CPT),
                descriptor=entry.descriptor,
                explanation=" ".join(filter(None, (entry.explanation, entry.history()))) or None,
                effective_from=entry.effective_from,
                effective_to=entry.effective_to,
                release=self.release,
                action="D" if entry.effective_to else ("C" if entry.revised_on else None),
                action_effective_on=(entry.effective_to and entry.effective_to + timedelta(days=1)) or entry.revised_on,
                verify=self.verify or entry.verify,
            )
            for entry in self.codes
        ]

    @classmethod
    def check_bundle(cls, bundle: ContentBundle) -> list[ContentProblem]:
        """Warnings (never errors) for listed codes whose last valid day has passed: the lookup answers
        them as deleted, and the list should say what to use instead or drop them in time."""
        from codedesk.content.problems import ContentProblem
        from codedesk.content.yaml_lines import line_in_file  # validation only: not in the Lambda artifact

        today = bundle.checked_on()
        return [
            ContentProblem(
                path,
                line_in_file(bundle.root / path, ("codes", index, "effective_to")),
                f"codes[{index}].effective_to",
                f"{entry.code} was deleted: its last valid day was {entry.effective_to.isoformat()}. "
                "Lookups answer it as deleted; keep it only for old dates of service"
                f"{'' if entry.replaced_by else ' and add `replaced_by`'}.",
                severity="warning",
            )
            for path, curated in bundle.of(cls)
            for index, entry in enumerate(curated.codes)
            if entry.effective_to is not None and entry.effective_to < today
        ]


class Synonym(ContentModel):
    terms: list[str] = Field(min_length=1, description="what people type: abbreviations, lay words")
    means: str = Field(min_length=2, description="the words the code titles use")
    source: str = Field(min_length=3, description="where the equivalence comes from (a tabular entry, the Index)")
    systems: list[CodeSystem] = Field(
        default_factory=list,
        description="the code systems whose titles say `means` (none: every system); elsewhere the terms "
        "are searched as typed (ICD-10-CM says 'malignant neoplasm', HCPCS 'cancer screening')",
    )


class WordForms(ContentModel):
    words: list[str] = Field(
        min_length=2, description="forms of one word ('ovarian', 'ovary'): a title saying any says them all"
    )
    source: str = Field(min_length=3, description="where the forms are used alike (a tabular title, the Index)")


class SynonymFile(ContentModel):
    reviewed_on: date
    synonyms: list[Synonym] = Field(min_length=1)
    forms: list[WordForms] = Field(default_factory=list, description="word families searched as one word")

    @classmethod
    def check_bundle(cls, bundle: ContentBundle) -> list[ContentProblem]:
        """Each term listed once in each code system (an entry without systems holds in all of them):
        with a second meaning it is ambiguous, with the same one a copy that drifts apart when one is
        edited. And one family per word. Each named at the line of the second."""
        from codedesk.content.problems import ContentProblem
        from codedesk.content.yaml_lines import line_in_file  # validation only: not in the Lambda artifact

        problems = []
        for path, synonyms in bundle.of(cls):
            seen: dict[tuple[str, CodeSystem], tuple[int, str]] = {}
            for index, entry in enumerate(synonyms.synonyms):
                for term in entry.terms:
                    folded = " ".join(term.lower().split())
                    for system in entry.systems or list(CodeSystem):
                        first, before = seen.setdefault((folded, system), (index, entry.means))
                        if first != index:
                            problems.append(
                                ContentProblem(
                                    path,
                                    line_in_file(bundle.root / path, ("synonyms", index, "terms")),
                                    f"synonyms[{index}].terms",
                                    f"{term!r} means both {before!r} and {entry.means!r} in {system}; keep one"
                                    if before != entry.means
                                    else f"{term!r} is already listed at synonyms[{first}] in {system}; list it once",
                                )
                            )
                            break
            family_of: dict[str, int] = {}
            for index, family in enumerate(synonyms.forms):
                for word in family.words:
                    first = family_of.setdefault(word.lower(), index)
                    if first != index:
                        problems.append(
                            ContentProblem(
                                path,
                                line_in_file(bundle.root / path, ("forms", index, "words")),
                                f"forms[{index}].words",
                                f"{word!r} is also in forms[{first}]; a word has one family",
                            )
                        )
        return problems
