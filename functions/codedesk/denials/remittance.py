"""A decoded X12 835 remittance: checks, claims, lines, adjustments and remarks.

The models carry what a biller needs to find each claim in the billing system — the patient account
number (CLP01), the payer's claim control number (CLP07), the check's trace number, payer and date —
and never a patient's name, member ID or date of service. The answer goes back to the person who
uploaded the file and nowhere else: nothing of it is stored or logged. Decoding lives in era.py
(pyx12), imported only when a remittance is decoded, so the rest of the denials function starts
without it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

# Why a limit: the whole body is held in memory, and the answer (a few times the upload) must stay
# far inside Lambda's 6 MB response. 256 KiB is some 10,000 segments — about 1,300 claims, more than
# a clinic's daily remittance — and decodes in well under a second (tests/benchmarks/bench_era.py).
# The explainer page splits a larger file by check (ST/SE) and sends each part on its own.
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
    """Something irregular that did not stop decoding (a line without its code, a wrong SE count, a
    separator other than the declared one), in a biller's words, with the segment it was found at."""

    segment: str
    position: int
    element: str | None = None
    issue: str
    claim_index: int | None = Field(default=None, description="the claim it concerns, if any")
    line_index: int | None = Field(default=None, description="the service line of that claim, if any")


class Adjustment(EraModel):
    group: str
    reason: str
    amount: Money
    quantity: Quantity | None = None
    card_key: str | None = Field(default=None, description="key of this CARC's card in the answer's `cards`")
    group_card_key: str | None = Field(default=None, description="key of the group code's card in `cards`")


class Remark(EraModel):
    code: str
    found_in: str = Field(description="LQ (service line), MOA (outpatient claim) or MIA (inpatient claim)")
    card_key: str | None = Field(default=None, description="key of this RARC's card in the answer's `cards`")


class ServiceLine(EraModel):
    line_index: int
    procedure: str | None = Field(description="the billed procedure as qualifier:code:modifiers, e.g. HC:99213:25")
    procedure_qualifier: str | None = Field(default=None, description="HC (CPT/HCPCS), NU (revenue code), …")
    procedure_code: str | None = None
    modifiers: list[str] = Field(default_factory=list)
    billed: Money | None
    paid: Money | None
    units: Quantity | None = None
    adjustments: list[Adjustment] = Field(default_factory=list)
    remarks: list[Remark] = Field(default_factory=list)
    balances: bool | None = Field(
        default=None, description="billed − paid = the line's adjustments; null if an amount is missing"
    )


class Claim(EraModel):
    claim_index: int
    check_index: int = Field(default=1, description="the check (payment, ST…SE) this claim was paid on")
    account_number: str | None = Field(default=None, description="the patient account number you billed (CLP01)")
    payer_claim_number: str | None = Field(default=None, description="the payer's claim control number (CLP07)")
    status: str
    status_words: str
    billed: Money | None
    paid: Money | None
    patient_responsibility: Money | None = Field(default=None, description="what the patient owes (CLP05)")
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
    The reference (PLB03-2) is what the payer points at: often the claim control number of the claim
    whose overpayment is recovered."""

    check_index: int = 1
    reason: str = Field(description="PLB adjustment reason, e.g. WO (overpayment recovery), L6 (interest)")
    reason_words: str = Field(default="", description="what the reason means and what to do, in our words")
    reference: str | None = Field(default=None, description="PLB03-2, e.g. the claim the money was recovered for")
    amount: Money = Field(description="positive: taken from the payment; negative: added to it")


class Check(EraModel):
    """One payment (an ST…SE transaction): the check or EFT a biller posts, and how to find it."""

    check_index: int
    version: Literal["5010", "4010A1"] = Field(description="the 835 version the file declares (GS08)")
    payer_name: str | None = Field(description="N1*PR")
    trace_number: str | None = Field(description="the check or EFT trace number (TRN02)")
    payment_date: date | None = Field(description="the check or EFT date (BPR16; else the production date DTM*405)")
    payment_method: str | None = Field(description="BPR04: CHK, ACH, BOP, FWT or NON")
    payment_method_words: str | None = None
    payment: Money | None = Field(description="the amount of this check (BPR02)")
    claims: int = 0
    provider_adjustments: list[ProviderAdjustment] = Field(default_factory=list)
    payment_balances: bool | None = Field(
        default=None, description="payment = its claims paid − its provider adjustments; null without BPR02"
    )


class ReasonTotal(EraModel):
    reason: str = Field(description="group and CARC, e.g. CO-45")
    count: int
    amount: Money


class EraSummary(EraModel):
    checks: int = 1
    claims: int
    service_lines: int
    billed: Money
    paid: Money
    adjusted: Money
    patient_responsibility: Money = Field(default=Decimal("0"), description="the claims' CLP05, added up")
    claims_not_balancing: list[int] = Field(description="claim_index of claims whose amounts do not add up")
    payment: Money | None = Field(description="the payment of the remittance (BPR02, every check added up)")
    provider_adjustments: list[ProviderAdjustment]
    payment_balances: bool | None = Field(
        description="every check's payment = its claims paid − its provider adjustments; null without BPR02"
    )
    top_reasons: list[ReasonTotal] = Field(description="by count, then amount")
    top_reasons_by_amount: list[ReasonTotal]


class Remittance(EraModel):
    checks: list[Check] = Field(default_factory=list)
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
