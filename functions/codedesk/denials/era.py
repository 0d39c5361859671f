"""Decoding an X12 835 remittance (5010 X221A1, and 4010 X091A1 as far as it agrees) with pyx12.

pyx12's `X12Reader` is the parser: it takes the separators from the ISA, splits segments, elements
and composites, and checks the envelopes (ISA/IEA, GS/GE, ST/SE counts and control numbers). The
835's own reading — checks, claims, lines, adjustments, remarks — is done here, segment by segment,
so that one irregular line is a problem on that line while the rest of the file decodes. pyx12's
map validation (`X12ContextReader`) is not used: it is some 30 times slower than the parse (a
256 KiB remit took 1.3-3 s against 0.05 s), it loses its place at the first irregular segment and
then reports every segment after it, and what it finds (a PER03 too long, an unknown state code) is
nothing a biller acts on. The checks a biller needs — amounts that are numbers, codes present,
claims, lines and payments that add up — are made here, in words.

Where pyx12 refuses what a reader can read, the text is normalised before it (`_normalise`), and
each change says why.

The 835 holds patient names, member IDs and dates of service: none of them is copied into the
result, into an error message or into a log. The result keeps what a biller needs to find the claim
(account number, payer claim number, check trace number) and goes back only to who sent the file.
pyx12 logs element values when it finds errors, so its logger is silenced here, once, for the whole
process.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Literal

import pyx12.errors
import pyx12.x12file
from pyx12.segment import Segment

from codedesk.denials.remittance import (
    MAX_ERA_BYTES,
    Adjustment,
    Check,
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

# BPR04, how the money travels.
PAYMENT_METHOD_WORDS = {
    "CHK": "paper check",
    "ACH": "electronic funds transfer (ACH)",
    "BOP": "financial institution option",
    "FWT": "wire transfer",
    "NON": "no payment (this remit only explains)",
}

# PLB03-1 provider adjustment reasons, in our words: what it is and what to do. A positive amount is
# taken from the check, a negative one added to it.
PLB_REASON_WORDS = {
    "50": "late charge: the payer took a late-filing charge; check the claim's filing date",
    "51": "interest penalty charge taken by the payer; check the reference with the payer",
    "72": "authorized return: a refund you sent back is accounted for here; match it to the refund you made",
    "90": "early payment allowance: a discount for being paid early under the contract",
    "AP": "acceleration of benefits: an advance now, recovered from later checks",
    "B2": "rebate",
    "B3": "recovery allowance",
    "BD": "bad debt adjustment (institutional cost reports)",
    "BN": "bonus payment",
    "C5": "temporary allowance",
    "CR": "capitation interest",
    "CS": "adjustment: read the reference, and ask the payer if it does not say which claim",
    "CT": "capitation payment: a per-member amount, not tied to a claim",
    "CV": "capital pass-through (institutional)",
    "CW": "nurse anesthetist pass-through (institutional)",
    "DM": "direct medical education pass-through (institutional)",
    "E3": "withholding: part of the payment kept back under the contract",
    "FB": "forwarding balance: money owed carried to or from another check; post it against that check",
    "FC": "fund allocation",
    "GO": "graduate medical education pass-through (institutional)",
    "HM": "hemophilia clotting factor supplement",
    "IP": "incentive premium payment",
    "IR": "tax withholding (IRS)",
    "IS": "interim settlement",
    "J1": "nonreimbursable: an amount the payer will not pay; read the reference",
    "L3": "penalty taken by the payer",
    "L6": "interest paid on a late claim: post it as interest income, not to the patient's account",
    "LE": "levy: money taken to pay a third party (e.g. a tax levy); keep the payer's notice",
    "LS": "lump sum payment",
    "OA": "organ acquisition pass-through (institutional)",
    "OB": "offset for an affiliated provider: a debt of another provider of yours was taken from this check",
    "PI": "periodic interim payment",
    "PL": "final payment",
    "RA": "retroactive adjustment",
    "RE": "return on equity",
    "SL": "student loan repayment withheld",
    "TL": "third-party liability recovery",
    "WO": "overpayment recovery: money taken back for an earlier overpaid claim; the reference names it",
    "WU": "unspecified recovery: money taken back; ask the payer which claim it was for",
}

# SVC01-1 product or service qualifiers of the 835.
PROCEDURE_QUALIFIERS = {"AD", "ER", "HC", "HP", "IV", "N4", "N6", "NU", "UI", "WK"}

# Every segment an 835 (5010 or 4010A1) uses; anything else is flagged and skipped.
SEGMENTS_OF_AN_835 = {
    "ISA", "IEA", "GS", "GE", "ST", "SE", "BPR", "TRN", "CUR", "REF", "DTM", "N1", "N2", "N3", "N4",
    "PER", "RDM", "LX", "TS3", "TS2", "CLP", "CAS", "NM1", "MIA", "MOA", "AMT", "QTY", "SVC", "LQ", "PLB",
}  # fmt: skip

# Remark codes inside MOA (outpatient) and MIA (inpatient) claim adjudication segments.
_MOA_REMARKS = ("MOA03", "MOA04", "MOA05", "MOA06", "MOA07")
_MIA_REMARKS = ("MIA05", "MIA20", "MIA21", "MIA22", "MIA23")
# A PLB segment carries up to six (reason composite, amount) pairs after the provider and date.
_PLB_PAIRS = tuple((f"PLB{n:02d}", f"PLB{n + 1:02d}") for n in range(3, 15, 2))
# A CAS segment carries up to six (reason, amount, quantity) triplets after its group code.
_CAS_TRIPLETS = tuple((f"CAS{n:02d}", f"CAS{n + 1:02d}", f"CAS{n + 2:02d}") for n in range(2, 20, 3))

# X12 element type R holds at most 18 characters; an amount of 10^15 dollars is not a remit.
MAX_DIGITS = 15

# The ISA is fixed-width: the width of each of its 16 elements.
_ISA_WIDTHS = (2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1)  # ISA01-ISA15; ISA16 is one character

_ENVELOPE_ISSUES = {
    ("st", "2"): "the check (ST) has no SE segment closing it",
    ("st", "3"): "the SE control number does not match the ST control number",
    ("st", "4"): "the SE segment count does not match the number of segments",
    ("st", "23"): "two checks (ST) in one group have the same control number",
    ("gs", "3"): "the functional group has no GE segment closing it",
    ("gs", "4"): "the GE control number does not match the GS control number",
    ("gs", "5"): "the GE count of checks does not match",
    ("gs", "6"): "two functional groups have the same control number",
    ("isa", "001"): "the IEA control number does not match the ISA control number",
    ("isa", "021"): "the IEA count of functional groups does not match",
    ("isa", "024"): "an interchange ends before its functional group is closed",
    ("isa", "025"): "two interchanges have the same control number",
    ("seg", "8"): "the segment is empty",
}


def decode_era(text: str) -> Remittance:
    """The 835 text → checks, claims, lines, adjustments, remarks and a summary. Raises `EraError`
    when nothing can be read, or when a number element is NaN, Infinity or too long to be an amount;
    everything else is a `Problem` on the segment it concerns."""
    if len(text.encode("utf-8")) > MAX_ERA_BYTES:
        raise EraTooLarge(
            f"the remittance is larger than {MAX_ERA_BYTES // 1024} KiB; split the 835 file by check (ST/SE) "
            "and decode each part (the explainer page does this for you)"
        )
    envelope = _normalise(text)
    builder = _RemittanceBuilder(envelope.notes, component=envelope.text[104])
    last_segment, last_position = "ISA", 0
    try:
        reader = pyx12.x12file.X12Reader(io.StringIO(envelope.text))
        for segment in reader:
            position = reader.get_cur_line() - envelope.added
            segment_id = _safe_id(segment.get_seg_id())
            builder.add(segment_id, position, segment)
            for kind, code, *_ in reader.pop_errors():
                builder.envelope_problem(kind, code, segment_id, position)
            last_segment, last_position = segment_id or "?", position
    except EraError:
        raise
    except pyx12.errors.X12Error as error:
        raise EraError(_envelope_message(str(error)), segment="ISA", position=1) from None
    except Exception:
        # pyx12 can fail deep inside on damaged input, and its messages quote segment data (PHI):
        # report only where it happened, and keep the original exception out of every log.
        raise EraError(
            f"the file cannot be read at segment {last_position + 1}: it is damaged or not an 835",
            position=last_position + 1,
        ) from None
    if builder.in_transaction:
        raise EraError(
            f"the remittance is cut off after segment {last_position} ({_safe_id(last_segment) or 'unreadable'}): "
            "no SE segment ends the check. Download or copy the whole 835 file again",
            segment=_safe_id(last_segment),
            position=last_position,
        )
    return builder.finish()


# ------------------------------------------------------------------------------ normalising


@dataclass
class _Envelope:
    text: str
    added: int = 0  # envelope segments put in front of the text as submitted
    notes: list[Problem] = field(default_factory=list)


def _normalise(text: str) -> _Envelope:
    """The text as pyx12's reader accepts it, with a note for each change a biller should know of."""
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped:
        raise EraError("the remittance is empty: paste or upload the text of an 835 file")
    if stripped.startswith("ISA"):
        envelope = _Envelope(_fixed_width_isa(stripped))
    elif stripped.startswith("ST"):
        envelope = _Envelope(_wrapped(stripped), added=2)
    else:
        raise EraError(
            "this is not an 835 remittance: an 835 file starts with ISA (or ST for a single check). Check that "
            "you picked the ERA (835) file, not a PDF, a spreadsheet or a claim file",
            segment=_safe_id(stripped[:3]),
            position=1,
        )
    element, component, terminator = envelope.text[3], envelope.text[104], envelope.text[105]
    # Segments one per line, indented or padded: pyx12 takes blanks after a terminator as part of
    # the next segment's ID, and stops reading at a blank line. Blanks between segments carry
    # nothing, so they go (around a line-break terminator as well).
    # An empty segment (`~~`) would end pyx12's reading there too, so repeated terminators are one.
    blanks = "[ \t\r\n]*"
    envelope.text = re.sub(
        f"{blanks if terminator.isspace() else ''}(?:{re.escape(terminator)}{blanks})+", terminator, envelope.text
    )
    written = _component_separator_written(envelope.text, element, component)
    if written != component:
        # A header declaring ':' over lines written with '>' (seen in clearinghouse and test files):
        # every composite would be one unreadable code. The separator the file uses consistently wins.
        envelope.text = envelope.text[:104] + written + envelope.text[105:]
        envelope.notes.append(
            Problem(
                segment="ISA",
                position=1,
                element="ISA16",
                issue=f"this file uses `{written}` between code and modifier although its header declares "
                f"`{component}`; Codedesk read it with `{written}`",
            )
        )
    return envelope


