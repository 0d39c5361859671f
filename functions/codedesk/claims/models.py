"""A claim as the check reads it, and the edits it answers (API.md, "Claims, measures, audits").

Nothing of a claim is stored or logged: these models live for one request.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

MAX_LINES = 50
MAX_DIAGNOSES = 12
MAX_MODIFIERS = 4

Severity = Literal["error", "warning", "info"]
Sex = Literal["female", "male", "unknown"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _code(value: str) -> str:
    return value.strip().upper()


class Patient(Strict):
    age: int = Field(ge=0, le=124, description="age in whole years on the date of service (0 for a newborn)")
    sex: Sex = "unknown"


class ClaimLine(Strict):
    code: str = Field(min_length=1, max_length=10, pattern=r"^\s*[A-Za-z0-9]{5}\s*$", description="CPT or HCPCS")
    modifiers: list[str] = Field(default_factory=list, max_length=MAX_MODIFIERS)
    units: int = Field(default=1, ge=1, le=9999)
    diagnosis_pointers: list[int] = Field(default_factory=list, max_length=4)

    @field_validator("code")
    @classmethod
    def _upper(cls, value: str) -> str:
        return _code(value)

    @field_validator("modifiers")
    @classmethod
    def _modifiers(cls, value: list[str]) -> list[str]:
        cleaned = [_code(m) for m in value]
        for modifier in cleaned:
            if len(modifier) != 2 or not modifier.isalnum():
                raise ValueError(f"{modifier!r} is not a modifier: two letters or digits, e.g. 25 or GA")
        return cleaned

    @field_validator("diagnosis_pointers")
    @classmethod
    def _pointers(cls, value: list[int]) -> list[int]:
        for pointer in value:
            if not 1 <= pointer <= MAX_DIAGNOSES:
                raise ValueError(f"a diagnosis pointer is 1 to {MAX_DIAGNOSES}, not {pointer}")
        return value


class ClaimCheckRequest(Strict):
    date_of_service: date
    patient: Patient
    payer_id: str | None = Field(default=None, max_length=80, pattern=r"^[a-z0-9][a-z0-9-]*$")
    diagnoses: list[str] = Field(max_length=MAX_DIAGNOSES, description=f"first-listed first; at most {MAX_DIAGNOSES}")
    lines: list[ClaimLine] = Field(min_length=1, max_length=MAX_LINES, description=f"at most {MAX_LINES}")

    @field_validator("diagnoses")
    @classmethod
    def _diagnoses(cls, value: list[str]) -> list[str]:
        cleaned = [_code(d) for d in value]
        for code in cleaned:
            if not 3 <= len(code.replace(".", "")) <= 7 or not code.replace(".", "").isalnum():
                raise ValueError(f"{code!r} is not an ICD-10-CM code: 3 to 7 letters and digits, e.g. E11.9")
        return cleaned


class DenialLink(Strict):
    """The remit code the edit would cause, and its card on the site."""

    code: str  # e.g. CO-236
    url: str


class TopicLink(Strict):
    """Where to learn the rule: the quiz on the topic and the guide section."""

    topic: str
    quiz_url: str
    guide_url: str


class Edit(Strict):
    severity: Severity
    rule: str  # a stable name, e.g. ncci_ptp, dx_excludes1
    codes: list[str]
    message: str
    fix: str
    denial: DenialLink | None = None
    topic: TopicLink | None = None
    source: str | None = None  # where the rule comes from (guideline section, edit file and quarter, payer sheet)


class CheckAnswer(Strict):
    edits: list[Edit]
    checked: list[str]  # what was checked, so a clean claim says what "clean" covers
