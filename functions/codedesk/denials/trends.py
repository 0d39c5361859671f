"""Denial trends: the de-identified counts of recorded remits, and what they add up to.

A biller or supervisor may record a decoded 835 (`POST /api/denials/era?record=true`). What is kept
per check is counts only: the month and the ISO week of payment (2026-W47, never a day), the payer's name, the procedure code family, the
group and reason of each denial, and line counts and amounts. No account number, payer claim
number, member id, name, trace number or date of service is kept. A check recorded twice is counted
once: its item is keyed by a hash of its trace and claims (not the trace itself), written on
condition that it does not exist.

What counts as a denial follows the revenue-cycle measures guide: an adjustment of group CO, OA or
PI, except the contract and the plan working as agreed (CO-45 and the like, and every PR). A negative
adjustment is the payer paying more than the balance (OA-94 -9.00 on a secondary claim): money
added, never a denial. A reversal (CLP02 22) takes back an earlier payment: its lines are counted
apart, as reversed lines and the amount taken back, in the period the reversal was paid, and never as
lines or denials; the claim was counted when it was adjudicated, and its corrected claim is counted
when it comes.

Items: PK `TRENDS#<team>`, SK `<month>#<hash>`: each clinic's counts apart; a period is one range query
(a range of weeks reads the months its days touch and keeps the checks paid in those weeks).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Literal, NamedTuple

from pydantic import BaseModel

from codedesk.denials.remittance import Adjustment, Check, Claim, Remittance, ServiceLine
from codedesk.errors import Invalid
from codedesk.store.keys import Prefix, key
from codedesk.store.port import ConditionFailed, Item, Table, item_absent, sk_between


def trends_pk(team: str) -> str:
    return key(Prefix.TRENDS, team)


TrendBy = Literal["carc", "code_family", "payer", "month", "week"]
Over = Literal["month", "week"]
OVER_TIME = ("month", "week")
WEEK = re.compile(r"^\d{4}-W\d{2}$")
# A period-by-period chart lists every week or month of a span up to this many (a year of weeks and
# some); a longer span lists the periods with a recorded check only.
MAX_CHART_PERIODS = 60
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
    return adjustment.group in DENYING_GROUPS and adjustment.reason not in NOT_DENIALS and adjustment.amount > 0


class PeriodFigures(BaseModel):
    period: str
    lines: int
    denied_lines: int
    denial_rate: float  # percent of lines
    denied_amount: Decimal


class TrendItem(BaseModel):
    key: str
    lines: int
    denied_lines: int
    denial_rate: float  # percent of lines
    billed: Decimal
    paid: Decimal
    denied_amount: Decimal
    underpaid_amount: Decimal  # below the fee schedule, for remits recorded with a payer's schedule
    reversed_lines: int  # lines of reversals (CLP02 22): apart, never in `lines` or the denials
    reversed_amount: Decimal  # the earlier payments those reversals took back
    periods: list[PeriodFigures] | None = None  # with `over`: the same key period by period


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
    reversed_claims: int  # reversals of earlier payments (CLP02 22), none of them in `claims`
    reversed_amount: Decimal  # what they took back


class TrendAnswer(BaseModel):
    team: str
    by: TrendBy
    reason: str | None = None
    first_month: str
    last_month: str
    first_week: str | None = None  # a range asked for in ISO weeks
    last_week: str | None = None
    over: Over | None = None
    periods: list[str] | None = None  # with `over`: every period of the span, in order (_chart_periods)
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
Rows = list[list[Any]]


def _family(line: ServiceLine | None) -> str:
    return code_family(line.procedure_code) if line else "no service lines"


def _rows(check: Check, claims: list[Claim], underpaid: Underpaid) -> tuple[Rows, Rows, Rows]:
    """Line rows [payer, family, lines, denied lines, billed, paid, denied, underpaid], reason rows
    [payer, family, group-CARC, denied lines, denied amount] and reversal rows [payer, family, lines,
    taken back], summed per key."""
    payer = check.payer_name or "unnamed payer"
    lines: dict[str, list[Any]] = defaultdict(lambda: [0, 0, Decimal(0), Decimal(0), Decimal(0), Decimal(0)])
    reasons: dict[tuple[str, str], list[Any]] = defaultdict(lambda: [0, Decimal(0)])
    reversals: dict[str, list[Any]] = defaultdict(lambda: [0, Decimal(0)])
    for claim in claims:
        units: list[ServiceLine | None] = list(claim.lines) or [None]  # no lines: the claim is its one line
        if claim.status == REVERSAL:
            for line in units:
                reversal = reversals[_family(line)]
                reversal[0] += 1
                reversal[1] -= (line.paid if line else claim.paid) or Decimal(0)  # paid is negative: taken back
            continue
        for position, line in enumerate(units):
            family = _family(line)
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
        [[payer, family, count, str(amount)] for family, (count, amount) in reversals.items()],
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
        line_rows, reason_rows, reversal_rows = _rows(check, claims, underpaid)
        adjudicated = [c for c in claims if c.status != REVERSAL]
        denied = [c for c in adjudicated if _denied(c)]
        primary = [c for c in claims if c.status in PRIMARY_ADJUDICATION]
        yield {
            "PK": trends_pk(team),
            "SK": f"{month}#{_check_hash(check, claims)}",
            "month": month,
            "week": _week_of(paid_on),
            "lines": line_rows,
            "reasons": reason_rows,
            "reversed": reversal_rows,
            # claims, denied claims, their charges, the denied claims' charges, claims adjudicated as
            # primary, of which with no denied line, reversals
            "claims": [
                len(adjudicated),
                len(denied),
                str(_charges(adjudicated)),
                str(_charges(denied)),
                len(primary),
                sum(not _denied(c) for c in primary),
                len(claims) - len(adjudicated),
            ],
        }


def _denied(claim: Claim) -> bool:
    return any(is_denial(a) for a in claim.all_adjustments())


def _charges(claims: list[Claim]) -> Decimal:
    return sum((claim.billed or Decimal(0) for claim in claims), Decimal(0))


def _week_of(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


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


class Span(NamedTuple):
    """The months to read; with a range of ISO weeks, the months they touch, and then only the checks
    paid in those weeks count."""

    first_month: str
    last_month: str
    first_week: str | None = None
    last_week: str | None = None

    def holds(self, item: Item) -> bool:
        if self.first_week is None or self.last_week is None:
            return True
        week = item.get("week")  # a check recorded before weeks were kept has none: months only
        return week is not None and self.first_week <= str(week) <= self.last_week


def _monday(week: str) -> date:
    try:
        return date.fromisocalendar(int(week[:4]), int(week[6:]), 1)
    except ValueError:
        raise Invalid(f"{week}: {week[:4]} has no ISO week {week[6:]}.") from None


def period(today: date, first: str | None, last: str | None, by: TrendBy = "carc", over: Over | None = None) -> Span:
    """The months asked for (YYYY-MM), or the ISO weeks (2026-W47). By default the twelve months up to
    this one, or for a week-by-week view the three (some thirteen weeks: a quarter). A week that runs
    over the first or last month counts only the checks paid inside the months asked for; a range of
    weeks given as weeks counts whole weeks, thirteen up to `last` when `first` is not given."""
    weekly = "week" in (by, over)
    if WEEK.match(first or "") or WEEK.match(last or ""):
        if (first and not WEEK.match(first)) or (last and not WEEK.match(last)):
            raise Invalid("from and to are both months (2026-11) or both ISO weeks (2026-W47).")
        last = last or _week_of(today)
        first = first or _week_of(_monday(last) - timedelta(weeks=12))
        if first > last:
            raise Invalid(f"The range starts ({first}) after it ends ({last}).")
        sunday = _monday(last) + timedelta(days=6)
        return Span(_monday(first).strftime("%Y-%m"), sunday.strftime("%Y-%m"), first, last)
    last = last or today.strftime("%Y-%m")
    if first is None:
        back = 2 if weekly else 11
        index = int(last[:4]) * 12 + int(last[5:]) - 1 - back
        first = f"{index // 12:04d}-{index % 12 + 1:02d}"
    return Span(first, last)


def _recorded(table: Table, team: str, span: Span) -> Iterator[Item]:
    cursor = None
    while True:
        sk = sk_between(f"{span.first_month}#", f"{span.last_month}#~")
        page = table.query(trends_pk(team), sk=sk, cursor=cursor)
        yield from (item for item in page.items if span.holds(item))
        cursor = page.cursor
        if cursor is None:
            return


def _period_of(over: Over, item: Item) -> str:
    if over == "week":
        return str(item.get("week") or NO_WEEK.format(month=item["month"]))
    return str(item["month"])


def _key_of(by: TrendBy, item: Item, row: list[Any]) -> str:
    if by in OVER_TIME:
        return _period_of(by, item)  # type: ignore[arg-type]
    return {"payer": row[0], "code_family": row[1], "carc": row[2] if len(row) == 5 else ""}[by]


@dataclass
class _Tally:
    lines: int = 0
    denied: int = 0
    billed: Decimal = Decimal(0)
    paid: Decimal = Decimal(0)
    denied_amount: Decimal = Decimal(0)
    underpaid: Decimal = Decimal(0)
    reversed_lines: int = 0
    reversed_amount: Decimal = Decimal(0)

    def add_lines(self, row: list[Any], with_denials: bool) -> None:
        self.lines += int(row[2])
        self.billed += Decimal(str(row[4]))
        self.paid += Decimal(str(row[5]))
        self.underpaid += Decimal(str(row[7])) if len(row) > 7 else Decimal(0)
        if with_denials:
            self.denied += int(row[3])
            self.denied_amount += Decimal(str(row[6]))

    def add_denials(self, row: list[Any]) -> None:
        self.denied += int(row[3])
        self.denied_amount += Decimal(str(row[4]))


def _months(first: str, last: str) -> Iterator[str]:
    index, end = int(first[:4]) * 12 + int(first[5:]) - 1, int(last[:4]) * 12 + int(last[5:]) - 1
    for at in range(index, end + 1):
        yield f"{at // 12:04d}-{at % 12 + 1:02d}"


def _chart_periods(span: Span, over: Over, recorded: Iterable[str]) -> list[str]:
    """Every week or month of the span, those with no recorded check too (a chart with a gap says a
    week had no remit; a missing column would hide it), unless the span is longer than a chart can
    show: then the periods with a recorded check only."""
    if over == "month":
        every = list(_months(span.first_month, span.last_month))
    else:
        first = _monday(span.first_week) if span.first_week else date.fromisoformat(f"{span.first_month}-01")
        last = _monday(span.last_week) if span.last_week else _end_of_month(span.last_month)
        monday = first - timedelta(days=first.weekday())
        every = [
            _week_of(monday + timedelta(weeks=n))
            for n in range(min((last - monday).days // 7 + 1, MAX_CHART_PERIODS + 1))
        ]
    if len(every) > MAX_CHART_PERIODS:
        every = []
    return sorted(set(every) | set(recorded))


def _end_of_month(month: str) -> date:
    first_day = date.fromisoformat(f"{month}-01")
    return (first_day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _rate(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def trends(
    table: Table, team: str, by: TrendBy, span: Span, reason: str | None = None, over: Over | None = None
) -> TrendAnswer:
    """Lines and amounts per key; with `reason` (a group and CARC, e.g. CO-50) the denied lines and
    amounts are that reason's only, so a month-by-month view shows whether training moved it. With
    `over` (month or week), each key's figures period by period as well: the code families week by week."""
    if over is not None and by in OVER_TIME:
        raise Invalid(f"by={by} is already over time; over= goes with by=carc, code_family or payer.")
    totals: dict[str, _Tally] = defaultdict(_Tally)
    per_period: dict[tuple[str, str], _Tally] = defaultdict(_Tally)
    lines_in: dict[str, int] = defaultdict(int)  # every line of a period: the denominator of a reason
    all_lines, checks = 0, 0
    count = denied_count = primary = primary_clean = reversed_claims = 0
    charges = denied_charges = reversed_amount = Decimal(0)
    one_reason = reason is not None and by != "carc"
    for item in _recorded(table, team, span):
        checks += 1
        claimed, denied_claims, charged, denied_charged, *first = item.get("claims", [0, 0, "0", "0"])
        if first:
            primary, primary_clean = primary + int(first[0]), primary_clean + int(first[1])
        reversed_claims += int(first[2]) if len(first) > 2 else 0
        count, denied_count = count + int(claimed), denied_count + int(denied_claims)
        charges += Decimal(str(charged))
        denied_charges += Decimal(str(denied_charged))
        when = _period_of(over, item) if over else None
        for row in item["lines"]:
            all_lines += int(row[2])
            if when is not None:
                lines_in[when] += int(row[2])
            if by == "carc":
                continue
            key_ = _key_of(by, item, row)
            totals[key_].add_lines(row, with_denials=not one_reason)
            if when is not None:
                per_period[(key_, when)].add_lines(row, with_denials=not one_reason)
        for row in item["reasons"]:
            if by == "carc" or (one_reason and row[2] == reason):
                key_ = _key_of(by, item, row)
                totals[key_].add_denials(row)
                if when is not None:
                    per_period[(key_, when)].add_denials(row)
        for row in item.get("reversed", []):
            reversed_amount += Decimal(str(row[3]))
            if by != "carc":
                tally = totals[_key_of(by, item, row)]
                tally.reversed_lines += int(row[2])
                tally.reversed_amount += Decimal(str(row[3]))
    if by == "carc" and reason is not None:
        totals = {key_: total for key_, total in totals.items() if key_ == reason}
    periods = _chart_periods(span, over, lines_in) if over else None
    items = []
    for name, t in totals.items():
        lines = all_lines if by == "carc" else t.lines
        figures = None
        if periods is not None:
            figures = []
            for when in periods:
                p = per_period.get((name, when), _Tally())
                p_lines = lines_in[when] if by == "carc" else p.lines
                figures.append(PeriodFigures(period=when, lines=p_lines, denied_lines=p.denied,
                                             denial_rate=_rate(p.denied, p_lines), denied_amount=p.denied_amount))  # fmt: skip
        items.append(TrendItem(key=name, lines=lines, denied_lines=t.denied, denial_rate=_rate(t.denied, lines),
                               billed=t.billed, paid=t.paid, denied_amount=t.denied_amount, underpaid_amount=t.underpaid,
                               reversed_lines=t.reversed_lines, reversed_amount=t.reversed_amount, periods=figures))  # fmt: skip
    order = (lambda i: i.key) if by in OVER_TIME else (lambda i: (-i.denied_amount, i.key))
    rates = ClaimRates(
        claims=count,
        denied_claims=denied_count,
        denial_rate_by_count=_rate(denied_count, count),
        charges=charges,
        denied_charges=denied_charges,
        denial_rate_by_amount=round(float(100 * denied_charges / charges), 1) if charges else 0.0,
        primary_claims=primary,
        primary_without_denial=primary_clean,
        without_denial_rate=_rate(primary_clean, primary),
        reversed_claims=reversed_claims,
        reversed_amount=reversed_amount,
    )
    return TrendAnswer(
        team=team, by=by, reason=reason, first_month=span.first_month, last_month=span.last_month,
        first_week=span.first_week, last_week=span.last_week, over=over, periods=periods, checks=checks,
        claim_rates=rates, items=sorted(items, key=order),
    )  # fmt: skip


def trends_csv(answer: TrendAnswer) -> str:
    """One row per key; with `over`, one row per key and period (the chart's cells)."""
    out = io.StringIO()
    writer = csv.writer(out)
    if answer.over is not None:
        writer.writerow([answer.by, answer.over, "lines", "denied lines", "denial rate %", "denied amount"])
        for item in answer.items:
            for p in item.periods or []:
                writer.writerow([item.key, p.period, p.lines, p.denied_lines, p.denial_rate, p.denied_amount])
        return out.getvalue()
    writer.writerow([answer.by, "lines", "denied lines", "denial rate %", "billed", "paid", "denied amount",
                     "underpaid amount", "reversed lines", "reversed amount"])  # fmt: skip
    for item in answer.items:
        row: Iterable[Any] = (item.key, item.lines, item.denied_lines, item.denial_rate, item.billed, item.paid,
                              item.denied_amount, item.underpaid_amount, item.reversed_lines, item.reversed_amount)  # fmt: skip
        writer.writerow(row)
    return out.getvalue()
