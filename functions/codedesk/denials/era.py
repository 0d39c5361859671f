"""Decoding an X12 835 remittance (5010 X221A1) with pyx12: claims, lines, adjustments, remarks.

The 835 holds patient names, member IDs, account numbers and dates of service. It is decoded in
memory and only the money and the codes leave this module: no names, identifiers or dates are
copied into the result, into error messages or into logs. pyx12 logs element values when it finds
errors, so its logger is silenced here, once, for the whole process.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Literal, overload

import pyx12.error_handler
import pyx12.errors
import pyx12.params
import pyx12.x12context
from pyx12.segment import Segment
from pyx12.x12context import X12DataNode

from codedesk.denials.remittance import (
    MAX_ERA_BYTES,
    Adjustment,
    Claim,
    EraError,
    EraSummary,
    EraTooLarge,
    Problem,
    ProviderAdjustment,
    ReasonTotal,
    Remark,
    Remittance,
    ServiceLine,
)

_PYX12_LOGGER = logging.getLogger("pyx12")
_PYX12_LOGGER.addHandler(logging.NullHandler())
_PYX12_LOGGER.propagate = False
_PYX12_LOGGER.setLevel(logging.CRITICAL + 1)

# CLP02 claim status, in our words.
CLAIM_STATUS_WORDS = {
    "1": "processed as primary",
    "2": "processed as secondary",
    "3": "processed as tertiary",
    "4": "denied",
    "19": "processed as primary and forwarded to another payer",
    "20": "processed as secondary and forwarded to another payer",
    "21": "processed as tertiary and forwarded to another payer",
    "22": "reversal of an earlier payment",
    "23": "not this payer's claim; forwarded to another payer",
    "25": "priced only (predetermination), not paid",
}

# Remark codes inside MOA (outpatient) and MIA (inpatient) claim adjudication segments.
_MOA_REMARKS = ("MOA03", "MOA04", "MOA05", "MOA06", "MOA07")
_MIA_REMARKS = ("MIA05", "MIA20", "MIA21", "MIA22", "MIA23")
# A PLB segment carries up to six (reason composite, amount) pairs after the provider and date.
_PLB_PAIRS = tuple((f"PLB{n:02d}-1", f"PLB{n + 1:02d}") for n in range(3, 15, 2))
# A CAS segment carries up to six (reason, amount, quantity) triplets after its group code.
_CAS_TRIPLETS = tuple((f"CAS{n:02d}", f"CAS{n + 1:02d}", f"CAS{n + 2:02d}") for n in range(2, 20, 3))

# X12 element type R holds at most 18 characters; an amount of 10^15 dollars is not a remit.
MAX_DIGITS = 15

# pyx12 error codes for a segment the 835 does not allow where it stands: the file is garbled.
_STRUCTURE_ERRORS = {"1": "is not a segment an 835 allows here", "2": "is not used in an 835 at this point"}


def decode_era(text: str) -> Remittance:
    """The 835 text → claims, lines, adjustments, remarks and a summary. Raises `EraError`."""
    if len(text.encode("utf-8")) > MAX_ERA_BYTES:
        raise EraTooLarge(
            f"the remittance is larger than {MAX_ERA_BYTES // 1024} KiB; split the 835 file by check (ST/SE) "
            "and decode each part"
        )
    interchange, added_segments = _as_interchange(text)
    builder = _RemittanceBuilder()
    for segment_id, position, node in _segments(interchange, added_segments, builder.problems):
        builder.add(segment_id, position, node.seg_data)
    return builder.finish()


def _as_interchange(text: str) -> tuple[str, int]:
    """pyx12 reads whole interchanges (ISA … IEA). Payers' portals often hand out the bare
    transaction (ST … SE); wrap it in a minimal envelope so that it can be read the same way.
    Returns the text and the number of envelope segments put in front of it."""
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped:
        raise EraError("the remittance is empty: paste or upload the text of an 835 file")
    if stripped.startswith("ISA"):
        return stripped, 0
    if not stripped.startswith("ST"):
        raise EraError(
            "this is not an 835 remittance: the text must start with an ISA (interchange) or ST (transaction) segment",
            segment=_safe_id(stripped[:3]),
            position=1,
        )
    element = stripped[2:3]
    bpr = stripped.find(f"BPR{element}")
    terminator = stripped[:bpr].rstrip("\r\n")[-1:] if bpr > 0 else ""
    if not element or element.isalnum() or not terminator or terminator.isalnum():
        raise EraError(
            "the ST segment is not followed by a BPR segment; this is not a readable 835", segment="ST", position=1
        )
    component = _component_separator(stripped, element)
    isa = (
        f"ISA{element}00{element}{' ' * 10}{element}00{element}{' ' * 10}{element}ZZ{element}{'CODEDESK':<15}"
        f"{element}ZZ{element}{'CODEDESK':<15}{element}000101{element}0000{element}^{element}00501{element}"
        f"000000001{element}0{element}P{element}{component}{terminator}"
    )
    gs = f"GS{element}HP{element}CODEDESK{element}CODEDESK{element}20000101{element}0000{element}1{element}X{element}005010X221A1{terminator}"
    trailer = f"GE{element}1{element}1{terminator}IEA{element}1{element}000000001{terminator}"
    return isa + gs + stripped.rstrip("\r\n") + trailer, 2


def _component_separator(text: str, element: str) -> str:
    """The sub-element separator of a bare transaction, read from its first composite procedure
    (`SVC*HC:99213`); ':' — the usual choice — when there is none."""
    match = re.search(rf"SVC{re.escape(element)}[A-Z]{{2}}(\W)", text)
    return match[1] if match else ":"


class _ErrorsByPosition(pyx12.error_handler.errh_list):
    """pyx12's list error handler, but keeping where each error was found (and never the value)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str | None, int | None]] = []  # kind, code, element, line

    def seg_error(self, err_cde: str, err_str: str, err_value: str | None = None, src_line: int | None = None) -> None:
        self.found.append(("segment", err_cde, None, src_line))

    def ele_error(self, err_cde: str, err_str: str, bad_value: str | None, refdes: str | None = None) -> None:
        self.found.append(("element", err_cde, refdes, None))

    def st_error(self, err_cde: str, err_str: str) -> None:
        self.found.append(("transaction", err_cde, None, None))

    def gs_error(self, err_cde: str, err_str: str) -> None:
        self.found.append(("group", err_cde, None, None))

    def isa_error(self, err_cde: str, err_str: str) -> None:
        self.found.append(("interchange", err_cde, None, None))

    def take(self) -> list[tuple[str, str, str | None, int | None]]:
        found, self.found = self.found, []
        return found


