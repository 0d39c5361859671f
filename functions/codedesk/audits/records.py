"""Where audits are kept. Audits are user data, kept directly in the table (not versioned content):
one item per audit, PK `AUDIT#<team>`, SK `<month>#<audit_id>`, so a clinic's month is one query and
a year of trend one range query, and one clinic never reads another's. Nothing in an item names a
patient: encounter references are the auditor's own opaque labels."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from codedesk.store.keys import Prefix, key
from codedesk.store.port import Item, Put, Table, item_absent, sk_between


def audits_pk(team: str) -> str:
    return key(Prefix.AUDIT, team)


def audit_item(audit: dict[str, Any]) -> Item:
    return {"PK": audits_pk(audit["team"]), "SK": f"{audit['month']}#{audit['audit_id']}", **audit}


def audit_put(audit: dict[str, Any]) -> Put:
    """The audit's write: kept with the coder's review cards in one transaction (quizzes/audit_misses.py)."""
    return Put(audit_item(audit), condition=item_absent())


def _all(table: Table, team: str, **query: Any) -> Iterator[Item]:
    cursor = None
    while True:
        page = table.query(audits_pk(team), cursor=cursor, **query)
        yield from page.items
        cursor = page.cursor
        if cursor is None:
            return


def audits_between(table: Table, team: str, first_month: str, last_month: str) -> list[Item]:
    """Every audit of the team from the first month to the last, inclusive ("~" sorts after every id)."""
    return list(_all(table, team, sk=sk_between(f"{first_month}#", f"{last_month}#~")))
