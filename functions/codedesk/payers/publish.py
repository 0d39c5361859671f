"""Payer sheets in the table: one item per sheet, all in one partition, so a single query reads every
payer (the list, the comparison grid and the payer notes of other domains) and a get reads one."""

from __future__ import annotations

from collections.abc import Iterator

from codedesk.content.bundle import ContentBundle
from codedesk.payers.models import PayerSheet
from codedesk.store.keys import Prefix, key
from codedesk.store.port import Item

PREFIXES = (f"{Prefix.PAYER}#",)
SHEETS_PK = key(Prefix.PAYER, "SHEETS")


def publish_items(bundle: ContentBundle) -> Iterator[Item]:
    for _, sheet in bundle.of(PayerSheet):
        yield sheet_item(sheet)


def sheet_item(sheet: PayerSheet) -> Item:
    return {"PK": SHEETS_PK, "SK": sheet.payer_id, **sheet.model_dump(mode="json")}


def sheet_from_item(item: Item) -> PayerSheet:
    return PayerSheet.model_validate({name: value for name, value in item.items() if name not in ("PK", "SK")})
