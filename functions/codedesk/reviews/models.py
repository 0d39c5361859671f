"""The release calendar's content models and the dated releases generated from them.

`content/calendar/releases.yaml` holds *rules* ("HCPCS Level II changes on the 1st of January, April,
July and October"), never dated releases, so the file does not go stale; `calendar.py` turns the
rules into the releases of any year.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from codedesk.content.facts import ContentModel, Sourced
from codedesk.content.problems import ContentProblem

QUARTER_MONTHS = (1, 4, 7, 10)


class ReleaseCodeSet(StrEnum):
    """What changes on a release date. The first three have a code lookup with a "what changed" page."""

    ICD10CM = "ICD10CM"
    HCPCS = "HCPCS"
    CPT = "CPT"
    ICD10PCS = "ICD10PCS"
    NCCI_PTP = "NCCI_PTP"
    NCCI_MUE = "NCCI_MUE"
    CARC_RARC = "CARC_RARC"


CODE_SETS_WITH_CHANGES_PAGE = frozenset({ReleaseCodeSet.ICD10CM, ReleaseCodeSet.HCPCS, ReleaseCodeSet.CPT})

# The Cognito groups of DESIGN.md; a review is attended by people in these roles.
Role = Literal["receptionist", "coder", "biller", "supervisor", "compliance", "finance"]


class ReleaseRule(Sourced):
    """One recurring release of a code set: it takes effect on the 1st of each listed month."""

    id_prefix: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    code_set: ReleaseCodeSet
    name: str = Field(min_length=3)
    effective_months: list[int] = Field(min_length=1)
    id_style: Literal["month", "quarter"] = "month"
    published_months_before: int = Field(default=0, ge=0, le=12)
    conditional: bool = False
    note: str | None = None

    @field_validator("effective_months")
    @classmethod
    def _months_are_months(cls, months: list[int]) -> list[int]:
        wrong = [m for m in months if not 1 <= m <= 12]
        if wrong:
            raise ValueError(f"months must be 1 to 12, got {wrong}")
        if len(set(months)) != len(months):
            raise ValueError(f"a month is listed twice in {months}")
        return sorted(months)

    @model_validator(mode="after")
    def _quarter_ids_need_quarter_months(self) -> ReleaseRule:
        if self.id_style == "quarter" and any(m not in QUARTER_MONTHS for m in self.effective_months):
            raise ValueError(
                f"id_style 'quarter' needs effective months among {list(QUARTER_MONTHS)}, "
                f"got {self.effective_months}; use id_style 'month'"
            )
        return self


class ReleaseRules(ContentModel):
    """`content/calendar/releases.yaml`."""

    rules: list[ReleaseRule] = Field(min_length=1)

    @model_validator(mode="after")
    def _release_ids_are_unique(self) -> ReleaseRules:
        # Two rules with the same prefix may share it only on different months, or a release id
        # (and so an iCalendar UID and a review key) would name two releases.
        seen: dict[tuple[str, int], str] = {}
        for rule in self.rules:
            for month in rule.effective_months:
                slot = (rule.id_prefix, month)
                if slot in seen:
                    raise ValueError(
                        f"rules {seen[slot]!r} and {rule.name!r} both make release ids "
                        f"'{rule.id_prefix}-<year>-…' for month {month}; give one a different id_prefix"
                    )
                seen[slot] = rule.name
        return self

    @classmethod
    def check_bundle(cls, bundle) -> list[ContentProblem]:
        """The generator needs one review policy that names the attendees of every released code set."""
        problems = []
        policies = bundle.of(ReviewPolicy)
        for rules_path, rules in bundle.of(cls):
            if len(policies) != 1:
                problems.append(
                    ContentProblem(rules_path, 1, "", "the release calendar needs calendar/review_policy.yaml")
                )
                continue
            policy_path, policy = policies[0]
            missing = sorted({rule.code_set for rule in rules.rules} - set(policy.attendees))
            if missing:
                problems.append(
                    ContentProblem(
                        policy_path, 1, "attendees", f"no attendees for {', '.join(missing)} (released in {rules_path})"
                    )
                )
        return problems


class ReviewPolicy(ContentModel):
    """`content/calendar/review_policy.yaml`: the clinic's own decision, so it has no `source`."""

    review_within_days: int = Field(ge=1, le=31)
    duration_minutes: int = Field(ge=5, le=240)
    attendees: dict[ReleaseCodeSet, list[Role]]
    reviewed_on: date


class CalendarRelease(BaseModel):
    """One dated release and the review that follows it; also the `/api/releases` item."""

    model_config = ConfigDict(extra="forbid")

    release_id: str
    code_set: ReleaseCodeSet
    title: str
    effective_on: date
    published_on: date | None = None
    review_due_on: date
    changes_url: str | None = None
    attendees: list[str]
    conditional: bool = False
    verify: bool = False
    note: str | None = None
    source: str

    def caveats(self) -> list[str]:
        """What a reader must know about the date: a release only some years, a date still to verify."""
        return [text for flag, text in ((self.conditional, "if issued"), (self.verify, "date to verify")) if flag]