def _fixed_width_isa(text: str) -> str:
    """pyx12 reads the ISA by position (106 characters). Some senders trim its padding; its elements
    are still readable by the element separator, so they are padded back to their widths."""
    element = text[3:4]
    if element.isalnum() or not element:
        raise EraError(_DAMAGED_ISA, segment="ISA", position=1)
    parts = text.split(element, 16)
    if len(parts) < 17 or len(parts[16]) < 2:
        raise EraError(_DAMAGED_ISA, segment="ISA", position=1)
    if len(text) >= 106 and text[103] == element and text[105] == parts[16][1]:
        return text
    elements = [
        value if len(value) == width else value.strip().ljust(width)
        for value, width in zip(parts[1:16], _ISA_WIDTHS, strict=True)
    ]
    if any(len(value) != width for value, width in zip(elements, _ISA_WIDTHS, strict=True)):
        raise EraError(_DAMAGED_ISA, segment="ISA", position=1)
    return element.join(["ISA", *elements, parts[16][0]]) + parts[16][1:]


def _wrapped(stripped: str) -> str:
    """pyx12 reads whole interchanges (ISA … IEA). Payers' portals often hand out the bare
    transaction (ST … SE); wrap it in a minimal envelope so that it can be read the same way."""
    element = stripped[2:3]
    bpr = stripped.find(f"BPR{element}")
    terminator = stripped[:bpr].rstrip("\r\n \t")[-1:] if bpr > 0 else ""
    if not element or element.isalnum() or not terminator or terminator.isalnum():
        raise EraError(
            "the file starts with ST but no payment (BPR) segment follows: this is not a readable 835 remittance",
            segment="ST",
            position=1,
        )
    component = _component_separator_written(stripped, element, ":")
    isa = (
        f"ISA{element}00{element}{' ' * 10}{element}00{element}{' ' * 10}{element}ZZ{element}{'CODEDESK':<15}"
        f"{element}ZZ{element}{'CODEDESK':<15}{element}000101{element}0000{element}^{element}00501{element}"
        f"000000001{element}0{element}P{element}{component}{terminator}"
    )
    gs = f"GS{element}HP{element}CODEDESK{element}CODEDESK{element}20000101{element}0000{element}1{element}X{element}005010X221A1{terminator}"
    trailer = f"GE{element}1{element}1{terminator}IEA{element}1{element}000000001{terminator}"
    body = stripped.rstrip("\r\n \t")
    return isa + gs + (body if body.endswith(terminator) else body + terminator) + trailer


