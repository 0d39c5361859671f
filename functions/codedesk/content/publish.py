"""Writing reference data into the table: diff-based, and atomic for readers.

A publish takes whole sets of items (one per namespace: every item whose PK starts with one of the
namespace's prefixes belongs to it), compares them with what is stored, writes only what changed
under a new content version, and finally moves the live pointer (see content/view.py). Unchanged
content writes nothing. A publish that stops half-way leaves the pointer where it was, so readers
keep the previous version; the next publish cleans up the half-written entries.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from codedesk.content.view import NAMESPACE, POINTER, VERSIONS, visible_entry
from codedesk.store.port import (
    MAX_BATCH_WRITE,
    ConditionFailed,
    Item,
    Table,
    attr_equals,
    item_absent,
)

INDEX_KEYS = ("GSI1PK", "GSI1SK")


class PublishError(Exception):
    """A publish that cannot go on; the message says what to do."""


@dataclass
class ItemSet:
    """Everything one namespace should contain after the publish."""

    namespace: str
    prefixes: tuple[str, ...]
    items: Iterable[Item]
    fingerprint: str | None = None  # when given and unchanged since the last publish, the set is skipped


@dataclass
class PublishReport:
    version: int
    previous_version: int
    written: int = 0
    deleted: int = 0
    unchanged: int = 0
    skipped_namespaces: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.version != self.previous_version


class Progress(Protocol):
    def start(self, total: int) -> None: ...

    def advance(self, count: int) -> None: ...


class _Silent:
    def start(self, total: int) -> None:
        pass

    def advance(self, count: int) -> None:
        pass


def content_hash(data: Any) -> str:
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:20]


def fingerprint_of(*parts: Any) -> str:
    return content_hash(list(parts))


def live_version(table: Table) -> int:
    pointer = table.get(*POINTER) or {}
    return int(pointer.get("version", 0))


def is_current(table: Table, namespace: str, fingerprint: str) -> bool:
    """True when `namespace` was last published from input with this fingerprint."""
    pointer = table.get(*POINTER) or {}
    return pointer.get("fingerprints", {}).get(namespace) == fingerprint


@dataclass
class _Plan:
    puts: list[Item] = field(default_factory=list)
    deletes: list[tuple[str, str]] = field(default_factory=list)
    unchanged: int = 0


def _desired(item_set: ItemSet) -> dict[tuple[str, str], Item]:
    desired: dict[tuple[str, str], Item] = {}
    for item in item_set.items:
        pk, sk = item.get("PK"), item.get("SK")
        if not isinstance(pk, str) or not isinstance(sk, str):
            raise PublishError(f"{item_set.namespace}: an item without string PK/SK: {str(item)[:120]}")
        if not pk.startswith(item_set.prefixes):
            raise PublishError(f"{item_set.namespace}: item {pk} is outside the namespace's prefixes {item_set.prefixes}")
        if (pk, sk) in desired:
            raise PublishError(f"{item_set.namespace}: item {pk}/{sk} is produced twice")
        desired[(pk, sk)] = item
    return desired


def _stored(table: Table, prefixes: tuple[str, ...]) -> Iterator[Item]:
    for prefix in prefixes:
        cursor = None
        while True:
            page = table.scan(pk_prefix=prefix, cursor=cursor)
            yield from page.items
            cursor = page.cursor
            if cursor is None:
                break


def _raw_item(namespace: str, item: Item, entries: list[list[Any]]) -> Item:
    raw: Item = {"PK": item["PK"], "SK": item["SK"], NAMESPACE: namespace, VERSIONS: entries}
    raw.update({k: item[k] for k in INDEX_KEYS if isinstance(item.get(k), str)})
    return raw


def _plan(table: Table, item_set: ItemSet, live: int, new: int) -> _Plan:
    plan = _Plan()
    desired = _desired(item_set)
    for stored in _stored(table, item_set.prefixes):
        if stored.get(NAMESPACE) != item_set.namespace:
            continue
        entries = stored.get(VERSIONS, [])
        current = visible_entry(entries, live)
        has_half_written = any(entry[0] > live for entry in entries)
        wanted = desired.pop((stored["PK"], stored["SK"]), None)
        if wanted is None:
            if current is not None and current[2] is not None:
                plan.puts.append(_raw_item(item_set.namespace, stored, [list(current), [new, None, None]]))
            else:
                plan.deletes.append((stored["PK"], stored["SK"]))
            continue
        data = {k: v for k, v in wanted.items() if k not in ("PK", "SK")}
        digest = content_hash(data)
        if current is not None and current[1] == digest and not has_half_written:
            plan.unchanged += 1
            continue
        kept = [list(current)] if current is not None else []
        plan.puts.append(_raw_item(item_set.namespace, wanted, [*kept, [new, digest, data]]))
    for wanted in desired.values():
        data = {k: v for k, v in wanted.items() if k not in ("PK", "SK")}
        plan.puts.append(_raw_item(item_set.namespace, wanted, [[new, content_hash(data), data]]))
    return plan


def _allocate_version(table: Table, pointer: Item) -> int:
    """Reserve the next version number; a second publish running at the same time fails here."""
    allocated = int(pointer.get("next_version", pointer.get("version", 0)))
    try:
        if pointer:
            table.update(*POINTER, changes={"next_version": allocated + 1},
                         condition=attr_equals("next_version", pointer.get("next_version", allocated))
                         if "next_version" in pointer else attr_equals("version", pointer.get("version")))
        else:
            table.put({"PK": POINTER[0], "SK": POINTER[1], "version": 0, "next_version": 1, "fingerprints": {}},
                      condition=item_absent())
    except ConditionFailed as error:
        raise PublishError("another publish started at the same time; run it again when that one is done") from error
    return allocated + 1


def publish(table: Table, item_sets: list[ItemSet], *, progress: Progress | None = None,
            now: datetime | None = None) -> PublishReport:
    progress = progress or _Silent()
    pointer = table.get(*POINTER) or {}
    live = int(pointer.get("version", 0))
    fingerprints = dict(pointer.get("fingerprints", {}))
    report = PublishReport(version=live, previous_version=live)

    todo = []
    for item_set in item_sets:
        if item_set.fingerprint is not None and fingerprints.get(item_set.namespace) == item_set.fingerprint:
            report.skipped_namespaces.append(item_set.namespace)
        else:
            todo.append(item_set)
    if not todo:
        return report

    # Plan against the live version with a provisional new number, so that nothing is reserved
    # when there turns out to be nothing to write.
    provisional = int(pointer.get("next_version", live)) + 1
    plans = [(item_set, _plan(table, item_set, live, provisional)) for item_set in todo]
    report.unchanged = sum(plan.unchanged for _, plan in plans)
    for item_set in todo:
        if item_set.fingerprint is not None:
            fingerprints[item_set.namespace] = item_set.fingerprint
    if not any(plan.puts or plan.deletes for _, plan in plans):
        if fingerprints != pointer.get("fingerprints", {}):
            table.update(*POINTER, changes={"fingerprints": fingerprints}, condition=attr_equals("version", live))
        return report

    new = _allocate_version(table, pointer)
    if new != provisional:
        raise PublishError("another publish changed the content meanwhile; run the publish again")
    progress.start(sum(len(p.puts) + len(p.deletes) for _, p in plans))
    for _, plan in plans:
        _write(table, plan, progress)
        report.written += len(plan.puts)
        report.deleted += len(plan.deletes)
    try:
        table.update(
            *POINTER,
            changes={
                "version": new,
                "fingerprints": fingerprints,
                "published_at": (now or datetime.now(UTC)).isoformat(timespec="seconds"),
            },
            condition=attr_equals("version", live),
        )
    except ConditionFailed as error:
        raise PublishError("another publish went live meanwhile; run the publish again") from error
    report.version = new
    return report


def _write(table: Table, plan: _Plan, progress: Progress) -> None:
    for start in range(0, len(plan.puts), MAX_BATCH_WRITE):
        chunk = plan.puts[start : start + MAX_BATCH_WRITE]
        table.batch_write(puts=chunk)
        progress.advance(len(chunk))
    for start in range(0, len(plan.deletes), MAX_BATCH_WRITE):
        chunk = plan.deletes[start : start + MAX_BATCH_WRITE]
        table.batch_write(deletes=chunk)
        progress.advance(len(chunk))