def _segments(interchange: str, added: int, problems: list[Problem]) -> Iterator[tuple[str, int, X12DataNode]]:
    """Every segment pyx12 reads, as (segment id, position in the text as submitted, data node).

    Structural errors stop decoding with the segment and position; other validation findings are
    collected in `problems` without their values."""
    errors = _ErrorsByPosition()
    in_transaction = False
    last_segment, last_position = "ISA", 0
    try:
        reader = pyx12.x12context.X12ContextReader(pyx12.params.params(), errors, io.StringIO(interchange))
        for node in reader.iter_segments():
            segment_id = node.seg_data.get_seg_id() or "?"
            position = reader.get_cur_line - added
            for kind, code, element, line in errors.take():
                where = (line - added) if line else position
                _judge(kind, code, element, segment_id if where == position else None, where, problems)
            in_transaction = segment_id == "ST" or (in_transaction and segment_id != "SE")
            last_segment, last_position = segment_id, position
            yield segment_id, position, node
    except EraError:
        raise
    except pyx12.errors.X12Error as error:
        raise EraError(_envelope_message(str(error)), segment="ISA", position=1) from None
    except pyx12.errors.EngineError:
        raise EraError(
            "the file's ISA/GS header does not describe a 5010 835 remittance (functional group HP, "
            "version 005010X221A1)",
            segment="GS",
        ) from None
    except Exception:
        # pyx12 can fail deep inside on damaged input, and its messages quote segment data (PHI):
        # report only where it happened, and keep the original exception out of every log.
        raise EraError(
            f"the file cannot be read at segment {last_position + 1}: it is damaged or not an 835",
            position=last_position + 1,
        ) from None
    if in_transaction:
        raise EraError(
            f"the remittance is cut off after segment {last_position} ({_safe_id(last_segment) or 'unreadable'}): "
            "no SE segment ends the transaction. Download or copy the whole 835 file again",
            segment=_safe_id(last_segment),
            position=last_position,
        )


def _judge(
    kind: str, code: str, element: str | None, segment: str | None, position: int, problems: list[Problem]
) -> None:
    if kind == "segment" and code in _STRUCTURE_ERRORS:
        name = _safe_id(segment)
        raise EraError(
            f"segment {position}{f' ({name})' if name else ''} {_STRUCTURE_ERRORS[code]}: the file is damaged or "
            "not an 835. Check that it was not cut, edited or mixed with another file",
            segment=name,
            position=position,
        )
    problems.append(
        Problem(segment=_safe_id(segment) or "?", position=position, element=element, issue=_issue(kind, code))
    )