def _component_separator_written(text: str, element: str, declared: str) -> str:
    """The separator the procedure composites (`SVC*HC:99213`) are written with: the declared one
    when any composite uses it or there is none; else the one other character all of them use."""
    used = set(re.findall(rf"SVC{re.escape(element)}(?:{'|'.join(PROCEDURE_QUALIFIERS)})([^A-Za-z0-9 ])", text))
    used.discard(element)
    if not used or declared in used or len(used) > 1:
        return declared
    return used.pop()


def _safe_id(segment: str | None) -> str | None:
    """A segment ID is two or three letters/digits; anything else is data and is not echoed."""
    return segment if segment and re.fullmatch(r"[A-Z][A-Z0-9]{1,2}", segment) else None


_DAMAGED_ISA = (
    "the file's header (its first segment, ISA) is damaged: it must have 16 fields, each after the same "
    "separator. Download the 835 file again"
)


def _envelope_message(detail: str) -> str:
    if "ISA line is only" in detail or "must have 16 elements" in detail:
        return _DAMAGED_ISA
    if "Version Number is unknown" in detail:
        return "the file is in an X12 version Codedesk cannot read: only 5010 and 4010 remits (ISA12 00501 or 00401)"
    return "the file's header (its first segment, ISA) cannot be read. Download the 835 file again"


