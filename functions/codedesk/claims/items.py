"""The NCCI edit files as table items: one item per column-1/column-2 pair, per MUE code and per
add-on code, so a claim check reads exactly the pairs and codes the claim names (batch gets by key).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from codedesk.claims.edit_files import EditFile, EditKind
from codedesk.store.keys import Prefix, key
from codedesk.store.port import Item

FILE_SK = "FILE"
MUE_SK = "MUE"
ADDON_SK = "ADDON"


def kind_pk(kind: EditKind) -> str:
    """The partition of the item saying which file is loaded; also every item's key prefix."""
    return key(Prefix.CLAIM_EDIT, kind.upper())


def ptp_key(column1: str, column2: str) -> tuple[str, str]:
    return key(Prefix.CLAIM_EDIT, "PTP", column1), column2


def mue_key(code: str) -> tuple[str, str]:
    return key(Prefix.CLAIM_EDIT, "MUE", code), MUE_SK


def addon_key(code: str) -> tuple[str, str]:
    return key(Prefix.CLAIM_EDIT, "ADDON", code), ADDON_SK


def file_key(kind: EditKind) -> tuple[str, str]:
    return kind_pk(kind), FILE_SK


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def edit_file_items(read: EditFile, imported_on: date) -> Iterator[Item]:
    pk, sk = file_key(read.kind)
    yield {
        "PK": pk,
        "SK": sk,
        "kind": read.kind,
        "quarter": read.quarter,
        "file": read.file_name,
        "rows": read.rows,
        "imported_on": imported_on.isoformat(),
    }
    for (column1, column2), periods in read.ptp.items():
        pk, sk = ptp_key(column1, column2)
        yield {
            "PK": pk,
            "SK": sk,
            "periods": [[_day(p.effective_on), _day(p.deleted_on), p.modifier_indicator] for p in periods],
        }
    for code, limit in read.mue.items():
        pk, sk = mue_key(code)
        yield {"PK": pk, "SK": sk, "units": limit.units, "indicator": limit.indicator, "rationale": limit.rationale}
    for code, edit in read.addon.items():
        pk, sk = addon_key(code)
        primaries = [[p.code, _day(p.effective_on), _day(p.deleted_on)] for p in edit.primaries]
        yield {"PK": pk, "SK": sk, "edit_type": edit.edit_type, "primaries": primaries}


def in_force(effective_on: str | None, deleted_on: str | None, day: date) -> bool:
    """A dated row applies on `day`: on or after its effective date, before its deletion date."""
    text = day.isoformat()
    return (effective_on is None or effective_on <= text) and (deleted_on is None or text < deleted_on)


def file_summary(item: Item | None) -> dict[str, Any] | None:
    if item is None:
        return None
    return {name: item[name] for name in ("kind", "quarter", "file", "rows", "imported_on")}
