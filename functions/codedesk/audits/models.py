"""An audit as compliance records it, and the scorecard it feeds (API.md, "Claims, measures, audits").

An encounter is named by an opaque audit reference the auditor chooses (A-07, say), never by a
patient identifier: no name, account, member id or date of service is taken or kept.
"""

from __future__ import annotations

import re
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

BENCHMARK = 95.0  # percent of encounters coded as documented; the common coding-accuracy target
MAX_ENCOUNTERS = 50
MAX_CODES = 20
_MONTH = r"^20[0-9]{2}-(0[1-9]|1[0-2])$"
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9.]{1,9}$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _codes(value: list[str]) -> list[str]:
    cleaned = sorted({code.strip().upper() for code in value if code.strip()})
    for code in cleaned:
        if not _CODE.match(code):
            raise ValueError(f"{code!r} is not a code (letters, digits and a dot, e.g. 99213 or E11.9)")
    return cleaned


class Encounter(Strict):
    ref: str = Field(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,19}$",
        description="an opaque audit reference (A-07), never a patient name, account or member id",
    )
    billed: list[str] = Field(max_length=MAX_CODES, description="the codes on the claim")
    supported: list[str] = Field(max_length=MAX_CODES, description="the codes the documentation supports")

    _billed = field_validator("billed")(_codes)
    _supported = field_validator("supported")(_codes)

    @property
    def correct(self) -> bool:
        return self.billed == self.supported


class AuditRequest(Strict):
    month: str = Field(pattern=_MONTH, description="the month audited, YYYY-MM")
    provider: str = Field(min_length=1, max_length=80, description="the rendering provider audited")
    coder: str = Field(min_length=1, max_length=128, description="the coder's user_id in the staff directory")
    encounters: list[Encounter] = Field(min_length=1, max_length=MAX_ENCOUNTERS)

    @field_validator("provider", "coder")
    @classmethod
    def _trimmed(cls, value: str) -> str:
        value = " ".join(value.split())
        if not value:
            raise ValueError("may not be blank")
        return value

    @field_validator("encounters")
    @classmethod
    def _distinct_refs(cls, value: list[Encounter]) -> list[Encounter]:
        refs = [e.ref.upper() for e in value]
        twice = sorted({r for r in refs if refs.count(r) > 1})
        if twice:
            raise ValueError(f"each encounter once: {', '.join(twice)} appear(s) twice")
        return value


class Miss(Strict):
    ref: str
    billed: list[str]
    supported: list[str]
    not_supported: list[str]  # billed without documentation: overcoding or a wrong code
    not_billed: list[str]  # documented but not billed: undercoding or a missed code


class AuditAnswer(Strict):
    audit_id: str
    team: str
    month: str
    provider: str
    coder: str
    coder_name: str
    recorded_by: str
    recorded_at: datetime
    encounters: int
    correct: int
    accuracy: float  # percent of encounters coded as documented
    meets_benchmark: bool
    misses: list[Miss]
    review_cards: int = 0  # questions the misses put in the coder's "Review my misses"
    no_question_for: list[str] = []  # missed codes no published question teaches yet


class ScoreLine(Strict):
    provider: str
    coder: str
    coder_name: str
    audits: int
    encounters: int
    accuracy: float
    meets_benchmark: bool
    misses: int


class CodeMisses(Strict):
    code: str
    times: int  # encounters where this code was billed without support or documented but not billed


class MonthAccuracy(Strict):
    month: str
    encounters: int
    accuracy: float


class AuditSummary(Strict):
    team: str
    month: str
    benchmark: float = BENCHMARK
    items: list[ScoreLine]
    codes_most_often_wrong: list[CodeMisses]
    trend: list[MonthAccuracy]  # the twelve months up to `month`, oldest first, months with audits only
