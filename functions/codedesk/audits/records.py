"""Where audits are kept. Audits are user data, kept directly in the table (not versioned content):
one item per audit, PK `AUDIT`, SK `<month>#<audit_id>`, so a month is one query and a year of
trend one range query. Nothing in an item names a patient: encounter references are the auditor's
own opaque labels."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from codedesk.store.keys import Prefix, key
from codedesk.store.port import Item, Table, item_absent, sk_begins_with, sk_between

AUDITS_PK = key(Prefix.AUDIT)


def audit_item(audit: dict[str, Any]) -> Item:
    return {"PK": AUDITS_PK, "SK": f"{audit['month']}#{audit['audit_id']}", **audit}


def put_audit(table: Table, audit: dict[str, Any]) -> None:
    table.put(audit_item(audit), condition=item_absent())


def _all(table: Table, **query: Any) -> Iterator[Item]:
    cursor = None
    while True:
        page = table.query(AUDITS_PK, cursor=cursor, **query)
        yield from page.items
        cursor = page.cursor
        if cursor is None:
            return


def audits_of_month(table: Table, month: str) -> list[Item]:
    return list(_all(table, sk=sk_begins_with(f"{month}#")))


def audits_between(table: Table, first_month: str, last_month: str) -> list[Item]:
    """Every audit from the first month to the last, inclusive ("~" sorts after every audit id)."""
    return list(_all(table, sk=sk_between(f"{first_month}#", f"{last_month}#~")))
