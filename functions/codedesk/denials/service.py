"""The denial explainer's service: cards, combinations, search and 835 decoding over a ContentView.

Plain Python, testable without HTTP. Reads are batched: a card is one batch-get (card + official
row), an explanation one batch-get for all its codes, a search two, an 835 one for all its codes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal

from pydantic import BaseModel, Field

from codedesk.content.view import ContentView
from codedesk.denials.cards import DenialCard, card_from_items, card_key, official_key, official_list_key
from codedesk.denials.codes import (
    KIND_WORDS,
    CodeKind,
    DenialCode,
    UnreadableCode,
    in_official_series,
    parse_code_list,
    parse_denial_code,
    series_words,
)
from codedesk.denials.explain import Explanation, PayerNote, PayerType, explain, single_group, spelled
from codedesk.denials.remittance import Claim, EraError, EraTooLarge, Remittance, ServiceLine, codes_in
from codedesk.denials.search import posting_key, query_terms, rank
from codedesk.errors import Invalid, NotFound, TooLarge
from codedesk.store.port import Item

MAX_EXPLAIN_CODES = 12

PayerFacts = Callable[[ContentView, str, list[str], date], tuple[PayerType, list[PayerNote]]]
"""A payer's type and what its sheet says about denial codes (view, payer_id, codes as spelled,
today): the payers domain answers it, and the denials function passes it in (denials/api.py), so
that denials, below payers, never imports them."""


class CardList(BaseModel):
    query: str
    items: list[DenialCard]
    next_cursor: str | None = None


def cards_for(
    view: ContentView, wanted: Iterable[tuple[CodeKind, str]], today: date
) -> dict[tuple[CodeKind, str], DenialCard]:
    """Cards for (kind, code) pairs in one batch-get; codes with neither card nor official row are absent."""
    wanted = list(dict.fromkeys(wanted))
    keys = [card_key(kind, code) for kind, code in wanted] + [official_key(kind, code) for kind, code in wanted]
    found: dict[tuple[str, str], Item] = {(item["PK"], item["SK"]): item for item in view.batch_get(keys)}
    cards = {}
    for kind, code in wanted:
        card = card_from_items(kind, code, found.get(card_key(kind, code)), found.get(official_key(kind, code)), today)
        if card is not None:
            cards[(kind, code)] = card
    return cards


def not_codes(view: ContentView, missing: Iterable[tuple[CodeKind, str]]) -> dict[tuple[CodeKind, str], str]:
    """Of codes with neither card nor official row, those that are not CARCs or RARCs at all, each with
    the sentence that says so. An imported official list decides when there is one (its absence of a
    code is final); without one, only a code outside every series the official lists use is refused.
    Reads the lists' markers in one batch-get, and only when some code is missing."""
    missing = [(kind, code) for kind, code in dict.fromkeys(missing) if kind is not CodeKind.GROUP]
    if not missing:
        return {}
    kinds = list(dict.fromkeys(kind for kind, _ in missing))
    lists = {item["PK"]: item for item in view.batch_get([official_list_key(kind) for kind in kinds])}
    answers = {}
    for kind, code in missing:
        imported = lists.get(official_list_key(kind)[0])
        if not in_official_series(kind, code):
            answers[(kind, code)] = (
                f"{code} is not a {KIND_WORDS[kind]}: {series_words(kind)}. Check the code on the remit."
            )
        elif imported is not None:
            answers[(kind, code)] = (
                f"{code} is not a {KIND_WORDS[kind]}: it is not in the official {kind.value.upper()} list imported on "
                f"{imported['imported_on']} ({imported['codes']:,} code{'' if imported['codes'] == 1 else 's'}). "
                "Check the code on the remit."
            )
    return answers


def _parsed(text: str) -> DenialCode:
    try:
        return parse_denial_code(text)
    except UnreadableCode as error:
        raise Invalid(str(error), details=[{"field": "code", "value": text[:20]}]) from None


def get_card(view: ContentView, code: str, today: date) -> DenialCard:
    """One card: `CO-16` and `16` both answer the CARC 16 card; `CO` the group card."""
    parsed = _parsed(code)
    cards = cards_for(view, [(parsed.kind, parsed.code)], today)
    if (parsed.kind, parsed.code) not in cards:
        if refused := not_codes(view, [(parsed.kind, parsed.code)]):
            raise NotFound(
                refused[(parsed.kind, parsed.code)],
                details=[{"kind": parsed.kind.value, "code": parsed.code, "is_a_code": False}],
            )
        raise NotFound(
            f"Codedesk has no card for {parsed.kind.value.upper()} {parsed.code}, and no official code list "
            "that names it has been imported. Check the code on the remit, or search by keyword.",
            details=[{"kind": parsed.kind.value, "code": parsed.code, "is_a_code": True}],
        )
    return cards[(parsed.kind, parsed.code)]


