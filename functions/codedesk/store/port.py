"""The table port: the one storage interface every service talks to.

Two adapters implement it (SQLite for the embedded store, DynamoDB on AWS). The semantics are
DynamoDB's, including its limits, so that nothing that works locally fails on AWS.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable

Item = dict[str, Any]

MAX_BATCH_WRITE = 25
MAX_BATCH_GET = 100
MAX_TRANSACTION = 100
MAX_ITEM_BYTES = 400 * 1024
MAX_QUERY_PAGE_BYTES = 1024 * 1024


# ----------------------------------------------------------------------------- errors


class StoreError(Exception):
    """Base of every error the port raises."""


class ConditionFailed(StoreError):
    """A conditional write found the item in another state than required."""


class TransactionCanceled(StoreError):
    """A transaction was rolled back; `reasons` has one entry per operation ("None" when it was fine)."""

    def __init__(self, reasons: list[str]):
        super().__init__(f"transaction canceled: {', '.join(reasons)}")
        self.reasons = reasons


class LimitExceeded(StoreError):
    """The request breaks one of DynamoDB's limits (batch size, item size, transaction size)."""


class StoreUnavailable(StoreError):
    """The store kept throttling or failing after retries; the caller may try again later."""


class StoreMisconfigured(StoreError):
    """The deployment's fault, not the request's and not passing: a table or role that is wrong.
    Never retried; an API request answers 500 with the error logged, a command says what is still
    served."""


# ------------------------------------------------------------------------- conditions


@dataclass(frozen=True)
class Condition:
    """A condition on the item a write targets. `kind` is "absent", "exists" or "equals"."""

    kind: str
    name: str = ""
    value: Any = None


def item_absent() -> Condition:
    return Condition("absent")


def item_exists() -> Condition:
    return Condition("exists")


def attr_equals(name: str, value: Any) -> Condition:
    return Condition("equals", name, value)


def condition_holds(condition: Condition | None, current: Item | None) -> bool:
    """How the SQLite adapter (and tests) evaluate a condition against the stored item."""
    if condition is None:
        return True
    if condition.kind == "absent":
        return current is None
    if condition.kind == "exists":
        return current is not None
    if condition.kind == "equals":
        return current is not None and current.get(condition.name) == condition.value
    raise ValueError(f"unknown condition {condition.kind!r}")


@dataclass(frozen=True)
class KeyCondition:
    """A sort-key condition for a query: the ones the code base asks, `op` one of begins_with, between,
    lt, ge (DynamoDB has =, <= and > too; add them here and in both adapters when a query needs them)."""

    op: Literal["begins_with", "between", "lt", "ge"]
    value: str
    upper: str | None = None

    def matches(self, sk: str) -> bool:
        if self.op == "begins_with":
            return sk.startswith(self.value)
        if self.op == "between":
            return self.value <= sk <= (self.upper or "")
        return sk < self.value if self.op == "lt" else sk >= self.value


def sk_begins_with(prefix: str) -> KeyCondition:
    return KeyCondition("begins_with", prefix)


def sk_between(low: str, high: str) -> KeyCondition:
    return KeyCondition("between", low, high)


def sk_lt(value: str) -> KeyCondition:
    return KeyCondition("lt", value)


def sk_ge(value: str) -> KeyCondition:
    return KeyCondition("ge", value)


# ------------------------------------------------------------------ transaction parts


@dataclass(frozen=True)
class Put:
    item: Item
    condition: Condition | None = None


@dataclass(frozen=True)
class Update:
    pk: str
    sk: str
    changes: dict[str, Any]
    condition: Condition | None = None


@dataclass(frozen=True)
class Delete:
    pk: str
    sk: str
    condition: Condition | None = None


@dataclass(frozen=True)
class ConditionCheck:
    pk: str
    sk: str
    condition: Condition


TransactOp = Put | Update | Delete | ConditionCheck


def op_key(op: TransactOp) -> tuple[str, str]:
    """The (PK, SK) of the item a transaction operation touches."""
    if isinstance(op, Put):
        return op.item["PK"], op.item["SK"]
    return op.pk, op.sk


@dataclass
class Page:
    items: list[Item]
    cursor: str | None = None


@dataclass
class TableStats:
    """Round trips and items read, counted by every adapter: the figures benchmarks report."""

    round_trips: int = 0
    items_read: int = 0
    items_written: int = 0
    calls: dict[str, int] = field(default_factory=dict)

    def count(self, call: str, *, read: int = 0, written: int = 0) -> None:
        self.round_trips += 1
        self.items_read += read
        self.items_written += written
        self.calls[call] = self.calls.get(call, 0) + 1

    def reset(self) -> None:
        self.round_trips = self.items_read = self.items_written = 0
        self.calls.clear()


@runtime_checkable
class Table(Protocol):
    stats: TableStats

    def get(self, pk: str, sk: str) -> Item | None: ...

    def put(self, item: Item, *, condition: Condition | None = None) -> None: ...

    def update(self, pk: str, sk: str, *, changes: dict[str, Any], condition: Condition | None = None) -> Item: ...

    def delete(self, pk: str, sk: str, *, condition: Condition | None = None) -> None: ...

    def query(
        self,
        pk: str,
        *,
        sk: KeyCondition | None = None,
        index: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
        descending: bool = False,
    ) -> Page: ...

    def batch_get(self, keys: Sequence[tuple[str, str]]) -> list[Item]: ...

    def batch_write(self, puts: Sequence[Item] = (), deletes: Sequence[tuple[str, str]] = ()) -> None: ...

    def transact_write(self, ops: Sequence[TransactOp]) -> None: ...

    def scan(self, *, pk_prefix: str = "", cursor: str | None = None) -> Page:
        """Every item whose PK starts with `pk_prefix`, page by page.

        For maintenance commands only (publish diffs, export). No request path may call it.
        """
        ...
