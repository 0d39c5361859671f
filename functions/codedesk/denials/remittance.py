"""A decoded X12 835 remittance: claims, lines, adjustments and remarks, with money and codes only.

The models carry no patient names, identifiers or dates. Decoding lives in era.py (pyx12), imported
only when a remittance is decoded, so the rest of the denials function starts without it.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

from codedesk.denials.cards import DenialCard

# Why a limit: the whole body is held in memory and pyx12 walks it segment by segment, about
# 2,500-5,000 segments a second on one core (measured here). 256 KiB is some 6,000 segments — about
# 550 claims, more than a clinic's daily remittance — and decodes in 1.5-3 s on one full core (the
# denials function needs about one vCPU to stay inside its timeout). A larger remit is split by
# check (ST/SE).
MAX_ERA_BYTES = 256 * 1024

Money = Annotated[Decimal, PlainSerializer(float, return_type=float, when_used="json")]
Quantity = Annotated[Decimal, PlainSerializer(float, return_type=float, when_used="json")]


class EraError(ValueError):
    """The 835 cannot be decoded. The message names the segment and its position, never a value."""

    def __init__(self, message: str, *, segment: str | None = None, position: int | None = None):
        super().__init__(message)
        self.message = message
        self.segment = segment
        self.position = position

    def details(self) -> list[dict[str, Any]]:
        return [{"segment": self.segment, "position": self.position}] if self.segment else []


class EraTooLarge(EraError):
    """The body is larger than `MAX_ERA_BYTES`."""


class EraModel(BaseModel):
    """Base of the remittance models: built on first use, by the one route that decodes an 835 (as
    pyx12 is imported only there), so the denials function's other requests start without them."""

    model_config = ConfigDict(defer_build=True)


class Problem(EraModel):
    """Something pyx12 flagged that did not stop decoding (e.g. a wrong SE segment count)."""

    segment: str
    position: int
    element: str | None = None
    issue: str


class Adjustment(EraModel):
    group: str
    reason: str
    amount: Money
    quantity: Quantity | None = None
    who_pays: str | None = None
    card: DenialCard | None = None


class Remark(EraModel):
    code: str
    found_in: str = Field(description="LQ (service line), MOA (outpatient claim) or MIA (inpatient claim)")
    card: DenialCard | None = None


class ServiceLine(EraModel):
    line_index: int
    procedure: str | None = Field(description="the billed procedure, e.g. HC:99213:25 (codes only)")
    billed: Money | None
    paid: Money | None
    units: Quantity | None = None
    adjustments: list[Adjustment] = Field(default_factory=list)
    remarks: list[Remark] = Field(default_factory=list)


class Claim(EraModel):
    claim_index: int
    status: str
    status_words: str
    billed: Money | None
    paid: Money | None
    patient_responsibility: Money | None = None
    adjustments: list[Adjustment] = Field(default_factory=list, description="claim-level CAS")
    remarks: list[Remark] = Field(default_factory=list)
    lines: list[ServiceLine] = Field(default_factory=list)
    adjustment_total: Money = Decimal("0")
    balances: bool | None = Field(
        default=None, description="billed − paid = every adjustment (claim and lines); null if an amount is missing"
    )

    def all_adjustments(self) -> Iterator[Adjustment]:
        yield from self.adjustments
        for line in self.lines:
            yield from line.adjustments

    def all_remarks(self) -> Iterator[Remark]:
        yield from self.remarks
        for line in self.lines:
            yield from line.remarks


class ProviderAdjustment(EraModel):
    """A provider-level adjustment (PLB): money taken or added outside any claim, e.g. a recoupment.
    Only the reason and amount are kept; PLB's reference may quote a patient account number."""

    reason: str = Field(description="PLB adjustment reason, e.g. WO (overpayment recovery), L6 (interest)")
    amount: Money = Field(description="positive: taken from the payment; negative: added to it")


class ReasonTotal(EraModel):
    reason: str = Field(description="group and CARC, e.g. CO-45")
    count: int
    amount: Money


class EraSummary(EraModel):
    claims: int
    service_lines: int
    billed: Money
    paid: Money
    adjusted: Money
    claims_not_balancing: list[int] = Field(description="claim_index of claims whose amounts do not add up")
    payment: Money | None = Field(description="the payment of the remittance (BPR02)")
    provider_adjustments: list[ProviderAdjustment]
    payment_balances: bool | None = Field(
        description="payment = claims paid − provider adjustments; null without BPR02"
    )
    top_reasons: list[ReasonTotal] = Field(description="by count, then amount")
    top_reasons_by_amount: list[ReasonTotal]


class Remittance(EraModel):
    claims: list[Claim]
    summary: EraSummary
    problems: list[Problem] = Field(default_factory=list)


# ----------------------------------------------------------------------------------- reading


def codes_in(remittance: Remittance) -> tuple[set[str], set[str]]:
    """Every CARC and RARC the remittance uses, to fetch their cards in one batch."""
    reasons: set[str] = set()
    remarks: set[str] = set()
    for claim in remittance.claims:
        reasons.update(adjustment.reason for adjustment in claim.all_adjustments())
        remarks.update(remark.code for remark in claim.all_remarks())
    return reasons, remarks
