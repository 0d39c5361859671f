"""The denial explainer's service: cards, combinations, search and 835 decoding over a ContentView.

Plain Python, testable without HTTP. Reads are batched: a card is one batch-get (card + official
row), an explanation one batch-get for all its codes, a search two, an 835 one for all its codes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from pydantic import BaseModel

from codedesk.content.view import ContentView
from codedesk.denials.cards import DenialCard, card_from_items, card_key, official_key
from codedesk.denials.codes import CodeKind, DenialCode, UnreadableCode, parse_code_list, parse_denial_code
from codedesk.denials.explain import Explanation, PayerNote, explain, single_group, spelled
from codedesk.denials.remittance import EraError, EraTooLarge, Remittance, codes_in
from codedesk.denials.search import posting_key, query_terms, rank
from codedesk.errors import Invalid, NotFound, TooLarge
from codedesk.store.port import Item

MAX_EXPLAIN_CODES = 12

PayerNotes = Callable[[ContentView, str, list[str], date], list[PayerNote]]
"""What a payer's sheet says about denial codes (view, payer_id, codes as spelled, today): the
payers domain answers it (payers.service.payer_notes_for_denial), and the denials function passes it
in, so that denials, below payers, never imports them."""


class CardList(BaseModel):
    query: str
    items: list[DenialCard]
    next_cursor: str | None = None


def cards_for(view: ContentView, wanted: Iterable[tuple[CodeKind, str]], today: date) -> dict[tuple[CodeKind, str], DenialCard]:
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
        raise NotFound(
            f"Codedesk has no card for {parsed.kind.value.upper()} {parsed.code}, and no official code list "
            "that names it has been imported. Check the code on the remit, or search by keyword.",
            details=[{"kind": parsed.kind.value, "code": parsed.code}],
        )
    return cards[(parsed.kind, parsed.code)]


def explain_codes(
    view: ContentView, codes_text: str, payer: str | None, today: date, payer_notes: PayerNotes | None = None
) -> Explanation:
    """The codes explained together; with a `payer`, `payer_notes` adds what that payer's sheet says."""
    if payer and payer_notes is None:
        raise TypeError("explain_codes: a payer was named, so give payer_notes to read its sheet")
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
    not_found = [f"{kind.value.upper()} {code}" for kind, code in wanted if (kind, code) not in cards]
    return explain(
        codes,
        group=cards.get((CodeKind.GROUP, group_code)) if group_code else None,
        reasons=[cards[(CodeKind.CARC, code)] for code in reasons if (CodeKind.CARC, code) in cards],
        remarks=[cards[(CodeKind.RARC, code)] for code in remarks if (CodeKind.RARC, code) in cards],
        not_found=not_found,
        # Payer notes only for a named payer: without one the answer would mix every payer's rules.
        payer_notes=payer_notes(view, payer, [spelled(code) for code in codes], today) if payer and payer_notes else [],
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
        raise Invalid("Type a word to search for, e.g. 'timely filing' or 'rendering provider'", details=[{"field": "q"}])
    postings = view.batch_get([posting_key(term) for term in terms]) if terms else []
    found.extend(hit for hit in rank(postings, limit) if hit not in found)
    cards = cards_for(view, found[:limit], today)
    return CardList(query=query, items=[cards[hit] for hit in found[:limit] if hit in cards])


class RemittanceAnswer(Remittance):
    """API.md: POST /api/denials/era. The decoded remit with every code explained; nothing is stored."""

    unexplained_codes: list[str]


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
    _attach(remittance, cards)
    return RemittanceAnswer(
        claims=remittance.claims,
        summary=remittance.summary,
        problems=remittance.problems,
        unexplained_codes=[f"{kind.value.upper()} {code}" for kind, code in wanted if (kind, code) not in cards],
    )


def _attach(remittance: Remittance, cards: dict[tuple[CodeKind, str], DenialCard]) -> None:
    for claim in remittance.claims:
        for adjustment in claim.all_adjustments():
            adjustment.card = cards.get((CodeKind.CARC, adjustment.reason))
            group = cards.get((CodeKind.GROUP, adjustment.group))
            adjustment.who_pays = group.who_pays if group else None
        for remark in claim.all_remarks():
            remark.card = cards.get((CodeKind.RARC, remark.code))
