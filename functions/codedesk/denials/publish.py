"""What `codedesk publish` writes for the denial explainer: every card and its search postings; and the
item of an official list's row, which `codedesk import carc|rarc` writes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from codedesk.content.bundle import ContentBundle
from codedesk.denials.cards import card_key, official_key, official_list_key
from codedesk.denials.codes import CodeKind
from codedesk.denials.models import CarcFile, GroupCode, GroupCodeFile, OfficialCode, RarcFile, ReasonCard
from codedesk.denials.search import posting_items
from codedesk.store.keys import Prefix
from codedesk.store.port import Item

# Imported official lists (Prefix.DENIAL_LIST) are not here: `codedesk import carc|rarc` owns them.
PREFIXES = (f"{Prefix.DENIAL}#", f"{Prefix.DENIAL_TERM}#")


def all_cards(bundle: ContentBundle) -> list[tuple[CodeKind, GroupCode | ReasonCard]]:
    cards: list[tuple[CodeKind, GroupCode | ReasonCard]] = []
    for _, groups in bundle.of(GroupCodeFile):
        cards.extend((CodeKind.GROUP, group) for group in groups.groups)
    for _, carcs in bundle.of(CarcFile):
        cards.extend((CodeKind.CARC, card) for card in carcs.cards)
    for _, rarcs in bundle.of(RarcFile):
        cards.extend((CodeKind.RARC, card) for card in rarcs.cards)
    return cards


def publish_items(bundle: ContentBundle) -> Iterator[Item]:
    cards = all_cards(bundle)
    for _, card in cards:
        yield group_item(card) if isinstance(card, GroupCode) else reason_item(card)
    yield from posting_items(cards)


def group_item(group: GroupCode) -> Item:
    pk, sk = card_key(CodeKind.GROUP, group.code)
    return {"PK": pk, "SK": sk, **group.model_dump(mode="json")}


def reason_item(card: ReasonCard) -> Item:
    pk, sk = card_key(card.kind, card.code)
    return {"PK": pk, "SK": sk, **card.model_dump(mode="json")}


def official_item(row: OfficialCode) -> Item:
    pk, sk = official_key(row.kind, row.code)
    return {"PK": pk, "SK": sk, **row.model_dump(mode="json", exclude={"kind", "code"})}


def official_list_item(kind: CodeKind, codes: int, imported_on: date) -> Item:
    pk, sk = official_list_key(kind)
    return {"PK": pk, "SK": sk, "codes": codes, "imported_on": imported_on.isoformat()}
