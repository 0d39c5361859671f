"""Denial trends: the de-identified counts of recorded remits, and what they add up to.

A biller or supervisor may record a decoded 835 (`POST /api/denials/era?record=true`). What is kept
per check is counts only: the month and the ISO week of payment (2026-W47, never a day), the payer's name, the procedure code family, the
group and reason of each denial, and line counts and amounts. No account number, payer claim
number, member id, name, trace number or date of service is kept. A check recorded twice is counted
once: its item is keyed by a hash of its trace and claims (not the trace itself), written on
condition that it does not exist.

What counts as a denial follows the revenue-cycle measures guide: an adjustment of group CO, OA or
PI, except the contract and the plan working as agreed (CO-45 and the like, and every PR).

Items: PK `TRENDS#<team>`, SK `<month>#<hash>`: each clinic's counts apart; a period is one range query.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel

from codedesk.denials.remittance import Adjustment, Check, Claim, Remittance, ServiceLine
from codedesk.store.keys import Prefix, key
from codedesk.store.port import ConditionFailed, Item, Table, item_absent, sk_between


def trends_pk(team: str) -> str:
    return key(Prefix.TRENDS, team)


TrendBy = Literal["carc", "code_family", "payer", "month", "week"]
OVER_TIME = ("month", "week")
# Remits recorded before the week was kept count under their month in the weekly view.
NO_WEEK = "{month} (week not recorded)"
# Adjustments that are not denials (revenue-cycle-measures guide): the contract (45), the payment
# sequestration reduction (253) and a prior payer's adjudication (23).
NOT_DENIALS = frozenset({"45", "253", "23"})
DENYING_GROUPS = frozenset({"CO", "OA", "PI"})
# CLP02: processed as primary (and forwarded), or denied: the claim's first adjudication by the payer
# billed first, as far as a remit can tell.
PRIMARY_ADJUDICATION = frozenset({"1", "19", "4"})
# CLP02 22: the payer takes back an earlier payment. Not an adjudication (the guide's denominator):
# the claim was counted when it was paid, and its correction is counted when it comes.
REVERSAL = "22"
# CPT sections by code range (five-digit codes); HCPCS Level II by its letter.
CPT_FAMILIES = (
    ("00100", "01999", "CPT anesthesia"),
    ("10004", "69990", "CPT surgery"),
    ("70010", "79999", "CPT radiology"),
    ("80047", "89398", "CPT pathology and laboratory"),
    ("90281", "99199", "CPT medicine"),
    ("99202", "99499", "CPT evaluation and management"),
    ("99500", "99607", "CPT medicine"),
)


def code_family(code: str | None) -> str:
    if not code:
        return "no procedure code"
    if code[:1].isalpha():
        return f"HCPCS {code[0]}"
    if code.endswith("F"):
        return "CPT category II"
    if code.endswith("T"):
        return "CPT category III"
    return next((name for low, high, name in CPT_FAMILIES if low <= code <= high), "CPT other")


def is_denial(adjustment: Adjustment) -> bool:
    return adjustment.group in DENYING_GROUPS and adjustment.reason not in NOT_DENIALS


class TrendItem(BaseModel):
    key: str
    lines: int
    denied_lines: int
    denial_rate: float  # percent of lines
    billed: Decimal
    paid: Decimal
    denied_amount: Decimal
    underpaid_amount: Decimal  # below the fee schedule, for remits recorded with a payer's schedule


class ClaimRates(BaseModel):
    """The denial rate as the revenue-cycle measures guide defines it, over claims: denied in full or
    in part ÷ adjudicated (a reversal of an earlier payment is no adjudication), by count and by charges.

    Not the guide's clean-claim rate: that counts every claim submitted for the first time, and one a
    clearinghouse or payer rejected never reaches a remit, nor does a remit say whether a claim was a
    first submission. What a remit can say is its nearest figure, labelled as what it is: of the claims
    it adjudicated as primary payer (CLP02 1, 19, or 4 denied; not secondary, reversals or pricing),
    those with no denied line. Remits recorded before it was kept add to neither count."""

    claims: int
    denied_claims: int
    denial_rate_by_count: float
    charges: Decimal
    denied_charges: Decimal
    denial_rate_by_amount: float
    primary_claims: int
    primary_without_denial: int
    without_denial_rate: float  # percent of primary_claims


class TrendAnswer(BaseModel):
    team: str
    by: TrendBy
    reason: str | None = None
    first_month: str
    last_month: str
    checks: int
    claim_rates: ClaimRates
    items: list[TrendItem]


# ---------------------------------------------------------------------------- what is recorded


def _check_hash(check: Check, claims: list[Claim]) -> str:
    """Names a check (or the piece of one the page sent) without keeping its trace: the same upload
    gives the same hash, so recording it again counts nothing twice."""
    parts = [check.payer_name or "", check.trace_number or "", str(check.payment_date), str(check.payment)]
    parts += [f"{c.payer_claim_number}:{c.billed}:{c.paid}" for c in claims]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


Underpaid = dict[tuple[int, int], Decimal]  # (claim_index, line_index) → below the fee schedule by


def _rows(check: Check, claims: list[Claim], underpaid: Underpaid) -> tuple[list[list[Any]], list[list[Any]]]:
    """Line rows [payer, family, lines, denied lines, billed, paid, denied, underpaid] and reason rows
    [payer, family, group-CARC, denied lines, denied amount], summed per key."""
    payer = check.payer_name or "unnamed payer"
    lines: dict[str, list[Any]] = defaultdict(lambda: [0, 0, Decimal(0), Decimal(0), Decimal(0), Decimal(0)])
    reasons: dict[tuple[str, str], list[Any]] = defaultdict(lambda: [0, Decimal(0)])
    for claim in claims:
        units: list[ServiceLine | None] = list(claim.lines) or [None]  # no lines: the claim is its one line
        for position, line in enumerate(units):
            family = code_family(line.procedure_code) if line else "no service lines"
            adjustments = list(line.adjustments) if line else []
            if position == 0:
                adjustments += claim.adjustments  # claim-level adjustments go with the first line
            denials = [a for a in adjustments if is_denial(a)]
            row = lines[family]
            row[0] += 1
            row[1] += bool(denials)
            row[2] += (line.billed if line else claim.billed) or Decimal(0)
            row[3] += (line.paid if line else claim.paid) or Decimal(0)
            row[4] += sum((a.amount for a in denials), Decimal(0))
            if line is not None:
                row[5] += underpaid.get((claim.claim_index, line.line_index), Decimal(0))
            for reason in {f"{a.group}-{a.reason}" for a in denials}:
                reasons[(family, reason)][0] += 1
            for a in denials:
                reasons[(family, f"{a.group}-{a.reason}")][1] += a.amount
    return (
        [[payer, family, *(str(v) if isinstance(v, Decimal) else v for v in row)] for family, row in lines.items()],
        [[payer, family, reason, count, str(amount)] for (family, reason), (count, amount) in reasons.items()],
    )


def trend_items(team: str, remittance: Remittance, today: date, underpaid: Underpaid) -> Iterator[Item]:
    by_check: dict[int, list[Claim]] = defaultdict(list)
    for claim in remittance.claims:
        by_check[claim.check_index].append(claim)
    for check in remittance.checks:
        claims = by_check.get(check.check_index, [])
        if not claims:
            continue
        paid_on = check.payment_date or today
        month = paid_on.strftime("%Y-%m")
        year, week, _ = paid_on.isocalendar()
        line_rows, reason_rows = _rows(check, claims, underpaid)
        adjudicated = [c for c in claims if c.status != REVERSAL]
        denied = [c for c in adjudicated if _denied(c)]
        primary = [c for c in claims if c.status in PRIMARY_ADJUDICATION]
        yield {
            "PK": trends_pk(team),
            "SK": f"{month}#{_check_hash(check, claims)}",
            "month": month,
            "week": f"{year}-W{week:02d}",
            "lines": line_rows,
            "reasons": reason_rows,
            # claims, denied claims, their charges, the denied claims' charges, claims adjudicated as
            # primary, of which with no denied line
            "claims": [
                len(adjudicated),
                len(denied),
                str(_charges(adjudicated)),
                str(_charges(denied)),
                len(primary),
                sum(not _denied(c) for c in primary),
            ],
        }


def _denied(claim: Claim) -> bool:
    return any(is_denial(a) for a in claim.all_adjustments())


def _charges(claims: list[Claim]) -> Decimal:
    return sum((claim.billed or Decimal(0) for claim in claims), Decimal(0))


def record_remittance(
    table: Table, team: str, remittance: Remittance, today: date, underpaid: Underpaid | None = None
) -> tuple[int, int]:
    """(checks recorded, checks already recorded before). `underpaid`: the lines a fee schedule
    comparison found paid below it, and by how much."""
    recorded = again = 0
    for item in trend_items(team, remittance, today, underpaid or {}):
        try:
            table.put(item, condition=item_absent())
            recorded += 1
        except ConditionFailed:
            again += 1
    return recorded, again


# ------------------------------------------------------------------------------ what it says


def period(today: date, first: str | None, last: str | None, by: TrendBy = "carc") -> tuple[str, str]:
    """The months asked for (YYYY-MM); by default the twelve months up to this one, or for the weekly
    view the three (some thirteen weeks: a quarter, week by week). A week that runs over the first or
    last month counts only the checks paid inside the months asked for."""
    last = last or today.strftime("%Y-%m")
    if first is None:
        back = 2 if by == "week" else 11
        index = int(last[:4]) * 12 + int(last[5:]) - 1 - back
        first = f"{index // 12:04d}-{index % 12 + 1:02d}"
    return first, last


def _recorded(table: Table, team: str, first_month: str, last_month: str) -> Iterator[Item]:
    cursor = None
    while True:
        page = table.query(trends_pk(team), sk=sk_between(f"{first_month}#", f"{last_month}#~"), cursor=cursor)
        yield from page.items
        cursor = page.cursor
        if cursor is None:
            return


def _key_of(by: TrendBy, item: Item, row: list[Any]) -> str:
    if by == "week":
        return str(item.get("week") or NO_WEEK.format(month=item["month"]))
    return {"payer": row[0], "code_family": row[1], "month": item["month"], "carc": row[2] if len(row) == 5 else ""}[by]


def trends(
    table: Table, team: str, by: TrendBy, first_month: str, last_month: str, reason: str | None = None
) -> TrendAnswer:
    """Lines and amounts per key; with `reason` (a group and CARC, e.g. CO-50) the denied lines and
    amounts are that reason's only, so a month-by-month view shows whether training moved it."""
    totals: dict[str, list[Any]] = defaultdict(lambda: [0, 0, Decimal(0), Decimal(0), Decimal(0), Decimal(0)])
    all_lines, checks = 0, 0
    count = denied_count = primary = primary_clean = 0
    charges = denied_charges = Decimal(0)
    one_reason = reason is not None and by != "carc"
    for item in _recorded(table, team, first_month, last_month):
        checks += 1
        claimed, denied_claims, charged, denied_charged, *first = item.get("claims", [0, 0, "0", "0"])
        if first:
            primary, primary_clean = primary + int(first[0]), primary_clean + int(first[1])
        count, denied_count = count + int(claimed), denied_count + int(denied_claims)
        charges += Decimal(str(charged))
        denied_charges += Decimal(str(denied_charged))
        for row in item["lines"]:
            all_lines += int(row[2])
            if by == "carc":
                continue
            total = totals[_key_of(by, item, row)]
            total[0] += int(row[2])
            total[1] += 0 if one_reason else int(row[3])
            total[2] += Decimal(str(row[4]))
            total[3] += Decimal(str(row[5]))
            total[4] += Decimal(0) if one_reason else Decimal(str(row[6]))
            total[5] += Decimal(str(row[7])) if len(row) > 7 else Decimal(0)
        for row in item["reasons"]:
            if by == "carc" or (one_reason and row[2] == reason):
                total = totals[_key_of(by, item, row)]
                total[1] += int(row[3])
                total[4] += Decimal(str(row[4]))
    if by == "carc" and reason is not None:
        totals = {key_: total for key_, total in totals.items() if key_ == reason}
    items = []
    for name, (lines, denied, billed, paid, amount, underpaid) in totals.items():
        lines = all_lines if by == "carc" else lines
        rate = round(100.0 * denied / lines, 1) if lines else 0.0
        items.append(TrendItem(key=name, lines=lines, denied_lines=denied, denial_rate=rate, billed=billed,
                               paid=paid, denied_amount=amount, underpaid_amount=underpaid))  # fmt: skip
    order = (lambda i: i.key) if by in OVER_TIME else (lambda i: (-i.denied_amount, i.key))
    rates = ClaimRates(
        claims=count,
        denied_claims=denied_count,
        denial_rate_by_count=round(100.0 * denied_count / count, 1) if count else 0.0,
        charges=charges,
        denied_charges=denied_charges,
        denial_rate_by_amount=round(float(100 * denied_charges / charges), 1) if charges else 0.0,
        primary_claims=primary,
        primary_without_denial=primary_clean,
        without_denial_rate=round(100.0 * primary_clean / primary, 1) if primary else 0.0,
    )
    return TrendAnswer(
        team=team, by=by, reason=reason, first_month=first_month, last_month=last_month, checks=checks, claim_rates=rates,
        items=sorted(items, key=order),
    )  # fmt: skip


def trends_csv(answer: TrendAnswer) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [answer.by, "lines", "denied lines", "denial rate %", "billed", "paid", "denied amount", "underpaid amount"]
    )
    for item in answer.items:
        row: Iterable[Any] = (item.key, item.lines, item.denied_lines, item.denial_rate, item.billed, item.paid,
                              item.denied_amount, item.underpaid_amount)  # fmt: skip
        writer.writerow(row)
    return out.getvalue()
