"""DynamoDB's request limits, checked the same way by every adapter that does not get them for free."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from codedesk.store.port import (
    MAX_BATCH_GET,
    MAX_BATCH_WRITE,
    MAX_ITEM_BYTES,
    MAX_TRANSACTION,
    Item,
    LimitExceeded,
)


def value_size(value: Any) -> int:
    """Size of one attribute value as DynamoDB counts it (close enough to bound 400 KB exactly)."""
    if value is None or isinstance(value, bool):
        return 1
    if isinstance(value, str):
        return len(value.encode("utf-8"))
    if isinstance(value, int | float):
        digits = len(str(abs(value)).replace(".", "").lstrip("0")) or 1
        return (digits + 1) // 2 + 1
    if isinstance(value, bytes):
        return len(value)
    if isinstance(value, list):
        return 3 + sum(1 + value_size(v) for v in value)
    if isinstance(value, dict):
        return 3 + sum(1 + len(k.encode("utf-8")) + value_size(v) for k, v in value.items())
    raise TypeError(f"unsupported attribute type {type(value).__name__}")


def item_size(item: Item) -> int:
    return sum(len(name.encode("utf-8")) + value_size(value) for name, value in item.items())


def check_item(item: Item) -> None:
    if "PK" not in item or "SK" not in item:
        raise LimitExceeded("an item needs string PK and SK attributes")
    if not isinstance(item["PK"], str) or not isinstance(item["SK"], str) or not item["PK"] or not item["SK"]:
        raise LimitExceeded("PK and SK must be non-empty strings")
    size = item_size(item)
    if size > MAX_ITEM_BYTES:
        raise LimitExceeded(f"item {item['PK']}/{item['SK']} is {size} bytes; DynamoDB allows {MAX_ITEM_BYTES}")


def check_batch_write(puts: Sequence[Item], deletes: Sequence[tuple[str, str]]) -> None:
    count = len(puts) + len(deletes)
    if count == 0 or count > MAX_BATCH_WRITE:
        raise LimitExceeded(f"a batch write takes 1 to {MAX_BATCH_WRITE} items, not {count}")
    keys = [(i["PK"], i["SK"]) for i in puts] + list(deletes)
    if len(set(keys)) != len(keys):
        raise LimitExceeded("a batch write may not touch the same item twice")
    for item in puts:
        check_item(item)


def check_batch_get(keys: Sequence[tuple[str, str]]) -> None:
    if len(keys) > MAX_BATCH_GET:
        raise LimitExceeded(f"a batch get takes at most {MAX_BATCH_GET} keys, not {len(keys)}")
    if len(set(keys)) != len(keys):
        raise LimitExceeded("a batch get may not name the same key twice")


def check_transaction(count: int, keys: Sequence[tuple[str, str]]) -> None:
    if count == 0 or count > MAX_TRANSACTION:
        raise LimitExceeded(f"a transaction takes 1 to {MAX_TRANSACTION} operations, not {count}")
    if len(set(keys)) != len(keys):
        raise LimitExceeded("a transaction may not touch the same item twice")
