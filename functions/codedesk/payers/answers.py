"""What the payer service answers: the shapes the payers API returns (notes for other domains: notes.py)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from codedesk.payers.models import (
    CodeRule,
    CommonDenial,
    ModifierRule,
    PayerSheet,
    PayerType,
    PriorAuthorization,
    TimelyFiling,
)


class Freshness(BaseModel):
    """How old a sheet is; `stale` once it is older than the allowed age."""

    verified_on: date
    age_days: int
    max_age_days: int
    stale: bool


class PayerSummary(BaseModel):
    payer_id: str
    name: str
    type: PayerType
    type_label: str
    verified_on: date
    stale: bool


class PayerList(BaseModel):
    items: list[PayerSummary]
    next_cursor: str | None = None


class PayerSheetAnswer(PayerSheet):
    """The whole sheet, every fact with its source, plus what a reader needs to trust it."""

    type_label: str
    freshness: Freshness
    sources: list[str]


class CodeRulesAnswer(BaseModel):
    """What a biller should know before sending `code` to this payer."""

    payer: PayerSummary
    code: str
    as_of: date | None = None  # the date of service asked about; rules are those in force that day
    message: str
    code_rules: list[CodeRule]
    general_rules: list[ModifierRule]
    denials: list[CommonDenial]
    timely_filing: TimelyFiling
    prior_auth: PriorAuthorization


class GridEntry(BaseModel):
    """One statement in a comparison cell, with its source and flags."""

    label: str | None = None
    text: str
    note: str | None = None
    source: str
    reviewed_on: date
    verify: bool
    contract_dependent: bool
    effective_from: date | None = None
    effective_to: date | None = None


class GridCell(BaseModel):
    payer_id: str
    entries: list[GridEntry]


class GridRow(BaseModel):
    topic: str
    label: str
    cells: list[GridCell]


class Comparison(BaseModel):
    payers: list[PayerSummary]
    rows: list[GridRow]