def explain_codes(
    view: ContentView, codes_text: str, payer: str | None, today: date, payer_facts: PayerFacts | None = None
) -> Explanation:
    """The codes explained together; with a `payer`, `payer_facts` adds that payer's type (appeal
    rights may depend on it) and what its sheet says."""
    if payer and payer_facts is None:
        raise TypeError("explain_codes: a payer was named, so give payer_facts to read its sheet")
    try:
        codes = parse_code_list(codes_text)
    except UnreadableCode as error:
        raise Invalid(str(error), details=[{"field": "codes"}]) from None
    if not codes:
        raise Invalid("Give at least one code, e.g. codes=CO-16,N290", details=[{"field": "codes"}])
    if len(codes) > MAX_EXPLAIN_CODES:
        raise Invalid(f"Explain at most {MAX_EXPLAIN_CODES} codes at a time", details=[{"field": "codes"}])
    try:
        group_code = single_group(codes)
    except ValueError as error:
        raise Invalid(str(error), details=[{"field": "codes"}]) from None
    reasons = list(dict.fromkeys(code.carc for code in codes if code.carc))
    remarks = list(dict.fromkeys(code.rarc for code in codes if code.rarc))
    wanted = [(CodeKind.CARC, code) for code in reasons] + [(CodeKind.RARC, code) for code in remarks]
    if group_code:
        wanted.append((CodeKind.GROUP, group_code))
    cards = cards_for(view, wanted, today)
    refused = not_codes(view, [wanted_code for wanted_code in wanted if wanted_code not in cards])
    # Payer notes and the payer's type only for a named payer: without one the answer would mix every
    # payer's rules, and an appeal that depends on the payer is answered "depends".
    payer_type, payer_notes = (
        payer_facts(view, payer, [spelled(code) for code in codes], today) if payer and payer_facts else (None, [])
    )
    return explain(
        codes,
        group=cards.get((CodeKind.GROUP, group_code)) if group_code else None,
        reasons=[cards[(CodeKind.CARC, code)] for code in reasons if (CodeKind.CARC, code) in cards],
        remarks=[cards[(CodeKind.RARC, code)] for code in remarks if (CodeKind.RARC, code) in cards],
        not_found=[
            f"{kind.value.upper()} {code}"
            for kind, code in wanted
            if (kind, code) not in cards and (kind, code) not in refused
        ],
        not_codes=[(f"{kind.value.upper()} {code}", sentence) for (kind, code), sentence in refused.items()],
        payer_type=payer_type,
        payer_notes=payer_notes,
    )


def search_cards(view: ContentView, query: str, limit: int, today: date) -> CardList:
    """Keyword search; a query that is itself a code puts that code's card first."""
    found: list[tuple[CodeKind, str]] = []
    try:
        exact = parse_denial_code(query)
        found.append((exact.kind, exact.code))
    except UnreadableCode:
        pass
    terms = query_terms(query)
    if not terms and not found:
        raise Invalid(
            "Type a word to search for, e.g. 'timely filing' or 'rendering provider'", details=[{"field": "q"}]
        )
    postings = view.batch_get([posting_key(term) for term in terms]) if terms else []
    found.extend(hit for hit in rank(postings, limit) if hit not in found)
    cards = cards_for(view, found[:limit], today)
    return CardList(query=query, items=[cards[hit] for hit in found[:limit] if hit in cards])


class RecordedChecks(BaseModel):
    """?record=true: the checks whose counts were added to the trends, and those already there."""

    added: int
    already_recorded: int


class LineFee(BaseModel):
    claim_index: int
    line_index: int
    expected_allowed: Decimal = Field(description="the fee schedule's amount for the code on the payment date")
    allowed: Decimal = Field(description="what the payer allowed: paid plus the patient's share")
    variance: Decimal = Field(description="allowed − expected; negative: paid less than the schedule")
    underpaid: bool


class FeeComparison(BaseModel):
    """?payer=<id>: the paid lines against that payer's fee schedule (a denied line is a denial)."""

    schedule: str
    underpaid_lines: int
    underpaid_amount: Decimal
    lines: list[LineFee]


class RemittanceAnswer(Remittance):
    """API.md: POST /api/denials/era. The decoded remit with every code explained; nothing is stored.

    Each distinct card is in `cards` once, keyed as `CARC 45`, `RARC N290`, `GROUP CO`; adjustments
    and remarks point into it (`card_key`, `group_card_key`). A card is some 2 KB: copied onto every
    adjustment, a 256 KiB remit answered 10 MB, beyond Lambda's 6 MB response."""

    cards: dict[str, DenialCard] = Field(default_factory=dict)
    unexplained_codes: list[str]
    # Only when asked for (?record=true, ?payer=), so that an answer stays within a small multiple of
    # the upload: nothing is added to each line.
    recorded: RecordedChecks | None = None
    fees: FeeComparison | None = None


def _card_name(kind: CodeKind, code: str) -> str:
    return f"{kind.value.upper()} {code}"