_ISSUES = {
    ("element", "1"): "a required element is empty",
    ("element", "2"): "a conditional element is missing",
    ("element", "3"): "too many elements",
    ("element", "4"): "an element is too short",
    ("element", "5"): "an element is too long",
    ("element", "6"): "an element has characters its type does not allow",
    ("element", "7"): "an element has a code value the 835 does not define",
    ("element", "8"): "an element has an invalid date",
    ("element", "9"): "an element has an invalid time",
    ("element", "10"): "an element is not used in this segment",
    ("segment", "3"): "a required segment is missing before this point",
    ("segment", "4"): "a loop repeats more often than the 835 allows",
    ("segment", "5"): "a segment repeats more often than the 835 allows",
    ("segment", "8"): "a segment has element errors (e.g. too many elements)",
    ("transaction", "3"): "the SE control number does not match the ST control number",
    ("transaction", "4"): "the SE segment count does not match the number of segments",
}


def _issue(kind: str, code: str) -> str:
    return _ISSUES.get((kind, code), f"pyx12 {kind} check {code} failed")


def _safe_id(segment: str | None) -> str | None:
    """A segment ID is two or three letters/digits; anything else is data and is not echoed."""
    return segment if segment and re.fullmatch(r"[A-Z][A-Z0-9]{1,2}", segment) else None


def _envelope_message(detail: str) -> str:
    if "does not begin with 'ISA'" in detail:
        return "this is not an 835 remittance: the text must start with an ISA segment"
    if "ISA line is only" in detail or "must have 16 elements" in detail:
        return "the ISA segment at the start of the file is damaged (it must be 106 characters with 16 elements)"
    if "Version Number is unknown" in detail:
        return "the ISA segment names an X12 version Codedesk cannot read (only 00401 and 00501 envelopes)"
    return "the ISA segment at the start of the file cannot be read"


# --------------------------------------------------------------------------------- building


@overload
def _amount(segment: Segment, element: str, segment_id: str, position: int, *, required: Literal[True]) -> Decimal: ...


@overload
def _amount(segment: Segment, element: str, segment_id: str, position: int, *, required: bool) -> Decimal | None: ...


def _amount(segment: Segment, element: str, segment_id: str, position: int, *, required: bool) -> Decimal | None:
    value = segment.get_value(element)
    if value in (None, ""):
        if required:
            raise EraError(
                f"segment {position} ({segment_id}) has no amount in {element}; the remittance cannot be added up",
                segment=segment_id,
                position=position,
            )
        return None
    amount = _number(value)
    if amount is None:
        raise EraError(
            f"segment {position} ({segment_id}) has a non-numeric amount in {element}",
            segment=segment_id,
            position=position,
        )
    return amount


def _quantity(segment: Segment, element: str) -> Decimal | None:
    value = segment.get_value(element)
    return _number(value) if value else None


def _number(value: str) -> Decimal | None:
    """An amount or quantity as X12 writes it (element type R), or None for anything else: Decimal
    also reads NaN, Infinity and 1E+1000000, which no remit means and JSON cannot carry."""
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    if not number.is_finite() or abs(number.adjusted()) > MAX_DIGITS:
        return None
    return number


