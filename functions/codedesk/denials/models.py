"""Denial content: claim adjustment group codes and our own CARC/RARC explanation cards.

Every explanation here is written by Codedesk in plain words. The official X12 code descriptions
are copyrighted and never shipped; an operator may load them from their own licensed code list
(`codedesk import carc|rarc FILE`), and they are then shown next to our card, never in place of it.

These models check content when it is validated and published; the denials function never loads
them (cards.py reads published cards into the answer's shape, from the parts defined there).
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import TYPE_CHECKING, ClassVar, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from codedesk.content.facts import ContentModel, Sourced
from codedesk.content.problems import ContentProblem
from codedesk.denials.cards import Action, Deadline, OwnerRole, PayerAppeal, Statement
from codedesk.denials.codes import GROUP_CODES, CodeKind, parse_denial_code
from codedesk.payer_types import PayerType
from codedesk.topics import Topic as QuizTopic

if TYPE_CHECKING:
    from codedesk.content.bundle import ContentBundle


class GroupCode(Sourced):
    """A claim adjustment group code: it says who carries the adjusted amount."""

    code: str
    title: str = Field(min_length=5)
    who_pays: str = Field(min_length=10)
    meaning: str = Field(min_length=20)
    patient_may_be_billed: bool
    current: bool = Field(description="valid in 5010 (X221A1); CR is a 4010 value kept for old remits")
    common_causes: list[str] = Field(default_factory=list)
    fix_steps: list[str] = Field(default_factory=list)
    statements: list[Statement] = Field(default_factory=list)

    @field_validator("code")
    @classmethod
    def _known_group(cls, code: str) -> str:
        if code not in GROUP_CODES:
            raise ValueError(f"group code must be one of {', '.join(GROUP_CODES)}")
        return code


class ReasonCard(Sourced):
    """Our explanation of one CARC or RARC. `source` is where the code's meaning was checked."""

    kind: ClassVar[CodeKind]

    code: str
    title: str = Field(min_length=5, max_length=90)
    meaning: str = Field(min_length=20)
    common_causes: list[str] = Field(min_length=1)
    fix_steps: list[str] = Field(min_length=1)
    action: Action
    appealable: bool | None = Field(
        default=None, description="left out when the answer depends on the payer: then appeal_by_payer_type says it"
    )
    appeal_by_payer_type: list[PayerAppeal] = Field(default_factory=list)
    owner_role: OwnerRole
    deadlines: list[Deadline] = Field(default_factory=list)
    statements: list[Statement] = Field(default_factory=list)
    related_codes: list[str] = Field(default_factory=list, description="codes often seen with this one")
    quiz_topics: list[QuizTopic] = Field(default_factory=list)
    # Topics of the payer sheets' grid; payers, above denials, checks them (payers/checks.py).
    payer_rule_topics: list[str] = Field(default_factory=list, description="topics of the payer sheets' grid")
    keywords: list[str] = Field(default_factory=list, description="words billers search for")

    @field_validator("appeal_by_payer_type")
    @classmethod
    def _known_payer_types(cls, rules: list[PayerAppeal]) -> list[PayerAppeal]:
        known = get_args(PayerType)
        if unknown := [rule.payer_type for rule in rules if rule.payer_type not in known]:
            raise ValueError(f"unknown payer types {unknown}; payer sheets have the types {', '.join(known)}")
        if twice := _duplicates([rule.payer_type for rule in rules]):
            raise ValueError(f"payer types given twice: {', '.join(twice)}")
        return rules

    @model_validator(mode="after")
    def _appealable_once(self) -> ReasonCard:
        if self.appealable is None and not self.appeal_by_payer_type:
            raise ValueError(
                "say whether the denial can be appealed: appealable, or appeal_by_payer_type when it depends on the payer"
            )
        if self.appealable is not None and self.appeal_by_payer_type:
            raise ValueError(
                "appealable and appeal_by_payer_type both given: leave appealable out when the answer depends on the payer"
            )
        return self

    @model_validator(mode="after")
    def _code_is_of_this_kind(self) -> ReasonCard:
        parsed = parse_denial_code(self.code)
        if parsed.kind is not self.kind or parsed.group or parsed.code != self.code:
            raise ValueError(f"'{self.code}' is not a {self.kind.value.upper()} written in canonical form")
        for related in self.related_codes:
            parse_denial_code(related)
        return self


class CarcCard(ReasonCard):
    kind: ClassVar[CodeKind] = CodeKind.CARC


class RarcCard(ReasonCard):
    kind: ClassVar[CodeKind] = CodeKind.RARC


def _duplicates(codes: list[str]) -> list[str]:
    return sorted(code for code, count in Counter(codes).items() if count > 1)


class GroupCodeFile(ContentModel):
    """`content/denials/groups.yaml`."""

    groups: list[GroupCode] = Field(min_length=1)

    @model_validator(mode="after")
    def _each_group_once(self) -> GroupCodeFile:
        if twice := _duplicates([group.code for group in self.groups]):
            raise ValueError(f"group codes listed twice: {', '.join(twice)}")
        return self


class CarcFile(ContentModel):
    """`content/denials/carc.yaml`."""

    cards: list[CarcCard] = Field(min_length=1)

    @model_validator(mode="after")
    def _each_code_once(self) -> CarcFile:
        if twice := _duplicates([card.code for card in self.cards]):
            raise ValueError(f"CARCs carded twice: {', '.join(twice)}")
        return self

    @classmethod
    def check_bundle(cls, bundle: ContentBundle) -> list[ContentProblem]:
        return _related_codes_have_cards(bundle)


class RarcFile(ContentModel):
    """`content/denials/rarc.yaml`."""

    cards: list[RarcCard] = Field(min_length=1)

    @model_validator(mode="after")
    def _each_code_once(self) -> RarcFile:
        if twice := _duplicates([card.code for card in self.cards]):
            raise ValueError(f"RARCs carded twice: {', '.join(twice)}")
        return self


def reason_card_files(bundle: ContentBundle) -> list[tuple[str, CarcFile | RarcFile]]:
    """Both files of CARC and RARC cards, as (path relative to content/, file), CARCs first."""
    return [*bundle.of(CarcFile), *bundle.of(RarcFile)]


def _related_codes_have_cards(bundle: ContentBundle) -> list[ContentProblem]:
    """A "seen with" link to a code we have no card for would be a dead link on the site."""
    carded = {card.code for _, file in bundle.of(CarcFile) for card in file.cards}
    carded |= {card.code for _, file in bundle.of(RarcFile) for card in file.cards}
    problems = []
    for path, file in reason_card_files(bundle):
        for card in file.cards:
            for related in card.related_codes:
                if parse_denial_code(related).code not in carded:
                    problems.append(
                        ContentProblem(path, 1, f"cards[{card.code}].related_codes", f"no card for {related}")
                    )
    return problems


class OfficialCode(BaseModel):
    """One row of an operator's licensed CARC or RARC list. Kept apart from our cards and never
    shipped in `content/`: the description is X12's text and belongs to whoever licensed it."""

    model_config = ConfigDict(extra="forbid")

    kind: CodeKind
    code: str
    description: str
    start_date: date | None = None
    last_modified: date | None = None
    stop_date: date | None = None

    def active_on(self, day: date) -> bool:
        started = self.start_date is None or self.start_date <= day
        return started and (self.stop_date is None or day <= self.stop_date)