def decode_remittance(view: ContentView, text: str, today: date) -> RemittanceAnswer:
    from codedesk.denials.era import decode_era  # pyx12 loads only for the one route that decodes

    try:
        remittance = decode_era(text)
    except EraTooLarge as error:
        raise TooLarge(error.message) from None
    except EraError as error:
        raise Invalid(f"The 835 cannot be read: {error.message}", details=error.details()) from None
    reasons, remarks = codes_in(remittance)
    groups = {adjustment.group for claim in remittance.claims for adjustment in claim.all_adjustments()}
    wanted = [(CodeKind.CARC, code) for code in sorted(reasons)] + [(CodeKind.RARC, code) for code in sorted(remarks)]
    cards = cards_for(view, wanted + [(CodeKind.GROUP, group) for group in sorted(groups)], today)
    for claim in remittance.claims:
        for adjustment in claim.all_adjustments():
            if (CodeKind.CARC, adjustment.reason) in cards:
                adjustment.card_key = _card_name(CodeKind.CARC, adjustment.reason)
            if (CodeKind.GROUP, adjustment.group) in cards:
                adjustment.group_card_key = _card_name(CodeKind.GROUP, adjustment.group)
        for remark in claim.all_remarks():
            if (CodeKind.RARC, remark.code) in cards:
                remark.card_key = _card_name(CodeKind.RARC, remark.code)
    return RemittanceAnswer(
        checks=remittance.checks,
        claims=remittance.claims,
        summary=remittance.summary,
        problems=remittance.problems,
        cards={_card_name(kind, code): card for (kind, code), card in cards.items()},
        unexplained_codes=[_card_name(kind, code) for kind, code in wanted if (kind, code) not in cards],
    )


WORKED_LIST_COLUMNS = (
    "payer",
    "check trace number",
    "payment date",
    "patient account number",
    "payer claim number",
    "claim status",
    "line",
    "procedure code",
    "modifiers",
    "billed",
    "paid",
    "code",
    "amount",
    "meaning",
    "what to do",
    "who usually fixes it",
)


def worked_list_csv(answer: RemittanceAnswer) -> str:
    """The worked list: one row per adjustment and remark, with what a biller needs to find the
    claim and what to do, for a spreadsheet or a work queue."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(WORKED_LIST_COLUMNS)
    checks = {check.check_index: check for check in answer.checks}

    def row(
        claim: Claim, line: ServiceLine | None, code: str, amount: Decimal | None, card_name: str | None
    ) -> list[str]:
        check = checks.get(claim.check_index)
        card = answer.cards.get(card_name) if card_name else None
        return [
            _cell((check.payer_name if check else None) or ""),
            _cell((check.trace_number if check else None) or ""),
            check.payment_date.isoformat() if check and check.payment_date else "",
            _cell(claim.account_number or ""),
            _cell(claim.payer_claim_number or ""),
            claim.status_words,
            str(line.line_index) if line else "claim",
            _cell(line.procedure_code or "") if line else "",
            _cell(" ".join(line.modifiers)) if line else "",
            _money(line.billed if line else claim.billed),
            _money(line.paid if line else claim.paid),
            code,
            _money(amount),
            card.title if card else "no Codedesk card",
            (card.action_words or "") if card else "",
            card.owner_role.value.replace("_", " ") if card and card.owner_role else "",
        ]

    for claim in answer.claims:
        for adjustment in claim.adjustments:
            writer.writerow(
                row(claim, None, f"{adjustment.group}-{adjustment.reason}", adjustment.amount, adjustment.card_key)
            )
        for remark in claim.remarks:
            writer.writerow(row(claim, None, remark.code, None, remark.card_key))
        for line in claim.lines:
            for adjustment in line.adjustments:
                writer.writerow(
                    row(claim, line, f"{adjustment.group}-{adjustment.reason}", adjustment.amount, adjustment.card_key)
                )
            for remark in line.remarks:
                writer.writerow(row(claim, line, remark.code, None, remark.card_key))
    # Provider-level adjustments (PLB) belong to a check, not a claim; the reference takes the
    # claim number's column, as it usually is the payer's number of the claim concerned.
    for check in answer.checks:
        for plb in check.provider_adjustments:
            writer.writerow(
                [
                    _cell(check.payer_name or ""),
                    _cell(check.trace_number or ""),
                    check.payment_date.isoformat() if check.payment_date else "",
                    "",
                    _cell(plb.reference or ""),
                    "provider adjustment",
                    "check",
                    "",
                    "",
                    "",
                    "",
                    f"PLB {plb.reason}",
                    _money(plb.amount),
                    plb.reason_words,
                    "",
                    "biller",
                ]
            )
    return out.getvalue()


def _money(amount: Decimal | None) -> str:
    return "" if amount is None else f"{amount:.2f}"


def _cell(text: str) -> str:
    """A spreadsheet runs a cell that starts with = + - @ as a formula: the remit's own text (an
    account number, a payer's name) is kept as text."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text