class _RemittanceBuilder:
    """Collects claims (CLP, loop 2100) and service lines (SVC, loop 2110) as segments arrive."""

    def __init__(self) -> None:
        self.claims: list[Claim] = []
        self.line: ServiceLine | None = None
        self.problems: list[Problem] = []
        self.transactions = 0
        self.payment: Decimal | None = None
        self.provider_adjustments: list[ProviderAdjustment] = []

    def add(self, segment_id: str, position: int, segment: Segment) -> None:
        handler = getattr(self, f"_on_{segment_id.lower()}", None)
        if handler is not None:
            handler(segment, segment_id, position)

    def _on_st(self, segment: Segment, segment_id: str, position: int) -> None:
        if segment.get_value("ST01") != "835":
            raise EraError(
                "this transaction is not an 835 remittance (ST01 is not 835)", segment="ST", position=position
            )
        self.transactions += 1

    def _on_bpr(self, segment: Segment, segment_id: str, position: int) -> None:
        paid = _amount(segment, "BPR02", segment_id, position, required=True)
        self.payment = paid if self.payment is None else self.payment + paid

    def _on_plb(self, segment: Segment, segment_id: str, position: int) -> None:
        for reason_element, amount_element in _PLB_PAIRS:
            if reason := segment.get_value(reason_element):
                amount = _amount(segment, amount_element, segment_id, position, required=True)
                self.provider_adjustments.append(ProviderAdjustment(reason=reason, amount=amount))

    def _on_clp(self, segment: Segment, segment_id: str, position: int) -> None:
        status = segment.get_value("CLP02") or ""
        self.claims.append(
            Claim(
                claim_index=len(self.claims) + 1,
                status=status,
                status_words=CLAIM_STATUS_WORDS.get(status, "status code not recognised"),
                billed=_amount(segment, "CLP03", segment_id, position, required=True),
                paid=_amount(segment, "CLP04", segment_id, position, required=True),
                patient_responsibility=_amount(segment, "CLP05", segment_id, position, required=False),
            )
        )
        self.line = None

    def _on_svc(self, segment: Segment, segment_id: str, position: int) -> None:
        claim = self._claim(segment_id, position)
        self.line = ServiceLine(
            line_index=len(claim.lines) + 1,
            procedure=segment.get_value("SVC01") or None,
            billed=_amount(segment, "SVC02", segment_id, position, required=False),
            paid=_amount(segment, "SVC03", segment_id, position, required=False),
            units=_quantity(segment, "SVC05"),
        )
        if self.line.billed is None:
            self.problems.append(
                Problem(segment="SVC", position=position, element="SVC02", issue="the line has no billed amount")
            )
        claim.lines.append(self.line)

    def _on_cas(self, segment: Segment, segment_id: str, position: int) -> None:
        claim = self._claim(segment_id, position)
        group = segment.get_value("CAS01") or ""
        target = self.line.adjustments if self.line is not None else claim.adjustments
        for reason_element, amount_element, quantity_element in _CAS_TRIPLETS:
            reason = segment.get_value(reason_element)
            if not reason:
                continue
            target.append(
                Adjustment(
                    group=group,
                    reason=reason,
                    amount=_amount(segment, amount_element, segment_id, position, required=True),
                    quantity=_quantity(segment, quantity_element),
                )
            )

    def _on_lq(self, segment: Segment, segment_id: str, position: int) -> None:
        # LQ01 "HE" marks a RARC; "RX" would be a pharmacy (NCPDP) reject code, which has no card.
        if self.line is not None and segment.get_value("LQ01") == "HE" and segment.get_value("LQ02"):
            self.line.remarks.append(Remark(code=segment.get_value("LQ02"), found_in="LQ"))

    def _on_moa(self, segment: Segment, segment_id: str, position: int) -> None:
        self._claim_remarks(segment, _MOA_REMARKS, "MOA", position)

    def _on_mia(self, segment: Segment, segment_id: str, position: int) -> None:
        self._claim_remarks(segment, _MIA_REMARKS, "MIA", position)

    def _claim_remarks(self, segment: Segment, elements: tuple[str, ...], segment_id: str, position: int) -> None:
        claim = self._claim(segment_id, position)
        for element in elements:
            if code := segment.get_value(element):
                claim.remarks.append(Remark(code=code, found_in=segment_id))

    def _claim(self, segment_id: str, position: int) -> Claim:
        if not self.claims:
            raise EraError(
                f"segment {position} ({segment_id}) comes before any claim (CLP) segment",
                segment=segment_id,
                position=position,
            )
        return self.claims[-1]

    def finish(self) -> Remittance:
        if not self.transactions:
            raise EraError("the file holds no 835 transaction (no ST*835 segment)")
        for claim in self.claims:
            _balance(claim)
        summary = summarise(self.claims, self.payment, self.provider_adjustments)
        return Remittance(claims=self.claims, summary=summary, problems=self.problems)


def _balance(claim: Claim) -> None:
    claim.adjustment_total = sum((adjustment.amount for adjustment in claim.all_adjustments()), Decimal("0"))
    if claim.billed is not None and claim.paid is not None:
        claim.balances = claim.billed - claim.paid == claim.adjustment_total


def summarise(
    claims: list[Claim], payment: Decimal | None, provider_adjustments: list[ProviderAdjustment]
) -> EraSummary:
    totals: dict[str, ReasonTotal] = {}
    for claim in claims:
        for adjustment in claim.all_adjustments():
            reason = f"{adjustment.group}-{adjustment.reason}"
            total = totals.setdefault(reason, ReasonTotal(reason=reason, count=0, amount=Decimal("0")))
            total.count += 1
            total.amount += adjustment.amount
    reasons = list(totals.values())
    paid = sum((claim.paid or Decimal("0") for claim in claims), Decimal("0"))
    taken = sum((adjustment.amount for adjustment in provider_adjustments), Decimal("0"))
    return EraSummary(
        claims=len(claims),
        service_lines=sum(len(claim.lines) for claim in claims),
        billed=sum((claim.billed or Decimal("0") for claim in claims), Decimal("0")),
        paid=paid,
        adjusted=sum((claim.adjustment_total for claim in claims), Decimal("0")),
        claims_not_balancing=[claim.claim_index for claim in claims if claim.balances is False],
        payment=payment,
        provider_adjustments=provider_adjustments,
        payment_balances=None if payment is None else payment == paid - taken,
        top_reasons=sorted(reasons, key=lambda total: (-total.count, -total.amount, total.reason))[:10],
        top_reasons_by_amount=sorted(reasons, key=lambda total: (-total.amount, -total.count, total.reason))[:10],
    )