# --------------------------------------------------------------------------------- building


class _NoRemitNumber(Exception):
    """A number element Decimal reads as NaN, Infinity or beyond `MAX_DIGITS` digits (1E+1000000)."""

    def __init__(self, element: str):
        super().__init__(element)
        self.element = element


def _number(value: str | None, element: str) -> Decimal | None:
    """An amount or quantity as X12 writes it (element type R), or None for anything else. Decimal
    also reads NaN, Infinity and 1E+1000000: no payer writes them and JSON cannot carry them, so a
    file holding one was damaged or made to probe, and the whole upload is refused (`add`) rather
    than its totals being added up without it."""
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    if not number.is_finite() or abs(number.adjusted()) > MAX_DIGITS:
        raise _NoRemitNumber(element)
    return number


def _date(value: str | None) -> date | None:
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:8])) if value and len(value) == 8 else None
    except ValueError:
        return None


def _other_separator(qualifier: str) -> str | None:
    """The separator of a procedure composite written with another one than the declared
    (`HC>99213` read whole as the qualifier), or None."""
    match = re.fullmatch(r"([A-Z0-9]{2})([^A-Za-z0-9 ]).+", qualifier)
    return match[2] if match and match[1] in PROCEDURE_QUALIFIERS else None


def _code(value: str | None) -> str | None:
    """A code element (CARC, RARC, qualifier) as it may be shown: letters and digits only."""
    return value if value and re.fullmatch(r"[A-Za-z0-9]{1,8}", value) else None


