"""User data out and back in: attempts, reviews and the like, for backups and for moving from the
embedded store to DynamoDB. Reference data is not exported: `codedesk publish` rebuilds it."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import IO

from codedesk.store.keys import NAMESPACE, POINTER
from codedesk.store.port import MAX_BATCH_WRITE, Item, Table


class BackupInvalid(Exception):
    pass


def is_user_data(item: Item) -> bool:
    """Not published content, nor its pointer or manifests (PK META and META#...)."""
    return NAMESPACE not in item and item["PK"] != POINTER[0] and not item["PK"].startswith(POINTER[0] + "#")


def export_user_data(table: Table) -> Iterator[Item]:
    cursor = None
    while True:
        page = table.scan(cursor=cursor)
        yield from (item for item in page.items if is_user_data(item))
        cursor = page.cursor
        if cursor is None:
            return


def write_lines(items: Iterable[Item], stream: IO[str]) -> int:
    count = 0
    for item in items:
        stream.write(json.dumps(item, ensure_ascii=False, sort_keys=True) + "\n")
        count += 1
    return count


def read_lines(stream: IO[str]) -> list[Item]:
    """Every item of a backup, checked before anything is written (a bad line writes nothing)."""
    items = []
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            raise BackupInvalid(f"line {number}: not JSON ({error.msg})") from error
        if not isinstance(item, dict) or not isinstance(item.get("PK"), str) or not isinstance(item.get("SK"), str):
            raise BackupInvalid(f"line {number}: an item needs string PK and SK")
        if not is_user_data(item):
            raise BackupInvalid(f"line {number}: {item['PK']}/{item['SK']} is reference data; publish content instead")
        items.append(item)
    return items


def import_user_data(table: Table, items: list[Item]) -> int:
    """Write every item (an item already there is replaced by the backup's copy)."""
    for start in range(0, len(items), MAX_BATCH_WRITE):
        table.batch_write(puts=items[start : start + MAX_BATCH_WRITE])
    return len(items)
