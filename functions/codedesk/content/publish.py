"""Writing reference data into the table: diff-based, and atomic for readers.

A publish takes whole sets of items (one per namespace: every item whose PK starts with one of the
namespace's prefixes belongs to it), compares them with what is stored, writes only what changed
under a new content version, and finally moves the live pointer (see content/view.py). Unchanged
content writes nothing. A publish that stops half-way leaves the pointer where it was, so readers
keep the previous version; the next publish cleans up the half-written entries.

What is stored is known from each namespace's manifest (content/manifest.py), written with the
publish: a publish reads the manifests (a query each) and then only the items whose hash changed,
never the whole table. A namespace published before manifests existed is scanned once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from codedesk.content.manifest import (
    ALL_LISTED,
    MANIFESTS,
    PUBLISHING,
    Entries,
    StoredManifests,
    manifest_items,
    read_manifests,
)
from codedesk.content.view import NAMESPACE, POINTER, VERSIONS, visible_entry
from codedesk.store.port import (
    MAX_BATCH_GET,
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
    namespace: str
    puts: list[Item] = field(default_factory=list)
    deletes: list[tuple[str, str]] = field(default_factory=list)
    unchanged: int = 0
    manifest: Entries = field(default_factory=dict)  # what the namespace holds once this publish is live
    stored: StoredManifests = field(default_factory=StoredManifests)
    manifest_is_current: bool = False  # the pointer's manifest is stored and this plan writes nothing

    @property
    def writes(self) -> bool:
        return bool(self.puts or self.deletes)


def _desired(item_set: ItemSet) -> dict[tuple[str, str], Item]:
    desired: dict[tuple[str, str], Item] = {}
    for item in item_set.items:
        pk, sk = item.get("PK"), item.get("SK")
        if not isinstance(pk, str) or not isinstance(sk, str):
            raise PublishError(f"{item_set.namespace}: an item without string PK/SK: {str(item)[:120]}")
        if not pk.startswith(item_set.prefixes):
            raise PublishError(
                f"{item_set.namespace}: item {pk} is outside the namespace's prefixes {item_set.prefixes}"
            )
        if (pk, sk) in desired:
            raise PublishError(f"{item_set.namespace}: item {pk}/{sk} is produced twice")
        desired[(pk, sk)] = item
    return desired


def scanned_items(table: Table, prefixes: tuple[str, ...]) -> Iterator[Item]:
    """Every stored item under the prefixes: only for a namespace published before manifests existed."""
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


def _data(item: Item) -> Item:
    return {k: v for k, v in item.items() if k not in ("PK", "SK")}


def _decide(
    plan: _Plan, item_key: tuple[str, str], stored: Item | None, wanted: Item | None, live: int, new: int
) -> None:
    """What becomes of one item, from its stored copy (None: not in the table) and its wanted one."""
    entries = stored.get(VERSIONS, []) if stored else []
    current = visible_entry(entries, live)
    has_half_written = any(entry[0] > live for entry in entries)
    if wanted is None:
        if stored is None:
            return
        if current is not None and current[2] is not None:
            plan.puts.append(_raw_item(plan.namespace, stored, [list(current), [new, None, None]]))
            plan.manifest[item_key] = None
        else:
            plan.deletes.append(item_key)
        return
    data = _data(wanted)
    digest = content_hash(data)
    plan.manifest[item_key] = digest
    if current is not None and current[1] == digest and not has_half_written:
        plan.unchanged += 1
        return
    kept = [list(current)] if current is not None else []
    plan.puts.append(_raw_item(plan.namespace, wanted, [*kept, [new, digest, data]]))


def _plan(table: Table, item_set: ItemSet, live: int, new: int, manifest_version: int | None, listed: bool) -> _Plan:
    """Compare the wanted items with the namespace's manifest; only the items whose hash differs,
    and those a stopped publish may have half-written, are read from the table. `listed`: every
    namespace with items has a manifest (the table was first published with manifests)."""
    namespace = item_set.namespace
    plan = _Plan(namespace, stored=read_manifests(table, namespace))
    desired = _desired(item_set)
    known = plan.stored.entries.get(manifest_version) if manifest_version is not None else None
    if known is None and listed:
        known = {}  # never published: nothing stored
    if known is None:
        # Published before manifests existed (or never): one scan builds the first manifest.
        for stored in scanned_items(table, item_set.prefixes):
            if stored.get(NAMESPACE) == namespace:
                item_key = (stored["PK"], stored["SK"])
                _decide(plan, item_key, stored, desired.pop(item_key, None), live, new)
        for item_key, wanted in desired.items():
            _decide(plan, item_key, None, wanted, live, new)
        return plan
    dirty = _dirty(plan.stored, manifest_version, known)
    to_read: dict[tuple[str, str], Item | None] = {}
    for item_key, wanted in desired.items():
        if item_key in dirty or (item_key in known and known[item_key] != content_hash(_data(wanted))):
            to_read[item_key] = wanted
        elif item_key in known:
            plan.manifest[item_key] = known[item_key]
            plan.unchanged += 1
        else:
            _decide(plan, item_key, None, wanted, live, new)
    for item_key, digest in known.items():
        if item_key not in desired:
            if digest is None and item_key not in dirty:
                plan.deletes.append(item_key)  # a tombstone nobody reads any more
            else:
                to_read[item_key] = None
    for item_key in dirty - desired.keys() - known.keys():
        to_read[item_key] = None
    read = _read(table, to_read)
    for item_key in sorted(to_read):
        _decide(plan, item_key, read.get(item_key), to_read[item_key], live, new)
    plan.manifest_is_current = not plan.writes
    return plan


def _dirty(stored: StoredManifests, manifest_version: int | None, known: Entries) -> set[tuple[str, str]]:
    """Keys listed differently by a manifest written after the current one: a publish that stopped
    (or is still writing) may have left entries above the live version on them."""
    dirty: set[tuple[str, str]] = set()
    for version, entries in stored.entries.items():
        if manifest_version is None or version > manifest_version:
            dirty.update(k for k in entries.keys() | known.keys() if entries.get(k, "") != known.get(k, ""))
    return dirty


def _read(table: Table, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Item]:
    wanted, found = sorted(keys), {}
    for start in range(0, len(wanted), MAX_BATCH_GET):
        for item in table.batch_get(wanted[start : start + MAX_BATCH_GET]):
            found[(item["PK"], item["SK"])] = item
    return found


def _rollback(table: Table, namespace: str, live: int, manifest_version: int | None) -> _Plan:
    """Take off the entries a stopped publish left above the live version in a namespace that is not
    published now, so that they do not surface when this publish goes live."""
    plan = _Plan(namespace, stored=read_manifests(table, namespace), manifest_is_current=True)
    known = plan.stored.entries.get(manifest_version, {}) if manifest_version is not None else {}
    for item_key, item in _read(table, _dirty(plan.stored, manifest_version, known)).items():
        kept = [entry for entry in item.get(VERSIONS, []) if entry[0] <= live]
        if kept == item.get(VERSIONS):
            continue
        if kept:
            plan.puts.append({**item, VERSIONS: kept})
        else:
            plan.deletes.append(item_key)
    return plan


def _allocate_version(table: Table, pointer: Item, namespaces: list[str]) -> int:
    """Reserve the next version number; a second publish running at the same time fails here. The
    pointer notes the namespaces it publishes until it goes live (see _rollback)."""
    allocated = int(pointer.get("next_version", pointer.get("version")) or 0)
    publishing = {**pointer.get(PUBLISHING, {}), **{ns: allocated + 1 for ns in namespaces}}
    try:
        if pointer:
            table.update(
                *POINTER,
                changes={"next_version": allocated + 1, PUBLISHING: publishing},
                condition=attr_equals("next_version", pointer.get("next_version", allocated))
                if "next_version" in pointer
                else attr_equals("version", pointer.get("version")),
            )
        else:
            table.put(
                {
                    "PK": POINTER[0],
                    "SK": POINTER[1],
                    "version": 0,
                    "next_version": 1,
                    "fingerprints": {},
                    ALL_LISTED: True,
                    PUBLISHING: publishing,
                },
                condition=item_absent(),
            )
    except ConditionFailed as error:
        raise PublishError("another publish started at the same time; run it again when that one is done") from error
    return allocated + 1


def publish(
    table: Table, item_sets: list[ItemSet], *, progress: Progress | None = None, now: datetime | None = None
) -> PublishReport:
    progress = progress or _Silent()
    pointer = table.get(*POINTER) or {}
    live = int(pointer.get("version", 0))
    fingerprints = dict(pointer.get("fingerprints", {}))
    manifests = {ns: int(v) for ns, v in pointer.get(MANIFESTS, {}).items()}
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
    listed = not pointer or bool(pointer.get(ALL_LISTED))
    plans = [_plan(table, item_set, live, provisional, manifests.get(item_set.namespace), listed) for item_set in todo]
    report.unchanged = sum(plan.unchanged for plan in plans)
    for item_set in todo:
        if item_set.fingerprint is not None:
            fingerprints[item_set.namespace] = item_set.fingerprint
    if not any(plan.writes for plan in plans):
        # Nothing to publish; a namespace without a manifest gets one, listed under the live version.
        for plan in plans:
            if not plan.manifest_is_current:
                _write_manifest(table, plan, live)
                manifests[plan.namespace] = live
        changes = {"fingerprints": fingerprints, MANIFESTS: manifests}
        if any(changes[name] != pointer.get(name, {}) for name in changes):
            _update_pointer(table, live, changes, exists=bool(pointer))
            _delete_old_manifests(table, plans, manifests, below=live + 1)
        return report

    new = _allocate_version(table, pointer, [plan.namespace for plan in plans])
    if new != provisional:
        raise PublishError("another publish changed the content meanwhile; run the publish again")
    planned = {plan.namespace for plan in plans}
    rollbacks = [
        _rollback(table, ns, live, manifests.get(ns)) for ns in sorted(pointer.get(PUBLISHING, {})) if ns not in planned
    ]
    # The manifests go first: should the publish stop half-way, they name every item it may have touched.
    for plan in plans:
        if not plan.manifest_is_current:
            _write_manifest(table, plan, new)
            manifests[plan.namespace] = new
    progress.start(sum(len(p.puts) + len(p.deletes) for p in plans))
    for plan in plans:
        _write(table, plan, progress)
        report.written += len(plan.puts)
        report.deleted += len(plan.deletes)
    for plan in rollbacks:
        _write(table, plan, _Silent())
    _update_pointer(
        table,
        live,
        {
            "version": new,
            "fingerprints": fingerprints,
            MANIFESTS: manifests,
            PUBLISHING: {},
            "published_at": (now or datetime.now(UTC)).isoformat(timespec="seconds"),
        },
        exists=True,
    )
    report.version = new
    _delete_old_manifests(table, plans + rollbacks, manifests, below=new + 1)
    return report


def _update_pointer(table: Table, live: int, changes: dict[str, Any], *, exists: bool) -> None:
    try:
        if exists:
            table.update(*POINTER, changes=changes, condition=attr_equals("version", live))
        else:
            table.put(
                {"PK": POINTER[0], "SK": POINTER[1], "version": 0, "next_version": 0, ALL_LISTED: True, **changes},
                condition=item_absent(),
            )
    except ConditionFailed as error:
        raise PublishError("another publish went live meanwhile; run the publish again") from error


def _write_manifest(table: Table, plan: _Plan, version: int) -> None:
    items = manifest_items(plan.namespace, version, plan.manifest)
    for item in items:
        table.put(item)
    written = {(item["PK"], item["SK"]) for item in items}
    stale = [k for k in plan.stored.chunks.get(version, []) if k not in written]
    for start in range(0, len(stale), MAX_BATCH_WRITE):
        table.batch_write(deletes=stale[start : start + MAX_BATCH_WRITE])


def _delete_old_manifests(table: Table, plans: list[_Plan], manifests: dict[str, int], *, below: int) -> None:
    """Once the pointer names the new manifests, the earlier ones (and those of stopped publishes,
    whose keys this publish has just read and set right) are of no use."""
    stale = [
        k
        for plan in plans
        for version, keys in plan.stored.chunks.items()
        if version != manifests.get(plan.namespace) and version < below
        for k in keys
    ]
    for start in range(0, len(stale), MAX_BATCH_WRITE):
        table.batch_write(deletes=stale[start : start + MAX_BATCH_WRITE])


def _write(table: Table, plan: _Plan, progress: Progress) -> None:
    for start in range(0, len(plan.puts), MAX_BATCH_WRITE):
        puts = plan.puts[start : start + MAX_BATCH_WRITE]
        table.batch_write(puts=puts)
        progress.advance(len(puts))
    for start in range(0, len(plan.deletes), MAX_BATCH_WRITE):
        deletes = plan.deletes[start : start + MAX_BATCH_WRITE]
        table.batch_write(deletes=deletes)
        progress.advance(len(deletes))