class _RemittanceBuilder:
    """Collects checks (ST…SE), claims (CLP, loop 2100) and service lines (SVC, loop 2110) as
    segments arrive; a problem on one segment is noted and the rest is read."""

    def __init__(self, notes: list[Problem], component: str) -> None:
        self.component = component  # the component separator the file is read with
        self.checks: list[Check] = []
        self.claims: list[Claim] = []
        self.claim: Claim | None = None  # the claim being read: from its CLP to the next CLP, PLB or SE
        self.line: ServiceLine | None = None
        self.problems: list[Problem] = list(notes)
        self.in_transaction = False
        self.skipping = False  # inside a transaction that is not an 835
        self.other_kind: str | None = None  # the X12 kind of the last such transaction, e.g. 837
        self.version: Literal["5010", "4010A1"] = "5010"
        self.payees: set[int] = set()  # checks whose payee (N1*PE) was read
        self.segment_id = "?"
        self.position = 0

    # ----------------------------------------------------------------- dispatch and problems

    def add(self, segment_id: str | None, position: int, segment: Segment) -> None:
        self.segment_id, self.position = segment_id or "?", position
        if segment_id is None or segment_id not in SEGMENTS_OF_AN_835:
            self.note("is not a segment an 835 uses; it was skipped")
            return
        if self.skipping and segment_id not in ("SE", "GE", "IEA", "GS", "ISA"):
            return
        handler = getattr(self, f"_on_{segment_id.lower()}", None)
        if handler is None:
            return
        try:
            handler(segment)
        except _NoRemitNumber as error:
            raise EraError(
                f"{error.element} in segment {position} ({segment_id}) is not a number a remit can hold (it is "
                f"not finite, or has more than {MAX_DIGITS} digits): the file is damaged or was edited. "
                "Download the 835 again",
                segment=segment_id,
                position=position,
            ) from None

    def note(self, issue: str, element: str | None = None) -> None:
        """A problem at the current segment, tied to the claim and line being read where there is one."""
        claim_index = self.claim.claim_index if self.claim else None
        line_index = self.line.line_index if self.claim and self.line else None
        self.problems.append(
            Problem(
                segment=self.segment_id,
                position=self.position,
                element=element,
                issue=issue,
                claim_index=claim_index,
                line_index=line_index,
            )
        )

    def envelope_problem(self, kind: str, code: str, segment_id: str | None, position: int) -> None:
        # An invalid segment ID is already noted by `add`; a trailing element separator is harmless.
        if (kind, code) in (("seg", "1"), ("seg", "SEG1")):
            return
        issue = _ENVELOPE_ISSUES.get((kind, code), f"the envelope check {kind} {code} failed")
        self.problems.append(Problem(segment=segment_id or "?", position=position, issue=issue))

    def amount(self, segment: Segment, element: str, *, required: bool, what: str) -> Decimal | None:
        value = segment.get_value(element)
        number = _number(value, element)
        if number is None and (value or required):
            self.note(f"{what} is {'not a number' if value else 'missing'}; left out", element)
        return number

    # ------------------------------------------------------------------------ envelope, check

    def _on_gs(self, segment: Segment) -> None:
        self.version = "4010A1" if (segment.get_value("GS08") or "").startswith("004010") else "5010"
        if self.version == "4010A1":
            self.note(
                "this remit is in the older 4010A1 format; Codedesk reads it as far as it agrees with 5010 "
                "(payment, claims, lines, adjustments, remarks). Ask the payer for 5010 remits",
                "GS08",
            )

    def _on_st(self, segment: Segment) -> None:
        self.claim, self.line = None, None
        if segment.get_value("ST01") != "835":
            kind = segment.get_value("ST01") or ""
            self.other_kind = kind if re.fullmatch(r"[0-9]{3}", kind) else self.other_kind
            self.note("this transaction is not an 835 remittance (ST01 is not 835); it was skipped", "ST01")
            self.skipping = True
            return
        self.in_transaction = True
        self.checks.append(
            Check(
                check_index=len(self.checks) + 1,
                version=self.version,
                payer_name=None,
                trace_number=None,
                payment_date=None,
                payment_method=None,
                payment=None,
            )
        )

    def _on_se(self, segment: Segment) -> None:
        self.in_transaction = self.skipping = False
        self.claim, self.line = None, None

    def _check(self) -> Check | None:
        return self.checks[-1] if self.checks and self.in_transaction else None

    def _on_bpr(self, segment: Segment) -> None:
        if (check := self._check()) is None:
            return
        check.payment = self.amount(segment, "BPR02", required=True, what="the payment amount")
        method = segment.get_value("BPR04") or None
        check.payment_method = _code(method)
        check.payment_method_words = PAYMENT_METHOD_WORDS.get(method or "")
        check.payment_date = _date(segment.get_value("BPR16")) or check.payment_date

    def _on_trn(self, segment: Segment) -> None:
        if (check := self._check()) is not None and check.trace_number is None:
            check.trace_number = segment.get_value("TRN02") or None

    def _on_dtm(self, segment: Segment) -> None:
        # DTM*405 is the remit's production date: the payment date when BPR16 is empty.
        if (check := self._check()) is not None and not check.claims and segment.get_value("DTM01") == "405":
            check.payment_date = check.payment_date or _date(segment.get_value("DTM02"))

    def _on_n1(self, segment: Segment) -> None:
        # Only the payer's and payee's N1 of the check's header; an N1 inside a claim names a person.
        if (check := self._check()) is None or check.claims:
            return
        if segment.get_value("N101") == "PR":
            check.payer_name = segment.get_value("N102") or None
        elif segment.get_value("N101") == "PE" and check.check_index in self.payees:
            self.note("a second payee (N1*PE) in one check; its claims are read with the check's")
        elif segment.get_value("N101") == "PE":
            self.payees.add(check.check_index)

    def _on_plb(self, segment: Segment) -> None:
        self.claim, self.line = None, None  # provider adjustments follow the last claim of the check
        if (check := self._check()) is None:
            return
        for reason_element, amount_element in _PLB_PAIRS[: (len(segment) - 1) // 2]:
            reason = segment.get_value(f"{reason_element}-1")
            if not reason:
                continue
            amount = self.amount(
                segment, amount_element, required=True, what=f"the provider adjustment {reason_element}"
            )
            if amount is None:
                continue
            check.provider_adjustments.append(
                ProviderAdjustment(
                    check_index=check.check_index,
                    reason=reason,
                    reason_words=PLB_REASON_WORDS.get(reason, "a provider adjustment code Codedesk has no words for"),
                    reference=segment.get_value(f"{reason_element}-2") or None,
                    amount=amount,
                )
            )

    # ------------------------------------------------------------------------- claims, lines

    def _on_clp(self, segment: Segment) -> None:
        if (check := self._check()) is None:
            self.note("a claim outside any check (ST…SE); it was skipped")
            return
        status = segment.get_value("CLP02") or ""
        self.line = None
        self.claim = Claim(
            claim_index=len(self.claims) + 1,
            check_index=check.check_index,
            account_number=segment.get_value("CLP01") or None,
            payer_claim_number=segment.get_value("CLP07") or None,
            status=status,
            status_words=CLAIM_STATUS_WORDS.get(status, "status code not recognised"),
            billed=None,
            paid=None,
        )
        self.claims.append(self.claim)
        claim = self.claim
        claim.billed = self.amount(segment, "CLP03", required=True, what="the claim's billed amount")
        claim.paid = self.amount(segment, "CLP04", required=True, what="the claim's paid amount")
        claim.patient_responsibility = self.amount(segment, "CLP05", required=False, what="the patient responsibility")
        if not claim.account_number:
            self.note("the claim has no patient account number (CLP01)", "CLP01")
        check.claims += 1

    def _claim(self) -> Claim | None:
        if self.claim is None:
            self.note("is not inside a claim (after a CLP segment); it was skipped")
        return self.claim

    def _on_svc(self, segment: Segment) -> None:
        if (claim := self._claim()) is None:
            return
        self.line = ServiceLine(line_index=len(claim.lines) + 1, procedure=None, billed=None, paid=None)
        claim.lines.append(self.line)
        qualifier = segment.get_value("SVC01-1") or None
        code = segment.get_value("SVC01-2") or None
        # SVC01-3..6 are modifiers; SVC01-7 is a description (possibly a CPT descriptor): never read.
        modifiers = [m for n in range(3, 7) if (m := segment.get_value(f"SVC01-{n}"))]
        if qualifier and (other := _other_separator(qualifier)):
            # One line written with another separator than the rest of the file (`HC>99213`).
            qualifier, code, *modifiers = qualifier.split(other)[:6]
            self.note(
                f"this line uses `{other}` between code and modifier although the file declares "
                f"`{self.component}`; Codedesk read it with `{other}`",
                "SVC01",
            )
        self.line.procedure_qualifier, self.line.procedure_code, self.line.modifiers = qualifier, code, modifiers
        self.line.procedure = ":".join(part for part in (qualifier, code, *modifiers) if part) or None
        if qualifier and qualifier not in PROCEDURE_QUALIFIERS:
            shown = f" `{qualifier}`" if _code(qualifier) else ""
            self.note(
                f"the procedure qualifier{shown} is not one the 835 defines; the code is read as it stands", "SVC01"
            )
        if not code:
            self.note(
                "the service line has no procedure code"
                + (f" (SVC01 holds only the qualifier {qualifier})" if _code(qualifier) else ""),
                "SVC01",
            )
        self.line.billed = self.amount(segment, "SVC02", required=False, what="the line's billed amount")
        if self.line.billed is None and not segment.get_value("SVC02"):
            self.note("the line has no billed amount", "SVC02")
        self.line.paid = self.amount(segment, "SVC03", required=False, what="the line's paid amount")
        self.line.units = _number(segment.get_value("SVC05"), "SVC05")

    def _on_cas(self, segment: Segment) -> None:
        if (claim := self._claim()) is None:
            return
        group = segment.get_value("CAS01") or ""
        target = self.line.adjustments if self.line is not None else claim.adjustments
        # Only the triplets the segment has: reading an element is the decoder's main cost.
        for reason_element, amount_element, quantity_element in _CAS_TRIPLETS[: (len(segment) + 1) // 3]:
            reason = segment.get_value(reason_element)
            if not reason:
                continue
            amount = self.amount(segment, amount_element, required=True, what=f"the adjustment amount {amount_element}")
            if amount is None:
                continue
            target.append(
                Adjustment(
                    group=group,
                    reason=reason,
                    amount=amount,
                    quantity=_number(segment.get_value(quantity_element), quantity_element),
                )
            )

    def _on_lq(self, segment: Segment) -> None:
        # LQ01 "HE" marks a RARC; "RX" would be a pharmacy (NCPDP) reject code, which has no card.
        if self.line is not None and segment.get_value("LQ01") == "HE" and segment.get_value("LQ02"):
            self.line.remarks.append(Remark(code=segment.get_value("LQ02"), found_in="LQ"))

    def _on_moa(self, segment: Segment) -> None:
        self._claim_remarks(segment, _MOA_REMARKS, "MOA")

    def _on_mia(self, segment: Segment) -> None:
        self._claim_remarks(segment, _MIA_REMARKS, "MIA")

    def _claim_remarks(self, segment: Segment, elements: tuple[str, ...], segment_id: str) -> None:
        if (claim := self._claim()) is None:
            return
        for element in elements:
            if code := segment.get_value(element):
                claim.remarks.append(Remark(code=code, found_in=segment_id))

    def finish(self) -> Remittance:
        if not self.checks:
            other = f" (its transactions are X12 {self.other_kind})" if self.other_kind else ""
            raise EraError(
                f"the file holds no 835 transaction: it is another kind of X12 file{other}, e.g. a claim (837) "
                "or an acknowledgement (999), not a remittance"
            )
        for claim in self.claims:
            _balance(claim)
        for check in self.checks:
            _balance_check(check, self.claims)
        summary = summarise(self.claims, self.checks)
        return Remittance(checks=self.checks, claims=self.claims, summary=summary, problems=self.problems)


def _balance(claim: Claim) -> None:
    claim.adjustment_total = sum((adjustment.amount for adjustment in claim.all_adjustments()), Decimal("0"))
    if claim.billed is not None and claim.paid is not None:
        claim.balances = claim.billed - claim.paid == claim.adjustment_total
    for line in claim.lines:
        if line.billed is not None and line.paid is not None:
            line.balances = line.billed - line.paid == sum((a.amount for a in line.adjustments), Decimal("0"))


def _balance_check(check: Check, claims: list[Claim]) -> None:
    if check.payment is None:
        return
    paid = sum((claim.paid or Decimal("0") for claim in claims if claim.check_index == check.check_index), Decimal("0"))
    taken = sum((adjustment.amount for adjustment in check.provider_adjustments), Decimal("0"))
    check.payment_balances = check.payment == paid - taken


def summarise(claims: list[Claim], checks: list[Check]) -> EraSummary:
    totals: dict[str, ReasonTotal] = {}
    for claim in claims:
        for adjustment in claim.all_adjustments():
            reason = f"{adjustment.group}-{adjustment.reason}"
            total = totals.setdefault(reason, ReasonTotal(reason=reason, count=0, amount=Decimal("0")))
            total.count += 1
            total.amount += adjustment.amount
    reasons = list(totals.values())
    payments = [check.payment for check in checks if check.payment is not None]
    balances = [check.payment_balances for check in checks]
    return EraSummary(
        checks=len(checks),
        claims=len(claims),
        service_lines=sum(len(claim.lines) for claim in claims),
        billed=sum((claim.billed or Decimal("0") for claim in claims), Decimal("0")),
        paid=sum((claim.paid or Decimal("0") for claim in claims), Decimal("0")),
        adjusted=sum((claim.adjustment_total for claim in claims), Decimal("0")),
        patient_responsibility=sum((claim.patient_responsibility or Decimal("0") for claim in claims), Decimal("0")),
        claims_not_balancing=[claim.claim_index for claim in claims if claim.balances is False],
        payment=sum(payments, Decimal("0")) if payments else None,
        provider_adjustments=[adjustment for check in checks for adjustment in check.provider_adjustments],
        payment_balances=None if None in balances else all(balances),
        top_reasons=sorted(reasons, key=lambda total: (-total.count, -total.amount, total.reason))[:10],
        top_reasons_by_amount=sorted(reasons, key=lambda total: (-total.amount, -total.count, total.reason))[:10],
    )
